"""Your notifications and how they reach you."""

from datetime import datetime
from typing import Literal

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from core import notifications as notes
from core.models import Notification, NotificationPreference
from home.queries import UNREAD_CAP, notifications_for, unread_count
from home.services import mark_all_notifications_read, mark_notification_read, set_notification_preferences

router = Router()

KindName = Literal[tuple(notes.KINDS)]
ChannelName = Literal[tuple(NotificationPreference.Channel.values)]


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    actor: str
    created: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_text(obj):
        return notes.describe(obj)

    @staticmethod
    def resolve_url(obj):
        return notes.link(obj)

    @staticmethod
    def resolve_actor(obj):
        return obj.activity.actor.username


class UnreadOut(Schema):
    unread: int
    capped: bool


class MarkedOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    label: str
    channel: str
    default: str


class PreferencesIn(Schema):
    channels: dict[KindName, ChannelName]


def _get_mine(request, notification_id: int) -> Notification:
    note = notifications_for(request.user).filter(pk=notification_id).first()
    if note is None:
        raise Http404
    return note


def _preferences(user) -> list[dict]:
    return [
        {"kind": kind, "label": notes.KINDS[kind][0], "channel": channel, "default": notes.KINDS[kind][1]}
        for kind, channel in notes.preferences_of(user).items()
    ]


@router.get("", response=list[NotificationOut])
@paginate(LimitOffsetPagination, max_limit=200)
def list_notifications(request, unread: bool = False):
    """Your notifications, newest first; ``unread=true`` for only those you have not read."""
    rows = notifications_for(request.user)
    return rows.filter(read_at__isnull=True) if unread else rows


@router.get("/unread-count", response=UnreadOut)
def count_unread(request):
    """How many notifications you have not read, counted up to 100 (``capped`` says it stopped there)."""
    count = unread_count(request.user)
    return {"unread": count, "capped": count >= UNREAD_CAP}


@router.post("/read-all", response=MarkedOut)
def read_all(request):
    return {"marked": mark_all_notifications_read(user=request.user)}


@router.post("/{notification_id}/read", response=NotificationOut)
def read_one(request, notification_id: int):
    note = _get_mine(request, notification_id)
    mark_notification_read(notification=note)
    return note


@router.get("/preferences", response=list[PreferenceOut])
def get_preferences(request):
    """Each type of notification with the channel it reaches you by: in_app, email, digest or off."""
    return _preferences(request.user)


@router.put("/preferences", response=list[PreferenceOut])
def put_preferences(request, payload: PreferencesIn):
    """Set the channel for the types given; types left out keep their channel."""
    set_notification_preferences(user=request.user, channels=payload.channels)
    return _preferences(request.user)
