"""Who hears about an activity, and how: in the app, by e-mail now, in a daily digest, or not at all.

``deliver`` runs in the background from ``core.tasks.fan_out_activity``. The pages, the API and the
digest read notifications through ``visible_notifications`` so nobody is shown the title of
something they may no longer see.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.models import Activity, Notification, NotificationPreference, SiteConfig, Watch

Channel = NotificationPreference.Channel

# Notification types, what each says in the preferences page, and its default channel.
KINDS = {
    "invited": ("Someone invites me to a space", Channel.EMAIL),
    "join_request": ("Someone asks to join a space I run", Channel.EMAIL),
    "member_joined": ("Someone joins a space I run", Channel.IN_APP),
    "request_approved": ("My request to join a space is approved", Channel.IN_APP),
    "new_in_space": ("Something new in a space I watch", Channel.DIGEST),
    "item_changed": ("A change to something I watch", Channel.DIGEST),
    "mentioned": ("Someone mentions me", Channel.EMAIL),
    "feedback": ("Someone asks for my feedback, or gives me theirs", Channel.EMAIL),
    "assessment": ("Someone submits work for me to assess, or assesses mine", Channel.EMAIL),
    "endorsement": ("Someone asks me to endorse a skill, or endorses mine or declines to", Channel.EMAIL),
    "mentoring": ("Mentoring: requests, matches, agreements, meetings and check-ins", Channel.EMAIL),
    "message": ("Someone sends me a message", Channel.EMAIL),
}

# Activities addressed to one person (the activity's target), and the notification type each is for them.
ADDRESSED = {
    Activity.Verb.FEEDBACK_ASKED: "feedback",
    Activity.Verb.GAVE_FEEDBACK: "feedback",
    Activity.Verb.SUBMITTED: "assessment",
    Activity.Verb.ASSESSED: "assessment",
    Activity.Verb.ENDORSE_ASKED: "endorsement",
    Activity.Verb.ENDORSED: "endorsement",
    Activity.Verb.ENDORSE_DECLINED: "endorsement",
    Activity.Verb.APPLIED: "mentoring",
    Activity.Verb.MENTOR_REQUESTED: "mentoring",
    Activity.Verb.MATCH_ACCEPTED: "mentoring",
    Activity.Verb.MATCH_DECLINED: "mentoring",
    Activity.Verb.MATCHED: "mentoring",
    Activity.Verb.SIGNED: "mentoring",
    Activity.Verb.MEETING_SCHEDULED: "mentoring",
    Activity.Verb.CHECKED_IN: "mentoring",
    Activity.Verb.AT_RISK: "mentoring",
    Activity.Verb.PAIR_CLOSED: "mentoring",
    Activity.Verb.MESSAGED: "message",
}

DIGEST_LIMIT = 200
NOTE_SHOWN = 200  # of a note written for the one person told (a declined endorsement's); the rest is on its page


def recipients(activity: Activity) -> list[tuple[object, str]]:
    """The people an activity concerns, each with the notification type it is for them."""
    from core.access import SPACE_ADMIN_ROLES, can_view
    from spaces.models import Membership

    verb = activity.verb
    item = activity.item
    out: list[tuple[object, str]] = []
    if activity.extra.get("quiet"):  # one of many rows of a bulk change that announces itself once
        return out
    if verb == Activity.Verb.INVITED and activity.target:
        out.append((activity.target, "invited"))
    elif verb == Activity.Verb.APPROVED and activity.target:
        out.append((activity.target, "request_approved"))
    elif verb == Activity.Verb.MENTIONED and activity.target:
        # A mention inside something the person cannot open would only leak its title.
        if item is None or can_view(activity.target, item):
            out.append((activity.target, "mentioned"))
    elif verb in ADDRESSED and activity.target:
        # Said to one person about something they were given to see; nothing if they no longer may.
        if item is None or can_view(activity.target, item):
            out.append((activity.target, ADDRESSED[verb]))
    elif verb in (Activity.Verb.JOINED, Activity.Verb.REQUESTED) and activity.space_id:
        kind = "member_joined" if verb == Activity.Verb.JOINED else "join_request"
        admins = Membership.objects.filter(
            space_id=activity.space_id, state=Membership.State.ACTIVE, role__in=SPACE_ADMIN_ROLES
        ).select_related("user")
        out.extend((m.user, kind) for m in admins)
    elif verb in (Activity.Verb.CREATED, Activity.Verb.SHARED) and item is not None and activity.space_id:
        watchers = Watch.objects.filter(space_id=activity.space_id).select_related("user")
        out.extend((w.user, "new_in_space") for w in watchers if can_view(w.user, item))
    elif verb == Activity.Verb.SHARED and item is None and activity.extra.get("wiki_import") and activity.space_id:
        watchers = Watch.objects.filter(space_id=activity.space_id).select_related("user")
        out.extend((w.user, "new_in_space") for w in watchers)
    elif verb == Activity.Verb.UPDATED and item is not None and not activity.extra.get("minor"):
        # A space's wiki is written together, so watching the space means hearing of its pages' edits.
        watched = Q(item_id=item.pk)
        if item.kind == "page" and item.space_id:
            watched |= Q(space_id=item.space_id)
        watchers = Watch.objects.filter(watched).select_related("user")
        out.extend((w.user, "item_changed") for w in watchers if can_view(w.user, item))
    seen = set()
    unique = []
    for user, kind in out:
        # A nudge is sent on the site's behalf with a curator standing in as actor, who may be among its readers.
        if (user.pk != activity.actor_id or activity.extra.get("nudge")) and user.pk not in seen and user.is_active:
            seen.add(user.pk)
            unique.append((user, kind))
    return unique


def channels_for(pairs: list[tuple[object, str]]) -> list[str]:
    """The channel for each (person, type) pair, their own choice or the default, in one query."""
    chosen = {
        (user_id, kind): channel
        for user_id, kind, channel in NotificationPreference.objects.filter(
            user_id__in=[user.pk for user, _ in pairs]
        ).values_list("user_id", "kind", "channel")
    }
    return [chosen.get((user.pk, kind), KINDS[kind][1]) for user, kind in pairs]


def preferences_of(user) -> dict[str, str]:
    """Every notification type with the channel this person gets it by."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind, default) for kind, (_, default) in KINDS.items()}


def unread_key(user_id: int) -> str:
    """Where the top bar's unread count is cached (see home.queries.unread_count)."""
    return f"notifications:unread:{user_id}"


def forget_unread_count(user_id: int) -> None:
    cache.delete(unread_key(user_id))


@transaction.atomic
def deliver(activity: Activity) -> list[Notification]:
    """Create the in-app notifications for an activity and queue any immediate e-mails."""
    from core.tasks import send_notification_email

    made = []
    pairs = recipients(activity)
    for (user, kind), channel in zip(pairs, channels_for(pairs), strict=True):
        if channel == Channel.OFF:
            continue
        note, created = Notification.objects.get_or_create(
            recipient=user,
            activity=activity,
            defaults={"kind": kind, "digest_pending": channel == Channel.DIGEST and bool(user.email)},
        )
        if not created:
            continue
        made.append(note)
        transaction.on_commit(lambda pk=user.pk: forget_unread_count(pk))
        # An activity whose news reaches its reader in a mail of its own (a meeting's calendar invite) is not
        # mailed a second time.
        if channel == Channel.EMAIL and user.email and not activity.extra.get("mailed"):
            transaction.on_commit(lambda pk=note.pk: send_notification_email.enqueue(pk))
    return made


def visible_notifications(user):
    """The person's notifications, without those about items they may no longer see."""
    from core.access import item_filter_via

    # The rule is applied to the joined item row, so only the items these notifications point at
    # are checked, never the whole set of visible items.
    return (
        Notification.objects.filter(recipient=user)
        .filter(Q(activity__item__isnull=True) | item_filter_via(user, "activity__item"))
        .select_related("activity__actor", "activity__item", "activity__space", "activity__target")
    )


def describe(note: Notification) -> str:
    a = note.activity
    if a.extra.get("says"):  # a sentence written for its one reader, e.g. a mentoring nudge or a moved meeting
        return str(a.extra["says"])
    what = a.item or a.space or a.extra.get("about", "")
    if a.verb == Activity.Verb.INVITED:
        return f"{a.actor.name} invited you to {a.space}"
    if a.verb == Activity.Verb.REQUESTED:
        return f"{a.actor.name} asked to join {a.space}"
    if a.verb == Activity.Verb.APPROVED:
        return f"{a.actor.name} let you into {a.space}"
    if a.verb == Activity.Verb.MENTIONED:
        return f"{a.actor.name} mentioned you in {what}" if what else f"{a.actor.name} mentioned you"
    if a.verb == Activity.Verb.JOINED:
        return f"{a.actor.name} joined {a.space}"
    if a.extra.get("wiki_import"):
        return f"{a.actor.name} imported {imported_pages(a.extra)} into the wiki of {a.space}"
    if a.verb == Activity.Verb.ENDORSE_DECLINED and a.extra.get("note"):  # the note is for the claimant it tells
        note = str(a.extra["note"])
        note = note if len(note) <= NOTE_SHOWN else note[: NOTE_SHOWN - 1] + "…"
        return f"{a.actor.name} declined to endorse {what}: “{note}”"
    where = f" in {a.space}" if a.space_id and a.item_id else ""
    return f"{a.actor.name} {a.verb_words} {what}{where}"


def imported_pages(extra: dict) -> str:
    count = extra.get("created", 0) + extra.get("updated", 0)
    return f"{count} page{'' if count == 1 else 's'}"


def link(note: Notification) -> str:
    a = note.activity
    if str(a.extra.get("url", "")).startswith("/"):  # a page of its own, e.g. the request to answer
        return a.extra["url"]
    if a.item_id:
        return a.item.get_absolute_url()
    if a.space_id:
        return a.space.get_absolute_url()
    return a.actor.get_absolute_url()


def _subject(text: str) -> str:
    # Titles are typed by people; a newline in a header would make send_mail refuse the message.
    line = " ".join(f"[{SiteConfig.load().name}] {text}".split())
    return line if len(line) <= 150 else line[:149] + "…"


def send_email(note: Notification) -> bool:
    """E-mail one notification now; False when it was already sent or cannot be."""
    if note.emailed_at is not None or not note.recipient.email or not note.recipient.is_active:
        return False
    text = describe(note)
    body = render_to_string(
        "core/email/notification.txt",
        {
            "text": text,
            "url": settings.SITE_URL + link(note),
            "prefs_url": settings.SITE_URL + reverse("settings:notifications"),
        },
    )
    send_mail(_subject(text), body, None, [note.recipient.email])
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
    return True


def send_digest(user) -> int:
    """E-mail one person the notifications waiting for their digest; returns how many it listed."""
    cutoff = timezone.now()
    waiting = Notification.objects.filter(recipient=user, digest_pending=True, created__lte=cutoff)
    pending = []
    if user.email and user.is_active:
        pending = list(
            visible_notifications(user)
            .filter(pk__in=waiting.values("pk"))
            .order_by("created", "pk")[: DIGEST_LIMIT + 1]
        )
    if pending:
        shown = pending[:DIGEST_LIMIT]
        lines = [(describe(n), settings.SITE_URL + link(n)) for n in shown]
        body = render_to_string(
            "core/email/digest.txt",
            {
                "user": user,
                "lines": lines,
                "more": len(pending) > DIGEST_LIMIT,
                "list_url": settings.SITE_URL + reverse("notifications"),
                "prefs_url": settings.SITE_URL + reverse("settings:notifications"),
            },
        )
        subject = f"Your daily digest: {len(lines)} update{'' if len(lines) == 1 else 's'}"
        send_mail(_subject(subject), body, None, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in shown]).update(emailed_at=timezone.now())
    # Everything up to the cutoff is done with: sent, beyond the limit (the e-mail points to the
    # app), about something the person may no longer see, or there is no address to send it to.
    waiting.update(digest_pending=False)
    return len(pending[:DIGEST_LIMIT])
