"""Programmes, applications and people for the programme, self-service and curator tests, made through
``mentoring.services`` as the pages make them."""

from __future__ import annotations

from core.models import Visibility
from mentoring import services
from mentoring.models import Application, Programme
from people.models import PersonSkill, Site, Skill
from tests.factories import UserFactory

WORKING_DAYS = [[day, 9 * 60, 17 * 60] for day in range(5)]


def new_programme(curator, *, title="Data mentoring", **fields) -> Programme:
    fields.setdefault("visibility", Visibility.ORGANISATION)
    return services.create_programme(actor=curator, title=title, **fields)


def skills() -> dict[str, Skill]:
    """Programming > Python, and Public speaking on its own."""
    programming = Skill.objects.create(name="Programming")
    return {
        "programming": programming,
        "python": Skill.objects.create(name="Python", parent=programming),
        "speaking": Skill.objects.create(name="Public speaking"),
    }


def person(username: str, *, site: Site | None = None, languages=("en",), time_zone="Europe/London", **fields):
    return UserFactory(
        username=username,
        display_name=username.title(),
        site=site,
        languages=list(languages),
        time_zone=time_zone,
        **fields,
    )


def teaches(who, skill: Skill, level: int = 3) -> PersonSkill:
    return PersonSkill.objects.create(person=who, skill=skill, direction=PersonSkill.Direction.TEACHES, level=level)


def wants(who, skill: Skill, level: int = 1) -> PersonSkill:
    return PersonSkill.objects.create(person=who, skill=skill, direction=PersonSkill.Direction.WANTS, level=level)


def mentor(programme: Programme, who, *, skills=(), capacity=2, **data) -> Application:
    data.setdefault("availability", WORKING_DAYS)
    return services.apply(
        programme=programme,
        person=who,
        side=Application.Side.MENTOR,
        skills=[(s, 3) for s in skills],
        capacity=capacity,
        **data,
    )


def mentee(programme: Programme, who, *, skills=(), **data) -> Application:
    data.setdefault("availability", WORKING_DAYS)
    return services.apply(
        programme=programme, person=who, side=Application.Side.MENTEE, skills=[(s, 1) for s in skills], **data
    )
