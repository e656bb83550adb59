"""Items of every kind: list what you may see, read one."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from core.access import get_visible_or_404
from core.models import Item

router = Router()


class ItemOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    owner: str
    space: str | None
    visibility: str
    tags: list[str]
    created: datetime
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


@router.get("", response=list[ItemOut])
@paginate(LimitOffsetPagination)
def list_items(request, kind: str = "", tag: str = ""):
    items = Item.objects.visible_to(request.user).select_related("owner", "space").prefetch_related("tags")
    return items.filter_browse(kind=kind, tag=tag).order_by("-created", "-pk")


@router.get("/{item_id}", response=ItemOut)
def get_item(request, item_id: int):
    return get_visible_or_404(request.user, Item.objects.select_related("owner", "space"), pk=item_id)
