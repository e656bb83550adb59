import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalog import queries, services
from catalog.models import Enrolment


@pytest.fixture
def seated(personas, course, make_session):
    session = make_session(course)
    enrolment = services.enrol(person=personas.alice, session=session)
    # Attendance is taken once the session has begun.
    type(session).objects.filter(pk=session.pk).update(starts=timezone.now(), ends=timezone.now())
    return enrolment


def test_a_curator_records_attendance_then_completion(personas, seated):
    assert services.record_attendance(actor=personas.lee, enrolment=seated, attended=True).state == "attended"
    done = services.record_completion(actor=personas.lee, enrolment=seated)
    assert done.state == "completed" and done.confirmed_by == personas.lee and done.verified_completion
    assert list(queries.completions_for(personas.alice)) == [done]


def test_a_learner_cannot_record_their_own_attendance_or_completion(personas, seated):
    with pytest.raises(PermissionDenied):
        services.record_attendance(actor=personas.alice, enrolment=seated, attended=True)
    with pytest.raises(PermissionDenied):
        services.record_completion(actor=personas.alice, enrolment=seated)


def test_attendance_waits_for_the_session_to_begin(personas, course, make_session):
    enrolment = services.enrol(person=personas.alice, session=make_session(course))
    with pytest.raises(ValidationError, match="once the session has started"):
        services.record_attendance(actor=personas.lee, enrolment=enrolment, attended=False)


def test_a_self_reported_completion_needs_evidence_and_is_unverified_until_confirmed(personas, course):
    with pytest.raises(ValidationError, match="evidence"):
        services.self_report_completion(person=personas.alice, course=course)
    reported = services.self_report_completion(
        person=personas.alice, course=course, evidence="Took it at the 2024 summit", evidence_url="https://x.example/c"
    )
    assert reported.state == "completed" and reported.self_reported and not reported.verified_completion
    assert not queries.completed_course(personas.alice, course.item)
    confirmed = services.confirm_completion(actor=personas.lee, enrolment=reported)
    assert confirmed.verified_completion and queries.completed_course(personas.alice, course.item)


def test_a_curator_cannot_confirm_their_own_self_reported_completion(personas, course):
    reported = services.self_report_completion(person=personas.lee, course=course, evidence="Did it")
    with pytest.raises(PermissionDenied):
        services.confirm_completion(actor=personas.lee, enrolment=reported)


def test_someone_on_the_waiting_list_cannot_report_completing(personas, course, make_session):
    session = make_session(course, capacity=1)
    services.enrol(person=personas.mo, session=session)
    services.enrol(person=personas.alice, session=session)
    with pytest.raises(ValidationError, match="waiting list"):
        services.self_report_completion(person=personas.alice, course=course, evidence="Yes")


def test_a_curator_records_a_completion_for_someone_who_took_the_course_elsewhere(personas, course):
    done = services.record_completion(actor=personas.lee, course=course, person=personas.mo)
    assert done.session is None and done.verified_completion
    assert Enrolment.objects.filter(person=personas.mo).count() == 1


def test_the_reviews_app_asks_the_catalogue_whether_a_reviewer_completed_the_course(personas, course):
    verification = pytest.importorskip("reviews.verification")
    assert not verification.is_verified(personas.mo, course.item)
    services.record_completion(actor=personas.lee, course=course, person=personas.mo)
    assert verification.is_verified(personas.mo, course.item)


def test_a_review_written_before_the_completion_is_confirmed_becomes_verified_then(personas, course):
    from reviews.models import Review
    from reviews.services import rate_item

    reported = services.self_report_completion(person=personas.alice, course=course, evidence="Did the workbook")
    rate_item(item=course.item, author=personas.alice, rating=5, body="Worth it")
    assert not Review.objects.get(author=personas.alice).verified
    services.confirm_completion(actor=personas.lee, enrolment=reported)
    assert Review.objects.get(author=personas.alice).verified


def test_a_review_by_someone_whose_completion_a_curator_records_becomes_verified(personas, seated):
    from reviews.models import Review
    from reviews.services import rate_item

    rate_item(item=seated.course.item, author=personas.alice, rating=4)
    services.record_completion(actor=personas.lee, enrolment=seated)
    assert Review.objects.get(author=personas.alice).verified
