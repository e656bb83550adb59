"""Searching people, spaces and items within what the person may see.

A search costs a fixed number of queries whatever it finds: one to match, rank and highlight
documents (filtered by ``core.access.search_document_filter``), then one per kind of subject to
load the people, spaces and items found, each through its own ``visible_to``. That second look
uses the live access rule, so a document whose copy of an item's visibility is a moment behind
(the index is updated in the background) can never show what its item no longer shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Exists, OuterRef
from django.utils.safestring import SafeString

from core.access import search_document_filter
from search.backends import ParsedQuery, backend_for, parse_query
from search.models import SearchDocument

MAX_LIMIT = 100
# Relevance pages further than this are never read by people; the cap keeps OFFSET scans short.
MAX_OFFSET = 2000


@dataclass
class Result:
    """One thing found: a person, a space or an item, with its highlighted title and snippet."""

    kind: str
    object: Any
    title: str
    title_html: SafeString
    snippet: SafeString
    url: str


@dataclass
class SearchResults:
    results: list[Result] = field(default_factory=list)
    has_next: bool = False
    query: ParsedQuery = field(default_factory=ParsedQuery)

    def __iter__(self):
        return iter(self.results)

    def __len__(self):
        return len(self.results)

    def __bool__(self):
        return bool(self.results)


def search(
    user,
    q: str,
    *,
    kind: str | None = None,
    item_kind: str | None = None,
    space=None,
    tag: str | None = None,
    limit: int = 20,
    offset: int = 0,
    one_per_link: bool = False,
) -> SearchResults:
    """Best matches first. ``kind`` is item, person or space; ``item_kind``, ``space`` (a Space the
    caller has already resolved through access) and ``tag`` (a slug) narrow the items. ``one_per_link``
    shows a page saved by several people once, as its best-ranked save (what people searching want; pickers
    that offer the viewer's own save choose among them themselves)."""
    query = parse_query(q)
    if query.is_empty:
        return SearchResults(query=query)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, MAX_OFFSET))
    docs = matching_documents(user, kind=kind, item_kind=item_kind, space=space, tag=tag)
    hits = backend_for(connections[docs.db]).search(docs, query, limit=limit + 1, offset=offset)
    has_next = len(hits) > limit
    hits = hits[:limit]
    subjects = _subjects(user, hits)
    results = []
    links_shown = set()
    for hit in hits:
        obj = subjects[hit.kind].get(hit.subject_id)
        if obj is None:
            continue
        link = _link_of(obj) if one_per_link and hit.kind == "item" else None
        if link is not None:  # a page saved by six people is one result, its best-ranked save
            if link in links_shown:
                continue
            links_shown.add(link)
        results.append(
            Result(
                kind=hit.kind,
                object=obj,
                title=obj.title if hit.kind == "item" else obj.name,
                title_html=hit.title_html,
                snippet=hit.snippet_html,
                url=obj.get_absolute_url(),
            )
        )
    return SearchResults(results=results, has_next=has_next, query=query)


def _link_of(item) -> int | None:
    """The shared link page an item saves, if it is a save (its bookmark is loaded by ``with_cards``)."""
    from core.models import ItemKind

    if item.kind != ItemKind.LINK:
        return None
    bookmark = getattr(item, "bookmark", None)
    return bookmark.link_id if bookmark is not None else None


def matching_documents(user, *, kind=None, item_kind=None, space=None, tag=None):
    """The documents ``user`` may find, narrowed by the filters; item filters leave only items."""
    from core.models import Item

    docs = SearchDocument.objects.filter(search_document_filter(user))
    if kind:
        docs = docs.filter(kind=kind)
    if item_kind:
        docs = docs.filter(kind=SearchDocument.Kind.ITEM, item_kind=item_kind)
    if space is not None:
        docs = docs.filter(kind=SearchDocument.Kind.ITEM, item_space_id=space.pk)
    if tag:
        tagged = Item.tags.through.objects.filter(tag__slug=tag).values("item_id")
        docs = docs.filter(kind=SearchDocument.Kind.ITEM, item_id__in=tagged)
    return docs


def _subjects(user, hits) -> dict[str, dict[int, Any]]:
    from core.models import Item
    from people.models import User
    from spaces.models import Space

    ids = defaultdict(list)
    for hit in hits:
        ids[hit.kind].append(hit.subject_id)
    found: dict[str, dict[int, Any]] = {"item": {}, "person": {}, "space": {}}
    if ids["item"]:
        found["item"] = _visible_in_bulk(Item.objects.with_cards(), Item.objects.visible_to(user), ids["item"])
    if ids["person"]:
        found["person"] = _visible_in_bulk(User.objects.all(), User.objects.visible_to(user), ids["person"])
    if ids["space"]:
        found["space"] = _visible_in_bulk(Space.objects.all(), Space.objects.visible_to(user), ids["space"])
    return found


def _visible_in_bulk(queryset, visible, ids: list[int]) -> dict[int, Any]:
    # The access rule is asked about each found row (EXISTS ... WHERE pk = the row) rather than
    # combined with "pk IN ids": combined, SQLite without statistics may walk the visibility index
    # over every organisation-wide item instead of fetching the twenty rows by key.
    return queryset.filter(pk__in=ids).filter(Exists(visible.filter(pk=OuterRef("pk")))).in_bulk()


def visible_space(user, slug: str):
    """The space with this address if ``user`` may see it, else None."""
    from spaces.models import Space

    return Space.objects.visible_to(user).filter(slug=slug).first()


def my_spaces(user, *, limit: int = 100):
    """The spaces the person belongs to, for the space filter."""
    from spaces.models import Membership, Space

    if not user.is_authenticated:
        return Space.objects.none()
    mine = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values("space_id")
    return Space.objects.filter(pk__in=mine).order_by("name")[:limit]
