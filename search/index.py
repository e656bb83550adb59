"""Keeping the search index in step with people, spaces and items.

Item kinds register a function giving the body text of their detail model
(``register_item_text("file", lambda item: ...)``); everything else is common.
"""

from __future__ import annotations

from collections.abc import Callable

from search.models import SearchDocument

_item_text: dict[str, Callable] = {}


def register_item_text(kind: str, fn: Callable) -> None:
    _item_text[kind] = fn


def index_item(item) -> None:
    if item.deleted_at is not None:
        SearchDocument.objects.filter(item=item).delete()
        return
    extra = _item_text.get(item.kind)
    body = "\n".join(filter(None, [item.summary, extra(item) if extra else ""]))
    tags = " ".join(t.name for t in item.tags.all())
    SearchDocument.objects.update_or_create(
        item=item, defaults={"kind": SearchDocument.Kind.ITEM, "title": item.title, "body": body, "tags": tags}
    )


def index_person(person) -> None:
    if not person.is_active:
        SearchDocument.objects.filter(person=person).delete()
        return
    skills = " ".join(ps.skill.name for ps in person.skills.select_related("skill"))
    body = "\n".join(filter(None, [person.job_title, person.department, person.location, person.bio, person.interests]))
    SearchDocument.objects.update_or_create(
        person=person,
        defaults={
            "kind": SearchDocument.Kind.PERSON,
            "title": f"{person.name} ({person.username})",
            "body": body,
            "tags": skills,
        },
    )


def index_space(space) -> None:
    SearchDocument.objects.update_or_create(
        space=space,
        defaults={
            "kind": SearchDocument.Kind.SPACE,
            "title": space.name,
            "body": space.description,
            "tags": space.get_kind_display(),
        },
    )


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

    kind = {"Item": "item", "User": "person", "Space": "space"}[type(obj).__name__]
    transaction.on_commit(lambda: reindex.enqueue(kind, obj.pk))
