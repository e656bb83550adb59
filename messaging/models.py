"""One-to-one conversations between colleagues (a mentee and a mentor they are considering, a pair during
their mentoring, anyone who can see each other's profile).

A conversation is between exactly two people, stored once with the lower user id first, so finding "the
conversation between A and B" is one indexed lookup. Each person's read marker lives on their
``Participant`` row; unread counts compare it with the messages' times. Messages are seen only by the
conversation's two people (``messaging.queries``); nobody else, site admins included, reads them.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Conversation(models.Model):
    """A one-to-one conversation, stored once per pair of people with the lower user id first."""

    low = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="conversation_once_per_pair"),
            models.CheckConstraint(condition=Q(low__lt=F("high")), name="conversation_low_first"),
        ]

    def __str__(self):
        return f"Conversation of {self.low_id} and {self.high_id}"

    def other(self, user):
        return self.high if user.pk == self.low_id else self.low


class Participant(models.Model):
    """One of a conversation's two people, with how far they have read."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    last_read_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(
        null=True, blank=True, help_text="Copied from the conversation for the inbox's index."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "person"], name="participant_once")]
        indexes = [models.Index(fields=["person", "-last_message_at"])]

    def __str__(self):
        return f"{self.person_id} in conversation {self.conversation_id}"


class Message(models.Model):
    """One message in a conversation."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=5000)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["conversation", "created"]),  # unread: messages after a read marker
            models.Index(fields=["conversation", "id"]),  # a thread's pages: the latest 50, older, newer
        ]

    def __str__(self):
        return f"Message {self.pk} from {self.sender_id}"
