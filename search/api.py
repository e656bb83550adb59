"""Search people, spaces and items: the same search as the page, as JSON."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.text import slugify
from ninja import Query, Router, Schema
from pydantic import Field

from core.models import ItemKind
from search.backends import MAX_QUERY_LENGTH
from search.models import SearchDocument
from search.queries import MAX_LIMIT, MAX_OFFSET, search, visible_space

router = Router()

KINDS = SearchDocument.Kind.values


class SearchIn(Schema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description='Words, "a phrase", -excluded, a or b.')
    kind: str = Field("", description="item, person or space; empty for all.")
    item_kind: str = Field("", description="Only items of this kind (file, …).")
    space: str = Field("", description="Only items in the space with this slug.")
    tag: str = Field("", description="Only items with the tag with this slug.")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ResultOut(Schema):
    kind: str
    id: int
    title: str
    title_html: str = Field(description="The title, HTML-escaped, with matches in <mark>.")
    snippet: str = Field(description="An excerpt, HTML-escaped, with matches in <mark>.")
    url: str


class SearchOut(Schema):
    results: list[ResultOut]
    has_next: bool
    next_offset: int | None


@router.get("", response=SearchOut)
def search_all(request, params: Query[SearchIn]):
    """Best matches first, among the people, spaces and items the caller may see."""
    if params.kind and params.kind not in KINDS:
        raise ValidationError(f"kind must be one of: {', '.join(KINDS)}.")
    if params.item_kind and params.item_kind not in ItemKind.values:
        raise ValidationError(f"item_kind must be one of: {', '.join(ItemKind.values)}.")
    space = None
    if params.space:
        space = visible_space(request.user, params.space)
        if space is None:
            raise Http404
    found = search(
        request.user,
        params.q,
        kind=params.kind or None,
        item_kind=params.item_kind or None,
        space=space,
        tag=slugify(params.tag)[:60] or None,
        limit=params.limit,
        offset=params.offset,
    )
    results = [
        {
            "kind": r.kind,
            "id": r.object.pk,
            "title": r.title,
            "title_html": str(r.title_html),
            "snippet": str(r.snippet),
            "url": request.build_absolute_uri(r.url),
        }
        for r in found
    ]
    return {
        "results": results,
        "has_next": found.has_next,
        "next_offset": params.offset + params.limit if found.has_next else None,
    }
