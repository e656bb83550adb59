"""Creating and revoking personal API tokens."""

import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone

from api.models import ApiToken

PREFIX = "wc_"
NAME_MAX = 80
MAX_ACTIVE = 50


def create_token(*, user, name: str) -> tuple[ApiToken, str]:
    """Make a token and return it with its secret, which is never stored and cannot be shown again."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Give the token a name, such as the script or tool that will use it.")
    if len(name) > NAME_MAX:
        raise ValidationError(f"Keep the name to {NAME_MAX} characters or fewer.")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE:
        raise ValidationError(f"You already have {MAX_ACTIVE} active tokens; revoke one you no longer use first.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:10], digest=ApiToken.digest_of(secret))
    return token, secret


def revoke_token(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def user_for_secret(secret: str):
    """The active owner of an unrevoked token with this secret, or None."""
    if not secret.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
