"""Items of every kind: list what you may see, read one, watch one for changes."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Value
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from api.auth import ANONYMOUS_ALLOWED, api_auth_or_anonymous
from core.access import get_visible_or_404
from core.models import Item, ItemKind, Watch
from core.services import unwatch, watch

router = Router()


class ItemFields(Schema):
    """What every kind's API output shares; a kind's schema extends it with its own details."""

    id: int
    title: str
    summary: str
    owner: str
    space: str | None
    visibility: str
    tags: list[str]
    created: datetime
    updated: datetime
    url: str

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.username

    @staticmethod
    def resolve_space(obj):
        return obj.space.slug if obj.space_id else None

    @staticmethod
    def resolve_tags(obj):
        return [t.slug for t in obj.tags.all()]

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class ItemOut(ItemFields):
    kind: str
    watching: bool


class WatchOut(Schema):
    watching: bool


def _with_watching(items, user):
    if not user.is_authenticated:
        return items.annotate(watching=Value(False))
    return items.annotate(watching=Exists(Watch.objects.filter(user=user, item=OuterRef("pk"))))


@router.get("", response=list[ItemOut], auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
@paginate(LimitOffsetPagination, max_limit=200)
def list_items(request, kind: str = "", tag: str = "", space: str = "", owner: str = ""):
    """Items you may see, newest first. Anonymous callers see public items when the site allows them.

    Filter by kind, tag slug, space slug or owner username; a space or person you may not see
    gives an empty list, as if it did not exist.
    """
    from spaces.models import Space

    if kind and kind not in ItemKind.values:
        raise HttpError(422, f"Unknown kind {kind!r}; use one of: {', '.join(ItemKind.values)}.")
    user = request.user
    items = Item.objects.visible_to(user).select_related("owner", "space").prefetch_related("tags")
    space_obj = owner_obj = None
    if space:
        space_obj = Space.objects.visible_to(user).filter(slug=space).first()
        if space_obj is None:
            return Item.objects.none()
    if owner:
        owner_obj = get_user_model().objects.visible_to(user).filter(username=owner).first()
        if owner_obj is None:
            return Item.objects.none()
    items = items.filter_browse(kind=kind, tag=tag, space=space_obj, owner=owner_obj)
    return _with_watching(items, user).order_by("-created", "-pk")


@router.get("/{item_id}", response=ItemOut, auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
def get_item(request, item_id: int):
    """One item; anything you may not see answers 404."""
    items = _with_watching(Item.objects.select_related("owner", "space").prefetch_related("tags"), request.user)
    return get_visible_or_404(request.user, items, pk=item_id)


@router.post("/{item_id}/watch", response=WatchOut)
def watch_item(request, item_id: int):
    """Hear about changes to this item (as your notification settings say)."""
    item = get_visible_or_404(request.user, Item.objects, pk=item_id)
    watch(user=request.user, item=item)
    return {"watching": True}


@router.delete("/{item_id}/watch", response=WatchOut)
def unwatch_item(request, item_id: int):
    """Stop hearing about changes to this item."""
    item = get_visible_or_404(request.user, Item.objects, pk=item_id)
    unwatch(user=request.user, item=item)
    return {"watching": False}
