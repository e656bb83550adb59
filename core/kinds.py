"""Item kinds register themselves here: the view for their permalink /i/<id>/ and their detail relation.

Lists load every registered detail relation with ``select_related`` so a card never costs a query.
"""

from collections.abc import Callable

_views: dict[str, Callable] = {}
_editors: dict[str, Callable] = {}
detail_relations: list[str] = []


def register_item_kind(kind: str, *, view: Callable, detail_relation: str, editors: Callable | None = None) -> None:
    """``editors(user, item) -> bool`` names people beyond the owner and admins who may edit (a board's
    collaborators); core.access.can_edit asks it after its own checks, so it can only widen editing
    to people who may already see the item."""
    _views[kind] = view
    if editors is not None:
        _editors[kind] = editors
    if detail_relation not in detail_relations:
        detail_relations.append(detail_relation)


def extra_editor(kind: str, user, item) -> bool:
    editors = _editors.get(kind)
    return editors is not None and editors(user, item)


def item_view(kind: str) -> Callable:
    return _views[kind]
