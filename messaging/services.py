"""Writes for conversations: sending a message, and reading up to the latest.

A message tells its recipient once per burst. The first message a person receives from someone records a
MESSAGED activity (in-app notification, and e-mail by their preference for "message"); the messages that
follow while that notification is still unread, or still on its way to them, record no activity at all:
the messages are their own record, and ten lines typed in a row should not ring ten times or send ten
e-mails. Opening the conversation reads its messages and that notification, so the next message rings again;
while the recipient has the conversation open on screen (its page polls), nothing rings at all.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from core.models import Activity, Notification
from core.notifications import forget_unread_count
from core.services import record_activity
from lib.urls import reverse_one
from messaging import access
from messaging.models import Conversation, Message, Participant
from messaging.queries import LOOKING_TTL, find_conversation, forget_unread_messages, is_looking, looking_key

MAX_BODY = 5000
# How long a MESSAGED activity may wait for its fan-out (the task queue) before a later message, finding no
# notification for it, announces itself instead of assuming one is on its way.
FAN_OUT_GRACE = timedelta(minutes=5)


def clean_body(body: str) -> str:
    """The message as it will be kept: line breaks as typed, surrounding blank space trimmed."""
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError("Write a message first.")
    if len(text) > MAX_BODY:
        raise ValidationError(f"A message can be at most {MAX_BODY:,} characters; this one has {len(text):,}.")
    return text


def conversation_between(a, b) -> Conversation:
    """The conversation of two people, made (with both participants) the first time they write."""
    if a.pk == b.pk:
        raise ValidationError("A conversation needs two different people.")
    low, high = (a, b) if a.pk < b.pk else (b, a)
    with transaction.atomic():
        # get_or_create retries the get when another request made the same pair meanwhile (the unique constraint).
        conversation, created = Conversation.objects.get_or_create(low=low, high=high)
        if created:
            Participant.objects.bulk_create(
                [
                    Participant(conversation=conversation, person=low),
                    Participant(conversation=conversation, person=high),
                ],
                ignore_conflicts=True,
            )
    return conversation


def send_message(*, sender, recipient, body: str) -> Message:
    """Send ``recipient`` a message from ``sender``.

    Refused with ValidationError (empty, too long, to yourself, to a closed account, to someone you may no
    longer write to) or Http404 when the sender may not see the recipient at all, so that who exists does
    not leak.
    """
    text = clean_body(body)
    if recipient.pk == sender.pk:
        raise ValidationError("You cannot send a message to yourself.")
    existing = find_conversation(sender, recipient)
    if not access.may_open(sender, recipient, existing):
        raise Http404("Not found")
    reason = access.why_not_write(sender, recipient, existing)
    if reason:
        raise ValidationError(reason)
    with transaction.atomic():
        conversation = existing or conversation_between(sender, recipient)
        now = timezone.now()
        message = Message.objects.create(conversation=conversation, sender=sender, body=text, created=now)
        # Never backwards: a message sent at the same moment may commit first with a later time.
        latest = Greatest(Coalesce(F("last_message_at"), Value(now)), Value(now))
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=latest)
        # Both see the conversation move to the top of their inbox; the sender has read up to their own message.
        Participant.objects.filter(conversation=conversation).update(
            last_message_at=latest,
            last_read_at=Case(When(person=sender, then=latest), default=F("last_read_at")),
        )
        conversation.last_message_at = now
        recipient_read_at = (
            Participant.objects.filter(conversation=conversation, person=recipient)
            .values_list("last_read_at", flat=True)
            .first()
        )
        if not is_looking(recipient.pk, conversation.pk) and not _burst_announced(
            sender=sender, recipient=recipient, read_at=recipient_read_at, now=now
        ):
            record_activity(
                actor=sender,
                verb=Activity.Verb.MESSAGED,
                target=recipient,
                extra={
                    # The recipient opens the conversation at the sender's name; the text stays out of
                    # notifications and e-mails, which may be read where the conversation may not.
                    "url": reverse_one("messaging:thread", sender.username),
                    "about": "you",
                    "conversation": conversation.pk,
                },
            )
        transaction.on_commit(lambda: (forget_unread_messages(recipient.pk), forget_unread_messages(sender.pk)))
    return message


def _burst_announced(*, sender, recipient, read_at, now) -> bool:
    """Has the recipient been told of a message from ``sender`` that they have not looked at yet?"""
    unread = Notification.objects.filter(
        recipient=recipient, read_at__isnull=True, kind="message", activity__actor=sender
    ).exists()
    if unread:
        return True
    # A notification still in the task queue: announced, just not delivered yet.
    since = now - FAN_OUT_GRACE
    if read_at is not None and read_at > since:
        since = read_at
    return Activity.objects.filter(
        actor=sender, verb=Activity.Verb.MESSAGED, target=recipient, created__gte=since, notifications__isnull=True
    ).exists()


def note_looking(*, conversation: Conversation, person) -> None:
    """``person`` has the conversation open: what arrives now they see within seconds, so it rings nothing."""
    cache.set(looking_key(person.pk, conversation.pk), True, LOOKING_TTL)


def mark_read(*, conversation: Conversation, person) -> bool:
    """``person`` has read the conversation up to now, and the message notifications it gave them.

    Writes only when something was unread, so a thread open on screen can call it at every poll. Returns
    whether anything was unread.
    """
    now = timezone.now()
    # Each is looked up first: on SQLite an UPDATE takes the write lock even when it matches nothing.
    unread = Participant.objects.filter(conversation=conversation, person=person, last_message_at__isnull=False).filter(
        Q(last_read_at__isnull=True) | Q(last_read_at__lt=F("last_message_at"))
    )
    # Up to the latest message even if its time is ahead of this server's clock (servers' clocks differ).
    moved = unread.exists() and unread.update(last_read_at=Greatest(Value(now), F("last_message_at")))
    other = conversation.high_id if person.pk == conversation.low_id else conversation.low_id
    # A notification can arrive after its message was read on screen (the task queue lags), so this is
    # checked even when no message was unread.
    notes = Notification.objects.filter(
        recipient=person, read_at__isnull=True, kind="message", activity__actor_id=other
    )
    noted = notes.exists() and notes.update(read_at=now)
    if moved:
        forget_unread_messages(person.pk)
    if noted:
        forget_unread_count(person.pk)
    return bool(moved)
