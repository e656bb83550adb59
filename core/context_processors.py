from core.models import SiteConfig


def site(request):
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"site": SiteConfig.load(), "unread_notifications": unread}
