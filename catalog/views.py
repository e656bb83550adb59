"""The course page at the item permalink /i/<id>/, the catalogue's browse page and the personal calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Exists, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from catalog import ical, queries, services
from catalog.forms import DURATIONS, RATINGS, CatalogForm, FeedActionForm, duration_q, rating_q, upcoming_sessions
from catalog.models import CalendarFeed, Course, Enrolment
from core.models import Item, ItemKind
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from lib.pagination import paginate

# The most common skills among the courses shown; rarer ones are found through the search box.
SKILL_FACET_SIZE = 15


def course_item(request, item):
    """A course: what it is, its sessions in the viewer's own time zone, and enrolling or withdrawing."""
    course = Course.objects.select_related("curator").get(item=item)
    course.item = item
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(item.get_absolute_url())
        try:
            _act(request, course)
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
    context = {
        "item": item,
        "course": course,
        "sessions": sessions,
        "self_paced_enrolment": by_session.get(None),
        "skills": course.skills.all(),
        "can_curate": services.can_curate(request.user, course),
    }
    return render(request, "catalog/course.html", context, status=status)


def _act(request, course: Course) -> None:
    action = request.POST.get("action", "")
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
    else:
        raise ValidationError("Choose to enrol or to withdraw.")


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
    """Each facet's choices with their counts, and how many courses have upcoming sessions: one query per facet,
    however many courses there are. A facet counts the courses the other facets leave, so its other choices stay
    visible."""
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
    # The chosen skill goes first, so it stays shown (and can be unchosen) however rare it is.
    is_chosen = Case(When(skill__slug=chosen["skill"], then=Value(1)), default=Value(0))
    skills = (
        in_skill.values("skill__slug", "skill__name")
        .annotate(n=Count("course_id"), is_chosen=is_chosen)
        .order_by("-is_chosen", "-n", "skill__name")
    )
    top = list(skills[:SKILL_FACET_SIZE])
    names = {s["skill__slug"]: s["skill__name"] for s in top}
    facets.append(options("skill", [(s["skill__slug"], s["n"]) for s in top], names))
    for name, labels in (
        ("format", dict(Course.Format.choices)),
        ("level", dict(Course.Level.choices)),
        ("language", {}),
    ):
        grouped = (
            form.narrow(courses, leave_out=name)
            .values(f"course__{name}")
            .annotate(n=Count("pk"))
            .order_by("-n", f"course__{name}")
        )
        facets.append(options(name, [(g[f"course__{name}"], g["n"]) for g in grouped], labels))
    buckets = form.narrow(courses, leave_out="duration").aggregate(
        **{value: Count("pk", filter=duration_q(value)) for value, *_ in DURATIONS}
    )
    facets.append(options("duration", [(d[0], buckets[d[0]]) for d in DURATIONS], {d[0]: d[1] for d in DURATIONS}))
    ratings = form.narrow(courses, leave_out="rating").aggregate(
        **{f"r{value}": Count("pk", filter=rating_q(int(value))) for value, _ in RATINGS}
    )
    facets.append(options("rating", [(value, ratings[f"r{value}"]) for value, _ in RATINGS], dict(RATINGS)))
    upcoming = form.narrow(courses, leave_out="upcoming").filter(Exists(upcoming_sessions())).count()
    return facets, upcoming


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
