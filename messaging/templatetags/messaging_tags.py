from datetime import timedelta

from django import template
from django.template.loader import get_template
from django.utils import timezone

from messaging.queries import UNREAD_CAP, unread_count

register = template.Library()


@register.filter
def message_time(value, style: str = "") -> str:
    """When a message was sent, as chat apps say it: "14:05" today, "Yesterday 14:05", "Tue 14:05" this
    week, "3 Mar 14:05" this year, "3 Mar 2024" before. ``"short"`` drops the time from past days (lists)."""
    if not value:
        return ""
    local = timezone.localtime(value)
    today = timezone.localdate()
    day = local.date()
    clock = local.strftime("%H:%M")
    if day == today:
        return clock
    short = style == "short"
    if day == today - timedelta(days=1):
        return "Yesterday" if short else f"Yesterday {clock}"
    if today - day < timedelta(days=7):
        return local.strftime("%a") if short else f"{local:%a} {clock}"
    if day.year == today.year:
        label = f"{local.day} {local:%b}"
        return label if short else f"{label} {clock}"
    return f"{local.day} {local:%b %Y}"


@register.simple_tag(takes_context=True)
def messages_link(context):
    """The top bar's link to the inbox with its unread count (cached, see messaging.queries.unread_count)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    count = getattr(request, "_unread_messages", None)
    if count is None:
        count = request._unread_messages = unread_count(user)
    match = getattr(request, "resolver_match", None)
    return get_template("messaging/partials/nav_link.html").render(
        {
            "count": count,
            "capped": count >= UNREAD_CAP,
            "current": bool(match and match.namespace == "messaging"),
        }
    )
