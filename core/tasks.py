"""Background work queued from activities (django-tasks: database queue by default, RQ at scale)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from core import notifications
from core.models import Activity, Notification


@task()
def fan_out_activity(activity_id: int) -> int:
    activity = Activity.objects.select_related("actor", "item", "space", "target").filter(pk=activity_id).first()
    if activity is None:
        return 0
    made = notifications.deliver(activity)
    from search.index import index_activity_subject

    index_activity_subject(activity)
    return len(made)


@task()
def send_notification_email(notification_id: int) -> bool:
    note = (
        Notification.objects.select_related(
            "recipient", "activity__actor", "activity__item", "activity__space", "activity__target"
        )
        .filter(pk=notification_id)
        .first()
    )
    return note is not None and notifications.send_email(note)


@task()
def send_daily_digests(user_ids: list[int]) -> int:
    """Send the digest of each person named; ``run_periodic`` decides whose digest is due."""
    people = get_user_model().objects.filter(pk__in=user_ids)
    return sum(notifications.send_digest(person) for person in people)
