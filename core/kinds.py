"""Item kinds register themselves here: the view for their permalink /i/<id>/ and their detail relation.

Lists load every registered detail relation with ``select_related`` so a card never costs a query.
"""

from collections.abc import Callable

_views: dict[str, Callable] = {}
_editors: dict[str, Callable] = {}
_thumbnails: dict[str, Callable] = {}
_detail_names: dict[str, str] = {}
detail_relations: list[str] = []


def register_item_kind(
    kind: str,
    *,
    view: Callable,
    detail_relation: str,
    editors: Callable | None = None,
    thumbnail: Callable | None = None,
) -> None:
    """Make ``kind`` known to the spine.

    ``detail_relation`` is the select_related path lists load with every card (its first part is the
    kind's one-to-one model). ``editors(user, item) -> bool`` names people beyond the owner and admins
    who may edit (a board's collaborators); core.access.can_edit asks it after its own checks, so it
    can only widen editing to people who may already see the item. ``thumbnail(item) -> url | None``
    gives a card's picture from what ``detail_relation`` loaded.
    """
    _views[kind] = view
    _detail_names[kind] = detail_relation.split("__")[0]
    if editors is not None:
        _editors[kind] = editors
    if thumbnail is not None:
        _thumbnails[kind] = thumbnail
    if detail_relation not in detail_relations:
        detail_relations.append(detail_relation)


def detail_name(kind: str) -> str:
    return _detail_names.get(kind, kind)


def thumbnail_url(item) -> str | None:
    thumbnail = _thumbnails.get(item.kind)
    return thumbnail(item) if thumbnail is not None else None


def extra_editor(kind: str, user, item) -> bool:
    editors = _editors.get(kind)
    return editors is not None and editors(user, item)


def item_view(kind: str) -> Callable:
    return _views[kind]
