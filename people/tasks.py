"""Background work for people: sending invitation e-mails."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task


@task()
def send_invitation_email(invitation_id: int) -> bool:
    from core.models import SiteConfig
    from people.models import Invitation
    from people.services import INVITATION_DAYS

    invitation = (
        Invitation.objects.select_related("invited_by", "space")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    context = {
        "invitation": invitation,
        "brand": SiteConfig.load(),
        "link": settings.SITE_URL.rstrip("/") + reverse("people:invite", args=[invitation.token]),
        "days": INVITATION_DAYS,
    }
    subject = " ".join(render_to_string("people/email/invitation_subject.txt", context).split())
    body = render_to_string("people/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return True
