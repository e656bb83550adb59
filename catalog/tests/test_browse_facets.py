"""The browse page's facet counts (catalog.views._facets) and its "most enrolled" order, checked against the
facets' definition: a facet's choice counts the courses every other chosen facet leaves that also have that choice."""

from datetime import timedelta

import pytest
from django.db.models import Exists
from django.urls import reverse
from django.utils import timezone

from catalog import services
from catalog.forms import DURATIONS, RATINGS, CatalogForm, duration_q, rating_q, upcoming_sessions
from catalog.models import Course
from catalog.views import _facets
from core.models import Item, ItemKind
from reviews.services import rate_item
from tests.factories import SkillFactory

BROWSE = reverse("catalog:browse")
F, L = Course.Format, Course.Level
# title, format, level, language, minutes, skills (by index), stars from alice, an upcoming session
COURSES = [
    ("Python basics", F.ELEARNING, L.BEGINNER, "en", 45, [0], 5, False),
    ("Python in depth", F.CLASSROOM, L.ADVANCED, "en", 600, [0, 1], 4, True),
    ("SQL for analysts", F.CLASSROOM, L.BEGINNER, "de", 180, [1], 2, True),
    ("Statistics", F.LIVE_ONLINE, L.INTERMEDIATE, "de", 300, [2], None, False),
    ("Public speaking", F.CLASSROOM, L.ALL, "pt", 120, [], 3, False),
    ("Negotiation", F.BOOK, L.ALL, "en", None, [2], 4, False),
    ("Python testing", F.LIVE_ONLINE, L.INTERMEDIATE, "en", 240, [0], None, True),
]


@pytest.fixture
def catalogue(personas):
    skills = [SkillFactory(name=name, slug=name.lower()) for name in ("Python", "SQL", "Statistics")]
    for title, format, level, language, minutes, chosen, stars, upcoming in COURSES:
        course = services.create_course(
            actor=personas.ada,
            title=title,
            summary=f"About {title.lower()}.",
            format=format,
            level=level,
            language=language,
            duration_minutes=minutes,
            skills=[skills[n] for n in chosen],
        )
        if stars:
            rate_item(item=course.item, author=personas.alice, rating=stars)
        if upcoming:
            starts = timezone.now() + timedelta(days=5)
            services.add_session(
                actor=personas.ada, course=course, starts=starts, ends=starts + timedelta(hours=2), time_zone="UTC"
            )
    return skills


def expected(form, courses):
    """The facets by their definition, one narrowing per choice (the page does it in two queries)."""
    counts = {}
    for name, values in (
        ("format", F.values),
        ("level", L.values),
        ("language", ["de", "en", "pt"]),
        ("duration", [d[0] for d in DURATIONS]),
        ("rating", [r[0] for r in RATINGS]),
    ):
        left = form.narrow(courses, leave_out=name)
        for value in values:
            if name == "duration":
                narrowed = left.filter(duration_q(value))
            elif name == "rating":
                narrowed = left.filter(rating_q(int(value)))
            else:
                narrowed = left.filter(**{f"course__{name}": value})
            if n := narrowed.count():
                counts[name, value] = n
    upcoming = form.narrow(courses, leave_out="upcoming").filter(Exists(upcoming_sessions())).count()
    return counts, upcoming


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"format": "classroom"},
        {"format": "classroom", "level": "beginner"},
        {"language": "en", "duration": "half_day"},
        {"rating": "4", "upcoming": "on"},
        {"skill": "python", "format": "live_online", "rating": "3"},
        {"q": "python", "language": "en", "upcoming": "on"},
        {"skill": "sql", "format": "classroom", "level": "beginner", "duration": "half_day", "language": "de"},
    ],
)
def test_each_facet_counts_the_courses_the_other_facets_leave(personas, catalogue, params):
    form = CatalogForm(params)
    assert form.is_valid()
    courses = Item.objects.visible_to(personas.mo).filter(kind=ItemKind.COURSE)
    facets, upcoming = _facets(form, courses)
    shown = {(f["name"], o["value"]): o["count"] for f in facets if f["name"] != "skill" for o in f["options"]}
    counts, upcoming_expected = expected(form, courses)
    assert {key: n for key, n in shown.items() if n} == counts
    assert upcoming == upcoming_expected


def test_a_chosen_choice_without_courses_stays_shown_and_checked(personas, catalogue, client_for):
    params = {"skill": "sql", "format": "video", "level": "advanced", "language": "fr"}
    page = client_for(personas.mo).get(BROWSE, params)
    chosen = {
        f["name"]: [(o["value"], o["count"]) for o in f["options"] if o["checked"]] for f in page.context["facets"]
    }
    assert chosen["skill"] == [("sql", 0)]
    assert chosen["format"] == [("video", 0)]
    assert chosen["level"] == [("advanced", 0)]
    assert chosen["language"] == [("fr", 0)]


def test_most_enrolled_leaves_out_withdrawn_enrolments(personas, client_for):
    first, second = (
        services.create_course(actor=personas.ada, title=title, format=F.ELEARNING) for title in ("First", "Second")
    )
    services.enrol(person=personas.mo, course=first)
    for person in (personas.alice, personas.lee):
        services.withdraw(actor=person, enrolment=services.enrol(person=person, course=first))
    services.enrol(person=personas.alice, course=second)
    services.enrol(person=personas.lee, course=second)
    rows = client_for(personas.mo).get(BROWSE, {"sort": "popularity"}).context["page"].rows
    assert [(item.title, item.enrolled) for item in rows] == [("Second", 2), ("First", 1)]
