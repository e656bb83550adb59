"""Item kinds register themselves here: the view for their permalink /i/<id>/ and their detail relation.

Lists load every registered detail relation with ``select_related`` so a card never costs a query.
"""

from collections.abc import Callable

_views: dict[str, Callable] = {}
detail_relations: list[str] = []


def register_item_kind(kind: str, *, view: Callable, detail_relation: str) -> None:
    _views[kind] = view
    if detail_relation not in detail_relations:
        detail_relations.append(detail_relation)


def item_view(kind: str) -> Callable:
    return _views[kind]
