import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, close_old_connections, connection
from django.utils import timezone

from catalog import queries, services
from catalog.models import Course, Enrolment
from tests.factories import UserFactory


def people(n):
    return [UserFactory(username=f"learner{i}") for i in range(n)]


def test_it_seats_people_until_the_session_is_full_then_puts_them_on_the_waiting_list(course, make_session):
    session = make_session(course, capacity=2)
    first, second, third = (services.enrol(person=p, session=session) for p in people(3))
    assert [first.state, second.state, third.state] == ["enrolled", "enrolled", "waiting"]
    assert queries.waiting_rank(third) == 1
    assert queries.seats_left(session) == 0


def test_withdrawing_promotes_the_waiting_list_in_the_order_people_joined(course, make_session):
    session = make_session(course, capacity=1)
    seated, *waiting = (services.enrol(person=p, session=session) for p in people(4))
    services.withdraw(actor=seated.person, enrolment=seated)
    states = {e.person.username: e.state for e in Enrolment.objects.filter(session=session)}
    assert states == {"learner0": "withdrawn", "learner1": "enrolled", "learner2": "waiting", "learner3": "waiting"}
    services.withdraw(actor=waiting[0].person, enrolment=waiting[0])
    assert Enrolment.objects.get(pk=waiting[1].pk).state == "enrolled"
    assert queries.waiting_rank(Enrolment.objects.get(pk=waiting[2].pk)) == 1


def test_leaving_the_waiting_list_frees_no_seat_and_keeps_the_order(course, make_session):
    session = make_session(course, capacity=1)
    seated, second, third = (services.enrol(person=p, session=session) for p in people(3))
    services.withdraw(actor=second.person, enrolment=second)
    assert Enrolment.objects.get(pk=seated.pk).state == "enrolled"
    assert Enrolment.objects.get(pk=third.pk).state == "waiting"
    assert queries.waiting_rank(Enrolment.objects.get(pk=third.pk)) == 1


def test_raising_the_capacity_promotes_as_many_waiting_people_as_there_are_new_seats(personas, course, make_session):
    session = make_session(course, capacity=1)
    enrolments = [services.enrol(person=p, session=session) for p in people(4)]
    services.update_session(actor=personas.lee, session=session, capacity=3)
    assert [Enrolment.objects.get(pk=e.pk).state for e in enrolments] == ["enrolled", "enrolled", "enrolled", "waiting"]


def test_the_capacity_cannot_drop_below_the_seats_taken(personas, course, make_session):
    session = make_session(course, capacity=3)
    for person in people(2):
        services.enrol(person=person, session=session)
    with pytest.raises(ValidationError, match="2 people already hold seats"):
        services.update_session(actor=personas.lee, session=session, capacity=1)


def test_enrolling_twice_returns_the_same_enrolment(personas, course, make_session):
    session = make_session(course, capacity=5)
    assert services.enrol(person=personas.alice, session=session) == services.enrol(
        person=personas.alice, session=session
    )
    assert Enrolment.objects.count() == 1


def test_someone_who_withdrew_goes_to_the_back_of_the_waiting_list_when_they_return(course, make_session):
    session = make_session(course, capacity=1)
    seated, waiting = (services.enrol(person=p, session=session) for p in people(2))
    services.withdraw(actor=seated.person, enrolment=seated)
    again = services.enrol(person=seated.person, session=session)
    assert again.pk == seated.pk and again.state == "waiting"
    assert Enrolment.objects.get(pk=waiting.pk).state == "enrolled"


def test_nobody_enrols_on_a_cancelled_or_past_session(personas, course, make_session):
    cancelled = make_session(course)
    services.cancel_session(actor=personas.lee, session=cancelled)
    with pytest.raises(ValidationError, match="cancelled"):
        services.enrol(person=personas.alice, session=cancelled)
    past = make_session(course, days=-1)
    with pytest.raises(ValidationError, match="already started"):
        services.enrol(person=personas.alice, session=past)


def test_one_open_enrolment_per_course(personas, course, make_session):
    services.enrol(person=personas.alice, session=make_session(course))
    with pytest.raises(ValidationError, match="another session"):
        services.enrol(person=personas.alice, session=make_session(course, days=14))


def test_a_person_who_cannot_see_the_course_cannot_enrol(personas, make_session):
    course = services.create_course(
        actor=personas.ada, title="Team only", format="classroom", space=personas.team, visibility="space"
    )
    with pytest.raises(PermissionDenied):
        services.enrol(person=personas.olly, session=make_session(course, actor=personas.ada))


def test_only_the_person_or_a_curator_withdraws_an_enrolment(personas, course, make_session):
    enrolment = services.enrol(person=personas.alice, session=make_session(course))
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=personas.mo, enrolment=enrolment)
    assert services.withdraw(actor=personas.lee, enrolment=enrolment).state == "withdrawn"


def test_self_paced_courses_take_enrolments_without_sessions(personas):
    course = services.create_course(actor=personas.lee, title="Python basics", format=Course.Format.ELEARNING)
    enrolment = services.enrol(person=personas.alice, course=course)
    assert enrolment.session is None and enrolment.state == "enrolled"
    with pytest.raises(ValidationError, match="own pace"):
        services.add_session(
            actor=personas.lee, course=course, starts=timezone.now(), ends=timezone.now(), time_zone="UTC"
        )


def test_the_database_refuses_two_people_at_one_waiting_position(course, make_session):
    session = make_session(course, capacity=1)
    services.enrol(person=UserFactory(username="seated"), session=session)
    waiting = services.enrol(person=UserFactory(username="waiting"), session=session)
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(
            course=course,
            session=session,
            person=UserFactory(),
            state="waiting",
            waiting_position=waiting.waiting_position,
        )


def test_enrolling_mails_an_invite_and_withdrawing_mails_its_cancellation(
    personas, course, make_session, django_capture_on_commit_callbacks
):
    session = make_session(course)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrol(person=personas.alice, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(actor=personas.alice, enrolment=enrolment)
    invite, cancellation = mail.outbox
    assert invite.to == ["alice@example.com"] and "METHOD:REQUEST" in invite.attachments[0][1]
    assert cancellation.subject.endswith("Cancelled: Negotiation skills")
    assert "METHOD:CANCEL" in cancellation.attachments[0][1]


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_exceed_the_capacity_and_the_waiting_list_stays_in_one_order(personas):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip(
            "An in-memory SQLite test database is shared between threads through table locks, which fail at once "
            "instead of waiting; CI runs this on PostgreSQL (and on SQLite with SQLITE_TEST_NAME set to a file)."
        )
    course = services.create_course(actor=personas.lee, title="Popular", format="classroom")
    starts = timezone.now() + timedelta(days=3)
    session = services.add_session(
        actor=personas.lee, course=course, starts=starts, ends=starts + timedelta(hours=1), time_zone="UTC", capacity=3
    )
    learners = people(12)
    errors = []
    barrier = threading.Barrier(len(learners))

    def go(person):
        try:
            barrier.wait()
            services.enrol(person=person, session=session)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong in a thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=go, args=(p,)) for p in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = Enrolment.objects.filter(session=session)
    assert rows.filter(state="enrolled").count() == 3
    positions = sorted(rows.filter(state="waiting").values_list("waiting_position", flat=True))
    assert positions == list(range(1, 10))


def test_course_fields_longer_than_their_columns_are_refused_with_a_reason(personas):
    from django.core.exceptions import ValidationError

    from catalog import services

    for field, value, says in [
        ("provider", "p" * 201, "provider is longer"),
        ("language", "en-" + "a" * 8 + "-" + "b" * 8, "language code"),
        ("launch_url", "https://example.com/" + "x" * 500, "longer than 500"),
    ]:
        with pytest.raises(ValidationError, match=says):
            services.create_course(actor=personas.lee, title="Too long", format="elearning", **{field: value})
