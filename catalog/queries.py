"""Reads for the catalogue: a course's sessions, a person's enrolments and completions, what else is about a
course's skills, feed contents."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from catalog.models import Course, Enrolment, Session
from core.models import Item, ItemKind

# How many boards, and how many wiki pages, a course page suggests.
RELATED_LIMIT = 5


def search_text(item: Item) -> str:
    """What search knows of a course beyond its title and summary."""
    try:
        course = item.course
    except Course.DoesNotExist:
        return ""
    skills = " ".join(skill.name for skill in course.skills.all())
    return "\n".join(
        filter(
            None,
            [course.provider, course.get_format_display(), course.get_level_display(), skills, course.prerequisites],
        )
    )


def completed_course(user, item) -> bool:
    """Whether ``user`` has a completion of the course ``item`` that a curator recorded or confirmed
    (the reviews app's verified-learner test)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Enrolment.objects.filter(course_id=item.pk, person=user, state=Enrolment.State.COMPLETED)
        .filter(Q(self_reported=False) | Q(confirmed_at__isnull=False))
        .exists()
    )


def sessions_with_seats(course: Course, *, upcoming_only: bool = False):
    """The course's sessions, each annotated with ``seated`` and ``waiting`` counts (one query)."""
    sessions = course.sessions.annotate(
        seated=Count("enrolments", filter=Q(enrolments__state__in=Enrolment.SEATED)),
        waiting=Count("enrolments", filter=Q(enrolments__state=Enrolment.State.WAITING)),
    )
    if upcoming_only:
        sessions = sessions.filter(starts__gt=timezone.now())
    return sessions.order_by("starts", "pk")


def seats_left(session: Session) -> int | None:
    """Free seats, or None when the session has no limit."""
    if session.capacity is None:
        return None
    taken = session.enrolments.filter(state__in=Enrolment.SEATED).count()
    return max(session.capacity - taken, 0)


def waiting_rank(enrolment: Enrolment) -> int | None:
    """1 for the next person to be promoted, 2 for the one after, and so on."""
    if enrolment.state != Enrolment.State.WAITING:
        return None
    ahead = Enrolment.objects.filter(
        session_id=enrolment.session_id,
        state=Enrolment.State.WAITING,
        waiting_position__lt=enrolment.waiting_position,
    ).count()
    return ahead + 1


def waiting_list(session: Session):
    return (
        session.enrolments.filter(state=Enrolment.State.WAITING).order_by("waiting_position").select_related("person")
    )


def enrolments_of(person, course: Course):
    """The person's enrolments in a course, newest first, with their sessions and who confirmed a completion."""
    return course.enrolments.filter(person=person).select_related("session", "confirmed_by").order_by("-created", "-pk")


def related_to_course(viewer, skills, *, limit: int = RELATED_LIMIT) -> dict[str, list[Item]]:
    """Boards (the official reading lists for the skills first) and wiki pages about the course's ``skills`` that
    ``viewer`` may see, at most ``limit`` of each; three queries, however many there are."""
    from links.boards import boards_about_skills
    from people.queries import tagged_with_skills

    skills = list(skills)
    if not skills:
        return {"boards": [], "pages": []}
    pages = (
        Item.objects.visible_to(viewer)
        .filter(tagged_with_skills(skills), kind=ItemKind.PAGE)
        .select_related("space", "owner")
        .order_by("-updated", "-pk")
    )
    return {"boards": boards_about_skills(viewer, skills, limit=limit), "pages": list(pages[:limit])}


def completions_for(person):
    """The courses a person completed, for their profile: newest first, with course and confirmer loaded."""
    return (
        Enrolment.objects.filter(person=person, state=Enrolment.State.COMPLETED)
        .select_related("course__item", "confirmed_by", "session")
        .order_by("-completed_at", "-pk")
    )


def feed_sessions(person):
    """The sessions a person's calendar shows: those they hold a seat or a waiting place on, cancelled ones included
    so the calendar app removes them."""
    mine = Enrolment.objects.filter(person=person, session__isnull=False).exclude(state=Enrolment.State.WITHDRAWN)
    return (
        Session.objects.filter(pk__in=mine.values("session_id"))
        .select_related("course__item", "course__curator", "course__item__owner")
        .prefetch_related(Prefetch("enrolments", queryset=mine, to_attr="mine"))
        .order_by("starts", "pk")
    )
