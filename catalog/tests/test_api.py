"""The catalogue's JSON API (catalog/api.py, mounted at /api/catalog/). Who may call what is in
tests/test_permission_matrix.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import services
from catalog.models import Enrolment
from core.models import Visibility
from reviews.services import rate_item
from tests.factories import MembershipFactory, SkillFactory

pytestmark = pytest.mark.django_db

URL = "/api/catalog"


def soon(days=7):
    return timezone.now().replace(microsecond=0) + timedelta(days=days)


def course(lee, title="Negotiation skills", **fields):
    return services.create_course(actor=lee, title=title, **fields)


def session(lee, course, *, capacity=None, days=7):
    starts = soon(days)
    return services.add_session(
        actor=lee,
        course=course,
        starts=starts,
        ends=starts + timedelta(hours=3),
        time_zone="Asia/Singapore",
        place="Room 4",
        capacity=capacity,
    )


@pytest.fixture
def catalogue(personas):
    python = SkillFactory(name="Python", slug="python")
    sql = SkillFactory(name="SQL", slug="sql")
    classroom = course(personas.lee, "Python in a day", skills=[python], level="beginner", cost=120, currency="EUR")
    book = course(personas.lee, "SQL antipatterns", format="book", skills=[sql], language="pt", level="advanced")
    return classroom, book


def test_courses_list_with_their_fields_and_filters(personas, client_for, catalogue):
    classroom, book = catalogue
    client = client_for(personas.alice)
    body = client.get(f"{URL}/courses").json()
    assert body["count"] == 2
    first = next(c for c in body["items"] if c["id"] == classroom.pk)
    assert first["format"] == "classroom" and first["skills"] == ["python"] and first["cost"] == "120.00"
    assert first["currency"] == "EUR" and first["curator"] == "lee" and first["rating_mean"] is None
    assert [c["id"] for c in client.get(f"{URL}/courses?skill=sql").json()["items"]] == [book.pk]
    assert [c["id"] for c in client.get(f"{URL}/courses?format=book").json()["items"]] == [book.pk]
    assert [c["id"] for c in client.get(f"{URL}/courses?level=beginner").json()["items"]] == [classroom.pk]
    assert [c["id"] for c in client.get(f"{URL}/courses?language=PT").json()["items"]] == [book.pk]
    assert [c["title"] for c in client.get(f"{URL}/courses?sort=title").json()["items"]] == [
        "Python in a day",
        "SQL antipatterns",
    ]


def test_bad_filters_are_refused_with_a_reason(personas, client_for, catalogue):
    client = client_for(personas.alice)
    unknown = client.get(f"{URL}/courses?skill=knitting")
    assert unknown.status_code == 400 and "knitting" in unknown.json()["detail"]
    assert client.get(f"{URL}/courses?format=podcast").status_code == 422


def test_sorting_by_rating_puts_the_well_rated_course_first(personas, client_for, catalogue):
    classroom, book = catalogue
    rate_item(item=book.item, author=personas.alice, rating=5)
    rate_item(item=classroom.item, author=personas.alice, rating=2)
    body = client_for(personas.mo).get(f"{URL}/courses?sort=rating").json()
    assert [c["id"] for c in body["items"]] == [book.pk, classroom.pk]
    assert body["items"][0]["rating_count"] == 1 and body["items"][0]["rating_mean"] == 5.0


def test_a_course_reads_with_its_sessions_seats_and_waiting_list(personas, client_for, catalogue):
    classroom, _ = catalogue
    full = session(personas.lee, classroom, capacity=1)
    later = session(personas.lee, classroom, days=30)
    services.enrol(person=personas.alice, session=full)
    services.enrol(person=personas.mo, session=full)
    body = client_for(personas.olly).get(f"{URL}/courses/{classroom.pk}").json()
    assert body["title"] == "Python in a day" and body["self_paced"] is False
    sessions = {s["id"]: s for s in body["sessions"]}
    assert sessions[full.pk]["seated"] == 1 and sessions[full.pk]["waiting"] == 1
    assert sessions[later.pk]["capacity"] is None and sessions[later.pk]["time_zone"] == "Asia/Singapore"
    listed = client_for(personas.olly).get(f"{URL}/courses/{classroom.pk}/sessions").json()
    assert [s["id"] for s in listed] == [full.pk, later.pk]


def test_a_course_one_may_not_see_is_not_found(personas, client_for):
    MembershipFactory(space=personas.team, user=personas.lee)
    hidden = course(personas.lee, "Team only", space=personas.team, visibility=Visibility.SPACE)
    client = client_for(personas.olly)
    assert client.get(f"{URL}/courses/{hidden.pk}").status_code == 404
    assert client.get(f"{URL}/courses/{hidden.pk}/sessions").status_code == 404
    assert client.get(f"{URL}/courses").json()["count"] == 0


def test_enrolling_on_a_full_session_waits_and_withdrawing_promotes_the_next(personas, client_for, catalogue):
    classroom, _ = catalogue
    one_seat = session(personas.lee, classroom, capacity=1)
    alice, mo = client_for(personas.alice), client_for(personas.mo)
    seat = alice.post(f"{URL}/sessions/{one_seat.pk}/enrolment")
    assert seat.status_code == 200 and seat.json()["state"] == "enrolled"
    wait = mo.post(f"{URL}/sessions/{one_seat.pk}/enrolment").json()
    assert wait["state"] == "waiting" and wait["waiting_rank"] == 1
    assert alice.delete(f"{URL}/sessions/{one_seat.pk}/enrolment").status_code == 204
    assert Enrolment.objects.get(pk=wait["id"]).state == Enrolment.State.ENROLLED
    again = alice.delete(f"{URL}/sessions/{one_seat.pk}/enrolment")
    assert again.status_code == 400 and "withdrawn" in again.json()["detail"]


def test_enrolling_where_the_service_refuses_answers_400_with_its_reason(personas, client_for, catalogue):
    classroom, book = catalogue
    client = client_for(personas.alice)
    gone = session(personas.lee, classroom)
    services.cancel_session(actor=personas.lee, session=gone)
    cancelled = client.post(f"{URL}/sessions/{gone.pk}/enrolment")
    assert cancelled.status_code == 400 and "cancelled" in cancelled.json()["detail"]
    by_session = client.post(f"{URL}/courses/{classroom.pk}/enrolment")
    assert by_session.status_code == 400 and "session" in by_session.json()["detail"]
    assert client.post(f"{URL}/sessions/999999/enrolment").status_code == 404
    assert client.delete(f"{URL}/courses/{book.pk}/enrolment").status_code == 404


def test_a_self_paced_course_is_started_and_stopped_on_the_course(personas, client_for, catalogue):
    _, book = catalogue
    client = client_for(personas.alice)
    started = client.post(f"{URL}/courses/{book.pk}/enrolment")
    assert started.status_code == 200 and started.json()["session"] is None
    assert client.delete(f"{URL}/courses/{book.pk}/enrolment").status_code == 204
    assert Enrolment.objects.get(pk=started.json()["id"]).state == Enrolment.State.WITHDRAWN


def test_my_enrolments_are_mine_only_and_filter_by_state(personas, client_for, catalogue):
    classroom, book = catalogue
    services.enrol(person=personas.alice, session=session(personas.lee, classroom))
    services.enrol(person=personas.alice, course=book)
    services.enrol(person=personas.mo, course=book)
    client = client_for(personas.alice)
    mine = client.get(f"{URL}/enrolments").json()
    assert mine["count"] == 2 and {e["person"] for e in mine["items"]} == {"alice"}
    assert client.get(f"{URL}/enrolments?state=completed").json()["count"] == 0
    assert client_for(None).get(f"{URL}/enrolments").status_code == 401


def test_a_self_reported_completion_needs_evidence_and_a_curator_confirms_it(personas, client_for, catalogue):
    _, book = catalogue
    alice = client_for(personas.alice)
    bare = alice.post(f"{URL}/courses/{book.pk}/completion", {}, content_type="application/json")
    assert bare.status_code == 400 and "evidence" in bare.json()["detail"]
    bad_link = alice.post(
        f"{URL}/courses/{book.pk}/completion", {"evidence_url": "not a link"}, content_type="application/json"
    )
    assert bad_link.status_code == 400
    reported = alice.post(
        f"{URL}/courses/{book.pk}/completion",
        {"evidence": "Read it all.", "evidence_url": "https://example.com/cert"},
        content_type="application/json",
    ).json()
    assert reported["state"] == "completed" and reported["self_reported"] and not reported["verified"]
    confirm = f"{URL}/enrolments/{reported['id']}/confirm"
    assert alice.post(confirm).status_code == 403  # not one's own
    assert client_for(personas.mo).post(confirm).status_code == 404  # someone else's, and mo is no curator
    confirmed = client_for(personas.lee).post(confirm)
    assert confirmed.status_code == 200 and confirmed.json()["verified"] and confirmed.json()["confirmed_by"] == "lee"
    again = alice.post(f"{URL}/courses/{book.pk}/completion", {"evidence": "Again"}, content_type="application/json")
    assert again.status_code == 400 and "already on record" in again.json()["detail"]


# The permission-matrix world: the invite-only space "team" owned by mo, with lee (a curator) as a
# member, gus (a guest) and alice; olly belongs elsewhere; ada is the site admin. The courses are lee's,
# in the team space; alice holds a seat on the classroom course and reported completing the book.
OK, NONE, BAD, UNAUTH, FORBID, MISSING = 200, 204, 400, 401, 403, 404
PERSONAS = ("anonymous", "guest", "member", "non_member", "owner", "space_admin", "site_admin")


def by_persona(*statuses):
    return dict(zip(PERSONAS, statuses, strict=True))
