"""A meeting's iCalendar invite: what it says, and that both people get it by e-mail on every change."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.utils import timezone

from mentoring import ical, pairs
from mentoring.tests.pair_world import make_pair


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what a write queues after its transaction commits (the invites), as a real request would."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def pair(personas):
    return make_pair(mentor=personas.mo, mentee=personas.alice, curator=personas.lee)


def event_of(data: bytes):
    cal = icalendar.Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    return cal, event


def starts_in(days):
    return timezone.now().replace(microsecond=0, second=0) + timedelta(days=days)


def test_the_invite_is_a_request_in_utc_from_the_organiser_to_both_people(pair, personas):
    meeting = pairs.schedule_meeting(
        match=pair, by=personas.alice, starts=starts_in(2), minutes=45, place="https://meet.example/abc", agenda="CV"
    )
    cal, event = event_of(ical.invite(meeting))
    assert cal["METHOD"] == "REQUEST" and event["STATUS"] == "CONFIRMED"
    assert event["UID"] == f"mentoring-meeting-{meeting.pk}@watercooler" and event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.starts and event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert b"DTSTART:" in ical.invite(meeting) and b"Z\r\n" in ical.invite(meeting)
    assert str(event["ORGANIZER"]) == "mailto:alice@example.com"
    assert sorted(str(a) for a in event["ATTENDEE"]) == ["mailto:alice@example.com", "mailto:mo@example.com"]
    assert event["LOCATION"] == "https://meet.example/abc" and "CV" in event["DESCRIPTION"]


def test_a_move_keeps_the_uid_and_raises_the_sequence(pair, personas):
    meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=starts_in(2))
    first = event_of(ical.invite(meeting))[1]
    pairs.reschedule_meeting(meeting=meeting, by=personas.alice, starts=starts_in(3))
    moved = event_of(ical.invite(meeting))[1]
    assert moved["UID"] == first["UID"] and moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART") - first.decoded("DTSTART") == timedelta(days=1)


def test_a_cancelled_meeting_is_a_cancel(pair, personas):
    meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=starts_in(2))
    pairs.cancel_meeting(meeting=meeting, by=personas.mo)
    cal, event = event_of(ical.invite(meeting))
    assert cal["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1


def test_both_people_are_emailed_the_invite_on_each_change(pair, personas, mailoutbox, commits):
    with commits(execute=True):
        meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=starts_in(2))
    assert sorted(m.to[0] for m in mailoutbox if "Invitation" in m.subject) == ["alice@example.com", "mo@example.com"]
    with commits(execute=True):
        pairs.reschedule_meeting(meeting=meeting, by=personas.mo, place="Room 7")
    with commits(execute=True):
        pairs.cancel_meeting(meeting=meeting, by=personas.alice)
    invites = [m for m in mailoutbox if m.attachments]
    subjects = [m.subject.split(":")[0].split("] ")[1] for m in invites]
    assert subjects.count("Invitation") == 2 and subjects.count("Updated") == 2 and subjects.count("Cancelled") == 2
    name, content, mimetype = invites[-1].attachments[0]
    assert name == "meeting.ics" and mimetype == "text/calendar; method=CANCEL"
    assert event_of(content.encode() if isinstance(content, str) else content)[1]["SEQUENCE"] == 2


def test_an_agenda_change_sends_no_new_invite(pair, personas, mailoutbox, commits):
    with commits(execute=True):
        meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=starts_in(2))
    sent = len(mailoutbox)
    assert sent >= 2
    with commits(execute=True):
        pairs.reschedule_meeting(meeting=meeting, by=personas.mo, agenda="Bring questions")
    assert len(mailoutbox) == sent


def test_the_invite_shows_the_time_on_each_persons_own_clock(pair, personas, mailoutbox, commits):
    personas.alice.time_zone = "Asia/Tokyo"
    personas.alice.save()
    starts = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
    with commits(execute=True):
        pairs.schedule_meeting(match=pair, by=personas.mo, starts=starts)
    to_alice = next(m for m in mailoutbox if m.to == ["alice@example.com"] and m.attachments)
    assert "Mon 3 Mar 2031, 18:00 (Asia/Tokyo)" in to_alice.body


def test_the_seed_holds_invites_so_no_mail_is_sent(pair, personas, mailoutbox, commits):
    from core.seeding import tasks_held

    with tasks_held(), commits(execute=True):
        pairs.schedule_meeting(match=pair, by=personas.mo, starts=starts_in(2))
    assert [m for m in mailoutbox if m.attachments] == []


def test_each_change_reaches_each_person_in_one_email_with_the_notification_in_the_app(
    pair, personas, mailoutbox, commits
):
    """The invite is the e-mail: the other person's mentoring notification (mailed at once by default) is not
    mailed a second time, but still waits in the app."""
    from core.models import Notification

    with commits(execute=True):
        meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=starts_in(2))
    with commits(execute=True):
        pairs.reschedule_meeting(meeting=meeting, by=personas.mo, starts=starts_in(3))
    with commits(execute=True):
        pairs.cancel_meeting(meeting=meeting, by=personas.mo)
    to_alice = [m.subject for m in mailoutbox if m.to == ["alice@example.com"]]
    assert len(to_alice) == 3 and all("mentoring with Mo Mentor" in subject for subject in to_alice)
    notes = Notification.objects.filter(recipient=personas.alice, activity__verb="meeting_scheduled")
    assert notes.count() == 3 and not notes.filter(emailed_at__isnull=False).exists()
