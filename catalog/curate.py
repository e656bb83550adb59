"""The curator's pages: courses and their sessions, the roster, and importing the catalogue and calendars.

Every page is for the people ``services.can_curate`` lets manage a course (or, for adding courses and the
catalogue import, curators and admins); a course the person may not see is a 404, one they may see but
not manage a 403. Every write goes through ``catalog.services``, ``catalog.importing`` or ``catalog.ical``.

An import is previewed before it is confirmed: the uploaded bytes travel back with the preview in a
hidden field signed with ``django.core.signing`` (for this person, this kind of import and an hour), and
are planned again on confirmation, so what is written is checked against the catalogue as it is then.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import zlib
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import ical, importing, queries, services
from catalog.curate_forms import (
    CompletionForm,
    CourseForm,
    CoursesImportForm,
    RosterActionForm,
    SessionForm,
    SessionsImportForm,
    split_skills,
)
from catalog.models import Course, Enrolment, Session
from core.access import get_visible_or_404, visible_item_exists
from core.models import Item, ItemKind, Visibility
from lib.pagination import paginate

PENDING_SECONDS = 60 * 60  # how long a preview can be confirmed
PREVIEW_ROWS = 200  # rows of a preview or report shown; the counts cover every row
SIGNING_SALT = "catalog.curate.import"
# The roster's order: who needs something done first, the waiting list in its own order.
STATE_ORDER = [
    Enrolment.State.ENROLLED,
    Enrolment.State.WAITING,
    Enrolment.State.ATTENDED,
    Enrolment.State.COMPLETED,
    Enrolment.State.NO_SHOW,
    Enrolment.State.WITHDRAWN,
]


# --- access ----------------------------------------------------------------------------------------


def _require_curator_role(user) -> None:
    if not user.is_curator:
        raise PermissionDenied("Only curators and admins manage the catalogue.")


def _curated_course(request, course_id: int) -> Course:
    """A course the person may see (else 404) and manage (else 403)."""
    item = get_visible_or_404(
        request.user, Item.objects.select_related("course__curator", "space"), pk=course_id, kind=ItemKind.COURSE
    )
    course = item.course
    course.item = item
    if not services.can_curate(request.user, course):
        raise PermissionDenied("Only the course's curators manage it.")
    return course


def _session_of(course: Course, session_id: int) -> Session:
    session = course.sessions.filter(pk=session_id).first()
    if session is None:
        raise Http404("Not found")
    session.course = course
    return session


def _posted(request, what: str = "POST"):
    """What was posted (``POST`` or ``FILES``), even nothing at all, which the form then refuses; None for a
    blank form."""
    return getattr(request, what) if request.method == "POST" else None


def _problem(exc: Exception) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


# --- the curator's start page ----------------------------------------------------------------------


def _count(queryset) -> Coalesce:
    """A per-course count as a subquery, so several counts never multiply each other's rows."""
    counted = queryset.filter(course_id=OuterRef("pk")).order_by().values("course_id").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def _awaiting_confirmation():
    return Enrolment.objects.filter(
        state=Enrolment.State.COMPLETED, self_reported=True, confirmed_at__isnull=True
    ).exclude(person__is_active=False)


@login_required
@require_GET
def index(request):
    """The courses a curator runs (or every course), with what waits for them: completions to confirm."""
    _require_curator_role(request.user)
    show = "all" if request.GET.get("show") == "all" else "mine"
    q = " ".join(request.GET.get("q", "").split())[:200]
    courses = Item.objects.visible_to(request.user).filter(kind=ItemKind.COURSE)
    if show == "mine":
        courses = courses.filter(Q(course__curator=request.user) | Q(owner=request.user))
    if q:
        courses = courses.filter(Q(title__icontains=q) | Q(course__code__icontains=q))
    upcoming = Session.objects.filter(starts__gt=timezone.now(), cancelled_at__isnull=True)
    rows = (
        courses.select_related("course__curator")
        .annotate(
            upcoming=_count(upcoming),
            enrolled=_count(Enrolment.objects.exclude(state=Enrolment.State.WITHDRAWN)),
            to_confirm=_count(_awaiting_confirmation()),
        )
        .order_by("-to_confirm", "title", "pk")
    )
    waiting = (
        _awaiting_confirmation()
        .filter(visible_item_exists(request.user, "course_id"))
        .select_related("person", "course__item")
        .order_by("completed_at", "pk")
    )
    if show == "mine":
        waiting = waiting.filter(Q(course__curator=request.user) | Q(course__item__owner=request.user))
    context = {
        "show": show,
        "q": q,
        "page": paginate(rows, request, per_page=30),
        "waiting": list(waiting[:10]),
    }
    return render(request, "catalog/curate/index.html", context)


# --- courses ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request):
    _require_curator_role(request.user)
    status = 200
    form = CourseForm(_posted(request), user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                course = services.create_course(
                    actor=request.user, space=form.cleaned_data["space"], **form.service_fields()
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
            else:
                messages.success(
                    request,
                    "The course is in the catalogue."
                    + ("" if course.self_paced else " Add its sessions so people can enrol."),
                )
                return redirect("catalog:curate-course", course.pk)
        status = 400
    return render(request, "catalog/curate/course_form.html", {"form": form, "course": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, course_id: int):
    course = _curated_course(request, course_id)
    status = 200
    form = CourseForm(_posted(request), user=request.user, course=course)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_course(actor=request.user, course=course, **form.service_fields())
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
            else:
                messages.success(request, "The course is saved.")
                return redirect("catalog:curate-course", course.pk)
        status = 400
    return render(request, "catalog/curate/course_form.html", {"form": form, "course": course}, status=status)


@login_required
@require_GET
def manage(request, course_id: int):
    """One course as its curator sees it: its sessions (in the zone each was planned in) and its roster's counts."""
    course = _curated_course(request, course_id)
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    now = timezone.now()
    sessions = queries.sessions_with_seats(course)
    if when == "past":
        sessions = sessions.filter(ends__lte=now).order_by("-starts", "-pk")
    else:
        sessions = sessions.filter(ends__gt=now)
    counts = dict(course.enrolments.order_by().values_list("state").annotate(n=Count("pk")))
    to_confirm = _awaiting_confirmation().filter(course=course).count()
    context = {
        "course": course,
        "item": course.item,
        "when": when,
        "page": paginate(sessions, request, per_page=50),
        "now": now,
        "counts": [(state, label, counts.get(state, 0)) for state, label in _states()],
        "to_confirm": to_confirm,
        "skills": course.skills.all(),
    }
    return render(request, "catalog/curate/course.html", context)


def _states():
    labels = dict(Enrolment.State.choices)
    return [(state, labels[state]) for state in STATE_ORDER]


# --- sessions --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_add(request, course_id: int):
    course = _curated_course(request, course_id)
    status = 200
    form = SessionForm(_posted(request), user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_session(
                    actor=request.user,
                    course=course,
                    starts=data["starts"],
                    ends=data["ends"],
                    time_zone=data["time_zone"],
                    place=data["place"],
                    online_url=data["online_url"],
                    capacity=data["capacity"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
            else:
                messages.success(request, "The session is added: people can enrol on it now.")
                return redirect("catalog:curate-course", course.pk)
        status = 400
    context = {"form": form, "course": course, "item": course.item, "session": None}
    return render(request, "catalog/curate/session_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, course_id: int, session_id: int):
    course = _curated_course(request, course_id)
    session = _session_of(course, session_id)
    status = 200
    form = SessionForm(_posted(request), user=request.user, session=session)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_session(
                    actor=request.user,
                    session=session,
                    starts=data["starts"],
                    ends=data["ends"],
                    time_zone=data["time_zone"],
                    place=data["place"],
                    online_url=data["online_url"],
                    capacity=data["capacity"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
            else:
                messages.success(request, "The session is saved; everyone holding a seat gets the updated invitation.")
                return redirect("catalog:curate-course", course.pk)
        status = 400
    seated = session.enrolments.filter(state=Enrolment.State.ENROLLED).count()
    context = {"form": form, "course": course, "item": course.item, "session": session, "seated": seated}
    return render(request, "catalog/curate/session_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request, course_id: int, session_id: int):
    """Ask first, then call the session off: everyone holding a seat receives a cancellation."""
    course = _curated_course(request, course_id)
    session = _session_of(course, session_id)
    if request.method == "POST":
        try:
            services.cancel_session(actor=request.user, session=session)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_problem(exc)))
        else:
            messages.success(request, "The session is cancelled; everyone holding a seat gets a cancellation.")
        return redirect("catalog:curate-course", course.pk)
    counts = dict(session.enrolments.order_by().values_list("state").annotate(n=Count("pk")))
    context = {
        "course": course,
        "item": course.item,
        "session": session,
        "seated": counts.get(Enrolment.State.ENROLLED, 0),
        "waiting": counts.get(Enrolment.State.WAITING, 0),
    }
    return render(request, "catalog/curate/session_cancel.html", context)


# --- the roster ------------------------------------------------------------------------------------


def _roster_context(request, course: Course, session: Session | None, *, action_form=None, completion_form=None):
    enrolments = course.enrolments.all()
    if session is not None:
        enrolments = enrolments.filter(session=session)
    counts = dict(enrolments.order_by().values_list("state").annotate(n=Count("pk")))
    state = request.GET.get("state", "")
    if state not in Enrolment.State.values:
        state = ""
    rows = enrolments.filter(state=state) if state else enrolments
    order = Case(*[When(state=s, then=Value(i)) for i, s in enumerate(STATE_ORDER)], output_field=IntegerField())
    # Self-reported completions waiting for a curator come before the confirmed ones.
    awaiting = Case(
        When(state=Enrolment.State.COMPLETED, self_reported=True, confirmed_at__isnull=True, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    # Each person's place among those of the same state on the same session: the waiting list's order.
    rank = Window(RowNumber(), partition_by=[F("session_id"), F("state")], order_by=F("waiting_position").asc())
    rows = (
        rows.select_related("person", "session", "confirmed_by")
        .annotate(rank=rank)
        .order_by(order.asc(), awaiting.asc(), "waiting_position", "session__starts", "person__display_name", "pk")
    )
    page = paginate(rows, request, per_page=100)
    now = timezone.now()
    for enrolment in page.rows:
        enrolment.can_take_attendance = (
            enrolment.session is not None
            and enrolment.session.starts <= now
            and enrolment.state in (Enrolment.State.ENROLLED, Enrolment.State.ATTENDED, Enrolment.State.NO_SHOW)
        )
        enrolment.can_complete = enrolment.state in (
            Enrolment.State.ENROLLED,
            Enrolment.State.ATTENDED,
            Enrolment.State.NO_SHOW,
        )
        enrolment.can_confirm = (
            enrolment.state == Enrolment.State.COMPLETED
            and enrolment.self_reported
            and enrolment.confirmed_at is None
            and enrolment.person_id != request.user.pk
        )
    sessions = list(queries.sessions_with_seats(course)) if session is None else []
    return {
        "course": course,
        "item": course.item,
        "session": session,
        "sessions": sessions,
        "state": state,
        "state_label": dict(Enrolment.State.choices).get(state, ""),
        "counts": [(s, label, counts.get(s, 0)) for s, label in _states()],
        "total": sum(counts.values()),
        "page": page,
        "now": now,
        "here": request.get_full_path(),
        "action_form": action_form,
        "completion_form": completion_form or CompletionForm(user=request.user),
    }


@login_required
@require_GET
def roster(request, course_id: int, session_id: int | None = None):
    """Everyone on a course (or one session): enrolled, waiting in order, withdrawn, attended, completed."""
    course = _curated_course(request, course_id)
    wanted = request.GET.get("session", "")
    if session_id is None and wanted.isdigit():  # the session picker, which works without JavaScript
        return redirect("catalog:curate-session-roster", course.pk, _session_of(course, int(wanted)).pk)
    session = _session_of(course, session_id) if session_id is not None else None
    return render(request, "catalog/curate/roster.html", _roster_context(request, course, session))


def _back_to_roster(request, course: Course) -> str:
    wanted = request.POST.get("next", "")
    prefix = reverse("catalog:curate-course", args=[course.pk])
    if wanted.startswith(prefix) and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("catalog:curate-roster", args=[course.pk])


ACTION_DONE = {
    "attended": "Marked {n} as attended.",
    "no_show": "Marked {n} as not attending.",
    "complete": "Recorded {n} completion{s}.",
    "confirm": "Confirmed {n} completion{s}.",
}


def _act_on(actor, enrolment: Enrolment, action: str) -> None:
    if action in ("attended", "no_show"):
        services.record_attendance(actor=actor, enrolment=enrolment, attended=action == "attended")
    elif action == "complete":
        services.record_completion(actor=actor, enrolment=enrolment)
    else:
        services.confirm_completion(actor=actor, enrolment=enrolment)


@login_required
@require_POST
def roster_act(request, course_id: int):
    """Mark attendance, record or confirm completions: for one person (their row's button) or everyone ticked.

    All of them or none: one refusal leaves every enrolment as it was, and names each person refused."""
    course = _curated_course(request, course_id)
    form = RosterActionForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        action, ids = form.cleaned_data["action"], form.cleaned_data["enrolments"]
        enrolments = list(course.enrolments.filter(pk__in=ids).select_related("person"))
        if len(enrolments) != len(set(ids)):
            problems.append("Some of those people are not on this course's roster.")
        else:
            with transaction.atomic():
                for enrolment in enrolments:
                    try:
                        with transaction.atomic():
                            _act_on(request.user, enrolment, action)
                    except (ValidationError, PermissionDenied) as exc:
                        problems.extend(f"{enrolment.person.name}: {m}" for m in _problem(exc))
                if problems:
                    transaction.set_rollback(True)
        if not problems:
            n = len(enrolments)
            messages.success(request, ACTION_DONE[action].format(n=n, s="" if n == 1 else "s"))
            return redirect(_back_to_roster(request, course))
    else:
        problems = [m for errors in form.errors.values() for m in errors]
    messages.error(request, "Nothing was changed. " + " ".join(problems))
    session = None
    wanted = request.POST.get("session", "")
    if wanted.isdigit():
        session = course.sessions.filter(pk=wanted).first()
    context = _roster_context(request, course, session, action_form=form)
    return render(request, "catalog/curate/roster.html", context, status=400)


@login_required
@require_POST
def record_completion(request, course_id: int):
    """A completion for someone with no enrolment here (they took the course elsewhere) or on their latest one."""
    course = _curated_course(request, course_id)
    form = CompletionForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.record_completion(actor=request.user, course=course, person=form.cleaned_data["person"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("person", _problem(exc))
        else:
            messages.success(request, f"{form.cleaned_data['person'].name}'s completion is recorded.")
            return redirect("catalog:curate-roster", course.pk)
    context = _roster_context(request, course, None, completion_form=form)
    return render(request, "catalog/curate/roster.html", context, status=400)


# --- suggestions for the forms' boxes --------------------------------------------------------------


@login_required
@require_GET
def suggest_skills(request):
    """Whole values for the skills box: the skills chosen so far, then each completion of the last one typed."""
    from people.models import Skill

    text = request.GET.get("skills", "")[:4000]
    names = split_skills(text)
    options = []
    if names and not text.rstrip().endswith(";") and len(names[-1]) >= 2:
        done = names[:-1]
        chosen = {n.lower() for n in done}
        for skill in Skill.objects.suggestions(names[-1], limit=10):
            if skill.name.lower() not in chosen:
                label = f"{skill.parent.name} › {skill.name}" if skill.parent else skill.name
                options.append(("; ".join([*done, skill.name]), label))
    return render(request, "catalog/curate/partials/options.html", {"options": options})


@login_required
@require_GET
def suggest_people(request):
    """Usernames for the curator and completion boxes, among the people the viewer may see."""
    text = (request.GET.get("curator") or request.GET.get("person") or "").strip().lstrip("@")[:150]
    options = []
    if len(text) >= 2:
        people = (
            get_user_model()
            .objects.visible_to(request.user)
            .filter(is_active=True)
            .filter(
                Q(username__istartswith=text)
                | Q(display_name__istartswith=text)
                | Q(display_name__icontains=" " + text)
            )
            .order_by("username")[:8]
        )
        options = [(p.username, p.name) for p in people]
    return render(request, "catalog/curate/partials/options.html", {"options": options})


# --- imports: preview, then confirm ----------------------------------------------------------------


def _sign_upload(request, data: bytes, *, kind: str, name: str, extra: dict | None = None) -> str:
    payload = {
        "user": request.user.pk,
        "kind": kind,
        "name": name[:200],
        "data": base64.b64encode(zlib.compress(data, 6)).decode("ascii"),
        "extra": extra or {},
        "nonce": secrets.token_urlsafe(16),
    }
    return signing.dumps(payload, salt=SIGNING_SALT)


def _pending_upload(request, *, kind: str) -> dict | None:
    """The upload a preview carried back, when it is this person's, of this kind and still fresh; else None."""
    token = request.POST.get("pending", "")
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=PENDING_SECONDS)
        if payload.get("user") != request.user.pk or payload.get("kind") != kind:
            return None
        payload["bytes"] = zlib.decompress(base64.b64decode(payload["data"]))
    except (signing.BadSignature, binascii.Error, zlib.error, ValueError, TypeError, AttributeError):
        return None
    return payload


def _claim(payload: dict) -> bool:
    """True the first time a preview is confirmed: a second click or a resubmitted page imports nothing again."""
    return cache.add(f"catalog:curate:import:{payload['nonce']}", 1, PENDING_SECONDS * 2)


def _release(payload: dict) -> None:
    cache.delete(f"catalog:curate:import:{payload['nonce']}")


def _courses_preview(plan: importing.CoursesPlan) -> dict:
    """What the preview shows of a plan: counts of every row, and the first rows and problems."""
    report = plan.report()
    return {
        "to_add": sum(1 for row in plan.rows if row.action == "add"),
        "to_update": sum(1 for row in plan.rows if row.action == "update"),
        "bad_lines": len(plan.errors),
        "rows": [
            {
                "line": row.line,
                "action": row.action,
                "code": row.fields["code"],
                "title": row.fields["title"],
                "format": Course.Format(row.fields["format"]).label,
                "level": Course.Level(row.fields["level"]).label,
                "skills": [skill.name for skill in row.fields["skills"]],
                "visibility": Visibility(row.fields["visibility"]).label,
            }
            for row in plan.rows[:PREVIEW_ROWS]
        ],
        "problems": report[:PREVIEW_ROWS],
        "more_problems": max(len(report) - PREVIEW_ROWS, 0),
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_courses(request):
    """The catalogue from a CSV: upload, see what it would add and change (and every bad row), then confirm."""
    _require_curator_role(request.user)
    context = {"preview_rows": PREVIEW_ROWS, "columns": importing.COLUMNS}
    if request.method == "POST" and "pending" in request.POST:
        pending = _pending_upload(request, kind="courses")
        if pending is None:
            messages.error(request, "That preview has expired or is not yours. Upload the file again.")
            return redirect("catalog:curate-import")
        if "cancel" in request.POST:
            messages.info(request, "Nothing was imported.")
            return redirect("catalog:curate-import")
        plan = importing.plan_courses_import(pending["bytes"], actor=request.user)
        context.update(filename=pending["name"], plan=plan, preview=_courses_preview(plan))
        if not plan.ok:  # the catalogue changed since the preview: show what is wrong now
            context["form"] = CoursesImportForm()
            return render(request, "catalog/curate/import_courses.html", context, status=400)
        if not _claim(pending):
            messages.info(request, "This file was imported already.")
            return redirect("catalog:curate")
        try:
            courses = importing.apply_courses_import(plan, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            _release(pending)
            context.update(failure=_problem(exc), plan=None, form=CoursesImportForm())
            return render(request, "catalog/curate/import_courses.html", context, status=400)
        done = [(row.action, course) for row, course in zip(plan.rows, courses, strict=True)]
        context.update(
            plan=None,
            done=done[:PREVIEW_ROWS],
            added=sum(1 for action, _ in done if action == "add"),
            updated=sum(1 for action, _ in done if action == "update"),
            form=CoursesImportForm(),
        )
        return render(request, "catalog/curate/import_courses.html", context)
    form = CoursesImportForm(_posted(request), _posted(request, "FILES"))
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "catalog/curate/import_courses.html", context, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = importing.plan_courses_import(data, actor=request.user)
        context.update(filename=upload.name[:200], plan=plan, preview=_courses_preview(plan))
        if plan.ok:
            context["pending"] = _sign_upload(request, data, kind="courses", name=upload.name)
        return render(request, "catalog/curate/import_courses.html", context, status=200 if plan.ok else 400)
    return render(request, "catalog/curate/import_courses.html", context)


def _sessions_preview(plan: ical.SessionsPlan) -> dict:
    """The plan, each multi-day all-day session with its last day (its end is the next midnight), and how many
    sessions are past or to come."""
    now = timezone.now()
    for planned in plan.sessions:
        long = planned.all_day and planned.ends - planned.starts > timedelta(days=1)
        planned.last_day = (planned.local_ends - timedelta(days=1)).date() if long else None
    past = sum(1 for planned in plan.sessions if planned.starts <= now)
    return {"plan": plan, "past": past, "upcoming": len(plan.sessions) - past}


@login_required
@require_http_methods(["GET", "POST"])
def import_sessions(request, course_id: int):
    """A course's sessions from a calendar file: upload, see every session in its own zone, then confirm."""
    course = _curated_course(request, course_id)
    kind = f"sessions:{course.pk}"
    context = {"course": course, "item": course.item, "preview_rows": ical.MAX_SESSIONS}
    if request.method == "POST" and "pending" in request.POST:
        pending = _pending_upload(request, kind=kind)
        if pending is None:
            messages.error(request, "That preview has expired or is not yours. Upload the file again.")
            return redirect("catalog:curate-import-sessions", course.pk)
        if "cancel" in request.POST:
            messages.info(request, "Nothing was imported.")
            return redirect("catalog:curate-course", course.pk)
        extra = pending["extra"]
        plan = ical.plan_sessions_import(
            pending["bytes"], course, default_time_zone=extra.get("time_zone", "UTC"), capacity=extra.get("capacity")
        )
        context.update(filename=pending["name"], **_sessions_preview(plan))
        if not plan.ok:  # the course changed since the preview (it became self-paced, say)
            context["form"] = SessionsImportForm(user=request.user)
            return render(request, "catalog/curate/import_sessions.html", context, status=400)
        if not _claim(pending):
            messages.info(request, "This calendar was imported already.")
            return redirect("catalog:curate-course", course.pk)
        try:
            ical.apply_sessions_import(plan, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            _release(pending)
            context.update(failure=_problem(exc), plan=None, form=SessionsImportForm(user=request.user))
            return render(request, "catalog/curate/import_sessions.html", context, status=400)
        context.update(done=plan, plan=None)
        return render(request, "catalog/curate/import_sessions.html", context)
    form = SessionsImportForm(_posted(request), _posted(request, "FILES"), user=request.user)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "catalog/curate/import_sessions.html", context, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        extra = {"time_zone": form.cleaned_data["time_zone"], "capacity": form.cleaned_data["capacity"]}
        plan = ical.plan_sessions_import(data, course, default_time_zone=extra["time_zone"], capacity=extra["capacity"])
        context.update(filename=upload.name[:200], **_sessions_preview(plan))
        if plan.ok:
            context["pending"] = _sign_upload(request, data, kind=kind, name=upload.name, extra=extra)
        return render(request, "catalog/curate/import_sessions.html", context, status=200 if plan.ok else 400)
    return render(request, "catalog/curate/import_sessions.html", context)
