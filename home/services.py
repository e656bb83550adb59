"""Writes for notifications (reading them, choosing how they arrive) and the digest schedule."""

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Notification, NotificationPreference
from core.notifications import KINDS, forget_unread_count
from home.models import PeriodicRun
from home.queries import digests_due


def mark_notification_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
        forget_unread_count(notification.recipient_id)


def mark_all_notifications_read(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    forget_unread_count(user.pk)
    return marked


@transaction.atomic
def set_notification_preferences(*, user, channels: Mapping[str, str]) -> dict[str, str]:
    """Store the person's channel for each type given; types left out keep what they had."""
    unknown = sorted(set(channels) - set(KINDS))
    if unknown:
        raise ValidationError(f"Unknown notification type: {', '.join(unknown)}.")
    bad = sorted(kind for kind, channel in channels.items() if channel not in NotificationPreference.Channel.values)
    if bad:
        raise ValidationError(f"Unknown channel for: {', '.join(bad)}.")
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=kind, channel=channel) for kind, channel in channels.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["channel"],
    )
    return dict(channels)


def claim_due_digests(*, now: datetime) -> list[int]:
    """Mark the digests that are due as run and return whose they are.

    Each claim is a compare-and-set on the person's last run, so two schedulers, or one restarted
    mid-minute, never claim (and so never send) the same digest twice.
    """
    claimed = []
    for user_id, last_run in digests_due(now):
        if last_run is None:
            try:
                with transaction.atomic():
                    PeriodicRun.objects.create(job=PeriodicRun.Job.DIGEST, user_id=user_id, last_run=now)
            except IntegrityError:
                continue
        elif not PeriodicRun.objects.filter(job=PeriodicRun.Job.DIGEST, user_id=user_id, last_run=last_run).update(
            last_run=now
        ):
            continue
        claimed.append(user_id)
    return claimed
