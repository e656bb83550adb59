"""How API callers prove who they are: a personal token, or the browser's session.

Every endpoint uses ``api_auth`` unless it says otherwise. Endpoints that anonymous callers may
read (public items, when the site allows them) use ``api_auth_or_anonymous``; the access rule in
``core.access`` then decides what an anonymous caller sees.
"""

from django.conf import settings
from ninja.security import HttpBearer, SessionAuth

from api.services import user_for_secret


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token."""

    def authenticate(self, request, token):
        user = user_for_secret(token)
        if user is not None:
            request.user = user
        return user


class CookieSessionAuth(SessionAuth):
    """The signed-in browser. Writes must carry the CSRF token, as for any form."""

    def _get_key(self, request):
        # Without a session cookie there is nobody to authenticate, and a failed CSRF check would
        # turn "who are you?" (401) into "forbidden" (403) for token callers who mistyped a token.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        return super().authenticate(request, key) if key is not None else None


class OptionalAuth:
    """Lets anonymous callers through, as public items are readable without signing in.

    A caller who sent credentials that did not work is refused instead of being treated as
    anonymous, so a revoked or mistyped token answers 401 rather than quietly returning less.
    """

    def __call__(self, request):
        return "HTTP_AUTHORIZATION" not in request.META


api_auth = [TokenAuth(), CookieSessionAuth()]
api_auth_or_anonymous = [*api_auth, OptionalAuth()]

# OpenAPI's way of saying "any of these, or none": an empty requirement after the schemes.
ANONYMOUS_ALLOWED = {"security": [{type(auth).__name__: []} for auth in api_auth] + [{}]}
