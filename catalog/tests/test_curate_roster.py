from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog import services
from catalog.models import Course, Enrolment, Session
from core.models import Activity
from tests.factories import UserFactory


def roster_url(course, session=None):
    if session is not None:
        return reverse("catalog:curate-session-roster", args=[course.pk, session.pk])
    return reverse("catalog:curate-roster", args=[course.pk])


def act_url(course):
    return reverse("catalog:curate-roster-act", args=[course.pk])


def started(course, *, capacity=None):
    """A session that began an hour ago, so attendance can be taken (made directly: enrolment closes at the start)."""
    starts = timezone.now() - timedelta(hours=1)
    return Session.objects.create(
        course=course, starts=starts, ends=starts + timedelta(hours=3), time_zone="Europe/Berlin", capacity=capacity
    )


def seat(course, session, person, state=Enrolment.State.ENROLLED, **fields):
    return Enrolment.objects.create(course=course, session=session, person=person, state=state, **fields)


def test_the_roster_shows_every_state_with_the_waiting_list_in_order(personas, client_for, course, make_session):
    session = make_session(course, capacity=1)
    services.enrol(person=personas.alice, session=session)
    services.enrol(person=personas.mo, session=session)
    services.enrol(person=personas.ada, session=session)
    services.withdraw(actor=personas.alice, enrolment=Enrolment.objects.get(person=personas.alice))
    services.enrol(person=personas.olly, session=session)
    page = client_for(personas.lee).get(roster_url(course))
    assert page.status_code == 200
    rows = [(e.person.username, e.state, e.rank) for e in page.context["page"].rows]
    assert rows == [("mo", "enrolled", 1), ("ada", "waiting", 1), ("olly", "waiting", 2), ("alice", "withdrawn", 1)]
    assert "#2" in page.text


def test_the_roster_narrows_to_one_state_and_one_session(personas, client_for, course, make_session):
    first, second = make_session(course), make_session(course, days=14)
    services.enrol(person=personas.alice, session=first)
    services.enrol(person=personas.mo, session=second)
    client = client_for(personas.lee)
    assert [e.person for e in client.get(roster_url(course, second)).context["page"].rows] == [personas.mo]
    assert client.get(roster_url(course), {"state": "waiting"}).context["page"].rows == []
    picked = client.get(roster_url(course), {"session": second.pk})
    assert picked.status_code == 302 and picked["Location"] == roster_url(course, second)


def test_a_self_reported_completion_shows_its_evidence_and_is_confirmed(personas, client_for):
    book = services.create_course(actor=personas.lee, title="Reading", format=Course.Format.BOOK)
    enrolment = services.self_report_completion(
        person=personas.alice, course=book, evidence="Read all of it.\nWrote notes.", evidence_url="https://ex.org/cert"
    )
    client = client_for(personas.lee)
    page = client.get(roster_url(book))
    assert "Read all of it.<br>Wrote notes." in page.text and 'href="https://ex.org/cert"' in page.text
    assert "Waiting for your confirmation" in page.text
    response = client.post(
        act_url(book), {"act": f"confirm:{enrolment.pk}", "next": roster_url(book) + "?state=completed"}
    )
    assert response.status_code == 302 and response["Location"] == roster_url(book) + "?state=completed"
    enrolment.refresh_from_db()
    assert enrolment.confirmed_by == personas.lee and enrolment.verified_completion


def test_attendance_is_marked_one_row_at_a_time(personas, client_for, course):
    session = started(course)
    enrolment = seat(course, session, personas.alice)
    client = client_for(personas.lee)
    assert client.post(act_url(course), {"act": f"no_show:{enrolment.pk}"}).status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).state == Enrolment.State.NO_SHOW
    assert client.post(act_url(course), {"act": f"attended:{enrolment.pk}"}).status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).state == Enrolment.State.ATTENDED
    assert Activity.objects.filter(verb="attended", target=personas.alice).count() == 1


def test_everyone_ticked_is_marked_at_once(personas, client_for, course):
    session = started(course)
    ticked = [seat(course, session, p) for p in (personas.alice, personas.mo, personas.gus)]
    response = client_for(personas.lee).post(
        act_url(course), {"action": "attended", "enrolment": [e.pk for e in ticked]}
    )
    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("state", flat=True)) == {Enrolment.State.ATTENDED}


def test_one_refusal_among_those_ticked_changes_nobody_and_names_who_was_refused(personas, client_for, course):
    session = started(course)
    fine = seat(course, session, personas.alice)
    waiting = seat(course, session, personas.mo, state=Enrolment.State.WAITING, waiting_position=1)
    response = client_for(personas.lee).post(
        act_url(course), {"action": "attended", "enrolment": [fine.pk, waiting.pk]}
    )
    assert response.status_code == 400
    assert "Nothing was changed." in response.text and "Mo Mentor" in response.text
    assert Enrolment.objects.get(pk=fine.pk).state == Enrolment.State.ENROLLED
    assert not Activity.objects.filter(verb="attended").exists()


def test_attendance_waits_for_the_session_to_start(personas, client_for, course, make_session):
    enrolment = services.enrol(person=personas.alice, session=make_session(course))
    page = client_for(personas.lee).get(roster_url(course))
    assert "No-show" not in page.text.split("For everyone ticked")[0]
    response = client_for(personas.lee).post(act_url(course), {"act": f"attended:{enrolment.pk}"})
    assert response.status_code == 400 and "once the session has started" in response.text


def test_a_completion_is_recorded_from_the_roster(personas, client_for, course):
    enrolment = seat(course, started(course), personas.alice, state=Enrolment.State.ATTENDED)
    assert client_for(personas.lee).post(act_url(course), {"act": f"complete:{enrolment.pk}"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.COMPLETED and enrolment.verified_completion


def test_a_completion_is_recorded_for_someone_who_never_enrolled(personas, client_for, course):
    url = reverse("catalog:curate-completion", args=[course.pk])
    response = client_for(personas.lee).post(url, {"person": "alice"})
    assert response.status_code == 302
    assert Enrolment.objects.get(person=personas.alice).verified_completion
    bad = client_for(personas.lee).post(url, {"person": "nobody"})
    assert bad.status_code == 400 and "No one here has the username nobody." in bad.text


def test_enrolments_of_another_course_and_bad_requests_are_refused(personas, client_for, course):
    other = services.create_course(actor=personas.lee, title="Other")
    stranger = seat(other, started(other), personas.alice)
    client = client_for(personas.lee)
    response = client.post(act_url(course), {"act": f"attended:{stranger.pk}"})
    assert response.status_code == 400 and "not on this course" in response.text
    assert client.post(act_url(course), {"act": "explode:1"}).status_code == 400
    assert client.post(act_url(course), {"action": "attended"}).status_code == 400
    assert Enrolment.objects.get(pk=stranger.pk).state == Enrolment.State.ENROLLED


def test_a_curator_cannot_confirm_their_own_completion(personas, client_for, course):
    other = services.create_course(actor=personas.ada, title="Ada's course", format=Course.Format.BOOK)
    services.update_course(actor=personas.ada, course=other, curator=personas.lee)
    mine = services.self_report_completion(person=personas.lee, course=other, evidence="Done.")
    client = client_for(personas.lee)
    assert "Confirm</button>" not in client.get(roster_url(other)).text
    assert client.post(act_url(other), {"act": f"confirm:{mine.pk}"}).status_code == 400


def test_learners_see_no_roster(personas, client_for, course):
    assert client_for(personas.alice).get(roster_url(course)).status_code == 403


def grow_roster(course, session, upto):
    states = [Enrolment.State.ENROLLED, Enrolment.State.ATTENDED, Enrolment.State.NO_SHOW, Enrolment.State.WITHDRAWN]
    for i in range(Enrolment.objects.filter(course=course).count(), upto):
        person = UserFactory()
        if i % 5 == 4:
            seat(course, session, person, state=Enrolment.State.WAITING, waiting_position=i)
        elif i % 7 == 6:
            seat(
                course,
                session,
                person,
                state=Enrolment.State.COMPLETED,
                self_reported=True,
                evidence=f"Evidence {i}",
                evidence_url="https://example.org/cert",
                completed_at=timezone.now(),
            )
        else:
            seat(course, session, person, state=states[i % len(states)])


def count_queries(client, url):
    client.get(url)  # fills the per-process caches (site settings)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["page"].rows)


@pytest.mark.parametrize("per_session", [False, True], ids=["course", "session"])
def test_the_roster_costs_the_same_queries_at_5_and_40_enrolments(
    personas, client_for, course, no_page_cache, per_session
):
    session = started(course)
    services.add_session(
        actor=personas.lee,
        course=course,
        starts=timezone.now() + timedelta(days=3),
        ends=timezone.now() + timedelta(days=3, hours=2),
        time_zone="UTC",
    )
    client = client_for(personas.lee)
    url = roster_url(course, session if per_session else None)
    counts = []
    for n in (5, 40):
        grow_roster(course, session, n)
        queries, rows = count_queries(client, url)
        assert rows == n
        counts.append(queries)
    assert counts[0] == counts[1]
