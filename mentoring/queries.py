"""Reads for mentoring: the programmes a person may see or run, their applications and pairs, the requests
waiting for a mentor, a programme's applications for its curators, and the curator's dashboard — each in a
fixed number of queries, however many rows there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, FloatField, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from core.access import SPACE_ADMIN_ROLES, is_site_admin, item_filter_via, space_roles
from core.models import Item
from mentoring.models import Application, ApplicationSkill, CheckIn, Closing, Match, MatchRun, Meeting, Programme

PAIRS_SHOWN = 50  # pairs listed on a dashboard, those at risk first; the counts cover all of them


def search_text(item: Item) -> str:
    """What search knows of a programme beyond its title and summary: its purpose and its questions."""
    try:
        programme = item.programme  # loaded with the item when indexed in bulk (core.kinds.detail_relations)
    except Programme.DoesNotExist:
        return ""
    questions = " ".join(q.get("label", "") for q in programme.questions or [])
    return "\n".join(filter(None, [programme.purpose, programme.get_mode_display(), questions]))


def programmes_visible_to(user):
    """Programmes ``user`` may see: the always-open one first, then the newest."""
    return (
        Programme.objects.filter(item_filter_via(user, "item"))
        .select_related("item__owner", "item__space")
        .order_by("-always_open", "-item__created", "-pk")
    )


def programme_for(user, pk: int) -> Programme | None:
    """One programme ``user`` may see, with its item, owner and space; None otherwise."""
    if not 0 < pk < 2**63:
        return None
    return programmes_visible_to(user).filter(pk=pk).first()


def programmes_run_by(user):
    """The programmes ``user`` may run (``access.can_run``: its owner, the admins of its space, site admins)."""
    visible = programmes_visible_to(user)
    if is_site_admin(user):
        return visible
    admin_of = [space_id for space_id, role in space_roles(user).items() if role in SPACE_ADMIN_ROLES]
    return visible.filter(Q(item__owner=user) | Q(item__space_id__in=admin_of))


def _count(queryset, ref: str = "pk"):
    counted = queryset.filter(programme_id=OuterRef(ref)).order_by().values("programme_id").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def with_figures(programmes):
    """Each programme with ``mentors``, ``mentees`` (open applications), ``active`` and ``at_risk`` pairs."""
    open_apps = Application.objects.filter(state=Application.State.OPEN)
    active = Match.objects.filter(state=Match.State.ACTIVE)
    return programmes.annotate(
        mentors=_count(open_apps.filter(side=Application.Side.MENTOR)),
        mentees=_count(open_apps.filter(side=Application.Side.MENTEE)),
        active=_count(active),
        at_risk=_count(active.filter(at_risk=True)),
    )


def applications_of(person):
    """A person's applications, newest first, with their programmes."""
    return (
        Application.objects.filter(person=person, programme__item__deleted_at__isnull=True)
        .select_related("programme__item")
        .order_by("-updated", "-pk")
    )


def pairs_of(person):
    """A person's requests and pairs (never a run's draft), live ones first."""
    return (
        Match.objects.filter(Q(mentor=person) | Q(mentee=person))
        .exclude(state=Match.State.DRAFT)
        .select_related("programme__item", "mentor", "mentee")
        .order_by(
            # requested and active before declined and closed
            Coalesce("closed_at", "responded_at").desc(nulls_first=True),
            "-created",
            "-pk",
        )
    )


def requests_for(mentor):
    """Requests waiting for ``mentor``'s answer, oldest first, with each mentee's application and skills."""
    mentee_apps = Application.objects.filter(
        programme_id=OuterRef("programme_id"), person_id=OuterRef("mentee_id"), side=Application.Side.MENTEE
    )
    return (
        Match.objects.filter(mentor=mentor, state=Match.State.REQUESTED)
        .select_related("programme__item", "mentee")
        .annotate(mentee_application_id=Subquery(mentee_apps.values("pk")[:1]))
        .order_by("created", "pk")
    )


def requests_made_by(mentee):
    return (
        Match.objects.filter(mentee=mentee, state=Match.State.REQUESTED)
        .select_related("programme__item", "mentor")
        .order_by("-created", "-pk")
    )


def with_skills(applications):
    return applications.prefetch_related(
        Prefetch("skills", ApplicationSkill.objects.select_related("skill").order_by("-level", "skill__name"))
    )


def programme_applications(programme: Programme, *, side: str = "", state: str = "", q: str = ""):
    """A programme's applications for its curators, with each person and their skills."""
    rows = Application.objects.filter(programme=programme).select_related("person__site")
    if side:
        rows = rows.filter(side=side)
    if state:
        rows = rows.filter(state=state)
    if q:
        rows = rows.filter(
            Q(person__display_name__icontains=q) | Q(person__username__icontains=q) | Q(goals__icontains=q)
        )
    live = Match.objects.filter(state=Match.State.ACTIVE, programme_id=OuterRef("programme_id"))
    return with_skills(
        rows.annotate(
            mentoring=Coalesce(
                Subquery(
                    live.filter(mentor_id=OuterRef("person_id"))
                    .order_by()
                    .values("mentor_id")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            matched=Coalesce(
                Subquery(
                    live.filter(mentee_id=OuterRef("person_id"))
                    .order_by()
                    .values("mentee_id")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        ).order_by("side", "-created", "-pk")
    )


@dataclass
class Dashboard:
    """A programme's figures for its curators: counts and means only, never what a pair wrote."""

    mentors: int = 0
    mentees: int = 0
    withdrawn: int = 0
    mentor_places: int = 0  # the capacity open mentors offer in all
    mentees_matched: int = 0  # open mentees with a pair, active or closed
    requested: int = 0
    active: int = 0
    at_risk: int = 0
    declined: int = 0
    closed: int = 0
    completed: int = 0  # closed pairs that ran to their end date, or that both people closed
    meetings_held: int = 0
    meetings_planned: int = 0
    checkins_answered: int = 0
    checkins_due: int = 0
    checkin_mean: float | None = None
    checkins_low: int = 0  # answered 1 or 2 of 5
    pairs: list = field(default_factory=list)
    runs: list = field(default_factory=list)

    @property
    def match_rate(self) -> float | None:
        return self.mentees_matched / self.mentees if self.mentees else None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.closed if self.closed else None

    @property
    def places_left(self) -> int:
        return max(self.mentor_places - self.active, 0)


def dashboard(programme: Programme, *, now=None) -> Dashboard:
    """Every figure of a programme's dashboard in seven queries."""
    board = Dashboard()
    apps = Application.objects.filter(programme=programme).aggregate(
        mentors=Count("pk", filter=Q(side=Application.Side.MENTOR, state=Application.State.OPEN)),
        mentees=Count("pk", filter=Q(side=Application.Side.MENTEE, state=Application.State.OPEN)),
        withdrawn=Count("pk", filter=Q(state=Application.State.WITHDRAWN)),
        mentor_places=Coalesce(
            Sum("capacity", filter=Q(side=Application.Side.MENTOR, state=Application.State.OPEN)), 0
        ),
    )
    board.mentors, board.mentees = apps["mentors"], apps["mentees"]
    board.withdrawn, board.mentor_places = apps["withdrawn"], apps["mentor_places"]
    board.mentees_matched = (
        Application.objects.filter(programme=programme, side=Application.Side.MENTEE, state=Application.State.OPEN)
        .filter(
            person_id__in=Match.objects.filter(
                programme=programme, state__in=[Match.State.ACTIVE, Match.State.CLOSED]
            ).values("mentee_id")
        )
        .count()
    )
    closings = Closing.objects.filter(match_id=OuterRef("pk")).order_by().values("match_id").annotate(n=Count("pk"))
    pairs = (
        Match.objects.filter(programme=programme)
        .annotate(closings_made=Coalesce(Subquery(closings.values("n"), output_field=IntegerField()), 0))
        .aggregate(
            requested=Count("pk", filter=Q(state=Match.State.REQUESTED)),
            active=Count("pk", filter=Q(state=Match.State.ACTIVE)),
            at_risk=Count("pk", filter=Q(state=Match.State.ACTIVE, at_risk=True)),
            declined=Count("pk", filter=Q(state=Match.State.DECLINED)),
            closed=Count("pk", filter=Q(state=Match.State.CLOSED)),
            completed=Count(
                "pk",
                filter=Q(state=Match.State.CLOSED)
                & (Q(closings_made__gte=2) | Q(ends_on__isnull=False, closed_at__date__gte=F("ends_on"))),
            ),
        )
    )
    for name, value in pairs.items():
        setattr(board, name, value)
    meetings = Meeting.objects.filter(match__programme=programme).aggregate(
        held=Count("pk", filter=Q(state=Meeting.State.HELD)),
        planned=Count("pk", filter=Q(state=Meeting.State.SCHEDULED)),
    )
    board.meetings_held, board.meetings_planned = meetings["held"], meetings["planned"]
    checkins = CheckIn.objects.filter(match__programme=programme).aggregate(
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        due=Count("pk", filter=Q(answered_at__isnull=True, match__state=Match.State.ACTIVE)),
        mean=Avg("score", filter=Q(answered_at__isnull=False)),
        low=Count("pk", filter=Q(answered_at__isnull=False, score__lte=2)),
    )
    board.checkins_answered, board.checkins_due = checkins["answered"], checkins["due"]
    board.checkin_mean, board.checkins_low = checkins["mean"], checkins["low"]
    board.pairs = list(live_pairs(programme)[:PAIRS_SHOWN])
    board.runs = list(MatchRun.objects.filter(programme=programme).select_related("started_by")[:5])
    return board


def live_pairs(programme: Programme):
    """The programme's active pairs, those at risk first, each with ``meetings_held`` and ``checkin_mean``."""
    held = (
        Meeting.objects.filter(match_id=OuterRef("pk"), state=Meeting.State.HELD)
        .order_by()
        .values("match_id")
        .annotate(n=Count("pk"))
    )
    mean = (
        CheckIn.objects.filter(match_id=OuterRef("pk"), answered_at__isnull=False)
        .order_by()
        .values("match_id")
        .annotate(m=Avg("score"))
    )
    return (
        Match.objects.filter(programme=programme, state=Match.State.ACTIVE)
        .select_related("mentor", "mentee")
        .annotate(
            meetings_held=Coalesce(Subquery(held.values("n"), output_field=IntegerField()), 0),
            checkin_mean=Subquery(mean.values("m"), output_field=FloatField()),
        )
        .order_by("-at_risk", "started", "pk")
    )
