"""Writes to the search index in bulk (single documents are written by ``search.index``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.db import connections, router, transaction
from django.db.models import Prefetch

from lib.pagecache import content_changed
from search import index
from search.backends import backend_for
from search.models import SearchDocument

KINDS = ("item", "person", "space")


def _batches(queryset, size: int) -> Iterator[list]:
    """Walk a queryset by primary key, ``size`` rows at a time, without OFFSET or a server cursor."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _sources() -> dict[str, tuple[Callable, Callable, str]]:
    from core.kinds import detail_relations
    from core.models import Item
    from people.models import PersonSkill, User
    from spaces.models import Space

    skills = Prefetch("skills", queryset=PersonSkill.objects.select_related("skill"))
    return {
        "item": (
            lambda: Item.objects.alive().select_related(*detail_relations).prefetch_related("tags"),
            index.item_fields,
            "item_id",
        ),
        "person": (
            lambda: User.objects.filter(is_active=True).prefetch_related(skills),
            index.person_fields,
            "person_id",
        ),
        "space": (lambda: Space.objects.all(), index.space_fields, "space_id"),
    }


def rebuild_index(*, kinds: Iterable[str] = KINDS, batch_size: int = 2000, progress=None) -> dict[str, int]:
    """Replace the documents of ``kinds`` with fresh ones built from the database.

    One transaction, so searches keep seeing the old index until the new one is complete. Per-row
    index upkeep (SQLite's triggers) is paused and the engine catches up once at the end, which is
    far faster than updating the full-text index row by row.
    """
    kinds = [k for k in KINDS if k in set(kinds)]
    using = router.db_for_write(SearchDocument)
    conn = connections[using]
    backend = backend_for(conn)
    sources = _sources()
    counts = {}
    with transaction.atomic(using=using):
        backend.pause_sync(conn)
        SearchDocument.objects.using(using).filter(kind__in=kinds).delete()
        for kind in kinds:
            make_queryset, fields, subject = sources[kind]
            counts[kind] = 0
            for rows in _batches(make_queryset(), batch_size):
                docs = [SearchDocument(**{subject: row.pk}, **fields(row)) for row in rows]
                SearchDocument.objects.using(using).bulk_create(docs, batch_size=batch_size)
                counts[kind] += len(docs)
                if progress:
                    progress(kind, counts[kind])
        backend.resume_sync(conn)
    content_changed()
    return counts
