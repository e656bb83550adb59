"""Creating and revoking personal API tokens."""

import secrets

from django.utils import timezone

from api.models import ApiToken

PREFIX = "wc_"


def create_token(*, user, name: str) -> tuple[ApiToken, str]:
    """Make a token and return it with its secret, which is never stored and cannot be shown again."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "Token", prefix=secret[:10], digest=ApiToken.digest_of(secret)
    )
    return token, secret


def revoke_token(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def user_for_secret(secret: str):
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
