"""The demo's course catalogue (core/seeding/catalog.py), written by ``manage.py seed``."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from catalog.models import Course, Enrolment, Session
from core.seeding.catalog import COURSES
from reviews.models import Review, ReviewVote

pytestmark = pytest.mark.django_db

# Fewer than the sixty people keeps this quick; the personas and space owners are always among them.
PEOPLE = 16


def seed() -> str:
    out = StringIO()
    call_command("seed", people=PEOPLE, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One small seed shared by this module's tests, undone after them."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        seed()
        yield
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Course, Session, Enrolment, Review, ReviewVote)}


def test_the_catalogue_holds_every_course_of_the_script_in_every_format(seeded):
    assert Course.objects.count() == len(COURSES) >= 60
    assert set(Course.objects.values_list("format", flat=True)) == set(Course.Format.values)
    assert set(Course.objects.values_list("language", flat=True)) >= {"en", "pt"}
    assert not Course.objects.filter(skills__isnull=True).exists()
    assert not Course.objects.filter(format=Course.Format.ELEARNING, launch_url="").exists()


def test_scheduled_courses_have_past_and_upcoming_sessions_in_the_offices_time_zones(seeded):
    now = timezone.now()
    assert not Session.objects.filter(course__format__in=Course.SELF_PACED).exists()
    assert Session.objects.filter(starts__lt=now).exists() and Session.objects.filter(starts__gt=now).exists()
    assert set(Session.objects.values_list("time_zone", flat=True)) >= {"Europe/London", "Asia/Singapore"}
    assert Enrolment.objects.filter(state=Enrolment.State.WAITING, session__starts__gt=now).exists()


def test_people_enrol_attend_and_complete_some_by_their_own_report(seeded):
    states = set(Enrolment.objects.values_list("state", flat=True))
    assert {Enrolment.State.ENROLLED, Enrolment.State.COMPLETED, Enrolment.State.ATTENDED} <= states
    completed = Enrolment.objects.filter(state=Enrolment.State.COMPLETED)
    assert completed.filter(self_reported=True, confirmed_at__isnull=False).exists()
    assert completed.filter(self_reported=True, confirmed_at__isnull=True).exists()
    assert not completed.filter(completed_at__gt=timezone.now()).exists()
    assert not Enrolment.objects.filter(state=Enrolment.State.ATTENDED, session__starts__gt=timezone.now()).exists()


def test_reviews_come_from_people_who_completed_the_course_with_votes_and_exact_aggregates(seeded):
    assert Review.objects.count() >= 30
    for review in Review.objects.select_related("item"):
        assert Enrolment.objects.filter(
            course_id=review.item_id, person_id=review.author_id, state=Enrolment.State.COMPLETED
        ).exists()
    assert Review.objects.filter(verified=True).exists()
    assert ReviewVote.objects.exists()
    course = Course.objects.filter(item__rating_count__gt=0).select_related("item").first()
    ratings = list(Review.objects.filter(item=course.item).values_list("rating", flat=True))
    assert (course.item.rating_count, course.item.rating_sum) == (len(ratings), sum(ratings))


def test_it_changes_nothing_when_run_again(seeded):
    before = counts()
    assert "nothing to do" in seed()
    assert counts() == before
