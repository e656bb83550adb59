"""The course page at the item permalink /i/<id>/; the catalogue's own pages come later."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from catalog import queries, services
from catalog.models import Course, Enrolment


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
