"""Programmes, people and applications for the matching and run tests, made directly (the services that make
them for real are tested in their own files), and random pools of features made in memory."""

from __future__ import annotations

import random
from collections import Counter

from core.models import ItemKind, Visibility
from core.services import create_item
from mentoring.matching import Features, Pool
from mentoring.models import Application, ApplicationSkill, Programme
from people.models import Site, Skill
from tests.factories import UserFactory

WEEKDAYS_9_TO_5 = [[day, 9 * 60, 17 * 60] for day in range(5)]


def make_programme(owner, *, title="Data mentoring", **fields) -> Programme:
    item = create_item(owner=owner, kind=ItemKind.PROGRAMME, title=title, visibility=Visibility.ORGANISATION)
    return Programme.objects.create(item=item, **fields)


def make_person(username: str, *, site: Site | None = None, department: str = "", **fields):
    return UserFactory(
        username=username, display_name=username.replace("_", " ").title(), site=site, department=department, **fields
    )


def apply(
    programme: Programme,
    person,
    side: str,
    *,
    languages=("en",),
    skills=(),
    goals="",
    capacity=1,
    time_zone="UTC",
    availability=None,
    formats=(),
    seniority=2,
    site_preference=Application.SitePreference.ANY,
    wants_more_senior=True,
) -> Application:
    """An open application; ``skills`` are Skill objects or (skill, level) pairs."""
    application = Application.objects.create(
        programme=programme,
        person=person,
        side=side,
        languages=list(languages),
        goals=goals,
        capacity=capacity,
        time_zone=time_zone,
        availability=WEEKDAYS_9_TO_5 if availability is None else availability,
        formats=list(formats),
        seniority=seniority,
        site_preference=site_preference,
        wants_more_senior=wants_more_senior,
    )
    for entry in skills:
        skill, level = entry if isinstance(entry, tuple) else (entry, 2)
        ApplicationSkill.objects.create(application=application, skill=skill, level=level)
    return application


def skill_tree() -> dict[str, Skill]:
    """Programming > Python > Django, Programming > SQL, and an unrelated Public speaking."""
    programming = Skill.objects.create(name="Programming")
    python = Skill.objects.create(name="Python", parent=programming)
    return {
        "programming": programming,
        "python": python,
        "django": Skill.objects.create(name="Django", parent=python),
        "sql": Skill.objects.create(name="SQL", parent=programming),
        "speaking": Skill.objects.create(name="Public speaking"),
    }


# ------------------------------------------------------------------------------------------ in memory

WORDS = ["data", "python", "leadership", "design", "research", "sales", "cloud", "security", "writing", "people"]
ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney"]


def random_pool(rng: random.Random, *, mentees: int, mentors: int, weights: dict | None = None, live=()) -> Pool:
    """A random programme's pool, made in memory: a small taxonomy, three languages, a few zones and sites."""
    programme = Programme(weights=weights or {}, max_capacity=rng.randint(2, 5))
    parents = {1: None, 2: 1, 3: 2, 4: 1, 5: None, 6: 5, 7: 6, 8: None}
    names = {s: f"Skill {s}" for s in parents}

    def features(n: int, side: str, person: int) -> Features:
        skills = {rng.randint(1, 8): rng.randint(1, 4) for _ in range(rng.randint(0, 3))}
        windows = []
        for _ in range(rng.randint(0, 3)):
            start = rng.randint(0, 23) * 60
            windows.append((rng.randint(0, 6), start, min(1440, start + rng.randint(1, 8) * 60)))
        return Features(
            application=n,
            person=person,
            side=side,
            name=f"Person {person}",
            capacity=rng.randint(0, 4),
            time_zone=rng.choice(ZONES),
            availability=tuple(windows),
            languages=frozenset(rng.sample(["en", "es", "pt"], rng.randint(0, 2))),
            formats=frozenset(rng.sample(["video", "in_person", "chat"], rng.randint(0, 2))),
            seniority=rng.randint(1, 5),
            site_preference=rng.choice(["any", "same", "other"]),
            wants_more_senior=rng.random() < 0.7,
            goals=" ".join(rng.sample(WORDS, 3)),
            interests=" ".join(rng.sample(WORDS, 2)),
            skills=tuple(sorted(skills.items())),
            site=rng.choice([None, 1, 2, 3]),
            site_name="",
            department="",
        )

    # A few people are on both sides, so that "not the same person" is tested too.
    mentee_list = [features(i + 1, "mentee", i + 1) for i in range(mentees)]
    mentor_list = [features(1000 + j, "mentor", (j + 1) if j < 2 and j < mentees else 500 + j) for j in range(mentors)]
    live = set(live)
    return Pool(
        programme=programme,
        mentees=mentee_list,
        mentors=mentor_list,
        skill_names=names,
        skill_parents=parents,
        live=live,
        live_as_mentor=Counter(m for m, _ in live),
        live_as_mentee=Counter(e for _, e in live),
        texts={f.application: f.text for f in mentee_list + mentor_list},
    )
