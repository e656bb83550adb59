"""Your personal API tokens: list, create (the secret is in the answer, once), revoke."""

from datetime import datetime

from django.http import Http404
from ninja import Field, Router, Schema, Status

from api.models import ApiToken
from api.services import create_token, revoke_token

router = Router()


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created: datetime
    last_used: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    secret: str = Field(description="Send as `Authorization: Bearer <secret>`. It is shown this once only.")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=80)


@router.get("", response=list[TokenOut])
def list_tokens(request):
    """Your tokens, newest first, revoked ones included (at most 200)."""
    return ApiToken.objects.filter(user=request.user)[:200]


@router.post("", response={201: NewTokenOut})
def new_token(request, payload: TokenIn):
    token, secret = create_token(user=request.user, name=payload.name)
    token.secret = secret
    return Status(201, token)


@router.post("/{token_id}/revoke", response=TokenOut)
def revoke(request, token_id: int):
    """Stop a token working at once. Revoking one that is already revoked changes nothing."""
    token = ApiToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404
    revoke_token(token=token)
    return token
