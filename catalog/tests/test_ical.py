import zoneinfo
from datetime import datetime, timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError

from catalog import ical, services
from catalog.models import Session
from tests.shared_data import SHARED_DATA

ICAL = SHARED_DATA / "ical"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def read(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def berlin_session(personas, course, **kwargs):
    starts = datetime(2031, 3, 30, 9, 30, tzinfo=BERLIN)  # the morning after the clocks go forward
    return services.add_session(
        actor=personas.lee,
        course=course,
        starts=starts,
        ends=starts + timedelta(hours=2),
        time_zone="Europe/Berlin",
        place="Room 4",
        **kwargs,
    )


def test_an_invite_parses_back_with_the_local_times_it_was_planned_in(personas, course):
    enrolment = services.enrol(person=personas.alice, session=berlin_session(personas, course))
    cal = read(ical.invite(enrolment, method="REQUEST"))
    (event,) = cal.walk("VEVENT")
    assert cal["METHOD"] == "REQUEST"
    assert event["DTSTART"].dt == datetime(2031, 3, 30, 9, 30, tzinfo=BERLIN)
    assert event["DTSTART"].dt.utcoffset() == timedelta(hours=2)
    assert event["DTEND"].dt.hour == 11
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["ATTENDEE"]) == "mailto:alice@example.com"


def test_changing_a_session_raises_the_sequence_of_its_invites(personas, course):
    session = berlin_session(personas, course)
    enrolment = services.enrol(person=personas.alice, session=session)
    services.update_session(actor=personas.lee, session=session, place="Room 5")
    enrolment.session.refresh_from_db()
    (event,) = read(ical.invite(enrolment, method="REQUEST")).walk("VEVENT")
    assert event["SEQUENCE"] == 1 and event["LOCATION"] == "Room 5"


def test_cancelling_a_session_turns_its_invite_into_a_cancellation(personas, course):
    session = berlin_session(personas, course)
    enrolment = services.enrol(person=personas.alice, session=session)
    services.cancel_session(actor=personas.lee, session=session)
    enrolment.session.refresh_from_db()
    cal = read(ical.invite(enrolment, method="REQUEST"))
    assert cal["METHOD"] == "CANCEL"
    assert cal.walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_the_feed_lists_the_persons_sessions_with_waiting_places_marked_tentative(personas, course):
    full = berlin_session(personas, course, capacity=1)
    services.enrol(person=personas.mo, session=full)
    services.enrol(person=personas.alice, session=full)
    other = services.create_course(actor=personas.lee, title="Coaching", format="classroom")
    services.enrol(person=personas.alice, session=berlin_session(personas, other))
    events = read(ical.personal_feed(personas.alice)).walk("VEVENT")
    assert sorted((str(e["SUMMARY"]), str(e["STATUS"])) for e in events) == [
        ("Coaching", "CONFIRMED"),
        ("Waiting list: Negotiation skills", "TENTATIVE"),
    ]


def test_the_feed_leaves_out_sessions_the_person_withdrew_from(personas, course):
    enrolment = services.enrol(person=personas.alice, session=berlin_session(personas, course))
    services.withdraw(actor=personas.alice, enrolment=enrolment)
    assert read(ical.personal_feed(personas.alice)).walk("VEVENT") == []


def test_a_feed_token_opens_the_feed_until_it_is_revoked_or_replaced(personas):
    feed, token = services.create_calendar_feed(person=personas.alice)
    assert services.feed_for_token(token) == feed and token not in feed.token_hash
    _, newer = services.create_calendar_feed(person=personas.alice)
    assert services.feed_for_token(token) is None
    services.revoke_calendar_feed(actor=personas.alice, feed=services.feed_for_token(newer))
    assert services.feed_for_token(newer) is None


# Every real calendar file: (local start of the first session, its IANA zone, how many sessions), or the problem.
EXPECTED = {
    "apple_tentative-apple-calendar.ics": ("2022-07-04 16:00", "America/Vancouver", 3),
    "exchange-cdo_issue_165_missing_event.ics": ("2015-07-03 10:00", None, 14),
    "exchange_Office-2012-owa.ics": ("2020-10-28 13:30", None, 90),
    "exchange_ms_timezones.ics": ("2020-06-09 09:00", "Europe/Berlin", 372),
    "google_issue_62_moved_event.ics": ("2021-11-26 21:30", "Europe/Berlin", 13),
    "google_parsing_error.ics": "event 2 (“Wrong event”): its EXDATE has a date that cannot be read",
    "non-ascii-tzid_issue_237.ics": ("2017-05-11 13:30", "America/Sao_Paulo", 1),
    "outlook_Germany.ics": ("2008-01-01 00:00", "UTC", 159),
}


def test_every_shared_calendar_file_has_an_expectation():
    assert sorted(p.name for p in ICAL.glob("*.ics")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_calendar_file_imports_with_its_local_times_or_is_refused_naming_the_problem(personas, course, name):
    plan = ical.plan_sessions_import((ICAL / name).read_bytes(), course)
    expected = EXPECTED[name]
    if isinstance(expected, str):
        assert not plan.ok and any(expected in problem for problem in plan.problems)
        with pytest.raises(ValidationError):
            ical.apply_sessions_import(plan, actor=personas.lee)
        assert not Session.objects.exists()
        return
    first_local, zone, count = expected
    assert plan.problems == [] and len(plan.sessions) == count
    assert f"{plan.sessions[0].local_starts:%Y-%m-%d %H:%M}" == first_local
    if zone:
        assert plan.sessions[0].time_zone == zone
    ical.apply_sessions_import(plan, actor=personas.lee)
    stored = course.sessions.order_by("starts", "source_uid").first()
    assert f"{stored.starts.astimezone(zoneinfo.ZoneInfo(stored.time_zone)):%Y-%m-%d %H:%M}" == first_local
    assert course.sessions.count() == count


def test_exchange_windows_display_names_become_the_right_iana_zones(course):
    plan = ical.plan_sessions_import((ICAL / "exchange_Office-2012-owa.ics").read_bytes(), course)
    by_label = {s.label: s for s in plan.sessions}
    assert by_label["TEST Syd"].time_zone == "Australia/Sydney"
    assert by_label["TEST Syd"].local_starts.utcoffset() == timedelta(hours=11)  # Sydney summer time
    assert by_label["TEST"].time_zone == "America/New_York"
    assert by_label["TEST 3"].local_starts.utcoffset() == timedelta(hours=-5)  # after the clocks went back


def test_an_exchange_zone_of_its_own_rules_keeps_summer_and_winter_offsets(course):
    plan = ical.plan_sessions_import((ICAL / "exchange_ms_timezones.ics").read_bytes(), course)
    jira = [s for s in plan.sessions if s.label == "Log Yesterday's Jira time"]
    assert {s.local_starts.strftime("%H:%M") for s in jira} == {"09:00"}
    assert {s.local_starts.utcoffset() for s in jira} == {timedelta(hours=1), timedelta(hours=2)}
    assert all(s.local_starts.weekday() != 6 for s in jira)  # BYDAY=MO..SA: never a Sunday


def test_a_moved_occurrence_replaces_the_one_it_moved_from(course):
    plan = ical.plan_sessions_import((ICAL / "google_issue_62_moved_event.ics").read_bytes(), course)
    december = [s.local_starts.day for s in plan.sessions if s.local_starts.month == 12]
    assert december == [17]
    assert any("repeats beyond" in note for note in plan.notes)


def test_a_cancelled_event_is_left_out_with_a_note(course):
    plan = ical.plan_sessions_import((ICAL / "apple_tentative-apple-calendar.ics").read_bytes(), course)
    assert "Cancelled" not in {s.label for s in plan.sessions}
    assert any("cancelled in the calendar" in note for note in plan.notes)


def test_importing_the_same_file_again_updates_instead_of_duplicating(personas, course):
    data = (ICAL / "apple_tentative-apple-calendar.ics").read_bytes()
    ical.apply_sessions_import(ical.plan_sessions_import(data, course), actor=personas.lee)
    moved = data.replace(
        b"DTSTART;TZID=America/Vancouver:20220705T090000", b"DTSTART;TZID=America/Vancouver:20220705T083000"
    )
    plan = ical.plan_sessions_import(moved, course)
    assert (plan.new_count, plan.update_count) == (0, 3)
    ical.apply_sessions_import(plan, actor=personas.lee)
    assert course.sessions.count() == 3
    confirmed = course.sessions.get(label="Confirmed")
    assert confirmed.sequence == 1
    assert f"{confirmed.starts.astimezone(zoneinfo.ZoneInfo('America/Vancouver')):%H:%M}" == "08:30"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "not an iCalendar file"),
        (b"hello", "not an iCalendar file"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no events"),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART;TZID=Mars/Olympus:20300101T100000\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "“Mars/Olympus”, which is not one we know",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART:20300101T100000Z\r\nDTEND:20300101T090000Z\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "ends before it starts",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART:20300101T100000Z\r\nRRULE:FREQ=SOMETIMES\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "repeat rule",
        ),
    ],
)
def test_a_broken_calendar_is_refused_with_a_message_naming_the_problem(course, data, problem):
    plan = ical.plan_sessions_import(data, course)
    assert not plan.ok and problem in " ".join(plan.problems)


def test_a_runaway_repeat_rule_is_refused_rather_than_filling_the_catalogue(course):
    data = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:x\r\nDTSTART:20300101T100000Z\r\n"
        b"RRULE:FREQ=HOURLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    plan = ical.plan_sessions_import(data, course)
    assert not plan.ok and "at most 500" in plan.problems[0]


def test_floating_and_all_day_times_are_read_in_the_zone_the_importer_chooses(course):
    plan = ical.plan_sessions_import(
        (ICAL / "outlook_Germany.ics").read_bytes(), course, default_time_zone="Europe/Berlin"
    )
    first = plan.sessions[0]
    assert first.all_day and first.time_zone == "Europe/Berlin"
    assert first.starts == datetime(2008, 1, 1, tzinfo=BERLIN)


def test_windows_zone_names_resolve_to_iana_names():
    assert ical.resolve_tzid("W. Europe Standard Time") == "Europe/Berlin"
    assert ical.resolve_tzid('"(UTC-05:00) Eastern Time (US & Canada)"') == "America/New_York"
    assert ical.resolve_tzid("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi") == "Asia/Kolkata"
    assert ical.resolve_tzid("/mozilla.org/20050126_1/Europe/Paris") == "Europe/Paris"
    assert ical.resolve_tzid("Somewhere Standard Time") is None
