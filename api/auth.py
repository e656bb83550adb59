"""How API callers prove who they are: a personal token, or the browser's session."""

from ninja.security import HttpBearer, SessionAuth

from api.services import user_for_secret


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_secret(token)
        if user is not None:
            request.user = user
        return user


class OptionalAuth:
    """Lets anonymous callers through, as public items are readable without signing in."""

    def __call__(self, request):
        return True


api_auth = [TokenAuth(), SessionAuth()]
