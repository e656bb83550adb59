from core.models import SiteConfig


def site(request):
    return {"brand": SiteConfig.load(), "unread_notifications": UnreadCount(request)}


class UnreadCount:
    """The top bar's unread count, queried only if a template shows it and at most once a request."""

    def __init__(self, request):
        self.request = request

    def __call__(self) -> int:
        cached = getattr(self.request, "_unread_notifications", None)
        if cached is None:
            user = getattr(self.request, "user", None)
            cached = 0
            if user is not None and user.is_authenticated:
                from home.queries import unread_count

                cached = unread_count(user)
            self.request._unread_notifications = cached
        return cached
