"""The course page at the item permalink /i/<id>/, the catalogue's browse page and the personal calendar feed."""

from functools import reduce
from operator import and_

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from catalog import ical, queries, services
from catalog.forms import (
    DURATIONS,
    RATINGS,
    CatalogForm,
    CompletionReportForm,
    FeedActionForm,
    duration_q,
    rating_q,
    upcoming_sessions,
)
from catalog.models import CalendarFeed, Course, Enrolment
from core.models import Item, ItemKind
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from lib.pagination import paginate
from people.languages import language_name
from people.models import Skill

# The most common skills among the courses shown; rarer ones are found through the search box.
SKILL_FACET_SIZE = 15


def course_item(request, item):
    """A course: what it is, its sessions in the viewer's own time zone, enrolling or withdrawing, reporting that one
    completed it, and the reading lists and wiki pages about the same skills."""
    course = Course.objects.select_related("curator").get(item=item)
    course.item = item
    status = 200
    action = request.POST.get("action", "") if request.method == "POST" else ""
    report_form = CompletionReportForm(request.POST if action == "report" else None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(item.get_absolute_url())
        try:
            _act(request, course, action=action, report_form=report_form)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
            status = 400
        else:
            return redirect(item.get_absolute_url())
    mine = list(queries.enrolments_of(request.user, course)) if request.user.is_authenticated else []
    by_session = {e.session_id: e for e in mine if e.state != Enrolment.State.WITHDRAWN}
    sessions = list(queries.sessions_with_seats(course))
    for session in sessions:
        session.mine = by_session.get(session.pk)
        session.open = not session.cancelled and session.starts > timezone.now()
        session.full = session.capacity is not None and session.seated >= session.capacity
    # The enrolment a report of completing would change: the service takes the newest one not withdrawn, too.
    current = next((e for e in mine if e.state != Enrolment.State.WITHDRAWN), None)
    awaiting = current is not None and current.state == Enrolment.State.COMPLETED and not current.verified_completion
    if awaiting and not report_form.is_bound:
        report_form = CompletionReportForm(initial={"evidence": current.evidence, "evidence_url": current.evidence_url})
    skills = list(course.skills.all())
    context = {
        "item": item,
        "course": course,
        "sessions": sessions,
        "self_paced_enrolment": by_session.get(None),
        "skills": skills,
        "can_curate": services.can_curate(request.user, course),
        "completion": current if current is not None and current.state == Enrolment.State.COMPLETED else None,
        "can_report": current is not None and (current.state in REPORTABLE or awaiting),
        "report_form": report_form,
        "related": queries.related_to_course(request.user, skills),
    }
    return render(request, "catalog/course.html", context, status=status)


# Who is offered "I completed this": people holding a seat or a self-paced place, and those who attended.
REPORTABLE = (Enrolment.State.ENROLLED, Enrolment.State.ATTENDED)


def _act(request, course: Course, *, action: str, report_form: CompletionReportForm) -> None:
    if action == "enrol":
        session_id = request.POST.get("session", "")
        if session_id:
            session = course.sessions.filter(pk=session_id).first() if session_id.isdigit() else None
            if session is None:
                raise ValidationError("That session does not exist.")
            enrolment = services.enrol(person=request.user, session=session)
        else:
            enrolment = services.enrol(person=request.user, course=course)
        if enrolment.state == Enrolment.State.WAITING:
            messages.info(request, "The session is full: you are on its waiting list.")
        else:
            messages.success(request, "You are enrolled.")
    elif action == "withdraw":
        enrolment_id = request.POST.get("enrolment", "")
        enrolment = (
            course.enrolments.filter(pk=enrolment_id, person=request.user).first() if enrolment_id.isdigit() else None
        )
        if enrolment is None:
            raise ValidationError("That enrolment does not exist.")
        services.withdraw(actor=request.user, enrolment=enrolment)
        messages.success(request, "You have withdrawn.")
    elif action == "report":
        if report_form.is_valid():
            try:
                services.self_report_completion(person=request.user, course=course, **report_form.cleaned_data)
            except ValidationError as exc:
                report_form.add_error(None, exc)
        if report_form.errors:
            # The details are beside the form, which keeps what the person typed.
            raise ValidationError("Your report of completing the course is not saved yet: see below.")
        messages.success(request, "Thank you: your completion is recorded. A curator will confirm it.")
    else:
        raise ValidationError("Choose to enrol, to withdraw or to report that you completed the course.")


# --- the catalogue's own pages ----------------------------------------------------------------------


@login_required
@require_GET
@cache_for_viewer
def browse(request):
    """Every course the viewer may see, narrowed by facets that show how many courses each choice leaves."""
    form = CatalogForm(request.GET)
    courses = Item.objects.visible_to(request.user).filter(kind=ItemKind.COURSE)
    if not form.is_valid():
        context = {"form": form, "facets": [], "page": paginate(courses.none(), request, per_page=20)}
        return render_page(request, "catalog/browse.html", context, partial="results", status=400)
    rows = (
        form.sorted(form.narrow(courses))
        .select_related("course")
        .prefetch_related("course__skills")
        .annotate(has_upcoming=Exists(upcoming_sessions()))
    )
    page = paginate(rows, request, per_page=20)
    facets, upcoming_count = _facets(form, courses)
    context = {"form": form, "facets": facets, "upcoming_count": upcoming_count, "page": page}
    return render_page(request, "catalog/browse.html", context, partial="results")


def _facets(form, courses) -> tuple[list[dict], int]:
    """Each facet's choices with their counts, and how many courses have upcoming sessions, in three queries however
    many courses there are. A facet counts the courses the other facets leave, so its other choices stay visible."""
    chosen = form.cleaned_data

    def options(name, counted, labels):
        return {
            "name": name,
            "label": form.fields[name].label or name.capitalize(),
            "any": not chosen[name],
            "options": [
                {"value": value, "label": labels.get(value, value), "count": n, "checked": chosen[name] == value}
                for value, n in counted
                if n or chosen[name] == value
            ],
        }

    facets = []
    in_skill = Course.skills.through.objects.filter(course_id__in=form.narrow(courses, leave_out="skill").values("pk"))
    # Counted by the skill's id, then named: grouping the courses' 18,000 skill rows by name sorted them all by text
    # (90 ms on PostgreSQL at 10,000 courses). Only the skills that can make the list are named: those counted at
    # least as often as the last place, and the chosen one.
    per_skill = dict(in_skill.values_list("skill_id").annotate(n=Count("course_id")).order_by())
    ranked = sorted(per_skill.values(), reverse=True)
    least = ranked[SKILL_FACET_SIZE - 1] if len(ranked) >= SKILL_FACET_SIZE else 0
    contenders = Q(pk__in=[pk for pk, n in per_skill.items() if n >= least])
    if chosen["skill"]:
        contenders |= Q(slug=chosen["skill"])
    named = Skill.objects.filter(contenders).values_list("pk", "slug", "name")
    # The chosen skill goes first, so it stays shown (and can be unchosen) however rare it is, even with no course.
    top = sorted(named, key=lambda s: (s[1] != chosen["skill"], -per_skill.get(s[0], 0), s[2]))[:SKILL_FACET_SIZE]
    facets.append(
        options("skill", [(slug, per_skill.get(pk, 0)) for pk, slug, _ in top], {slug: name for _, slug, name in top})
    )

    # The other facets in one pass over the courses the search, the skill and "upcoming" leave, grouped by
    # language: each count applies the choices of every facet but its own. (A query per facet read the same
    # courses six times: 160 ms instead of 75 ms at 10,000 courses on SQLite.)
    columns = form.column_conditions()

    def others(name: str) -> Q:
        return reduce(and_, [condition for facet, condition in columns.items() if facet != name], Q())

    choices = {
        "format": [(value, Q(course__format=value)) for value in Course.Format.values],
        "level": [(value, Q(course__level=value)) for value in Course.Level.values],
        "duration": [(value, duration_q(value)) for value, *_ in DURATIONS],
        "rating": [(value, rating_q(int(value))) for value, _ in RATINGS],
    }
    counts = {"language": Count("pk", filter=others("language"))}
    for name, pairs in choices.items():
        counts.update({f"{name}_{n}": Count("pk", filter=others(name) & q) for n, (_, q) in enumerate(pairs)})
    # "Upcoming" counts the courses every other facet leaves that have upcoming sessions; when it is chosen, the
    # courses it leaves are those already.
    counts["upcoming"] = Count(
        "pk", filter=others("") & (Q() if chosen["upcoming"] else Q(Exists(upcoming_sessions())))
    )
    grouped = list(
        form.narrow(courses, leave_out=set(columns)).values("course__language").annotate(**counts).order_by()
    )
    total = {key: sum(row[key] for row in grouped) for key in counts}
    labels = {
        "format": dict(Course.Format.choices),
        "level": dict(Course.Level.choices),
        "duration": {value: label for value, label, *_ in DURATIONS},
        "rating": dict(RATINGS),
    }
    for name in ("format", "level"):
        counted = [(value, total[f"{name}_{n}"]) for n, (value, _) in enumerate(choices[name])]
        facets.append(options(name, sorted(counted, key=lambda c: (-c[1], c[0])), labels[name]))
    languages = {row["course__language"]: row["language"] for row in grouped}
    if chosen["language"]:
        languages.setdefault(chosen["language"], 0)
    named = {code: language_name(code) for code in languages}
    facets.append(options("language", sorted(languages.items(), key=lambda c: (-c[1], named[c[0]])), named))
    for name in ("duration", "rating"):
        counted = [(value, total[f"{name}_{n}"]) for n, (value, _) in enumerate(choices[name])]
        facets.append(options(name, counted, labels[name]))
    return facets, total["upcoming"]


def calendar_feed(request, token: str):
    """The personal feed a calendar app reads without signing in: the secret token is the only key."""
    feed = services.feed_for_token(token)
    if feed is None or not feed.person.is_active:
        raise Http404("No calendar feed at this address.")
    response = HttpResponse(ical.personal_feed(feed.person), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="courses.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """Create, replace or turn off the secret feed address; a new address is shown once, right after it is made."""
    live = CalendarFeed.objects.filter(person=request.user, revoked_at__isnull=True).first()
    feed_url = None
    status = 200
    form = FeedActionForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif form.cleaned_data["action"] == "create":
            live, token = services.create_calendar_feed(person=request.user)
            feed_url = request.build_absolute_uri(reverse("catalog:calendar-feed", args=[token]))
        elif live is None:
            form.add_error("action", "There is no feed to turn off.")
            status = 400
        else:
            services.revoke_calendar_feed(actor=request.user, feed=live)
            live = None
            messages.success(request, "Your calendar feed is off: calendars subscribed to it stop updating.")
            return redirect("catalog:calendar")
    context = {
        "form": form,
        "live": live,
        "feed_url": feed_url,
        "webcal_url": feed_url and "webcal://" + feed_url.split("://", 1)[1],
    }
    response = render(request, "catalog/calendar.html", context, status=status)
    if feed_url:
        response["Cache-Control"] = "no-store"  # the secret address must not linger in any cache
    return response
