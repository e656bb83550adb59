"""Reads of people and skills: the directory, find an expert, autocomplete, profiles."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.core.cache import cache
from django.db import models
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone
from django.utils.text import slugify

# Taxonomies are shallow (ESCO has four levels, O*NET seven); this only guards against bad data.
MAX_SKILL_DEPTH = 32


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.access import person_filter

        return self.filter(person_filter(user))


class SkillQuerySet(models.QuerySet):
    def matching(self, text: str):
        text = " ".join(text.split())
        if not text:
            return self.none()
        return self.filter(Q(name__icontains=text) | Q(alt_labels__icontains=text)).order_by("depth", "name")

    def suggestions(self, text: str, limit: int = 10) -> list:
        """Skills for an autocomplete box: names starting with the text first, then any match."""
        text = " ".join(text.split())
        if not text:
            return []
        starting = list(self.filter(name__istartswith=text).select_related("parent").order_by("name")[:limit])
        if len(starting) < limit:
            seen = [s.pk for s in starting]
            starting += list(self.matching(text).exclude(pk__in=seen).select_related("parent")[: limit - len(starting)])
        return starting


def resolve_skill(text: str):
    """The skill a person typed: its exact name, one of its other names, or its slug."""
    from people.models import Skill

    text = " ".join(text.split())
    if not text:
        return None
    skill = Skill.objects.filter(name__iexact=text).order_by("depth", "pk").first()
    if skill is not None:
        return skill
    lowered = text.lower()
    for candidate in Skill.objects.filter(alt_labels__icontains=text).order_by("depth", "pk")[:50]:
        if lowered in (label.strip().lower() for label in candidate.alt_labels.splitlines()):
            return candidate
    return Skill.objects.filter(slug=text.lower()).first()


def skill_and_narrower_ids(skill) -> list[int]:
    """The skill and everything under it, one query per level."""
    from people.models import Skill

    ids, level = [skill.pk], [skill.pk]
    for _ in range(MAX_SKILL_DEPTH):
        level = list(Skill.objects.filter(parent_id__in=level).exclude(pk__in=ids).values_list("pk", flat=True))
        if not level:
            break
        ids.extend(level)
    return ids


def skill_ancestors(skill) -> list:
    """The broader skills above ``skill``, the top first."""
    out, node = [], skill
    while node.parent_id and len(out) < MAX_SKILL_DEPTH:
        node = node.parent
        if node in out:
            break
        out.append(node)
    return list(reversed(out))


def tagged_with_skills(skills) -> Exists:
    """A filter for an Item queryset: the item carries a tag naming one of ``skills`` (the tag's slug is the skill's
    name or slug made a slug). Items with no skill field of their own, such as wiki pages and boards that are not
    official reading lists, say what they are about with tags."""
    from core.models import Item, Tag

    tag_max = Tag._meta.get_field("slug").max_length
    slugs = {slugify(skill.name)[:tag_max] for skill in skills} | {skill.slug for skill in skills}
    slugs = {slug for slug in slugs if slug and len(slug) <= tag_max}
    return Exists(Item.tags.through.objects.filter(item_id=OuterRef("pk"), tag__slug__in=sorted(slugs)))


def _skills_prefetch():
    from people.models import PersonSkill

    return Prefetch("skills", queryset=PersonSkill.objects.select_related("skill").order_by("-level", "skill__name"))


def directory(
    viewer,
    *,
    q: str = "",
    skill=None,
    direction: str = "",
    location: str = "",
    department: str = "",
    time_zone: str = "",
    site=None,
):
    """People the viewer may see, filtered as the directory's form asks.

    With a skill, people who list it or a narrower skill (in ``direction`` if given). Asking for
    people who teach a skill is "find an expert": the best level first, then the most active.
    """
    from people.models import PersonSkill, User

    people = User.objects.visible_to(viewer).select_related("site").prefetch_related(_skills_prefetch())
    if q:
        in_skills = PersonSkill.objects.filter(Q(skill__name__icontains=q) | Q(skill__alt_labels__icontains=q)).values(
            "person_id"
        )
        people = people.filter(
            Q(display_name__icontains=q)
            | Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(job_title__icontains=q)
            | Q(department__icontains=q)
            | Q(interests__icontains=q)
            | Q(pk__in=in_skills)
        )
    if location:
        people = people.filter(Q(location__icontains=location) | Q(site__name__icontains=location))
    if department:
        people = people.filter(department=department)
    if time_zone:
        people = people.filter(time_zone=time_zone)
    if site is not None:
        people = people.filter(site=site)
    sort_name = Lower(Coalesce(NullIf("display_name", Value("")), "username"))
    if skill is None:
        return people.order_by(sort_name, "pk")
    matching = PersonSkill.objects.filter(skill_id__in=skill_and_narrower_ids(skill))
    if direction:
        matching = matching.filter(direction=direction)
    # IN and a per-person subquery rather than a join and GROUP BY: grouping sorts every matching
    # person's whole row, twice as slow for a common skill. The level is the best over the matching rows only.
    best = matching.filter(person=OuterRef("pk")).order_by().values("person").annotate(best=Max("level")).values("best")
    people = people.filter(pk__in=matching.values("person_id")).annotate(match_level=Subquery(best))
    if direction == PersonSkill.Direction.TEACHES:
        return people.order_by("-match_level", "-activity_score", sort_name, "pk")
    return people.order_by(sort_name, "pk")


def experts(viewer, skill, **filters):
    """People who can teach ``skill`` or a narrower one, best level first, then most active."""
    from people.models import PersonSkill

    return directory(viewer, skill=skill, direction=PersonSkill.Direction.TEACHES, **filters)


def learners(viewer, skill):
    """People who want to learn ``skill`` or a narrower one."""
    from people.models import PersonSkill

    return directory(viewer, skill=skill, direction=PersonSkill.Direction.WANTS)


def directory_choices(viewer) -> dict[str, list[str]]:
    """The departments and time zones of the people the viewer may see, for the filter menus.

    Every member sees the same people, so their menus are computed once a minute for all of them
    (a DISTINCT over everyone costs milliseconds on every directory page otherwise); a guest's
    depend on their spaces and are computed for them.
    """
    from core.access import is_guest

    if is_guest(viewer):
        return _directory_choices(viewer)
    return cache.get_or_set("people:directory-choices", lambda: _directory_choices(viewer), 60)


def _directory_choices(viewer) -> dict[str, list[str]]:
    from people.models import User

    visible = User.objects.visible_to(viewer).order_by()
    rows = visible.values_list("department", "time_zone").distinct()
    departments, zones = set(), set()
    for department, zone in rows:
        if department:
            departments.add(department)
        zones.add(zone)
    return {"departments": sorted(departments, key=str.lower), "time_zones": sorted(zones)}


def profile_skills(person) -> list[tuple[str, str, list]]:
    """A profile's skills grouped as (direction, heading, rows), in a fixed order."""
    from people.models import PersonSkill

    rows = person.skills.select_related("skill").order_by("-level", "skill__name")
    grouped: dict[str, list] = {d: [] for d in PersonSkill.Direction.values}
    for row in rows:
        grouped[row.direction].append(row)
    headings = {
        PersonSkill.Direction.TEACHES: "Can teach",
        PersonSkill.Direction.HAS: "Has",
        PersonSkill.Direction.WANTS: "Wants to learn",
    }
    return [(d, headings[d], grouped[d]) for d in headings]


def person_spaces(viewer, person):
    """The spaces ``person`` is an active member of that the viewer may see."""
    from spaces.models import Membership, Space

    return (
        Space.objects.visible_to(viewer)
        .filter(memberships__user=person, memberships__state=Membership.State.ACTIVE)
        .order_by("name")
    )


def local_time(person, now: datetime | None = None) -> datetime | None:
    """The time where the person is, or None when their zone is unknown to this system."""
    try:
        zone = zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return (now or timezone.now()).astimezone(zone)


def pending_invitation(token: str | None):
    """The invitation for ``token`` if it can still be accepted."""
    from people.models import Invitation
    from people.services import invitation_expired

    if not token:
        return None
    invitation = Invitation.objects.select_related("space", "invited_by").filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None or invitation_expired(invitation):
        return None
    return invitation


def time_difference(person, viewer) -> str:
    """'3 h ahead of you', 'same time as you'; empty when either zone is unknown or it is you."""
    if person.pk == viewer.pk:
        return ""
    now = timezone.now()
    theirs, mine = local_time(person, now), local_time(viewer, now)
    if theirs is None or mine is None:
        return ""
    hours = (theirs.utcoffset() - mine.utcoffset()).total_seconds() / 3600
    if hours == 0:
        return "same time as you"
    amount = f"{abs(hours):g} h"
    return f"{amount} ahead of you" if hours > 0 else f"{amount} behind you"
