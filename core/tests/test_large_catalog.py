"""The benchmark's large catalogue (core/seeding/large_catalog.py), written at a small size: its rows keep the
invariants the catalogue and reviews services keep."""

from collections import Counter
from io import StringIO

import pytest
from django.db.models import Count

from catalog.models import Course, Enrolment, Session
from core.models import Activity, Item, Visibility
from core.seeding import large_catalog
from people.models import Skill
from reviews.models import RatingHistogram, Review
from search.models import SearchDocument
from spaces.models import Membership
from tests.factories import MembershipFactory, UserFactory

COURSES, REVIEWS = 40, 400


@pytest.fixture
def catalogue(personas):
    for n in range(80):
        UserFactory(username=f"learner.{n}")
    MembershipFactory(space=personas.team, user=personas.lee)
    root = Skill.objects.create(name="Root")
    middle = Skill.objects.create(name="Middle", parent=root)
    for n in range(12):
        Skill.objects.create(name=f"Specific {n}", parent=middle)
    return large_catalog.seed_large_catalog(seed=7, out=StringIO(), courses=COURSES, reviews=REVIEWS)


def large_courses():
    return Item.objects.filter(course__code__startswith=f"{large_catalog.CODE}-")


def test_it_writes_the_courses_and_exactly_the_reviews_asked_for(catalogue):
    assert large_courses().count() == COURSES == catalogue["courses"]
    assert Review.objects.filter(item__in=large_courses()).count() == REVIEWS == catalogue["reviews"]
    assert large_catalog.already_seeded(count=COURSES)
    assert SearchDocument.objects.filter(item__in=large_courses()).count() == COURSES
    assert Activity.objects.filter(verb=Activity.Verb.REVIEWED, item__in=large_courses()).count() == REVIEWS
    assert not Course.objects.filter(item__in=large_courses(), skills__isnull=True).exists()


def test_every_course_counts_exactly_its_visible_reviews(catalogue):
    for item in large_courses():
        ratings = list(item.reviews.filter(hidden_at__isnull=True).values_list("rating", flat=True))
        assert (item.rating_count, item.rating_sum) == (len(ratings), sum(ratings))
        if item.reviews.exists():
            histogram = RatingHistogram.objects.get(item=item)
            stars = Counter(ratings)
            assert [histogram.n1, histogram.n2, histogram.n3, histogram.n4, histogram.n5] == [
                stars[k] for k in range(1, 6)
            ]


def test_reviewers_took_the_course_and_may_review_it(catalogue, personas):
    for review in Review.objects.filter(item__in=large_courses()).select_related("item"):
        (enrolment,) = Enrolment.objects.filter(course_id=review.item_id, person_id=review.author_id)
        counts = enrolment.state == Enrolment.State.COMPLETED and (
            not enrolment.self_reported or enrolment.confirmed_at is not None
        )
        assert review.verified == counts
        assert review.author_id != review.item.owner_id and review.author_id != personas.gus.pk
        if review.hidden_at:
            assert review.hidden_by_id not in (None, review.item.owner_id)
        if review.item.visibility == Visibility.SPACE:
            member = Membership.objects.filter(space_id=review.item.space_id, user_id=review.author_id)
            assert member.filter(state=Membership.State.ACTIVE).exists()


def test_sessions_keep_their_seats_and_waiting_lists(catalogue):
    once = Enrolment.objects.filter(course__item__in=large_courses()).values("course", "person")
    assert not once.annotate(n=Count("pk")).filter(n__gt=1).exists()
    for session in Session.objects.filter(course__item__in=large_courses()):
        seated = session.enrolments.filter(state__in=Enrolment.SEATED).count()
        assert session.capacity is None or seated <= session.capacity
        waiting = list(
            session.enrolments.filter(state=Enrolment.State.WAITING).values_list("waiting_position", flat=True)
        )
        assert sorted(waiting) == list(range(1, len(waiting) + 1))
        if waiting:
            assert session.cancelled_at is None and session.capacity == seated
