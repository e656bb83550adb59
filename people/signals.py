"""Applying an invitation when the person it invited signs up (by password or single sign-on)."""

import logging

from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)


def apply_invitation(sender, request, user, **kwargs):
    from people import services
    from people.adapters import invitation_for

    invitation = invitation_for(request)
    if invitation is None:
        return
    request.session.pop("invitation_token", None)
    if (user.email or "").lower() != invitation.email.lower():
        return
    try:
        services.accept_invitation(invitation=invitation, user=user, new_account=True)
    except ValidationError as exc:
        # Accepted meanwhile in another tab, or expired during sign-up: the account stands.
        log.info("invitation %s not applied to %s: %s", invitation.pk, user.username, exc.messages)


def index_new_person(sender, request, user, **kwargs):
    """Make a newcomer findable at once, before they ever edit their profile."""
    from search.index import schedule_index

    schedule_index(user)
