import zoneinfo

from django.utils import timezone


class UserTimezoneMiddleware:
    """Show every time in the signed-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        tz = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz)) if tz else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


class ApiMethodNotAllowedMiddleware:
    """The API answers every error as ``{"detail": ...}``; Django Ninja's 405 is plain text, so reshape it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and request.path.startswith("/api/"):
            from django.http import JsonResponse

            allowed = response.get("Allow", "")
            reshaped = JsonResponse({"detail": f"{request.method} is not allowed here; use {allowed}."}, status=405)
            reshaped["Allow"] = allowed
            return reshaped
        return response
