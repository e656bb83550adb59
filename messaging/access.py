"""Who may open a conversation with whom, and who may write in it.

Built on ``core.access``: you may start a conversation with anyone whose profile you may see
(``can_view`` on the person, so a guest only with the people of their spaces). A conversation, once it
exists, stays open to its two people and to nobody else, site admins included: its URL names only the
other person, so there is no address for a third party to try. You may also answer someone who wrote to
you even if you could not find them yourself (a member writing to a guest outside the guest's spaces):
a message nobody can answer is a dead end, and answering reveals no one the guest was not already shown.
"""

from __future__ import annotations

from core.access import can_view
from messaging.models import Conversation, Message


def may_open(user, other, conversation: Conversation | None) -> bool:
    """May ``user`` see their thread with ``other`` (empty if they never wrote)?"""
    if not user.is_authenticated or other.pk == user.pk:
        return False
    return conversation is not None or can_view(user, other)


def may_write(user, other, conversation: Conversation | None) -> bool:
    """May ``user`` send ``other`` a message now? (Why not, in words: ``why_not_write``.)"""
    return why_not_write(user, other, conversation) is None


def why_not_write(user, other, conversation: Conversation | None) -> str | None:
    if not user.is_authenticated:
        return "Sign in to send messages."
    if other.pk == user.pk:
        return "You cannot send a message to yourself."
    if not other.is_active:
        return f"{other.name}'s account is closed: they cannot receive messages."
    if can_view(user, other):
        return None
    if conversation is not None and Message.objects.filter(conversation=conversation, sender=other).exists():
        return None
    return f"You can no longer write to {other.name}: you share no space with them."
