"""The curators' mentoring pages: the programmes they run, making and changing a programme, its applications,
the bulk match (run, preview with the score distribution, the unmatched and why, the fairness report, hand
edits, publish or discard) and the programme's dashboard.

Every page is for the people who may run the programme (``access.can_run``: its owner, its space's admins
and site admins); for anyone else it does not exist (404), nor does the start page for people who are not
curators. Every write goes through ``mentoring.services`` or ``mentoring.runs``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.pagination import paginate
from mentoring import access, queries, services
from mentoring.forms import PairForm, ProgrammeForm, add_service_errors
from mentoring.models import Application, Match, MatchRun, Programme
from mentoring.views.programmes import MAX_ID, score_percent, score_scale

PAIRS_PER_PAGE = 50
MENTOR_OPTIONS_MAX = 2000  # mentors offered by name in a hand edit; beyond that a curator types the username
UNMATCHED_SHOWN = 200  # people listed as unmatched; the count covers them all


def _curator_or_404(request) -> None:
    if not services.can_create_programme(request.user):
        raise Http404("Not found")


def _run_or_404(request, programme_id: int) -> Programme:
    """A programme the person may see and run; for anyone else it does not exist."""
    programme = queries.programme_for(request.user, programme_id)
    if programme is None or not access.can_run(request.user, programme):
        raise Http404("Not found")
    return programme


def _match_run_or_404(programme: Programme, run_id: int) -> MatchRun:
    run = MatchRun.objects.select_related("started_by").filter(pk=min(run_id, MAX_ID), programme=programme).first()
    if run is None:
        raise Http404("Not found")
    run.programme = programme
    return run


def _problem(exc: Exception) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc) or "You may not do that."]


# --- programmes ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """The programmes I run, with their figures."""
    _curator_or_404(request)
    rows = queries.with_figures(queries.programmes_run_by(request.user))
    return render(request, "mentoring/curate/index.html", {"page": paginate(rows, request, per_page=30)})


def _space_of(form: ProgrammeForm):
    return form.cleaned_data.get("space") if "space" in form.fields else None


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request):
    _curator_or_404(request)
    form = ProgrammeForm(request.POST if request.method == "POST" else None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                programme = services.create_programme(
                    actor=request.user, space=_space_of(form), **form.service_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc, aliases=ProgrammeForm.ALIASES)
            except PermissionDenied as exc:
                form.add_error(None, _problem(exc))
            else:
                messages.success(request, "The programme is open. People who may join see it on Mentoring.")
                return redirect(programme.get_absolute_url())
        status = 400
    return render(request, "mentoring/curate/programme_form.html", {"form": form, "programme": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, programme_id: int):
    programme = _run_or_404(request, programme_id)
    form = ProgrammeForm(request.POST if request.method == "POST" else None, user=request.user, programme=programme)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_programme(actor=request.user, programme=programme, **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc, aliases=ProgrammeForm.ALIASES)
            except PermissionDenied as exc:
                form.add_error(None, _problem(exc))
            else:
                messages.success(request, "The programme is saved.")
                return redirect("mentoring:dashboard", programme.pk)
        status = 400
    context = {"form": form, "programme": programme}
    return render(request, "mentoring/curate/programme_form.html", context, status=status)


@login_required
@require_GET
def applications(request, programme_id: int):
    """Who applied, on each side, with their skills, capacity and whether they are matched."""
    programme = _run_or_404(request, programme_id)
    side = request.GET.get("side", "")
    side = side if side in Application.Side.values else ""
    state = request.GET.get("state", Application.State.OPEN)
    state = state if state in Application.State.values else ""
    q = " ".join(request.GET.get("q", "").split())[:100]
    rows = queries.programme_applications(programme, side=side, state=state, q=q)
    context = {
        "programme": programme,
        "page": paginate(rows, request, per_page=50),
        "side": side,
        "state": state,
        "q": q,
        "tab": "applications",
    }
    return render(request, "mentoring/curate/applications.html", context)


@login_required
@require_GET
def dashboard(request, programme_id: int):
    """The programme's figures: applications, match rate, pairs active and at risk, meetings, check-ins,
    completion — counts only, never what a pair wrote."""
    programme = _run_or_404(request, programme_id)
    board = queries.dashboard(programme)
    context = {"programme": programme, "board": board, "tab": "dashboard"}
    return render(request, "mentoring/curate/dashboard.html", context)


# --- bulk matching -------------------------------------------------------------------------------------------------


@login_required
@require_POST
def run_start(request, programme_id: int):
    from mentoring import runs

    programme = _run_or_404(request, programme_id)
    try:
        run = runs.start_run(programme, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(_problem(exc)))
        return redirect("mentoring:dashboard", programme.pk)
    return redirect("mentoring:run", programme.pk, run.pk)


def histogram(bins) -> list[dict]:
    """The run's score distribution (``[{low, high, count}]``) as bars, each as tall as its share of the tallest."""
    rows = [dict(b) for b in bins or []]
    tallest = max((r["count"] for r in rows), default=0) or 1
    for row in rows:
        row["height"] = round(100 * row["count"] / tallest)
    return rows


def fairness_tables(fairness: dict, best: float) -> list[dict]:
    """The fairness report by site, department and seniority, with rates and mean scores in per cent."""
    titles = {"site": "By site", "department": "By department", "seniority": "By seniority"}
    tables = []
    for key, title in titles.items():
        rows = []
        for row in fairness.get(key) or []:
            mean = row.get("mean_score")
            rows.append(
                {
                    **row,
                    "rate_percent": round(100 * (row.get("match_rate") or 0)),
                    "mean_percent": None if mean is None else round(100 * mean / best) if best else 0,
                }
            )
        tables.append({"key": key, "title": title, "rows": rows})
    return tables


def _mentor_options(programme: Programme):
    return (
        Application.objects.filter(programme=programme, side=Application.Side.MENTOR, state=Application.State.OPEN)
        .select_related("person")
        .order_by("person__display_name", "person__username")[:MENTOR_OPTIONS_MAX]
    )


@login_required
@require_GET
def run(request, programme_id: int, run_id: int):
    """A run's preview: totals, the score distribution, the unmatched and why, fairness, and every pair."""
    programme = _run_or_404(request, programme_id)
    found = _match_run_or_404(programme, run_id)
    pairs = Match.objects.filter(run=found).select_related("mentor", "mentee").order_by("-score", "pk")
    page = paginate(pairs, request, per_page=PAIRS_PER_PAGE)
    mentee_apps = dict(
        Application.objects.filter(
            programme=programme, side=Application.Side.MENTEE, person_id__in=[m.mentee_id for m in page.rows]
        ).values_list("person_id", "pk")
    )
    for match in page.rows:
        match.percent = score_percent(match.score, programme)
        match.mentee_application_id = mentee_apps.get(match.mentee_id)
    stats = found.stats or {}
    best = stats.get("best_possible_score") or score_scale(programme)
    context = {
        "programme": programme,
        "run": found,
        "stats": stats,
        "preview": found.state == MatchRun.State.PREVIEW,
        "bars": histogram(stats.get("histogram")),
        "fairness": fairness_tables(stats.get("fairness") or {}, best),
        "unmatched": (stats.get("unmatched") or [])[:UNMATCHED_SHOWN],
        "mean_percent": None if stats.get("mean_score") is None else round(100 * stats["mean_score"] / best),
        "page": page,
        "mentors": _mentor_options(programme) if found.state == MatchRun.State.PREVIEW else [],
        "scale": best,
        "tab": "match",
    }
    return render(request, "mentoring/curate/run.html", context)


@login_required
@require_POST
def run_pair(request, programme_id: int, run_id: int):
    """Pair a mentee of the preview by hand with another mentor, or leave them unmatched."""
    from mentoring import runs

    programme = _run_or_404(request, programme_id)
    found = _match_run_or_404(programme, run_id)
    form = PairForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a mentee and a mentor from the lists.")
        return redirect("mentoring:run", programme.pk, found.pk)
    open_apps = Application.objects.filter(programme=programme, state=Application.State.OPEN).select_related("person")
    mentee = open_apps.filter(pk=form.cleaned_data["mentee"], side=Application.Side.MENTEE).first()
    mentor = None
    mentor_name = (request.POST.get("mentor_username") or "").strip().lstrip("@")
    if form.cleaned_data["mentor"]:
        mentor = open_apps.filter(pk=form.cleaned_data["mentor"], side=Application.Side.MENTOR).first()
    elif mentor_name:
        mentor = open_apps.filter(person__username=mentor_name, side=Application.Side.MENTOR).first()
    if mentee is None or ((form.cleaned_data["mentor"] or mentor_name) and mentor is None):
        messages.error(request, "That person has no open application on that side of this programme.")
        return redirect("mentoring:run", programme.pk, found.pk)
    try:
        runs.set_pair(found, mentee_application=mentee, mentor_application=mentor, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(_problem(exc)))
    else:
        if mentor is None:
            messages.success(request, f"{mentee.person.name} is left unmatched in this preview.")
        else:
            messages.success(request, f"{mentee.person.name} is paired with {mentor.person.name} in this preview.")
    return redirect("mentoring:run", programme.pk, found.pk)


@login_required
@require_POST
def run_publish(request, programme_id: int, run_id: int):
    from mentoring import runs

    programme = _run_or_404(request, programme_id)
    found = _match_run_or_404(programme, run_id)
    try:
        published = runs.publish_run(found, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(_problem(exc)))
        return redirect("mentoring:run", programme.pk, found.pk)
    messages.success(
        request, f"Published: {len(published)} pair{'s' if len(published) != 1 else ''} told; either side may decline."
    )
    return redirect("mentoring:dashboard", programme.pk)


@login_required
@require_POST
def run_discard(request, programme_id: int, run_id: int):
    from mentoring import runs

    programme = _run_or_404(request, programme_id)
    found = _match_run_or_404(programme, run_id)
    try:
        runs.discard_run(found, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(_problem(exc)))
        return redirect("mentoring:run", programme.pk, found.pk)
    messages.success(request, "The preview is discarded; nobody was told.")
    return redirect("mentoring:dashboard", programme.pk)


# /mentoring/curate/
urlpatterns = [
    path("curate/", index, name="curate"),
    path("curate/new/", programme_new, name="programme-new"),
    path("curate/<int:programme_id>/", dashboard, name="dashboard"),
    path("curate/<int:programme_id>/edit/", programme_edit, name="programme-edit"),
    path("curate/<int:programme_id>/applications/", applications, name="applications"),
    path("curate/<int:programme_id>/runs/", run_start, name="run-start"),
    path("curate/<int:programme_id>/runs/<int:run_id>/", run, name="run"),
    path("curate/<int:programme_id>/runs/<int:run_id>/pair/", run_pair, name="run-pair"),
    path("curate/<int:programme_id>/runs/<int:run_id>/publish/", run_publish, name="run-publish"),
    path("curate/<int:programme_id>/runs/<int:run_id>/discard/", run_discard, name="run-discard"),
]
