"""Mentoring pages for everyone: the start page (the always-open programme up front, the programmes I can see, my
applications and pairs), a programme's page (its permalink /i/<id>/), applying and changing an application,
a mentee's suggested mentors with the reasons each fits, asking one of them, and a mentor's requests.

A programme the person may not see, or an application, request or pair that is not theirs, is a 404; a
programme they see but may not join on that side is a 403 with the reason. Every write goes through
``mentoring.services``; a refusal renders the form again with what was typed and the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.pagination import paginate
from mentoring import access, queries, services
from mentoring.forms import ApplicationForm, NoteForm, RespondForm, add_service_errors
from mentoring.models import Application, Match, Programme

MAX_ID = 2**63 - 1
SUGGESTIONS_SHOWN = 10
SIDES = {"mentor": Application.Side.MENTOR, "mentee": Application.Side.MENTEE}


# --- lookups -------------------------------------------------------------------------------------------------------


def _programme_or_404(request, programme_id: int) -> Programme:
    programme = queries.programme_for(request.user, programme_id)
    if programme is None:
        raise Http404("Not found")
    return programme


def _my_application_or_404(request, application_id: int) -> Application:
    """One of the person's own applications in a programme they still see; anyone else's is a 404."""
    application = (
        Application.objects.select_related("programme__item__owner", "person")
        .filter(pk=min(application_id, MAX_ID), person=request.user)
        .first()
    )
    if application is None or queries.programme_for(request.user, application.programme_id) is None:
        raise Http404("Not found")
    return application


def _my_match_or_404(request, match_id: int) -> Match:
    match = (
        Match.objects.select_related("programme__item", "mentor", "mentee")
        .filter(pk=min(match_id, MAX_ID))
        .exclude(state=Match.State.DRAFT)
        .first()
    )
    if match is None or not match.has_person(request.user):
        raise Http404("Not found")
    return match


def _problem(exc: Exception) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc) or "You may not do that."]


def score_scale(programme: Programme) -> float:
    """The most a pair can score in this programme: every criterion met in full."""
    return sum(programme.criterion_weights.values()) or 1.0


def score_percent(score: float, programme: Programme) -> int:
    return max(0, min(100, round(100 * score / score_scale(programme))))


# --- the start page and a programme's page -------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """Mentoring for me: the always-open programme first, the programmes I can see, my applications and pairs."""
    user = request.user
    open_programme = services.get_or_create_open_programme()
    if open_programme is not None and queries.programme_for(user, open_programme.pk) is None:
        open_programme = None  # guests see only their spaces' programmes
    programmes = queries.programmes_visible_to(user).filter(always_open=False)
    page = paginate(programmes, request, per_page=12)
    applications = list(queries.applications_of(user)[:50])
    mine = {(a.programme_id, a.side): a for a in applications if a.state == Application.State.OPEN}
    for programme in page.rows:
        programme.mine = [a for (pid, _), a in mine.items() if pid == programme.pk]
    pairs = list(queries.pairs_of(user)[:50])
    for match in pairs:
        match.as_mentor = match.mentor_id == user.pk
        match.partner = match.mentee if match.as_mentor else match.mentor
    context = {
        "open_programme": open_programme,
        "open_mine": {side: mine.get((open_programme.pk, side)) for side in SIDES} if open_programme else {},
        "page": page,
        "applications": applications,
        "pairs": pairs,
        "waiting": sum(1 for m in pairs if m.as_mentor and m.state == Match.State.REQUESTED),
        "can_curate": services.can_create_programme(user),
    }
    return render(request, "mentoring/index.html", context)


def programme_item(request, item):
    """A programme's page (its permalink): what it is for, when it runs, who may join, the guidance, and the
    buttons to apply on each side the person may join."""
    from wiki.markdown import render as render_markdown

    programme = Programme.objects.get(item=item)
    programme.item = item
    user = request.user
    mine = []
    if user.is_authenticated:
        mine = list(Application.objects.filter(programme=programme, person=user).order_by("side"))
    applied = {a.side: a for a in mine}
    sides = []
    for side in (Application.Side.MENTEE, Application.Side.MENTOR):
        application = applied.get(side)
        sides.append(
            {
                "side": side,
                "application": application,
                "may_apply": application is None and access.may_apply(user, programme, side),
                "reopen": application is not None and application.state == Application.State.WITHDRAWN,
            }
        )
    context = {
        "programme": programme,
        "item": item,
        "sides": sides,
        # sanitised by nh3 in wiki.markdown.render
        "guidance_html": mark_safe(render_markdown(programme.guidance).html) if programme.guidance else "",  # noqa: S308
        "can_run": access.can_run(user, programme),
        "ended": bool(programme.ends and not programme.always_open and programme.ends < timezone.localdate()),
    }
    return render(request, "mentoring/programme.html", context)


# --- applying ------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, programme_id: int, side: str):
    programme = _programme_or_404(request, programme_id)
    if side not in SIDES:
        raise Http404("Not found")
    existing = Application.objects.filter(programme=programme, person=request.user, side=side).first()
    if existing is not None and existing.state == Application.State.OPEN:
        return redirect("mentoring:application", existing.pk)
    if not access.may_apply(request.user, programme, side):
        raise PermissionDenied(f"This programme is not open to you as a {side}.")
    initial = services.application_defaults(programme=programme, person=request.user, side=side)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        programme=programme,
        side=side,
        initial=initial,
        interests=request.user.interests,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = services.apply(
                    programme=programme, person=request.user, side=side, **form.service_fields()
                )
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError):
                    add_service_errors(form, exc)
                else:
                    form.add_error(None, _problem(exc))
            else:
                return _after_applying(request, application)
        status = 400
    context = {"form": form, "programme": programme, "side": side, "application": None}
    return render(request, "mentoring/application_form.html", context, status=status)


def _after_applying(request, application: Application):
    programme = application.programme
    if application.side == Application.Side.MENTEE and programme.mode != Programme.Mode.BULK:
        messages.success(request, "You have applied. Here are the mentors who fit you best.")
        return redirect("mentoring:suggestions", application.pk)
    if application.side == Application.Side.MENTEE:
        messages.success(request, "You have applied. A curator will match you and you will be told.")
    else:
        messages.success(request, "You have applied as a mentor. Mentees can now find you; you'll be told of requests.")
    return redirect(programme.get_absolute_url())


def _application_initial(application: Application) -> dict:
    return {
        "goals": application.goals,
        "answers": application.answers,
        "capacity": application.capacity,
        "time_zone": application.time_zone,
        "availability": application.availability,
        "languages": application.languages,
        "formats": application.formats,
        "seniority": application.seniority,
        "site_preference": application.site_preference,
        "wants_more_senior": application.wants_more_senior,
        "preferences": application.preferences,
        "skills": [(s.skill, s.level) for s in application.skills.select_related("skill").order_by("-level", "pk")],
    }


@login_required
@require_http_methods(["GET", "POST"])
def application(request, application_id: int):
    """Change one's own application."""
    found = _my_application_or_404(request, application_id)
    if found.state != Application.State.OPEN:
        return redirect("mentoring:apply", found.programme_id, found.side)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        programme=found.programme,
        side=found.side,
        initial=_application_initial(found),
        interests=request.user.interests,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_application(actor=request.user, application=found, **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Your application is saved.")
                return redirect("mentoring:application", found.pk)
        status = 400
    context = {"form": form, "programme": found.programme, "side": found.side, "application": found}
    return render(request, "mentoring/application_form.html", context, status=status)


@login_required
@require_POST
def withdraw(request, application_id: int):
    found = _my_application_or_404(request, application_id)
    services.withdraw(actor=request.user, application=found)
    messages.success(request, f"You have withdrawn from “{found.programme.item.title}” as a {found.side}.")
    return redirect("mentoring:index")


# --- self-service: suggestions, requests, answers ------------------------------------------------------------------


def _suggestions_context(request, application: Application, *, failed_for=None, form=None) -> dict:
    from mentoring import matching

    programme = application.programme
    bulk_only = programme.mode == Programme.Mode.BULK
    suggestions = [] if bulk_only else matching.suggestions(application, limit=SUGGESTIONS_SHOWN)
    asked = {
        m.mentor_id: m
        for m in Match.objects.filter(
            programme=programme, mentee=request.user, state__in=[Match.State.REQUESTED, Match.State.ACTIVE]
        )
    }
    rows = []
    for suggestion in suggestions:
        mentor_application = suggestion.mentor_application
        mentor = mentor_application.person
        rows.append(
            {
                "application": mentor_application,
                "mentor": mentor,
                "site": getattr(suggestion.mentor, "site_name", "") or "",
                "score": suggestion.score,
                "percent": score_percent(suggestion.score, programme),
                "parts": [p for p in suggestion.parts if p.points or p.words],
                "match": asked.get(mentor.pk),
                "form": form if failed_for == mentor_application.pk else NoteForm(),
            }
        )
    waiting = [m for m in asked.values() if m.state == Match.State.REQUESTED]
    return {
        "application": application,
        "programme": programme,
        "rows": rows,
        "bulk_only": bulk_only,
        "waiting": waiting,
        "active": [m for m in asked.values() if m.state == Match.State.ACTIVE],
        "scale": score_scale(programme),
        "pending_max": services.PENDING_REQUESTS_MAX,
    }


@login_required
@require_GET
def suggestions(request, application_id: int):
    """A mentee's best-fitting mentors, each with the reasons in plain words."""
    found = _my_application_or_404(request, application_id)
    if found.side != Application.Side.MENTEE or found.state != Application.State.OPEN:
        raise Http404("Not found")
    return render(request, "mentoring/suggestions.html", _suggestions_context(request, found))


@login_required
@require_POST
def request_mentor(request, application_id: int, mentor_application_id: int):
    found = _my_application_or_404(request, application_id)
    if found.side != Application.Side.MENTEE:
        raise Http404("Not found")
    mentor_application = (
        Application.objects.select_related("person")
        .filter(pk=min(mentor_application_id, MAX_ID), programme=found.programme, side=Application.Side.MENTOR)
        .first()
    )
    if mentor_application is None:
        raise Http404("Not found")
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.request_mentor(
                mentee_application=found,
                mentor_application=mentor_application,
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, _problem(exc))
        else:
            messages.success(
                request, f"You have asked {mentor_application.person.name}. You'll be told when they answer."
            )
            return redirect("mentoring:suggestions", found.pk)
    context = _suggestions_context(request, found, failed_for=mentor_application.pk, form=form)
    context["failed_for"] = mentor_application.pk
    if not any(row["application"].pk == mentor_application.pk for row in context["rows"]):
        # Not among the suggestions (no longer fits): say why above them, with the note they wrote.
        context["refused"] = {"mentor": mentor_application.person, "form": form}
    return render(request, "mentoring/suggestions.html", context, status=400)


@login_required
@require_GET
def requests(request):
    """Requests waiting for my answer as a mentor (oldest first), and those I made waiting for theirs."""
    incoming = list(queries.requests_for(request.user)[:100])
    ids = [m.mentee_application_id for m in incoming if m.mentee_application_id]
    mentee_apps = queries.with_skills(Application.objects.filter(pk__in=ids)).in_bulk(ids)
    for match in incoming:
        match.mentee_application = mentee_apps.get(match.mentee_application_id)
        match.percent = score_percent(match.score, match.programme)
        match.scale = score_scale(match.programme)
    context = {
        "incoming": incoming,
        "outgoing": list(queries.requests_made_by(request.user)[:100]),
        "form": RespondForm(),
    }
    return render(request, "mentoring/requests.html", context)


@login_required
@require_POST
def respond(request, match_id: int):
    """The mentor's answer to a request: accept or decline, with a note for the mentee."""
    match = _my_match_or_404(request, match_id)
    if match.mentor_id != request.user.pk:
        raise Http404("Not found")
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to accept or decline the request.")
        return redirect("mentoring:requests")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.respond(match=match, by=request.user, accept=accept, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(_problem(exc)))
        return redirect("mentoring:requests")
    if accept:
        messages.success(request, f"You are now {match.mentee.name}'s mentor. Start by agreeing how you'll work.")
        return redirect(match.get_absolute_url())
    messages.success(request, f"You have declined {match.mentee.name}'s request; they have your note.")
    return redirect("mentoring:requests")


@login_required
@require_POST
def decline(request, match_id: int):
    """Either person steps out of a request or a pair that has not begun."""
    match = _my_match_or_404(request, match_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.decline_match(match=match, by=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(_problem(exc)))
    else:
        messages.success(request, f"Done: {match.other(request.user).name} has been told.")
    back = request.POST.get("next", "")
    return redirect(back if back in _safe_returns(request, match) else reverse("mentoring:index"))


def _safe_returns(request, match: Match) -> set[str]:
    """Where a decline may send the person back to: pages of theirs, never an address they typed."""
    pages = {reverse("mentoring:index"), reverse("mentoring:requests")}
    pages |= {
        reverse("mentoring:suggestions", args=[pk])
        for pk in Application.objects.filter(
            person=request.user, programme_id=match.programme_id, side=Application.Side.MENTEE
        ).values_list("pk", flat=True)
    }
    return pages


# /mentoring/ (a programme's page is its item's permalink /i/<id>/)
urlpatterns = [
    path("", index, name="index"),
    path("programmes/<int:programme_id>/apply/<str:side>/", apply, name="apply"),
    path("applications/<int:application_id>/", application, name="application"),
    path("applications/<int:application_id>/withdraw/", withdraw, name="withdraw"),
    path("applications/<int:application_id>/suggestions/", suggestions, name="suggestions"),
    path(
        "applications/<int:application_id>/request/<int:mentor_application_id>/",
        request_mentor,
        name="request",
    ),
    path("requests/", requests, name="requests"),
    path("requests/<int:match_id>/respond/", respond, name="respond"),
    path("matches/<int:match_id>/decline/", decline, name="decline"),
]
