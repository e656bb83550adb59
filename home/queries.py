"""Reads for the home page, the notifications list and the digest schedule."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Min, Q

from core.access import is_guest, item_filter_via, visible_space_exists
from core.models import PRIVATE_VERBS, Activity, Notification
from core.notifications import unread_key, visible_notifications
from home.models import PeriodicRun
from spaces.models import Membership

# Digests go out at this hour of each person's own day.
DIGEST_HOUR = 7
UNREAD_CAP = 100
UNREAD_TTL = 60


def recent_activity_for(user, *, limit: int = 20):
    """Recent activities the person may see: about items visible to them or spaces they can see.

    A guest's feed is what happens in their spaces and what they did themselves.
    """
    Verb = Activity.Verb
    activities = Activity.objects.all()
    if is_guest(user):
        # A guest sees little beyond their spaces; starting from those spaces' activities (an index)
        # spares walking the whole organisation's history to find the few rows they may see.
        activities = activities.filter(
            Q(space_id__in=Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values("space_id"))
            | Q(actor_id=user.pk)
        )
    return (
        activities.filter(
            (Q(item__isnull=False) & item_filter_via(user, "item"))
            | (Q(item__isnull=True) & visible_space_exists(user))
        )
        # Requests, invitations and downloads are between a few people, deletions leave nothing to
        # open, and membership housekeeping (roles, removals) is not news for everyone else.
        .exclude(verb__in=[Verb.REQUESTED, Verb.INVITED, Verb.DOWNLOADED, Verb.DELETED, *PRIVATE_VERBS])
        .exclude(item__isnull=True, target__isnull=False, verb__in=[Verb.LEFT, Verb.UPDATED])
        # The actors come in a second query: joining them here lets SQLite's planner start from
        # the people table and sort a million activities, instead of walking the newest first.
        .select_related("item", "space", "target")
        .prefetch_related("actor")
        .order_by("-created", "-pk")[:limit]
    )


def notifications_for(user):
    """The person's notification list, newest first."""
    return visible_notifications(user).order_by("-created", "-pk")


def unread_count(user) -> int:
    """Unread notifications, counted up to ``UNREAD_CAP`` so the query stays small however many wait.

    Every page shows it, and building the access rule into its query costs milliseconds, so it is
    cached for a short while; new notifications and marking them read forget it at once
    (``forget_unread_count``). An item hidden meanwhile can leave the badge one too high for at
    most ``UNREAD_TTL`` seconds; the list itself is always exact.
    """
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = visible_notifications(user).filter(read_at__isnull=True).values("pk")[:UNREAD_CAP].count()
        cache.set(key, count, UNREAD_TTL)
    return count


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
