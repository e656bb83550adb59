"""Reads for conversations: the inbox, a thread's pages, unread counts.

Every read starts from the reader's own ``Participant`` rows or from the conversation of the reader and one
other person, so a conversation is only ever read by its two people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Substr

from messaging.models import Conversation, Message, Participant

THREAD_PAGE = 50
UNREAD_CAP = 100
UNREAD_TTL = 60
PREVIEW_CHARS = 140
MAX_ID = 2**63 - 1  # ids from the address bar beyond this are no row's, and would overflow the database's integer
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the read marker of someone who never opened the conversation


# An open thread asks for new messages every 10 s; someone who asked within this many seconds is looking at it.
LOOKING_TTL = 25


def looking_key(user_id: int, conversation_id: int) -> str:
    return f"messages:looking:{conversation_id}:{user_id}"


def is_looking(user_id: int, conversation_id: int) -> bool:
    """Has ``user_id`` the conversation open on screen right now (it polled within ``LOOKING_TTL``)?"""
    return bool(cache.get(looking_key(user_id, conversation_id)))


def unread_key(user_id: int) -> str:
    return f"messages:unread:{user_id}"


def forget_unread_messages(user_id: int) -> None:
    cache.delete(unread_key(user_id))


def unread_count(user) -> int:
    """Messages waiting for ``user`` in all their conversations, counted up to ``UNREAD_CAP``.

    Every page's top bar shows it, so it is cached briefly (like ``home.queries.unread_count``); sending a
    message and reading a conversation forget it at once.
    """
    if not user.is_authenticated:
        return 0
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        # One join from the reader's participant rows (conditions in one filter(), so one join) to the
        # messages after each read marker, walking the (conversation, created) index.
        count = (
            Message.objects.filter(
                Q(conversation__participants__person=user)
                & (
                    Q(conversation__participants__last_read_at__isnull=True)
                    | Q(created__gt=F("conversation__participants__last_read_at"))
                )
            )
            .exclude(sender=user)
            .values("pk")[:UNREAD_CAP]
            .count()
        )
        cache.set(key, count, UNREAD_TTL)
    return count


def find_conversation(a, b) -> Conversation | None:
    """The conversation of these two people, if they ever wrote."""
    if a.pk == b.pk:
        return None
    low, high = sorted((a.pk, b.pk))
    return Conversation.objects.filter(low_id=low, high_id=high).first()


def my_part(user, other) -> Participant | None:
    """``user``'s side of their conversation with ``other`` (with the conversation), if there is one."""
    if user.pk == other.pk:
        return None
    low, high = sorted((user.pk, other.pk))
    return (
        Participant.objects.select_related("conversation")
        .filter(person=user, conversation__low_id=low, conversation__high_id=high)
        .first()
    )


def inbox(user):
    """``user``'s conversations, newest first, each with the other person, the start of the last message and
    who wrote it, and how many messages wait unread. Slice it (a page): each row's extras are subqueries
    that walk one conversation's index."""
    latest = Message.objects.filter(conversation=OuterRef("conversation")).order_by("-created", "-pk")
    unread = (
        Message.objects.filter(
            conversation=OuterRef("conversation"), created__gt=Coalesce(OuterRef("last_read_at"), Value(EPOCH))
        )
        .exclude(sender=OuterRef("person"))
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Participant.objects.filter(person=user, last_message_at__isnull=False)
        .select_related("conversation__low", "conversation__high")
        .annotate(
            preview=Substr(Subquery(latest.values("body")[:1]), 1, PREVIEW_CHARS + 1),
            last_sender_id=Subquery(latest.values("sender_id")[:1]),
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
        )
        .order_by("-last_message_at", "-pk")
    )


@dataclass
class ThreadPage:
    """One page of a thread, oldest first, with what lies beyond it."""

    messages: list
    has_older: bool
    has_newer: bool

    @property
    def first_id(self) -> int | None:
        return self.messages[0].pk if self.messages else None

    @property
    def last_id(self) -> int | None:
        return self.messages[-1].pk if self.messages else None


def thread(
    conversation: Conversation | None, *, before: int | None = None, after: int | None = None, limit=THREAD_PAGE
):
    """A page of the conversation's messages, oldest first: the latest ``limit``; or the ``limit`` before
    message ``before`` (loading older); or those after message ``after`` (new since the last look)."""
    limit = max(1, min(int(limit), 200))
    before = None if before is None else max(0, min(before, MAX_ID))
    after = None if after is None else max(0, min(after, MAX_ID))
    if conversation is None:
        return ThreadPage(messages=[], has_older=False, has_newer=False)
    rows = Message.objects.filter(conversation=conversation)
    if after is not None:
        page = list(rows.filter(pk__gt=after).order_by("pk")[: limit + 1])
        return ThreadPage(messages=page[:limit], has_older=False, has_newer=len(page) > limit)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    page = list(rows.order_by("-pk")[: limit + 1])
    shown = page[:limit][::-1]
    return ThreadPage(messages=shown, has_older=len(page) > limit, has_newer=before is not None)
