import re
from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog import curate, services
from catalog.models import Course, Session
from core.models import Item
from tests.factories import SkillFactory
from tests.shared_data import SHARED_DATA

IMPORT = reverse("catalog:curate-import")
ICAL = SHARED_DATA / "ical"
HEADER = "code,title,format,level,duration_minutes,language,skills,cost,currency,launch_url,tags\n"
GOOD_CSV = HEADER + (
    "LD-1,Negotiation basics,Classroom,beginner,180,en,Negotiation,250,eur,,soft skills\n"
    "LD-2,Python for analysts,E-learning,intermediate,600,en,python;Negotiation,0,,https://learn.example/py,\n"
)


@pytest.fixture
def skills(db):
    return SkillFactory(name="Negotiation", slug="negotiation"), SkillFactory(name="Python", slug="python")


def csv_file(text, name="catalogue.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def ics_file(name):
    return SimpleUploadedFile(name, (ICAL / name).read_bytes(), content_type="text/calendar")


def pending_of(response) -> str:
    match = re.search(r'name="pending" value="([^"]+)"', response.text)
    assert match, "the preview carries the upload back"
    return match.group(1)


def sessions_url(course):
    return reverse("catalog:curate-import-sessions", args=[course.pk])


# --- the catalogue CSV -------------------------------------------------------------------------------


def test_a_csv_is_previewed_without_writing_then_imported_on_confirmation(personas, client_for, skills):
    client = client_for(personas.lee)
    preview = client.post(IMPORT, {"file": csv_file(GOOD_CSV)})
    assert preview.status_code == 200
    assert (preview.context["preview"]["to_add"], preview.context["preview"]["to_update"]) == (2, 0)
    assert "Python for analysts" in preview.text and "E-learning" in preview.text
    assert not Course.objects.exists()
    report = client.post(IMPORT, {"pending": pending_of(preview), "confirm": "1"})
    assert report.status_code == 200 and (report.context["added"], report.context["updated"]) == (2, 0)
    assert sorted(Course.objects.values_list("code", flat=True)) == ["LD-1", "LD-2"]
    assert "Negotiation basics" in report.text


def test_a_row_with_a_known_code_is_previewed_as_an_update(personas, client_for, skills, course):
    services.update_course(actor=personas.lee, course=course, code="LD-1")
    preview = client_for(personas.lee).post(IMPORT, {"file": csv_file(GOOD_CSV)})
    assert [row["action"] for row in preview.context["preview"]["rows"]] == ["update", "add"]


def test_bad_rows_are_reported_line_by_line_and_nothing_can_be_confirmed(personas, client_for, skills):
    data = HEADER + "LD-1,Fine course,classroom,,,,,,,,\n,,webinar,,,,,,,,\nLD-3,Costly,classroom,,,,Juggling,12,,,\n"
    preview = client_for(personas.lee).post(IMPORT, {"file": csv_file(data)})
    assert preview.status_code == 400
    problems = preview.context["preview"]["problems"]
    assert "Line 3: A course needs a title." in problems
    assert "Line 4: The skill “Juggling” is not in the skills taxonomy." in problems
    assert 'name="pending"' not in preview.text and "Upload the corrected file" in preview.text
    assert not Item.objects.filter(kind="course").exists()


def test_a_file_that_is_no_catalogue_csv_is_refused_saying_why(personas, client_for):
    preview = client_for(personas.lee).post(IMPORT, {"file": csv_file("title,colour\nA,red\n")})
    assert preview.status_code == 400 and "Unknown column: colour" in preview.text


def test_a_missing_file_is_an_error_on_the_form(personas, client_for):
    response = client_for(personas.lee).post(IMPORT, {})
    assert response.status_code == 400 and response.context["form"].errors["file"]


def test_confirming_twice_imports_once(personas, client_for, skills):
    client = client_for(personas.lee)
    pending = pending_of(client.post(IMPORT, {"file": csv_file(HEADER + ",Uncoded course,classroom,,,,,,,,\n")}))
    client.post(IMPORT, {"pending": pending, "confirm": "1"})
    again = client.post(IMPORT, {"pending": pending, "confirm": "1"})
    assert again.status_code == 302
    assert Course.objects.count() == 1


def test_the_file_is_planned_again_on_confirmation(personas, client_for, skills):
    client = client_for(personas.lee)
    pending = pending_of(client.post(IMPORT, {"file": csv_file(GOOD_CSV)}))
    skills[1].delete()  # the taxonomy changed between preview and confirmation
    response = client.post(IMPORT, {"pending": pending, "confirm": "1"})
    assert response.status_code == 400 and "The skill “python” is not in the skills taxonomy." in response.text
    assert not Course.objects.exists()


def test_a_tampered_expired_or_someone_elses_preview_imports_nothing(personas, client_for, skills, monkeypatch):
    pending = pending_of(client_for(personas.lee).post(IMPORT, {"file": csv_file(GOOD_CSV)}))
    assert client_for(personas.ada).post(IMPORT, {"pending": pending, "confirm": "1"}).status_code == 302
    forged = signing.dumps({"user": personas.lee.pk, "kind": "courses", "data": "x"}, salt="another")
    assert client_for(personas.lee).post(IMPORT, {"pending": forged, "confirm": "1"}).status_code == 302
    monkeypatch.setattr(curate, "PENDING_SECONDS", -1)
    assert client_for(personas.lee).post(IMPORT, {"pending": pending, "confirm": "1"}).status_code == 302
    assert not Course.objects.exists()


def test_cancelling_a_preview_imports_nothing(personas, client_for, skills):
    client = client_for(personas.lee)
    pending = pending_of(client.post(IMPORT, {"file": csv_file(GOOD_CSV)}))
    assert client.post(IMPORT, {"pending": pending, "cancel": "1"}).status_code == 302
    assert not Course.objects.exists()


def test_only_curators_import_the_catalogue(personas, client_for):
    assert client_for(personas.alice).get(IMPORT).status_code == 403
    assert client_for(personas.alice).post(IMPORT, {"file": csv_file(GOOD_CSV)}).status_code == 403


# --- a course's sessions from a calendar file -----------------------------------------------------------


def test_a_calendar_is_previewed_in_its_own_zone_then_imported(personas, client_for, course):
    client = client_for(personas.lee)
    preview = client.post(
        sessions_url(course), {"file": ics_file("apple_tentative-apple-calendar.ics"), "time_zone": "UTC"}
    )
    assert preview.status_code == 200
    assert "Mon 4 Jul 2022, 16:00" in preview.text and "America/Vancouver" in preview.text
    assert "cancelled in the calendar" in preview.text
    assert not Session.objects.exists()
    report = client.post(sessions_url(course), {"pending": pending_of(preview), "confirm": "1"})
    assert report.status_code == 200 and "3 sessions were added" in report.text
    assert course.sessions.count() == 3


def test_a_repeating_exchange_series_is_expanded_in_the_preview(personas, client_for, course):
    preview = client_for(personas.lee).post(
        sessions_url(course), {"file": ics_file("exchange_ms_timezones.ics"), "time_zone": "UTC", "capacity": "8"}
    )
    assert preview.status_code == 200 and len(preview.context["plan"].sessions) == 372
    assert "Tue 9 Jun 2020, 09:00" in preview.text and "Each new session has 8 seats." in preview.text
    client_for(personas.lee).post(sessions_url(course), {"pending": pending_of(preview), "confirm": "1"})
    assert set(course.sessions.values_list("capacity", flat=True)) == {8}


def test_all_day_events_are_read_in_the_zone_the_curator_chooses(personas, client_for, course):
    preview = client_for(personas.lee).post(
        sessions_url(course), {"file": ics_file("outlook_Germany.ics"), "time_zone": "Europe/Berlin"}
    )
    first = preview.context["plan"].sessions[0]
    assert first.all_day and first.time_zone == "Europe/Berlin"
    assert "Tue 1 Jan 2008 (all day)" in preview.text


def test_a_broken_calendar_is_refused_with_the_reason_and_cannot_be_confirmed(personas, client_for, course):
    preview = client_for(personas.lee).post(
        sessions_url(course), {"file": ics_file("google_parsing_error.ics"), "time_zone": "UTC"}
    )
    assert preview.status_code == 400
    assert "event 2 (“Wrong event”): its EXDATE has a date that cannot be read" in preview.text
    assert 'name="pending"' not in preview.text and not Session.objects.exists()


def test_importing_the_same_calendar_again_updates_its_sessions(personas, client_for, course):
    client = client_for(personas.lee)
    for _ in range(2):
        preview = client.post(
            sessions_url(course), {"file": ics_file("google_issue_62_moved_event.ics"), "time_zone": "UTC"}
        )
        client.post(sessions_url(course), {"pending": pending_of(preview), "confirm": "1"})
    assert preview.context["plan"].update_count == 13 and course.sessions.count() == 13


def test_a_preview_for_one_course_cannot_be_confirmed_on_another(personas, client_for, course):
    other = services.create_course(actor=personas.lee, title="Other")
    client = client_for(personas.lee)
    preview = client.post(
        sessions_url(course), {"file": ics_file("apple_tentative-apple-calendar.ics"), "time_zone": "UTC"}
    )
    response = client.post(sessions_url(other), {"pending": pending_of(preview), "confirm": "1"})
    assert response.status_code == 302 and not Session.objects.exists()


def test_a_file_that_is_not_a_calendar_is_refused(personas, client_for, course):
    upload = SimpleUploadedFile("notes.ics", b"just some notes", content_type="text/calendar")
    response = client_for(personas.lee).post(sessions_url(course), {"file": upload, "time_zone": "UTC"})
    assert response.status_code == 400 and "This is not an iCalendar file" in response.text


def test_a_calendar_larger_than_the_limit_is_refused_on_the_form(personas, client_for, course, monkeypatch):
    monkeypatch.setattr("catalog.curate_forms.ICS_MAX_BYTES", 100)
    response = client_for(personas.lee).post(
        sessions_url(course), {"file": ics_file("exchange_ms_timezones.ics"), "time_zone": "UTC"}
    )
    assert response.status_code == 400 and "larger than" in response.context["form"].errors["file"][0]


def test_learners_cannot_import_sessions(personas, client_for, course):
    response = client_for(personas.alice).post(
        sessions_url(course), {"file": ics_file("apple_tentative-apple-calendar.ics"), "time_zone": "UTC"}
    )
    assert response.status_code == 403


def test_a_past_session_in_an_import_stays_for_the_roster(personas, client_for, course):
    preview = client_for(personas.lee).post(
        sessions_url(course), {"file": ics_file("non-ascii-tzid_issue_237.ics"), "time_zone": "UTC"}
    )
    client_for(personas.lee).post(sessions_url(course), {"pending": pending_of(preview), "confirm": "1"})
    (session,) = course.sessions.all()
    assert session.time_zone == "America/Sao_Paulo" and session.ends - session.starts <= timedelta(days=1)


def test_the_import_pages_open_with_blank_forms(personas, client_for, course):
    client = client_for(personas.lee)
    for url in (IMPORT, sessions_url(course)):
        page = client.get(url)
        assert page.status_code == 200 and not page.context["form"].is_bound and "errorlist" not in page.text
