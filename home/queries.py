"""Reads for the home page, the notifications list and the digest schedule."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.db.models import Min, Q

from core.access import item_filter, space_filter
from core.models import Activity, Item, Notification
from core.notifications import visible_notifications
from home.models import PeriodicRun

# Digests go out at this hour of each person's own day.
DIGEST_HOUR = 7
UNREAD_CAP = 100


def recent_activity_for(user, *, limit: int = 20):
    """Recent activities the person may see: about items visible to them or spaces they can see."""
    from spaces.models import Space

    visible_items = Item.objects.filter(item_filter(user), deleted_at__isnull=True).values("pk")
    visible_spaces = Space.objects.filter(space_filter(user)).values("pk")
    Verb = Activity.Verb
    return (
        Activity.objects.filter(Q(item_id__in=visible_items) | Q(item__isnull=True, space_id__in=visible_spaces))
        # Requests, invitations and downloads are between a few people, deletions leave nothing to
        # open, and membership housekeeping (roles, removals) is not news for everyone else.
        .exclude(verb__in=[Verb.REQUESTED, Verb.INVITED, Verb.DOWNLOADED, Verb.DELETED])
        .exclude(item__isnull=True, target__isnull=False, verb__in=[Verb.LEFT, Verb.UPDATED])
        .select_related("actor", "item", "space", "target")
        .order_by("-created", "-pk")[:limit]
    )


def notifications_for(user):
    """The person's notification list, newest first."""
    return visible_notifications(user).order_by("-created", "-pk")


def unread_count(user) -> int:
    """Unread notifications, counted up to ``UNREAD_CAP`` so the query stays small however many wait."""
    return visible_notifications(user).filter(read_at__isnull=True).values("pk")[:UNREAD_CAP].count()


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def last_digest_slot(now: datetime, time_zone: str) -> datetime:
    """The most recent DIGEST_HOUR o'clock in the time zone, at or before ``now``."""
    zone = _zone(time_zone)
    local = now.astimezone(zone)
    day = local.date() if local.hour >= DIGEST_HOUR else local.date() - timedelta(days=1)
    return datetime.combine(day, time(DIGEST_HOUR), tzinfo=zone)


def digests_due(now: datetime) -> list[tuple[int, datetime | None]]:
    """People whose digest is due, each with when it last ran (None if never).

    A digest is due once the person's 07:00 has passed with notifications waiting from before it,
    unless it already ran since that 07:00. Notifications that arrive later wait for the next day.
    """
    waiting = Notification.objects.filter(digest_pending=True)
    rows = waiting.values("recipient_id", "recipient__time_zone").annotate(oldest=Min("created")).order_by()
    last_runs = dict(
        PeriodicRun.objects.filter(job=PeriodicRun.Job.DIGEST, user_id__in=waiting.values("recipient_id")).values_list(
            "user_id", "last_run"
        )
    )
    due = []
    for row in rows:
        slot = last_digest_slot(now, row["recipient__time_zone"])
        last_run = last_runs.get(row["recipient_id"])
        if row["oldest"] < slot and (last_run is None or last_run < slot):
            due.append((row["recipient_id"], last_run))
    return due
