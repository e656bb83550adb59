from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog import services
from catalog.models import Course
from reviews.services import rate_item
from tests.factories import SkillFactory

FORMATS = [Course.Format.CLASSROOM, Course.Format.ELEARNING, Course.Format.VIDEO]


def grow_catalogue(personas, skills, upto):
    """Courses of every format, with skills, sessions, enrolments and ratings, until there are ``upto``."""
    for i in range(Course.objects.count(), upto):
        course = services.create_course(
            actor=personas.ada,
            title=f"Course {i}",
            format=FORMATS[i % 3],
            duration_minutes=60 * (i % 10 + 1),
            language="en" if i % 2 else "de",
            skills=skills[: i % 3 + 1],
        )
        if not course.self_paced and i % 2 == 0:
            starts = timezone.now() + timedelta(days=i + 1)
            services.add_session(
                actor=personas.ada, course=course, starts=starts, ends=starts + timedelta(hours=2), time_zone="UTC"
            )
        if course.self_paced and i % 4 == 1:
            services.enrol(person=personas.alice, course=course)
        if i % 3 == 0:
            rate_item(item=course.item, author=personas.mo, rating=5 if i % 2 == 0 else 2)


def count(client, params):
    client.get(reverse("catalog:browse"), params)  # fills the site settings and the site mean rating caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("catalog:browse"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "popularity"},
        {"q": "course", "sort": "relevance"},
        {"skill": "python", "format": "classroom", "level": "all", "duration": "long", "language": "en"},
        {"rating": "3", "upcoming": "on", "sort": "rating"},
    ],
    ids=["no-facets", "popularity", "search", "five-facets", "rating-and-upcoming"],
)
def test_browse_costs_the_same_queries_at_10_and_200_courses(personas, client_for, no_page_cache, params):
    skills = [SkillFactory(name="Python", slug="python"), SkillFactory(name="SQL", slug="sql"), SkillFactory()]
    client = client_for(personas.alice)
    counts = []
    for n in (10, 200):
        grow_catalogue(personas, skills, n)
        counts.append(count(client, params))
        assert client.get(reverse("catalog:browse"), params).context["page"].rows, "every case must show rows"
    assert counts[0] == counts[1]
