"""Keeping the search index in step with people, spaces and items.

Item kinds register a function giving the body text of their detail model
(``register_item_text("file", lambda item: ...)``); everything else is common. Services call
``schedule_index(obj)`` after a change; ``manage.py reindex`` rebuilds everything in bulk from
the same ``*_fields`` functions, so a document looks the same however it was written.
"""

from __future__ import annotations

from collections.abc import Callable

from search.backends import clean_text
from search.models import SearchDocument

_item_text: dict[str, Callable] = {}


def register_item_text(kind: str, fn: Callable) -> None:
    _item_text[kind] = fn


def _join(*parts) -> str:
    return clean_text("\n".join(str(p) for p in parts if p))


def item_fields(item) -> dict:
    """The document of an item: its words, and copies of what the access rule reads.

    Expects ``item.tags`` to be prefetched when called in bulk.
    """
    extra = _item_text.get(item.kind)
    return {
        "kind": SearchDocument.Kind.ITEM,
        "title": clean_text(item.title)[:300],
        "body": _join(item.summary, extra(item) if extra else ""),
        "tags": _join(" ".join(t.name for t in item.tags.all())),
        "item_kind": item.kind,
        "item_visibility": item.visibility,
        "item_owner_id": item.owner_id,
        "item_space_id": item.space_id,
    }


def _skill_names(person) -> str:
    if "skills" in getattr(person, "_prefetched_objects_cache", {}):
        rows = person.skills.all()
    else:
        rows = person.skills.select_related("skill")
    return " ".join(ps.skill.name for ps in rows)


def person_fields(person) -> dict:
    """Expects ``person.skills`` prefetched with their skill when called in bulk."""
    skills = _skill_names(person)
    return {
        "kind": SearchDocument.Kind.PERSON,
        "title": clean_text(f"{person.name} ({person.username})")[:300],
        "body": _join(person.job_title, person.department, person.location, person.bio, person.interests),
        "tags": _join(skills),
    }


def space_fields(space) -> dict:
    return {
        "kind": SearchDocument.Kind.SPACE,
        "title": clean_text(space.name)[:300],
        "body": _join(space.description),
        "tags": space.get_kind_display(),
    }


def index_item(item) -> None:
    if item.deleted_at is not None:
        SearchDocument.objects.filter(item=item).delete()
        return
    SearchDocument.objects.update_or_create(item=item, defaults=item_fields(item))


def index_person(person) -> None:
    if not person.is_active:
        SearchDocument.objects.filter(person=person).delete()
        return
    SearchDocument.objects.update_or_create(person=person, defaults=person_fields(person))


def index_space(space) -> None:
    SearchDocument.objects.update_or_create(space=space, defaults=space_fields(space))


def index_activity_subject(activity) -> None:
    """Reindex what an activity changed (its item, else its space)."""
    if activity.item_id:
        index_item(activity.item)
    elif activity.space_id and activity.verb in ("created", "updated"):
        index_space(activity.space)


def schedule_index(obj) -> None:
    """Reindex a person, space or item once the current transaction commits (in the background)."""
    from django.db import transaction

    from search.tasks import reindex

    # _meta, not the class name, so a request.user (a lazy wrapper) is recognised as a person.
    kind = {"core.item": "item", "people.user": "person", "spaces.space": "space"}[obj._meta.label_lower]
    transaction.on_commit(lambda: reindex.enqueue(kind, obj.pk))
