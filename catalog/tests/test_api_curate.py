"""The curators' half of the catalogue API (catalog/api.py): courses and sessions, rosters, attendance,
completions, and the CSV and calendar imports. Who may call what is also in tests/test_permission_matrix.py."""

import json
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.services import create_token
from catalog import services
from catalog.models import Course, Enrolment, Session
from core.models import Item, Visibility
from tests.factories import MembershipFactory, SkillFactory, UserFactory
from tests.shared_data import SHARED_DATA

pytestmark = pytest.mark.django_db

URL = "/api/catalog"
ICAL = SHARED_DATA / "ical"
CSV_HEADER = "code,title,format,level,duration_minutes,language,skills,cost,currency,launch_url,tags\n"


def send(client, method, path, body=None):
    return getattr(client, method)(f"{URL}{path}", data=json.dumps(body or {}), content_type="application/json")


def soon(days=7):
    return timezone.now().replace(microsecond=0) + timedelta(days=days)


def iso(moment, zone="Europe/Berlin"):
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).isoformat()


def session_body(days=7, **fields):
    starts = soon(days)
    return {"starts": iso(starts), "ends": iso(starts + timedelta(hours=2)), "time_zone": "Europe/Berlin", **fields}


def make_session(lee, course, *, capacity=None, days=7):
    starts = soon(days)
    return services.add_session(
        actor=lee,
        course=course,
        starts=starts,
        ends=starts + timedelta(hours=3),
        time_zone="Europe/Berlin",
        capacity=capacity,
    )


def start_now(lee, session):
    """Move a session so that it is under way: attendance is taken once a session has started."""
    now = timezone.now()
    return services.update_session(actor=lee, session=session, starts=now - timedelta(hours=1), ends=now)


@pytest.fixture
def skills(db):
    return SkillFactory(name="Negotiation", slug="negotiation"), SkillFactory(name="Python", slug="python")


@pytest.fixture
def team_course(personas):
    MembershipFactory(space=personas.team, user=personas.lee)
    return services.create_course(
        actor=personas.lee, title="Team course", space=personas.team, visibility=Visibility.SPACE
    )


# --- courses ---------------------------------------------------------------------------------------


def test_a_curator_adds_a_course_with_every_field(personas, client_for, skills):
    negotiation, python = skills
    MembershipFactory(space=personas.team, user=personas.lee)
    body = {
        "title": "Negotiation in practice",
        "description": "Getting to yes, rehearsed.",
        "code": "LD-7",
        "provider": "Acme Learning",
        "format": "live_online",
        "duration_minutes": 180,
        "level": "intermediate",
        "language": "pt-BR",
        "skills": [negotiation.pk, "python"],
        "cost": "249.5",
        "currency": "eur",
        "prerequisites": "None.",
        "launch_url": "https://learn.example/negotiation",
        "curator": "mo",
        "tags": ["soft skills"],
        "visibility": "space",
        "space": "team",
    }
    response = send(client_for(personas.lee), "post", "/courses", body)
    assert response.status_code == 201, response.json()
    made = response.json()
    assert (made["title"], made["summary"], made["code"], made["provider"]) == (
        "Negotiation in practice",
        "Getting to yes, rehearsed.",
        "LD-7",
        "Acme Learning",
    )
    assert (made["format"], made["duration_minutes"], made["level"], made["language"]) == (
        "live_online",
        180,
        "intermediate",
        "pt-BR",
    )
    assert sorted(made["skills"]) == ["negotiation", "python"] and made["tags"] == ["soft-skills"]
    assert (made["cost"], made["currency"], made["curator"], made["owner"]) == ("249.50", "EUR", "mo", "lee")
    assert (made["visibility"], made["space"], made["sessions"]) == ("space", "team", [])
    assert made["prerequisites"] == "None." and made["launch_url"] == "https://learn.example/negotiation"
    assert Course.objects.get(pk=made["id"]).item.space == personas.team


def test_a_token_holder_adds_a_course_the_same_way(personas, skills):
    _, secret = create_token(user=personas.lee, name="script")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    response = send(client, "post", "/courses", {"title": "By script", "skills": ["Negotiation"]})
    assert response.status_code == 201 and response.json()["skills"] == ["negotiation"]
    assert response.json()["curator"] == "lee" and response.json()["visibility"] == "organisation"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": "  "}, "A course needs a title."),
        ({"language": "english"}, "“english” is not a language code"),
        ({"cost": "12"}, "A course that costs something needs a currency."),
        ({"currency": "euro"}, "“EURO” is not a currency code"),
        ({"launch_url": "ftp://files.example/x"}, "The launch URL “ftp://files.example/x” is not a web address"),
        ({"duration_minutes": 0}, "The duration must be more than zero minutes."),
        ({"skills": ["Juggling"]}, "skills: “Juggling” is not in the skills taxonomy."),
        ({"skills": [999999]}, "skills: there is no skill with the id 999999."),
        ({"curator": "nobody"}, "curator: no one here has the username “nobody”."),
        ({"visibility": "space"}, "Only a course in a space can be limited to the space's members."),
    ],
)
def test_a_bad_field_is_refused_with_400_saying_what_is_wrong(personas, client_for, skills, fields, reason):
    response = send(client_for(personas.lee), "post", "/courses", {"title": "A course", **fields})
    assert response.status_code == 400 and reason in response.json()["detail"]
    assert not Course.objects.exists()


def test_every_bad_field_is_named_at_once(personas, client_for):
    body = {"title": "A course", "language": "english", "cost": "12", "launch_url": "nope"}
    detail = send(client_for(personas.lee), "post", "/courses", body).json()["detail"]
    assert "language code" in detail and "needs a currency" in detail and "launch URL" in detail


def test_a_field_of_the_wrong_kind_is_refused_naming_the_field(personas, client_for):
    response = send(client_for(personas.lee), "post", "/courses", {"title": "A course", "format": "podcast"})
    assert response.status_code == 422
    assert ["body", "payload", "format"] in [error["loc"] for error in response.json()["detail"]]
    too_long = send(client_for(personas.lee), "post", "/courses", {"title": "A course", "provider": "x" * 201})
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["loc"][-1] == "provider"


def test_a_skill_name_two_skills_share_must_be_given_by_id(personas, client_for):
    first, second = SkillFactory(name="Design", slug="design-ux"), SkillFactory(name="Design", slug="design-eng")
    response = send(client_for(personas.lee), "post", "/courses", {"title": "A course", "skills": ["design"]})
    assert response.status_code == 400 and f"give one by id ({first.pk}, {second.pk})" in response.json()["detail"]
    by_slug = send(client_for(personas.lee), "post", "/courses", {"title": "A course", "skills": ["design-eng"]})
    assert by_slug.json()["skills"] == ["design-eng"]


def test_only_curators_add_courses_and_only_where_they_may(personas, client_for):
    learner = send(client_for(personas.alice), "post", "/courses", {"title": "Mine"})
    assert learner.status_code == 403 and "curators" in learner.json()["detail"]
    assert send(client_for(personas.alice), "post", "/courses", {"title": "", "skills": ["x"]}).status_code == 403
    assert send(client_for(None), "post", "/courses", {"title": "Mine"}).status_code == 401
    hidden_space = send(client_for(personas.lee), "post", "/courses", {"title": "Theirs", "space": "elsewhere"})
    assert hidden_space.status_code == 404
    assert not Course.objects.exists()


def test_patch_changes_only_the_fields_given(personas, client_for, skills):
    negotiation, python = skills
    course = services.create_course(
        actor=personas.lee, title="Old title", duration_minutes=90, skills=[negotiation], cost=10, currency="EUR"
    )
    body = {"title": "New title", "skills": [python.pk], "duration_minutes": None, "curator": "ada"}
    response = send(client_for(personas.lee), "patch", f"/courses/{course.pk}", body)
    assert response.status_code == 200, response.json()
    changed = response.json()
    assert (changed["title"], changed["skills"], changed["duration_minutes"], changed["curator"]) == (
        "New title",
        ["python"],
        None,
        "ada",
    )
    assert (changed["cost"], changed["currency"], changed["format"]) == ("10.00", "EUR", "classroom")
    free = send(client_for(personas.lee), "patch", f"/courses/{course.pk}", {"cost": 0, "currency": ""}).json()
    assert (free["cost"], free["currency"], free["title"]) == ("0.00", "", "New title")


def test_patch_refuses_bad_values_and_nulls_naming_the_field(personas, client_for):
    course = services.create_course(actor=personas.lee, title="A course")
    services.create_course(actor=personas.lee, title="Another", code="LD-1")
    client = client_for(personas.lee)
    null = send(client, "patch", f"/courses/{course.pk}", {"title": None, "format": None})
    assert null.status_code == 400 and null.json()["detail"].startswith("format, title cannot be null")
    taken = send(client, "patch", f"/courses/{course.pk}", {"code": "LD-1"})
    assert taken.status_code == 400 and "already has the code “LD-1”" in taken.json()["detail"]
    priced = send(client, "patch", f"/courses/{course.pk}", {"cost": "5"})
    assert priced.status_code == 400 and "needs a currency" in priced.json()["detail"]
    course.item.refresh_from_db()
    assert course.item.title == "A course"


def test_only_the_courses_curators_change_it(personas, client_for, team_course):
    open_course = services.create_course(actor=personas.lee, title="For everyone")
    learner = send(client_for(personas.alice), "patch", f"/courses/{open_course.pk}", {"title": "Mine now"})
    assert learner.status_code == 403
    assert send(client_for(personas.alice), "patch", f"/courses/{open_course.pk}", {"title": None}).status_code == 403
    assert send(client_for(personas.olly), "patch", f"/courses/{team_course.pk}", {"title": "X"}).status_code == 404
    assert send(client_for(None), "patch", f"/courses/{open_course.pk}", {"title": "X"}).status_code == 401
    space_admin = send(client_for(personas.mo), "patch", f"/courses/{team_course.pk}", {"title": "Renamed"})
    assert space_admin.status_code == 200 and space_admin.json()["title"] == "Renamed"


# --- sessions --------------------------------------------------------------------------------------


def test_a_curator_schedules_a_session_with_its_time_zone(personas, client_for, course):
    body = {"starts": "2031-03-30T09:30:00+02:00", "ends": "2031-03-30T11:30:00+02:00", "time_zone": "Europe/Berlin"}
    response = send(client_for(personas.lee), "post", f"/courses/{course.pk}/sessions", {**body, "capacity": 12})
    assert response.status_code == 201, response.json()
    made = response.json()
    session = Session.objects.get(pk=made["id"])
    assert session.starts == datetime(2031, 3, 30, 7, 30, tzinfo=UTC) and session.time_zone == "Europe/Berlin"
    assert (made["seated"], made["waiting"], made["cancelled"], made["capacity"]) == (0, 0, False, 12)
    assert datetime.fromisoformat(made["starts"]) == session.starts and made["course"] == course.pk


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"starts": "2031-03-30T09:30:00", "ends": "2031-03-30T11:30:00"}, "need a time zone"),
        ({"starts": "2031-03-30T09:30:00+02:00", "ends": "2031-03-30T08:30:00+02:00"}, "cannot end before"),
        ({"time_zone": "Mars/Olympus"}, "“Mars/Olympus” is not a time zone"),
        ({"capacity": 0}, "room for at least one person"),
        ({"online_url": "zoom meeting"}, "online link"),
    ],
)
def test_a_bad_session_is_refused_with_the_services_reason(personas, client_for, course, fields, reason):
    response = send(client_for(personas.lee), "post", f"/courses/{course.pk}/sessions", session_body(**fields))
    assert response.status_code == 400 and reason in response.json()["detail"]
    assert not Session.objects.exists()


def test_a_self_paced_course_takes_no_sessions(personas, client_for):
    book = services.create_course(actor=personas.lee, title="A book", format="book")
    response = send(client_for(personas.lee), "post", f"/courses/{book.pk}/sessions", session_body())
    assert response.status_code == 400 and "own pace" in response.json()["detail"]


def test_moving_a_session_raises_its_sequence_and_more_room_seats_those_waiting(personas, client_for, course):
    session = make_session(personas.lee, course, capacity=1)
    services.enrol(person=personas.alice, session=session)
    waiting = services.enrol(person=personas.mo, session=session)
    later = soon(8)
    body = {"place": "Room 5", "capacity": 2, "starts": iso(later), "ends": iso(later + timedelta(hours=1))}
    response = send(client_for(personas.lee), "patch", f"/sessions/{session.pk}", body)
    assert response.status_code == 200, response.json()
    moved = response.json()
    assert (moved["place"], moved["capacity"], moved["seated"], moved["waiting"]) == ("Room 5", 2, 2, 0)
    session.refresh_from_db()
    assert session.sequence == 1 and session.starts == later and session.time_zone == "Europe/Berlin"
    assert Enrolment.objects.get(pk=waiting.pk).state == Enrolment.State.ENROLLED
    unlimited = send(client_for(personas.lee), "patch", f"/sessions/{session.pk}", {"capacity": None})
    assert unlimited.json()["capacity"] is None


def test_a_session_change_the_service_refuses_answers_400(personas, client_for, course):
    session = make_session(personas.lee, course, capacity=2)
    services.enrol(person=personas.alice, session=session)
    services.enrol(person=personas.mo, session=session)
    client = client_for(personas.lee)
    smaller = send(client, "patch", f"/sessions/{session.pk}", {"capacity": 1})
    assert smaller.status_code == 400 and "2 people already hold seats" in smaller.json()["detail"]
    naive = send(client, "patch", f"/sessions/{session.pk}", {"starts": "2031-01-01T10:00:00"})
    assert naive.status_code == 400 and "time zone" in naive.json()["detail"]
    null = send(client, "patch", f"/sessions/{session.pk}", {"place": None})
    assert null.status_code == 400 and "place cannot be null" in null.json()["detail"]
    session.refresh_from_db()
    assert (session.capacity, session.sequence, session.place) == (2, 0, "")


def test_cancelling_a_session_keeps_its_enrolments_on_record(personas, client_for, course):
    session = make_session(personas.lee, course)
    enrolment = services.enrol(person=personas.alice, session=session)
    response = client_for(personas.lee).post(f"{URL}/sessions/{session.pk}/cancel")
    assert response.status_code == 200 and response.json()["cancelled"] is True
    assert response.json()["seated"] == 1
    assert Enrolment.objects.get(pk=enrolment.pk).state == Enrolment.State.ENROLLED
    again = client_for(personas.lee).post(f"{URL}/sessions/{session.pk}/cancel")
    assert again.status_code == 200
    moved = send(client_for(personas.lee), "patch", f"/sessions/{session.pk}", {"place": "Room 9"})
    assert moved.status_code == 400 and "cancelled" in moved.json()["detail"]


def test_only_a_courses_curators_schedule_change_and_cancel_its_sessions(personas, client_for, course, team_course):
    session = make_session(personas.lee, course)
    team_session = make_session(personas.lee, team_course)
    alice, olly, anonymous = client_for(personas.alice), client_for(personas.olly), client_for(None)
    assert send(alice, "post", f"/courses/{course.pk}/sessions", session_body()).status_code == 403
    assert send(alice, "patch", f"/sessions/{session.pk}", {"place": "Mine"}).status_code == 403
    assert alice.post(f"{URL}/sessions/{session.pk}/cancel").status_code == 403
    assert send(olly, "post", f"/courses/{team_course.pk}/sessions", session_body()).status_code == 404
    assert send(olly, "patch", f"/sessions/{team_session.pk}", {"place": "X"}).status_code == 404
    assert olly.post(f"{URL}/sessions/{team_session.pk}/cancel").status_code == 404
    assert send(anonymous, "post", f"/courses/{course.pk}/sessions", session_body()).status_code == 401
    assert anonymous.post(f"{URL}/sessions/{session.pk}/cancel").status_code == 401
    assert Session.objects.filter(cancelled_at__isnull=False).count() == 0


# --- the roster ------------------------------------------------------------------------------------


def test_the_roster_lists_everyone_with_their_state_waiting_rank_and_evidence(personas, client_for, course):
    session = make_session(personas.lee, course, capacity=1)
    bea = UserFactory(username="bea")
    services.enrol(person=personas.alice, session=session)
    services.enrol(person=personas.mo, session=session)
    services.enrol(person=bea, session=session)
    services.self_report_completion(person=personas.ada, course=course, evidence="Took it in Lisbon.")
    body = client_for(personas.lee).get(f"{URL}/courses/{course.pk}/enrolments").json()
    assert body["count"] == 4
    rows = [(r["person"], r["state"], r["waiting_rank"], r["session"]) for r in body["items"]]
    assert rows == [
        ("ada", "completed", None, None),
        ("alice", "enrolled", None, session.pk),
        ("mo", "waiting", 1, session.pk),
        ("bea", "waiting", 2, session.pk),
    ]
    ada = body["items"][0]
    assert (ada["evidence"], ada["self_reported"], ada["verified"]) == ("Took it in Lisbon.", True, False)
    assert body["items"][1]["person_name"] == "Alice Learner" and body["items"][1]["session_starts"]


def test_the_session_roster_pages_and_filters_like_every_list(personas, client_for, course):
    session = make_session(personas.lee, course, capacity=1)
    for person in (personas.alice, personas.mo, UserFactory(username="bea")):
        services.enrol(person=person, session=session)
    services.withdraw(actor=personas.mo, enrolment=Enrolment.objects.get(person=personas.mo))
    client = client_for(personas.lee)
    page = client.get(f"{URL}/sessions/{session.pk}/enrolments?limit=1&offset=1").json()
    assert page["count"] == 3 and [r["person"] for r in page["items"]] == ["mo"]
    waiting = client.get(f"{URL}/sessions/{session.pk}/enrolments?state=waiting").json()
    assert [(r["person"], r["waiting_rank"]) for r in waiting["items"]] == [("bea", 1)]
    assert client.get(f"{URL}/sessions/{session.pk}/enrolments?state=lost").status_code == 422


def test_only_curators_read_a_roster(personas, client_for, course, team_course):
    session = make_session(personas.lee, course)
    services.enrol(person=personas.alice, session=session)
    alice = client_for(personas.alice)
    assert alice.get(f"{URL}/courses/{course.pk}/enrolments").status_code == 403
    assert alice.get(f"{URL}/sessions/{session.pk}/enrolments").status_code == 403
    assert client_for(personas.olly).get(f"{URL}/courses/{team_course.pk}/enrolments").status_code == 404
    assert client_for(None).get(f"{URL}/courses/{course.pk}/enrolments").status_code == 401
    assert client_for(personas.ada).get(f"{URL}/sessions/{session.pk}/enrolments").json()["count"] == 1


def roster_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.usefixtures("no_page_cache")
def test_a_roster_costs_the_same_queries_however_many_are_on_it(personas, client_for, course):
    session = make_session(personas.lee, course, capacity=5)
    people = [UserFactory(username=f"learner{n}") for n in range(30)]
    for person in people[:3]:
        services.enrol(person=person, session=session)
    client = client_for(personas.lee)
    paths = [f"{URL}/courses/{course.pk}/enrolments", f"{URL}/sessions/{session.pk}/enrolments"]
    few = [roster_queries(client, path) for path in paths]
    for person in people[3:]:
        services.enrol(person=person, session=session)
    assert [roster_queries(client, path) for path in paths] == few


# --- attendance and completions ----------------------------------------------------------------------


def test_a_curator_takes_attendance_once_the_session_started(personas, client_for, course):
    session = make_session(personas.lee, course)
    seat = services.enrol(person=personas.alice, session=session)
    client = client_for(personas.lee)
    early = send(client, "put", f"/enrolments/{seat.pk}/attendance", {"attended": True})
    assert early.status_code == 400 and "once the session has started" in early.json()["detail"]
    start_now(personas.lee, session)
    came = send(client, "put", f"/enrolments/{seat.pk}/attendance", {"attended": True})
    assert came.status_code == 200 and came.json()["state"] == "attended"
    corrected = send(client, "put", f"/enrolments/{seat.pk}/attendance", {"attended": False})
    assert corrected.json()["state"] == "no_show"


def test_attendance_is_for_seated_people_and_the_courses_curators(personas, client_for, course):
    session = make_session(personas.lee, course, capacity=1)
    seat = services.enrol(person=personas.alice, session=session)
    waiting = services.enrol(person=personas.mo, session=session)
    start_now(personas.lee, session)
    not_seated = send(client_for(personas.lee), "put", f"/enrolments/{waiting.pk}/attendance", {"attended": True})
    assert not_seated.status_code == 400 and "not seated" in not_seated.json()["detail"]
    own = send(client_for(personas.alice), "put", f"/enrolments/{seat.pk}/attendance", {"attended": True})
    assert own.status_code == 403
    other = send(client_for(personas.mo), "put", f"/enrolments/{seat.pk}/attendance", {"attended": True})
    assert other.status_code == 404  # someone else's enrolment, and mo curates nothing
    assert send(client_for(None), "put", f"/enrolments/{seat.pk}/attendance", {"attended": True}).status_code == 401
    missing = send(client_for(personas.lee), "put", f"/enrolments/{seat.pk}/attendance", {})
    assert missing.status_code == 422
    assert Enrolment.objects.get(pk=seat.pk).state == Enrolment.State.ENROLLED


def test_a_curator_records_a_completion_for_someone(personas, client_for, course):
    session = make_session(personas.lee, course)
    seat = services.enrol(person=personas.alice, session=session)
    response = send(client_for(personas.lee), "post", f"/courses/{course.pk}/completions", {"person": "alice"})
    assert response.status_code == 200, response.json()
    done = response.json()
    assert (done["id"], done["state"], done["verified"], done["confirmed_by"]) == (seat.pk, "completed", True, "lee")
    elsewhere = send(client_for(personas.lee), "post", f"/courses/{course.pk}/completions", {"person": "mo"})
    assert elsewhere.json()["session"] is None and elsewhere.json()["verified"] is True


def test_recording_a_completion_is_refused_with_a_reason(personas, client_for, course, team_course):
    unknown = send(client_for(personas.lee), "post", f"/courses/{course.pk}/completions", {"person": "nobody"})
    assert unknown.status_code == 400 and "person: no one here" in unknown.json()["detail"]
    learner = send(client_for(personas.alice), "post", f"/courses/{course.pk}/completions", {"person": "alice"})
    assert learner.status_code == 403
    hidden = send(client_for(personas.olly), "post", f"/courses/{team_course.pk}/completions", {"person": "olly"})
    assert hidden.status_code == 404
    anonymous = send(client_for(None), "post", f"/courses/{course.pk}/completions", {"person": "alice"})
    assert anonymous.status_code == 401
    assert not Enrolment.objects.filter(state=Enrolment.State.COMPLETED).exists()


# --- the catalogue CSV -------------------------------------------------------------------------------


def csv_file(text, name="catalogue.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


CLEAN_CSV = CSV_HEADER + (
    "LD-1,Negotiation basics,Classroom,beginner,180,en,Negotiation,250,eur,,soft skills\n"
    "LD-2,Python for analysts,E-learning,intermediate,600,en,python,0,,https://learn.example/py,\n"
)
BAD_CSV = CSV_HEADER + "".join(
    [
        "LD-1,Fine course,classroom,,,,,,,,\n",
        ",,webinar,,,,,,,,\n",
        "LD-3,Costly,classroom,,,,Juggling,12,,,\n",
    ]
)


def test_a_dry_run_answers_the_plan_and_writes_nothing(personas, client_for, skills):
    services.create_course(actor=personas.lee, title="Old", code="LD-2")
    response = client_for(personas.lee).post(f"{URL}/courses/import", {"file": csv_file(CLEAN_CSV)})
    assert response.status_code == 200, response.json()
    plan = response.json()
    assert (plan["dry_run"], plan["ok"], plan["created"], plan["updated"]) == (True, True, 1, 1)
    assert [(r["line"], r["action"], r["code"], r["title"]) for r in plan["rows"]] == [
        (2, "create", "LD-1", "Negotiation basics"),
        (3, "update", "LD-2", "Python for analysts"),
    ]
    assert plan["rows"][0]["course"] is None and plan["rows"][1]["course"] == Course.objects.get(code="LD-2").pk
    assert Course.objects.count() == 1 and Item.objects.get().title == "Old"


def test_a_dry_run_of_bad_rows_names_each_line_and_writes_nothing(personas, client_for, skills):
    response = client_for(personas.lee).post(f"{URL}/courses/import", {"text": BAD_CSV, "dry_run": "true"})
    assert response.status_code == 200
    plan = response.json()
    assert plan["ok"] is False and [r["line"] for r in plan["rows"]] == [2]
    errors = {e["line"]: e["messages"] for e in plan["errors"]}
    assert "A course needs a title." in errors[3] and any("webinar" in m for m in errors[3])
    assert "The skill “Juggling” is not in the skills taxonomy." in errors[4]
    assert not Course.objects.exists()


def test_applying_a_clean_csv_writes_every_row(personas, client_for, skills):
    services.create_course(actor=personas.lee, title="Old", code="LD-2")
    response = client_for(personas.lee).post(f"{URL}/courses/import", {"file": csv_file(CLEAN_CSV), "dry_run": "false"})
    assert response.status_code == 200, response.json()
    result = response.json()
    assert (result["dry_run"], result["ok"], result["created"], result["updated"]) == (False, True, 1, 1)
    made = Course.objects.get(code="LD-1")
    assert [r["course"] for r in result["rows"]] == [made.pk, Course.objects.get(code="LD-2").pk]
    assert (made.cost, made.currency, [s.slug for s in made.skills.all()]) == (250, "EUR", ["negotiation"])
    assert Course.objects.get(code="LD-2").item.title == "Python for analysts"


def test_applying_a_csv_with_any_bad_row_writes_nothing_and_answers_400(personas, client_for, skills):
    response = client_for(personas.lee).post(f"{URL}/courses/import", {"file": csv_file(BAD_CSV), "dry_run": "false"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Nothing was imported: Line 3: ")
    assert "Line 3: A course needs a title." in body["detail"]
    assert {e["line"] for e in body["errors"]} == {3, 4} and body["ok"] is False
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x00\x01binary", "This is not a text file."),
        (b"title,colour\nA,red\n", "Unknown column: colour."),
        (b"title,format\n", "holds no courses"),
    ],
)
def test_an_unreadable_csv_is_reported_and_refused(personas, client_for, data, problem):
    client = client_for(personas.lee)
    upload = SimpleUploadedFile("c.csv", data, content_type="text/csv")
    plan = client.post(f"{URL}/courses/import", {"file": upload}).json()
    assert plan["ok"] is False and any(problem in p for p in plan["problems"])
    upload.seek(0)
    refused = client.post(f"{URL}/courses/import", {"file": upload, "dry_run": "false"})
    assert refused.status_code == 400 and problem in refused.json()["detail"]
    assert not Course.objects.exists()


def test_the_csv_comes_as_a_file_or_as_text_but_not_both(personas, client_for):
    client = client_for(personas.lee)
    neither = client.post(f"{URL}/courses/import", {"dry_run": "true"})
    assert neither.status_code == 400 and "one of the two" in neither.json()["detail"]
    both = client.post(f"{URL}/courses/import", {"file": csv_file(CLEAN_CSV), "text": CLEAN_CSV})
    assert both.status_code == 400


def test_only_curators_import_the_catalogue(personas, client_for):
    learner = client_for(personas.alice).post(f"{URL}/courses/import", {"text": CLEAN_CSV, "dry_run": "false"})
    assert learner.status_code == 403 and "curators" in learner.json()["detail"]
    assert client_for(None).post(f"{URL}/courses/import", {"text": CLEAN_CSV}).status_code == 401
    assert not Course.objects.exists()


# --- calendar files ----------------------------------------------------------------------------------


def ics(name):
    return SimpleUploadedFile(name, (ICAL / name).read_bytes(), content_type="text/calendar")


def test_a_calendar_dry_run_plans_the_sessions_in_their_own_zones_and_writes_nothing(personas, client_for, course):
    response = client_for(personas.lee).post(
        f"{URL}/courses/{course.pk}/sessions/import", {"file": ics("apple_tentative-apple-calendar.ics")}
    )
    assert response.status_code == 200, response.json()
    plan = response.json()
    assert (plan["dry_run"], plan["ok"], plan["created"], plan["updated"]) == (True, True, 3, 0)
    first = plan["sessions"][0]
    assert (first["action"], first["session"], first["time_zone"]) == ("create", None, "America/Vancouver")
    assert first["local_starts"].startswith("2022-07-04T16:00:00-07:00")
    assert any("cancelled in the calendar" in note for note in plan["notes"])
    assert not Session.objects.exists()


def test_applying_a_calendar_adds_its_sessions_and_a_second_import_moves_them(personas, client_for, course):
    client = client_for(personas.lee)
    path = f"{URL}/courses/{course.pk}/sessions/import"
    form = {"file": ics("apple_tentative-apple-calendar.ics"), "dry_run": "false", "capacity": "8"}
    response = client.post(path, form)
    assert response.status_code == 200, response.json()
    result = response.json()
    assert (result["created"], result["updated"]) == (3, 0)
    assert sorted(r["session"] for r in result["sessions"]) == sorted(course.sessions.values_list("pk", flat=True))
    assert list(course.sessions.values_list("capacity", flat=True)) == [8, 8, 8]
    original = (ICAL / "apple_tentative-apple-calendar.ics").read_bytes()
    moved = original.replace(b"TZID=America/Vancouver:20220705T090000", b"TZID=America/Vancouver:20220705T083000")
    again = client.post(path, {"text": moved.decode(), "dry_run": "false"}).json()
    assert (again["created"], again["updated"]) == (0, 3) and course.sessions.count() == 3
    assert course.sessions.get(label="Confirmed").sequence == 1


def test_all_day_events_are_placed_in_the_zone_the_importer_names(personas, client_for, course):
    form = {"file": ics("outlook_Germany.ics"), "time_zone": "Europe/Berlin"}
    plan = client_for(personas.lee).post(f"{URL}/courses/{course.pk}/sessions/import", form).json()
    assert plan["ok"] and plan["created"] == 159
    first = plan["sessions"][0]
    assert first["all_day"] and first["time_zone"] == "Europe/Berlin"
    assert first["local_starts"].startswith("2008-01-01T00:00:00+01:00")


def test_a_non_ascii_time_zone_name_is_understood(personas, client_for, course):
    form = {"file": ics("non-ascii-tzid_issue_237.ics"), "dry_run": "false"}
    result = client_for(personas.lee).post(f"{URL}/courses/{course.pk}/sessions/import", form).json()
    (session,) = course.sessions.all()
    assert result["sessions"][0]["session"] == session.pk and session.time_zone == "America/Sao_Paulo"


def test_a_calendar_with_a_broken_event_is_refused_whole(personas, client_for, course):
    client = client_for(personas.lee)
    path = f"{URL}/courses/{course.pk}/sessions/import"
    plan = client.post(path, {"file": ics("google_parsing_error.ics")}).json()
    assert plan["ok"] is False and any("EXDATE" in problem for problem in plan["problems"])
    refused = client.post(path, {"file": ics("google_parsing_error.ics"), "dry_run": "false"})
    assert refused.status_code == 400 and "event 2 (“Wrong event”)" in refused.json()["detail"]
    assert refused.json()["problems"] and not Session.objects.exists()


@pytest.mark.parametrize(
    ("form", "status", "reason"),
    [
        ({"text": "hello"}, 200, "not an iCalendar file"),
        ({"capacity": "0"}, 400, "capacity: a session needs room for at least one person"),
        ({"time_zone": "Atlantis/Capital"}, 200, "“Atlantis/Capital” is not a time zone"),
    ],
)
def test_a_bad_calendar_import_says_what_is_wrong(personas, client_for, course, form, status, reason):
    if "text" not in form:
        form["file"] = ics("non-ascii-tzid_issue_237.ics")
    response = client_for(personas.lee).post(f"{URL}/courses/{course.pk}/sessions/import", form)
    body = response.json()
    assert response.status_code == status
    assert reason in (body["detail"] if status == 400 else " ".join(body["problems"]))
    assert not Session.objects.exists()


def test_a_self_paced_course_imports_no_calendar(personas, client_for):
    book = services.create_course(actor=personas.lee, title="A book", format="book")
    form = {"file": ics("non-ascii-tzid_issue_237.ics"), "dry_run": "false"}
    refused = client_for(personas.lee).post(f"{URL}/courses/{book.pk}/sessions/import", form)
    assert refused.status_code == 400 and "own pace" in refused.json()["detail"]


def test_only_a_courses_curators_import_its_sessions(personas, client_for, course, team_course):
    form = {"file": ics("non-ascii-tzid_issue_237.ics"), "dry_run": "false"}
    assert client_for(personas.alice).post(f"{URL}/courses/{course.pk}/sessions/import", form).status_code == 403
    form["file"] = ics("non-ascii-tzid_issue_237.ics")
    assert client_for(personas.olly).post(f"{URL}/courses/{team_course.pk}/sessions/import", form).status_code == 404
    form["file"] = ics("non-ascii-tzid_issue_237.ics")
    assert client_for(None).post(f"{URL}/courses/{course.pk}/sessions/import", form).status_code == 401
    assert not Session.objects.exists()


# --- the schema ----------------------------------------------------------------------------------------


def test_the_openapi_schema_builds_with_the_curators_endpoints_under_the_catalogue_tag(client_for):
    schema = client_for(None).get("/api/openapi.json").json()
    curating = [
        ("post", "/api/catalog/courses"),
        ("patch", "/api/catalog/courses/{course_id}"),
        ("post", "/api/catalog/courses/{course_id}/sessions"),
        ("patch", "/api/catalog/sessions/{session_id}"),
        ("post", "/api/catalog/sessions/{session_id}/cancel"),
        ("get", "/api/catalog/courses/{course_id}/enrolments"),
        ("get", "/api/catalog/sessions/{session_id}/enrolments"),
        ("put", "/api/catalog/enrolments/{enrolment_id}/attendance"),
        ("post", "/api/catalog/courses/{course_id}/completions"),
        ("post", "/api/catalog/courses/import"),
        ("post", "/api/catalog/courses/{course_id}/sessions/import"),
    ]
    assert [schema["paths"][path][method]["tags"] for method, path in curating] == [["catalog"]] * len(curating)
