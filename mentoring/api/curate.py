"""The curators' side of mentoring through the API: a programme's applications, bulk match runs (start one, read its
preview, pair by hand, publish or discard) and the programme's dashboard. Paths are relative to /api/mentoring/.

Everything here is for the people who may run the programme (``access.can_run``); for anyone else the
programme, its runs and its figures do not exist (404), as on the pages. The dashboard gives counts and means,
never what a pair wrote.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from mentoring import access, queries
from mentoring.api.programmes import MAX_ID, REFUSALS, ApplicationOut, ErrorOut, PartOut
from mentoring.models import Application, Match, MatchRun, Programme

router = Router()

PAIRS_MAX = 500


class RunPairOut(Schema):
    id: int
    mentee: str
    mentee_name: str
    mentor: str
    mentor_name: str
    origin: str = Field(description="run: the engine's; hand: a curator's.")
    score: float
    explanation: list[PartOut]


class RunOut(Schema):
    id: int
    programme: int
    state: str
    created: datetime
    published_at: datetime | None
    started_by: str | None
    stats: dict[str, Any] = Field(
        description="matched, unmatched [{application_id, name, reason}], total_score, mean_score, "
        "best_possible_score, histogram [{low, high, count}], fairness {site|department|seniority: "
        "[{group, mentees, matched, match_rate, mean_score}]}, seconds per stage."
    )
    pairs: list[RunPairOut] = Field(description="The run's pairs, best first, as ``offset`` and ``limit`` ask.")


class RunSummaryOut(Schema):
    id: int
    state: str
    created: datetime
    published_at: datetime | None
    matched: int | None
    unmatched: int | None


class PairIn(Schema):
    mentee_application: int = Field(ge=1, le=MAX_ID)
    mentor_application: int | None = Field(None, ge=1, le=MAX_ID, description="null: leave the mentee unmatched.")


class LivePairOut(Schema):
    id: int
    mentor: str
    mentee: str
    started: datetime | None
    ends_on: date | None
    meetings_held: int
    last_meeting: datetime | None
    checkin_mean: float | None
    at_risk: bool
    at_risk_reason: str


class DashboardOut(Schema):
    mentors: int
    mentees: int
    withdrawn: int
    mentor_places: int
    places_left: int
    mentees_matched: int
    match_rate: float | None
    requested: int
    active: int
    at_risk: int
    declined: int
    closed: int
    completed: int
    completion_rate: float | None
    meetings_held: int
    meetings_planned: int
    checkins_answered: int
    checkins_due: int
    checkin_mean: float | None
    checkins_low: int
    pairs: list[LivePairOut] = Field(description="Active pairs, those at risk first (at most 50).")


def _run_programme(request, programme_id: int) -> Programme:
    programme = queries.programme_for(request.user, programme_id)
    if programme is None or not access.can_run(request.user, programme):
        raise Http404("Not found")
    return programme


def _run(request, run_id: int) -> MatchRun:
    run = MatchRun.objects.select_related("started_by").filter(pk=min(run_id, MAX_ID)).first()
    if run is None:
        raise Http404("Not found")
    run.programme = _run_programme(request, run.programme_id)
    return run


def _run_out(run: MatchRun, *, offset: int = 0, limit: int = 100) -> dict:
    pairs = (
        Match.objects.filter(run=run)
        .select_related("mentor", "mentee")
        .order_by("-score", "pk")[offset : offset + limit]
    )
    return {
        "id": run.pk,
        "programme": run.programme_id,
        "state": run.state,
        "created": run.created,
        "published_at": run.published_at,
        "started_by": run.started_by.username if run.started_by_id else None,
        "stats": run.stats or {},
        "pairs": [
            {
                "id": m.pk,
                "mentee": m.mentee.username,
                "mentee_name": m.mentee.name,
                "mentor": m.mentor.username,
                "mentor_name": m.mentor.name,
                "origin": m.origin,
                "score": m.score,
                "explanation": m.explanation or [],
            }
            for m in pairs
        ],
    }


@router.get("/programmes/{int:programme_id}/applications", response={200: list[ApplicationOut], 404: ErrorOut})
@paginate(LimitOffsetPagination, max_limit=200)
def programme_applications(
    request,
    programme_id: int,
    side: Literal["mentor", "mentee"] | None = None,
    state: Literal["open", "withdrawn"] | None = None,
):
    """Everyone who applied to the programme (its curators): mentees, then mentors, newest first."""
    programme = _run_programme(request, programme_id)
    rows = queries.programme_applications(programme, side=side or "", state=state or "")
    return rows.select_related("programme__item")


@router.get("/programmes/{int:programme_id}/dashboard", response={200: DashboardOut, 404: ErrorOut})
def dashboard(request, programme_id: int):
    """The programme's figures: applications, match rate, pairs active and at risk, meetings held, check-in
    scores and completion — counts and means, never what a pair wrote."""
    board = queries.dashboard(_run_programme(request, programme_id))
    return {
        **{name: getattr(board, name) for name in DashboardOut.model_fields if name != "pairs"},
        "pairs": [
            {
                "id": m.pk,
                "mentor": m.mentor.username,
                "mentee": m.mentee.username,
                "started": m.started,
                "ends_on": m.ends_on,
                "meetings_held": m.meetings_held,
                "last_meeting": m.last_meeting,
                "checkin_mean": m.checkin_mean,
                "at_risk": m.at_risk,
                "at_risk_reason": m.at_risk_reason,
            }
            for m in board.pairs
        ],
    }


@router.get("/programmes/{int:programme_id}/runs", response={200: list[RunSummaryOut], 404: ErrorOut})
def list_runs(request, programme_id: int):
    """The programme's match runs, newest first (at most 50)."""
    programme = _run_programme(request, programme_id)
    return [
        {
            "id": run.pk,
            "state": run.state,
            "created": run.created,
            "published_at": run.published_at,
            "matched": (run.stats or {}).get("matched"),
            "unmatched": (run.stats or {}).get("unmatched_count"),
        }
        for run in MatchRun.objects.filter(programme=programme).order_by("-created", "-pk")[:50]
    ]


@router.post("/programmes/{int:programme_id}/runs", response={201: RunOut, **REFUSALS})
def start_run(request, programme_id: int):
    """Match the whole programme into a preview: draft pairs nobody is told of until the run is published."""
    from mentoring import runs

    programme = _run_programme(request, programme_id)
    run = runs.start_run(programme, by=request.user)
    run.programme = programme
    return Status(201, _run_out(_run(request, run.pk)))


@router.get("/runs/{int:run_id}", response={200: RunOut, 404: ErrorOut})
def read_run(
    request, run_id: int, offset: int = Query(0, ge=0, le=1_000_000), limit: int = Query(100, ge=1, le=PAIRS_MAX)
):
    """A run with its report and its pairs (``offset`` and ``limit`` page through them, best first)."""
    return _run_out(_run(request, run_id), offset=offset, limit=limit)


@router.put("/runs/{int:run_id}/pairs", response={200: RunOut, **REFUSALS})
def set_pair(request, run_id: int, payload: PairIn):
    """Pair a mentee of the preview with a mentor by hand, or (``mentor_application: null``) leave them
    unmatched. Refused with the reason when the mentor is full or the two cannot be paired."""
    from mentoring import runs

    run = _run(request, run_id)
    apps = Application.objects.select_related("person").filter(programme=run.programme_id)
    mentee = apps.filter(pk=payload.mentee_application).first()
    mentor = apps.filter(pk=payload.mentor_application).first() if payload.mentor_application else None
    if mentee is None or (payload.mentor_application and mentor is None):
        raise ValidationError("Name applications of this programme.")
    runs.set_pair(run, mentee_application=mentee, mentor_application=mentor, by=request.user)
    return _run_out(_run(request, run.pk))


@router.post("/runs/{int:run_id}/publish", response={200: RunOut, **REFUSALS})
def publish_run(request, run_id: int):
    """Start every pair of the preview and tell both people; either may decline."""
    from mentoring import runs

    run = _run(request, run_id)
    runs.publish_run(run, by=request.user)
    return _run_out(_run(request, run.pk))


@router.post("/runs/{int:run_id}/discard", response={200: RunOut, **REFUSALS})
def discard_run(request, run_id: int):
    """Throw the preview away; nobody was told."""
    from mentoring import runs

    run = _run(request, run_id)
    runs.discard_run(run, by=request.user)
    return _run_out(_run(request, run.pk))
