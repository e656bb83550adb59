"""Background work of the catalogue: e-mailing calendar invites."""

from django.core.mail import EmailMessage
from django_tasks import task

from catalog import ical
from catalog.models import Enrolment
from core.models import SiteConfig


@task()
def send_invite(enrolment_id: int, method: str) -> bool:
    """E-mail the person their invite (METHOD:REQUEST) or its cancellation (METHOD:CANCEL) as an .ics attachment."""
    enrolment = (
        Enrolment.objects.select_related("person", "session__course__item__owner", "session__course__curator")
        .filter(pk=enrolment_id, session__isnull=False)
        .first()
    )
    if enrolment is None or not enrolment.person.email or not enrolment.person.is_active:
        return False
    session = enrolment.session
    title = session.course.item.title
    cancelled = method == "CANCEL" or session.cancelled
    subject = f"[{SiteConfig.load().name}] {'Cancelled' if cancelled else 'Invitation'}: {title}"
    body = (
        f"{'This session is off your calendar' if cancelled else 'You have a seat'}: {title}.\n"
        "The attached file updates your calendar."
    )
    message = EmailMessage(" ".join(subject.split())[:150], body, None, [enrolment.person.email])
    message.attach(
        "invite.ics",
        ical.invite(enrolment, method=method),
        f"text/calendar; method={'CANCEL' if cancelled else 'REQUEST'}",
    )
    message.send()
    return True
