"""Your conversations: list them, read one a page at a time, send, mark read, count what is unread.

A conversation is answered only to its two people; to anyone else, site admins included, it does not exist (404).
"""

from datetime import datetime

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lib.urls import reverse_one
from messaging import access, queries, services
from messaging.models import Participant
from people.models import User

router = Router()


class PersonRef(Schema):
    username: str
    name: str
    url: str

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class MessageOut(Schema):
    id: int
    conversation: int = Field(..., alias="conversation_id")
    sender: str
    body: str
    created: datetime

    @staticmethod
    def resolve_sender(obj):
        return obj.sender.username


class ConversationOut(Schema):
    id: int = Field(..., alias="conversation_id")
    other: PersonRef
    last_message_at: datetime | None
    last_message: str = Field(..., alias="preview", description="The start of the last message.")
    last_sender: str | None
    unread: int
    url: str = Field(..., description="The conversation's page.")

    @staticmethod
    def resolve_other(obj, context):
        return obj.conversation.other(context["request"].user)

    @staticmethod
    def resolve_last_sender(obj):
        people = (obj.conversation.low, obj.conversation.high)
        return next((p.username for p in people if p.pk == obj.last_sender_id), None)

    @staticmethod
    def resolve_url(obj, context):
        return reverse_one("messaging:thread", obj.conversation.other(context["request"].user).username)


class ThreadOut(Schema):
    conversation: ConversationOut
    can_write: bool
    cannot_write_because: str | None
    messages: list[MessageOut] = Field(..., description="Oldest first.")
    has_older: bool = Field(..., description="Ask again with before=<the first message's id> for older ones.")
    has_newer: bool = Field(..., description="Ask again with after=<the last message's id> for newer ones.")


class SendIn(Schema):
    to: str = Field(..., description="The recipient's username.")
    body: str = Field(..., description="Up to 5,000 characters.")


class UnreadOut(Schema):
    unread: int
    capped: bool


def _mine(request, conversation_id: int) -> Participant:
    """The caller's side of a conversation they are in, with its extras; 404 for everyone else."""
    part = queries.inbox(request.user).filter(conversation_id=min(conversation_id, queries.MAX_ID)).first()
    if part is None:
        raise Http404
    return part


@router.get("/conversations", response=list[ConversationOut])
@paginate(LimitOffsetPagination, max_limit=100)
def list_conversations(request, with_username: str = ""):
    """Your conversations, the latest first; ``with_username`` gives only the one with that person, if any."""
    rows = queries.inbox(request.user)
    if with_username:
        other = User.objects.filter(username=with_username).first()
        low, high = sorted((request.user.pk, other.pk)) if other else (0, 0)
        rows = rows.filter(conversation__low_id=low, conversation__high_id=high)
    return rows


@router.get("/conversations/{conversation_id}", response=ThreadOut)
def get_conversation(
    request, conversation_id: int, before: int | None = None, after: int | None = None, limit: int = 50
):
    """One conversation of yours with a page of its messages: the latest ``limit`` (at most 200), or those
    before message ``before``, or those after message ``after``. Reading does not mark it read."""
    part = _mine(request, conversation_id)
    page = queries.thread(part.conversation, before=before, after=after, limit=limit)
    for message in page.messages:
        message.sender = (
            part.conversation.low if message.sender_id == part.conversation.low_id else part.conversation.high
        )
    reason = access.why_not_write(request.user, part.conversation.other(request.user), part.conversation)
    return {
        "conversation": part,
        "can_write": reason is None,
        "cannot_write_because": reason,
        "messages": page.messages,
        "has_older": page.has_older,
        "has_newer": page.has_newer,
    }


@router.post("/conversations/{conversation_id}/read", response=ConversationOut)
def read_conversation(request, conversation_id: int):
    """Mark the conversation read up to now (its message notifications too)."""
    part = _mine(request, conversation_id)
    services.mark_read(conversation=part.conversation, person=request.user)
    return _mine(request, conversation_id)


@router.post("", response={201: MessageOut})
def send(request, payload: SendIn):
    """Send a message to a person, starting your conversation with them if there is none yet."""
    recipient = User.objects.filter(username=payload.to).first()
    if recipient is None:
        raise Http404
    message = services.send_message(sender=request.user, recipient=recipient, body=payload.body)
    message.sender = request.user
    return Status(201, message)


@router.get("/unread-count", response=UnreadOut)
def count_unread(request):
    """How many messages wait for you, counted up to 100 (``capped`` says it stopped there)."""
    count = queries.unread_count(request.user)
    return {"unread": count, "capped": count >= queries.UNREAD_CAP}
