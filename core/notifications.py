"""Who hears about an activity, and how: in the app, by e-mail now, in a daily digest, or not at all."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import Activity, Notification, NotificationPreference, Watch

# Notification types, what each says in the preferences page, and its default channel.
KINDS = {
    "invited": ("Someone invites me to a space", NotificationPreference.Channel.EMAIL),
    "join_request": ("Someone asks to join a space I run", NotificationPreference.Channel.EMAIL),
    "member_joined": ("Someone joins a space I run", NotificationPreference.Channel.IN_APP),
    "request_approved": ("My request to join a space is approved", NotificationPreference.Channel.IN_APP),
    "new_in_space": ("Something new in a space I watch", NotificationPreference.Channel.DIGEST),
    "item_changed": ("A change to something I watch", NotificationPreference.Channel.DIGEST),
    "mentioned": ("Someone mentions me", NotificationPreference.Channel.EMAIL),
}


def recipients(activity: Activity) -> list[tuple[object, str]]:
    """The people an activity concerns, each with the notification type it is for them."""
    from core.access import SPACE_ADMIN_ROLES, can_view
    from spaces.models import Membership

    verb = activity.verb
    out: list[tuple[object, str]] = []
    if verb == Activity.Verb.INVITED and activity.target:
        out.append((activity.target, "invited"))
    elif verb == Activity.Verb.APPROVED and activity.target:
        out.append((activity.target, "request_approved"))
    elif verb == Activity.Verb.MENTIONED and activity.target:
        out.append((activity.target, "mentioned"))
    elif verb in (Activity.Verb.JOINED, Activity.Verb.REQUESTED) and activity.space_id:
        kind = "member_joined" if verb == Activity.Verb.JOINED else "join_request"
        admins = Membership.objects.filter(
            space_id=activity.space_id, state=Membership.State.ACTIVE, role__in=SPACE_ADMIN_ROLES
        ).select_related("user")
        out.extend((m.user, kind) for m in admins)
    elif verb in (Activity.Verb.CREATED, Activity.Verb.SHARED, Activity.Verb.UPDATED) and activity.item_id:
        kind = "new_in_space" if verb != Activity.Verb.UPDATED else "item_changed"
        watchers = Watch.objects.filter(item_id=activity.item_id).select_related("user")
        if verb != Activity.Verb.UPDATED and activity.space_id:
            watchers = Watch.objects.filter(space_id=activity.space_id).select_related("user")
        item = activity.item
        out.extend((w.user, kind) for w in watchers if can_view(w.user, item))
    seen = set()
    unique = []
    for user, kind in out:
        if user.pk != activity.actor_id and user.pk not in seen and user.is_active:
            seen.add(user.pk)
            unique.append((user, kind))
    return unique


def channel_for(user, kind: str) -> str:
    pref = NotificationPreference.objects.filter(user=user, kind=kind).values_list("channel", flat=True).first()
    return pref or KINDS[kind][1]


def deliver(activity: Activity) -> list[Notification]:
    """Create the in-app notifications for an activity and queue any immediate e-mails."""
    from core.tasks import send_notification_email

    made = []
    for user, kind in recipients(activity):
        channel = channel_for(user, kind)
        if channel == NotificationPreference.Channel.OFF:
            continue
        note, created = Notification.objects.get_or_create(
            recipient=user,
            activity=activity,
            defaults={"kind": kind, "digest_pending": channel == NotificationPreference.Channel.DIGEST},
        )
        if not created:
            continue
        made.append(note)
        if channel == NotificationPreference.Channel.EMAIL and user.email:
            transaction.on_commit(lambda pk=note.pk: send_notification_email.enqueue(pk))
    return made


def describe(note: Notification) -> str:
    a = note.activity
    what = a.item or a.space
    if a.verb == Activity.Verb.INVITED:
        return f"{a.actor.name} invited you to {a.space}"
    if a.verb == Activity.Verb.REQUESTED:
        return f"{a.actor.name} asked to join {a.space}"
    if a.verb == Activity.Verb.APPROVED:
        return f"{a.actor.name} let you into {a.space}"
    if a.verb == Activity.Verb.MENTIONED:
        return f"{a.actor.name} mentioned you in {what}"
    if a.verb == Activity.Verb.JOINED:
        return f"{a.actor.name} joined {a.space}"
    where = f" in {a.space}" if a.space_id and a.item_id else ""
    return f"{a.actor.name} {a.get_verb_display()} {what}{where}"


def link(note: Notification) -> str:
    a = note.activity
    if a.item_id:
        return a.item.get_absolute_url()
    if a.space_id:
        return a.space.get_absolute_url()
    return a.actor.get_absolute_url()


def send_email(note: Notification) -> None:
    if note.emailed_at is not None or not note.recipient.email:
        return
    text = describe(note)
    body = render_to_string(
        "core/email/notification.txt",
        {
            "text": text,
            "url": settings.SITE_URL + link(note),
            "prefs_url": settings.SITE_URL + "/settings/notifications/",
        },
    )
    send_mail(f"[Watercooler] {text}", body, None, [note.recipient.email])
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def send_digest(user) -> int:
    """E-mail one person the notifications waiting for their digest; returns how many it held."""
    pending = list(
        Notification.objects.filter(recipient=user, digest_pending=True)
        .select_related("activity__actor", "activity__item", "activity__space")
        .order_by("created")[:200]
    )
    if not pending:
        return 0
    lines = [(describe(n), settings.SITE_URL + link(n)) for n in pending]
    body = render_to_string("core/email/digest.txt", {"user": user, "lines": lines})
    if user.email:
        send_mail(f"[Watercooler] Your daily digest: {len(lines)} updates", body, None, [user.email])
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digest_pending=False, emailed_at=timezone.now())
    return len(pending)
