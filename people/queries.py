"""Reads of people and skills: the directory, find an expert, autocomplete."""

from django.db import models
from django.db.models import Max, Q


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.access import person_filter

        return self.filter(person_filter(user))


class SkillQuerySet(models.QuerySet):
    def matching(self, text: str):
        text = text.strip()
        if not text:
            return self.none()
        return self.filter(Q(name__icontains=text) | Q(alt_labels__icontains=text)).order_by("depth", "name")


def directory(viewer, *, q="", skill=None, location="", department="", time_zone="", site=None):
    """People the viewer may see, filtered as the directory's form asks."""
    from people.models import User

    people = User.objects.visible_to(viewer).select_related("site")
    if q:
        people = people.filter(
            Q(display_name__icontains=q)
            | Q(username__icontains=q)
            | Q(job_title__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
        )
    if skill is not None:
        people = people.filter(skills__skill=skill).distinct()
    if location:
        people = people.filter(Q(location__icontains=location) | Q(site__name__icontains=location))
    if department:
        people = people.filter(department=department)
    if time_zone:
        people = people.filter(time_zone=time_zone)
    if site is not None:
        people = people.filter(site=site)
    return people.order_by("display_name", "username")


def experts(viewer, skill):
    """People who can teach ``skill`` (or a narrower one), best level first, then most active."""
    from people.models import PersonSkill, User

    skill_ids = [skill.pk, *skill.children.values_list("pk", flat=True)]
    return (
        User.objects.visible_to(viewer)
        .filter(skills__skill_id__in=skill_ids, skills__direction=PersonSkill.Direction.TEACHES)
        .annotate(
            teach_level=Max(
                "skills__level",
                filter=Q(skills__direction=PersonSkill.Direction.TEACHES, skills__skill_id__in=skill_ids),
            )
        )
        .select_related("site")
        .order_by("-teach_level", "-activity_score", "display_name")
    )
