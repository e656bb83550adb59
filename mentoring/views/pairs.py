"""The pair space at /mentoring/pairs/<id>/: the other person, the agreement with the programme's guidance,
goals, meetings with shared and private notes, check-ins and the closing; and the list of one's pairs.

Only the pair's two people see any of it: anyone else — the programme's curators and site admins too —
gets 404, as for anything they may not see. Views are thin: find the pair (``pairs.pair_for``), check the
form, call ``mentoring.pairs``, redirect; a refusal renders the form again with what was typed and why.
Times are shown in both people's zones: each person's zone is their application's, else their profile's.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lib.htmx import render_page
from mentoring import hours, ical, pairs
from mentoring.models import DEFAULT_GUIDANCE, Closing, Goal, Match, Meeting, MeetingNote
from mentoring.pair_forms import (
    AgreementForm,
    CheckInForm,
    ClosingForm,
    GoalForm,
    GoalProgressForm,
    LogMeetingForm,
    MeetingForm,
    PortfolioChoiceForm,
    PrivateNoteForm,
    SharedNotesForm,
)

MAX_ID = 2**63 - 1
PAST_SHOWN = 20  # the pair page lists this many past meetings; the API pages through all of them


# --- lookups -----------------------------------------------------------------------------------------------


def _pair_or_404(request, pk: int) -> Match:
    match = pairs.pair_for(request.user, pk)
    if match is None:
        raise Http404("Not found")
    return match


def _meeting_or_404(match: Match, meeting_pk: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=min(meeting_pk, MAX_ID), match=match).select_related("created_by").first()
    if meeting is None:
        raise Http404("Not found")
    meeting.match = match
    return meeting


def _problems(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc) or "You may not do that."]


def _refuse(request, match: Match, exc: Exception, anchor: str = ""):
    for problem in _problems(exc):
        messages.error(request, problem)
    return redirect(pairs.pair_url(match, anchor))


def _optional_url(name: str, **kwargs) -> str | None:
    """A link into another part of the site that may not be built yet (messaging, answering a request)."""
    try:
        return reverse(name, **kwargs)
    except NoReverseMatch:
        return None


def _both_zones(moment: datetime, me: pairs.Hours, them: pairs.Hours) -> dict:
    mine, theirs = moment.astimezone(me.zone), moment.astimezone(them.zone)
    return {"mine": mine, "theirs": theirs, "same": mine.utcoffset() == theirs.utcoffset()}


def _people(request, match: Match) -> tuple[pairs.Hours, pairs.Hours, dict]:
    zones = pairs.hours_of(match)
    other = match.other(request.user)
    return zones[request.user.pk], zones[other.pk], zones


def _guidance_html(match: Match) -> str:
    from wiki.markdown import render as render_markdown

    html = render_markdown(match.programme.guidance or DEFAULT_GUIDANCE).html
    return mark_safe(html)  # noqa: S308 — sanitised by nh3 in wiki.markdown.render


# --- my pairs ------------------------------------------------------------------------------------------------


@login_required
@require_safe
def my_pairs(request):
    rows = list(pairs.pairs_of(request.user)[:200])
    for match in rows:
        match.partner = match.other(request.user)
        match.my_role = "mentor" if match.mentor_id == request.user.pk else "mentee"
    return render(request, "mentoring/pairs.html", {"rows": rows})


# --- the pair space -----------------------------------------------------------------------------------------


def _meetings(match: Match, me, them, now) -> dict:
    upcoming = list(
        Meeting.objects.filter(match=match, state=Meeting.State.SCHEDULED, starts__gte=now).order_by("starts", "pk")[
            : pairs.MAX_UPCOMING
        ]
    )
    past = list(
        Meeting.objects.filter(match=match, starts__lt=now)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("-starts", "-pk")[:PAST_SHOWN]
    )
    for meeting in upcoming + past:
        meeting.when = _both_zones(meeting.starts, me, them)
    return {"upcoming": upcoming, "past": past}


@login_required
@require_safe
def pair(request, pk: int):
    match = _pair_or_404(request, pk)
    user = request.user
    other = match.other(user)
    context = {
        "match": match,
        "other": other,
        "my_role": "mentor" if match.mentor_id == user.pk else "mentee",
        "message_url": _optional_url("messaging:thread", kwargs={"username": other.username}),
    }
    if match.state in (Match.State.REQUESTED, Match.State.DECLINED):
        if match.state == Match.State.REQUESTED and match.mentor_id == user.pk:
            context["respond_url"] = _optional_url("mentoring:respond", args=[match.pk])
        return render(request, "mentoring/pair_request.html", context)
    now = timezone.now()
    me, them, _ = _people(request, match)
    agreement = getattr(match, "agreement", None)
    notes_of_mine = set(
        MeetingNote.objects.filter(meeting__match=match, author=user).values_list("meeting_id", flat=True)
    )
    closings = {c.person_id: c for c in Closing.objects.filter(match=match).select_related("portfolio_entry")}
    context.update(
        me=me,
        them=them,
        their_now=now.astimezone(them.zone),
        agreement=agreement,
        signed_by_me=agreement
        and (agreement.mentor_signed_at if match.mentor_id == user.pk else agreement.mentee_signed_at),
        signed_by_them=agreement
        and (agreement.mentee_signed_at if match.mentor_id == user.pk else agreement.mentor_signed_at),
        goals=list(Goal.objects.filter(match=match)),
        goal_form=GoalForm(),
        notes_of_mine=notes_of_mine,
        checkin=pairs.due_checkin(match, user, today=now.date()) if match.state == Match.State.ACTIVE else None,
        my_checkins=list(
            match.checkins.filter(person=user, answered_at__isnull=False).order_by("-answered_at", "-pk")[:5]
        ),
        my_closing=closings.get(user.pk),
        their_closing=closings.get(other.pk),
        can_continue=pairs.can_continue(match, closings.values()),
        continued=pairs.continuation(match),
        guidance=_guidance_html(match),
        **_meetings(match, me, them, now),
    )
    return render(request, "mentoring/pair.html", context)


# --- the agreement ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk: int):
    match = _pair_or_404(request, pk)
    agreement = getattr(match, "agreement", None)
    if agreement is None:
        raise Http404("This pair has no agreement yet.")
    status = 200
    if request.method == "POST":
        form = AgreementForm(request.POST, parts=agreement.parts)
        if form.is_valid():
            try:
                pairs.edit_agreement(match=match, by=request.user, texts=form.texts(), base=form.bases())
            except (ValidationError, PermissionDenied) as exc:
                agreement.refresh_from_db()
                # Show the words as they are now beside what this person typed, so nothing is lost.
                context = {
                    "match": match,
                    "agreement": agreement,
                    "form": AgreementForm(parts=agreement.parts),
                    "typed": form.texts(),
                    "problems": _problems(exc),
                }
                return render(request, "mentoring/pair_agreement.html", context, status=400)
            messages.success(request, "The agreement is saved.")
            return redirect(pairs.pair_url(match, "agreement"))
        status = 400
    else:
        if match.state != Match.State.ACTIVE:
            return redirect(pairs.pair_url(match, "agreement"))
        form = AgreementForm(parts=agreement.parts)
    return render(
        request, "mentoring/pair_agreement.html", {"match": match, "agreement": agreement, "form": form}, status=status
    )


@login_required
@require_POST
def agreement_sign(request, pk: int):
    match = _pair_or_404(request, pk)
    try:
        seen = datetime.fromisoformat(request.POST.get("seen", ""))
        seen = seen if timezone.is_aware(seen) else seen.replace(tzinfo=UTC)
    except ValueError:
        seen = None
    try:
        agreement = pairs.sign_agreement(match=match, by=request.user, seen=seen)
    except (ValidationError, PermissionDenied) as exc:
        return _refuse(request, match, exc, "agreement")
    messages.success(
        request, "You have both signed the agreement." if agreement.signed else "You signed the agreement."
    )
    return redirect(pairs.pair_url(match, "agreement"))


# --- goals ---------------------------------------------------------------------------------------------------


def _goals_section(request, match: Match, *, form=None, status=200):
    """The goals after a change: the section alone for htmx, else back to the pair's page (with the problem)."""
    if getattr(request, "htmx", None):
        context = {"match": match, "goals": list(Goal.objects.filter(match=match)), "goal_form": form or GoalForm()}
        return render(request, "mentoring/pair.html#goals", context, status=status)
    if form is not None:
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, problem)
    return redirect(pairs.pair_url(match, "goals"))


@login_required
@require_POST
def goal_add(request, pk: int):
    match = _pair_or_404(request, pk)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            pairs.add_goal(match=match, by=request.user, title=form.cleaned_data["title"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _problems(exc))
            return _goals_section(request, match, form=form, status=400)
        return _goals_section(request, match)
    return _goals_section(request, match, form=form, status=400)


def _goal_or_404(match: Match, goal_pk: int) -> Goal:
    goal = Goal.objects.filter(pk=min(goal_pk, MAX_ID), match=match).first()
    if goal is None:
        raise Http404("Not found")
    goal.match = match
    return goal


@login_required
@require_POST
def goal_update(request, pk: int, goal_pk: int):
    match = _pair_or_404(request, pk)
    goal = _goal_or_404(match, goal_pk)
    form = GoalProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Progress is a whole number of per cent, 0 to 100.")
        return _goals_section(request, match, status=400)
    done = {"yes": True, "no": False}.get(form.cleaned_data["done"])
    try:
        pairs.update_goal(goal=goal, by=request.user, progress=form.cleaned_data["progress"], done=done)
    except (ValidationError, PermissionDenied) as exc:
        return _refuse(request, match, exc, "goals")
    return _goals_section(request, match)


@login_required
@require_POST
def goal_delete(request, pk: int, goal_pk: int):
    match = _pair_or_404(request, pk)
    goal = _goal_or_404(match, goal_pk)
    try:
        pairs.delete_goal(goal=goal, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        return _refuse(request, match, exc, "goals")
    return _goals_section(request, match)


# --- meetings ----------------------------------------------------------------------------------------------


def _hours_context(request, match: Match) -> dict:
    """Both people's weekly hours in both zones, where they overlap, and a first time to offer."""
    me, them, _ = _people(request, match)
    today = timezone.now().astimezone(me.zone).date()
    theirs_here = hours.in_zone(them.windows, them.zone, me.zone, today=today)
    shared = hours.overlap(me.windows, theirs_here)
    return {
        "me": me,
        "them": them,
        "my_lines": hours.side_by_side(me.windows, me.zone, them.zone, today=today),
        "their_lines": hours.side_by_side(them.windows, them.zone, me.zone, today=today),
        "shared_lines": hours.side_by_side(shared, me.zone, them.zone, today=today),
        "grid": hours.grid(me.windows, theirs_here),
        "same_zone": me.zone_name == them.zone_name,
        "suggested": hours.next_slot(shared, me.zone, after=timezone.now()),
    }


def _in_zone(form, zone):
    """Validate a form whose date-time fields are typed in ``zone`` (the person's own, which may not be the
    profile zone the page runs in)."""
    with timezone.override(zone):
        return form.is_valid()


def _chosen(form, zone) -> datetime | None:
    """The start the form holds, as an instant: typed and valid, or offered as its first value."""
    if form.is_bound:
        return getattr(form, "cleaned_data", {}).get("starts")
    starts = form.initial.get("starts")
    return starts.replace(tzinfo=zone) if starts else None


def _meeting_form_page(request, match, form, *, meeting=None, status=200, log=False):
    context = {"match": match, "form": form, "meeting": meeting, "log": log, **_hours_context(request, match)}
    context["chosen"] = _chosen(form, context["me"].zone)
    return render(request, "mentoring/meeting_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, pk: int):
    match = _pair_or_404(request, pk)
    if match.state != Match.State.ACTIVE:
        return _refuse(request, match, ValidationError("Meetings are booked while a pair is active."), "meetings")
    me, _, _ = _people(request, match)
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if _in_zone(form, me.zone):
            try:
                meeting = pairs.schedule_meeting(match=match, by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problems(exc))
            else:
                messages.success(request, "The meeting is booked; you both get a calendar invite by e-mail.")
                return redirect(pairs.meeting_url(meeting))
        return _meeting_form_page(request, match, form, status=400)
    context = _hours_context(request, match)
    initial = {}
    if context["suggested"]:
        initial["starts"] = context["suggested"].replace(tzinfo=None)
    form = MeetingForm(initial=initial)
    context.update(match=match, form=form, log=False, chosen=_chosen(form, me.zone))
    return render(request, "mentoring/meeting_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_log(request, pk: int):
    match = _pair_or_404(request, pk)
    if match.state != Match.State.ACTIVE:
        return _refuse(request, match, ValidationError("Meetings are logged while a pair is active."), "meetings")
    me, _, _ = _people(request, match)
    if request.method == "POST":
        form = LogMeetingForm(request.POST)
        if _in_zone(form, me.zone):
            try:
                meeting = pairs.log_meeting(match=match, by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problems(exc))
            else:
                messages.success(request, "The meeting is logged.")
                return redirect(pairs.meeting_url(meeting))
        return _meeting_form_page(request, match, form, status=400, log=True)
    return _meeting_form_page(request, match, LogMeetingForm(), log=True)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int, meeting_pk: int):
    match = _pair_or_404(request, pk)
    meeting = _meeting_or_404(match, meeting_pk)
    if meeting.state != Meeting.State.SCHEDULED or match.state != Match.State.ACTIVE:
        return redirect(pairs.meeting_url(meeting))
    me, _, _ = _people(request, match)
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if _in_zone(form, me.zone):
            try:
                pairs.reschedule_meeting(meeting=meeting, by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problems(exc))
            else:
                messages.success(request, "The meeting is changed; you both get the updated invite.")
                return redirect(pairs.meeting_url(meeting))
        return _meeting_form_page(request, match, form, meeting=meeting, status=400)
    form = MeetingForm(
        initial={
            "starts": meeting.starts.astimezone(me.zone).replace(tzinfo=None),
            "minutes": meeting.minutes,
            "format": meeting.format,
            "place": meeting.place,
            "agenda": meeting.agenda,
        }
    )
    return _meeting_form_page(request, match, form, meeting=meeting)


@login_required
@require_safe
def meeting_detail(request, pk: int, meeting_pk: int):
    match = _pair_or_404(request, pk)
    meeting = _meeting_or_404(match, meeting_pk)
    return _meeting_page(request, match, meeting)


def _meeting_page(request, match, meeting, *, notes_form=None, note_form=None, status=200, conflict=None, problems=()):
    me, them, _ = _people(request, match)
    note = MeetingNote.objects.filter(meeting=meeting, author=request.user).first()
    context = {
        "match": match,
        "meeting": meeting,
        "other": match.other(request.user),
        "me": me,
        "them": them,
        "when": _both_zones(meeting.starts, me, them),
        "started": meeting.starts <= timezone.now(),
        "active": match.state == Match.State.ACTIVE,
        "notes_form": notes_form
        or SharedNotesForm(initial={"shared_notes": meeting.shared_notes, "base": meeting.shared_notes}),
        "note_form": note_form or PrivateNoteForm(initial={"text": note.text if note else ""}),
        "note": note,
        "conflict": conflict,
        "problems": problems,
    }
    return render_page(request, "mentoring/meeting.html", context, status=status)


def _notes_post(request, pk: int, meeting_pk: int, *, held: bool):
    match = _pair_or_404(request, pk)
    meeting = _meeting_or_404(match, meeting_pk)
    form = SharedNotesForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, match, meeting, notes_form=form, status=400)
    text, base = form.cleaned_data["shared_notes"], form.cleaned_data["base"]
    try:
        if held:
            pairs.mark_held(meeting=meeting, by=request.user, shared_notes=text, base=base)
        else:
            pairs.update_shared_notes(meeting=meeting, by=request.user, text=text, base=base)
    except (ValidationError, PermissionDenied) as exc:
        meeting.refresh_from_db()
        fresh = SharedNotesForm(initial={"shared_notes": meeting.shared_notes, "base": meeting.shared_notes})
        return _meeting_page(
            request, match, meeting, notes_form=fresh, status=400, conflict=text, problems=_problems(exc)
        )
    messages.success(request, "The meeting is marked held." if held else "The notes are saved.")
    return redirect(pairs.meeting_url(meeting))


@login_required
@require_POST
def meeting_held(request, pk: int, meeting_pk: int):
    return _notes_post(request, pk, meeting_pk, held=True)


@login_required
@require_POST
def meeting_notes(request, pk: int, meeting_pk: int):
    return _notes_post(request, pk, meeting_pk, held=False)


@login_required
@require_POST
def meeting_private_note(request, pk: int, meeting_pk: int):
    match = _pair_or_404(request, pk)
    meeting = _meeting_or_404(match, meeting_pk)
    form = PrivateNoteForm(request.POST)
    if form.is_valid():
        try:
            note = pairs.save_private_note(meeting=meeting, by=request.user, text=form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _problems(exc))
        else:
            messages.success(request, "Your private note is saved." if note else "Your private note is removed.")
            return redirect(pairs.meeting_url(meeting) + "#my-note")
    return _meeting_page(request, match, meeting, note_form=form, status=400)


@login_required
@require_POST
def meeting_cancel(request, pk: int, meeting_pk: int):
    match = _pair_or_404(request, pk)
    meeting = _meeting_or_404(match, meeting_pk)
    try:
        pairs.cancel_meeting(meeting=meeting, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        return _refuse(request, match, exc, "meetings")
    messages.success(request, "The meeting is cancelled; you both get the cancellation for your calendars.")
    return redirect(pairs.pair_url(match, "meetings"))


@login_required
@require_safe
def meeting_ics(request, pk: int, meeting_pk: int):
    match = _pair_or_404(request, pk)
    meeting = _meeting_or_404(match, meeting_pk)
    response = HttpResponse(ical.invite(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mentoring-meeting-{meeting.pk}.ics"'
    return response


# --- check-ins -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, pk: int, checkin_pk: int):
    match = _pair_or_404(request, pk)
    # Someone else's check-in is theirs alone: not found, like anything one may not see.
    found = match.checkins.filter(pk=min(checkin_pk, MAX_ID), person=request.user).first()
    if found is None:
        raise Http404("Not found")
    found.match = match
    status = 200
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                pairs.answer_checkin(checkin=found, by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problems(exc))
                status = 400
            else:
                messages.success(request, "Thank you: your check-in is saved.")
                return redirect(pairs.pair_url(match, "checkins"))
        else:
            status = 400
    else:
        form = CheckInForm()
    context = {"match": match, "checkin": found, "form": form, "other": match.other(request.user)}
    return render(request, "mentoring/checkin.html", context, status=status)


# --- closing ---------------------------------------------------------------------------------------------------


def _portfolio_choice(request, value: str):
    """The portfolio chosen in a closing form: one of the person's own process portfolios, or None for the
    default (their latest, else a new one)."""
    if value in ("", "new"):
        return None
    found = pairs.process_portfolios(request.user).filter(pk=int(value)).first() if value.isdigit() else None
    if found is None:
        raise ValidationError("Choose one of your own process portfolios.")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def close(request, pk: int):
    match = _pair_or_404(request, pk)
    if Closing.objects.filter(match=match, person=request.user).exists():
        return redirect(pairs.pair_url(match, "closing"))
    if match.state not in (Match.State.ACTIVE, Match.State.CLOSED):
        return _refuse(request, match, ValidationError("Only a pair that has started can be closed."))
    portfolios = list(pairs.process_portfolios(request.user)[:20])
    status = 200
    if request.method == "POST":
        form = ClosingForm(request.POST, portfolios=portfolios)
        if form.is_valid():
            data = form.cleaned_data
            try:
                choice = data["portfolio"]
                pairs.close_pair(
                    match=match,
                    by=request.user,
                    reflection=data["reflection"],
                    rating=data["rating"] or None,
                    feedback=data["feedback"],
                    wants_to_continue=data["wants_to_continue"],
                    to_portfolio=bool(choice),
                    portfolio=_portfolio_choice(request, choice),
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problems(exc))
                status = 400
            else:
                messages.success(request, "Your closing is saved.")
                return redirect(pairs.pair_url(match, "closing"))
        else:
            status = 400
    else:
        form = ClosingForm(portfolios=portfolios)
    context = {"match": match, "form": form, "other": match.other(request.user)}
    return render(request, "mentoring/closing.html", context, status=status)


@login_required
@require_POST
def closing_portfolio(request, pk: int):
    match = _pair_or_404(request, pk)
    closing = Closing.objects.filter(match=match, person=request.user).first()
    if closing is None:
        raise Http404("You have not closed this pair.")
    form = PortfolioChoiceForm(request.POST, portfolios=list(pairs.process_portfolios(request.user)[:20]))
    try:
        if not form.is_valid():
            raise ValidationError("Choose one of your own process portfolios.")
        entry = pairs.add_reflection_to_portfolio(
            closing=closing, by=request.user, portfolio=_portfolio_choice(request, form.cleaned_data["portfolio"])
        )
    except (ValidationError, PermissionDenied) as exc:
        return _refuse(request, match, exc, "closing")
    messages.success(request, f"Your reflection is in your portfolio “{entry.portfolio.item.title}”.")
    return redirect(pairs.pair_url(match, "closing"))


@login_required
@require_POST
def continue_pair(request, pk: int):
    match = _pair_or_404(request, pk)
    try:
        new = pairs.continue_pair(match=match, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        return _refuse(request, match, exc, "closing")
    messages.success(request, "A new round has started: your unfinished goals and your agreement came along.")
    return redirect(pairs.pair_url(new))


# /mentoring/
urlpatterns = [
    path("pairs/", my_pairs, name="pairs"),
    path("pairs/<int:pk>/", pair, name="pair"),
    path("pairs/<int:pk>/agreement/", agreement_edit, name="pair-agreement"),
    path("pairs/<int:pk>/agreement/sign", agreement_sign, name="pair-sign"),
    path("pairs/<int:pk>/goals/", goal_add, name="pair-goal-add"),
    path("pairs/<int:pk>/goals/<int:goal_pk>/", goal_update, name="pair-goal"),
    path("pairs/<int:pk>/goals/<int:goal_pk>/delete", goal_delete, name="pair-goal-delete"),
    path("pairs/<int:pk>/meetings/new/", meeting_new, name="pair-meeting-new"),
    path("pairs/<int:pk>/meetings/log/", meeting_log, name="pair-meeting-log"),
    path("pairs/<int:pk>/meetings/<int:meeting_pk>/", meeting_detail, name="pair-meeting"),
    path("pairs/<int:pk>/meetings/<int:meeting_pk>/edit/", meeting_edit, name="pair-meeting-edit"),
    path("pairs/<int:pk>/meetings/<int:meeting_pk>/cancel", meeting_cancel, name="pair-meeting-cancel"),
    path("pairs/<int:pk>/meetings/<int:meeting_pk>/held", meeting_held, name="pair-meeting-held"),
    path("pairs/<int:pk>/meetings/<int:meeting_pk>/notes", meeting_notes, name="pair-meeting-notes"),
    path("pairs/<int:pk>/meetings/<int:meeting_pk>/my-note", meeting_private_note, name="pair-meeting-note"),
    path("pairs/<int:pk>/meetings/<int:meeting_pk>/invite.ics", meeting_ics, name="pair-meeting-ics"),
    path("pairs/<int:pk>/checkins/<int:checkin_pk>/", checkin, name="pair-checkin"),
    path("pairs/<int:pk>/close/", close, name="pair-close"),
    path("pairs/<int:pk>/close/portfolio", closing_portfolio, name="pair-closing-portfolio"),
    path("pairs/<int:pk>/continue", continue_pair, name="pair-continue"),
]
