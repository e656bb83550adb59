"""Writes for files: upload, change or replace, delete and restore.

Every upload is checked by ``lib.uploads.inspect_upload`` before anything is written. The bytes are
stored before the database transaction opens (so a large copy never holds the database's write
lock) and removed again if the transaction fails, so a refusal or an error leaves nothing behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from core.access import can_admin, can_create_in, can_edit
from core.models import Activity, Item, ItemKind
from core.services import check_visibility, create_item, record_activity, update_item, watch
from files.models import File
from lib.uploads import Inspection, inspect_upload

TITLE_MAX = 200


class EditConflict(ValidationError):
    """Someone saved the file after the editor loaded it."""


def max_upload_bytes() -> int:
    return settings.WATERCOOLER_MAX_UPLOAD_MB * 1024 * 1024


def title_from_filename(name: str) -> str:
    """'quarterly_report-v2.pdf' → 'Quarterly report-v2'."""
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    stem = stem.replace("_", " ")
    if " " not in stem:
        stem = stem.replace("-", " ")
    title = " ".join(stem.split())[:TITLE_MAX]
    return title[:1].upper() + title[1:] if title else "Untitled file"


def upload_file(
    *,
    owner,
    uploaded,
    title: str = "",
    summary: str = "",
    space=None,
    visibility: str,
    tags: Iterable[str] = (),
    shared_with: Iterable = (),
) -> Item:
    """Store one file as a new item; an empty title is taken from the file name."""
    (item,) = upload_files(
        owner=owner,
        uploads=[(uploaded, title)],
        summary=summary,
        space=space,
        visibility=visibility,
        tags=tags,
        shared_with=shared_with,
    )
    return item


def upload_files(
    *,
    owner,
    uploads: Sequence[tuple[object, str]],
    summary: str = "",
    space=None,
    visibility: str,
    tags: Iterable[str] = (),
    shared_with: Iterable = (),
) -> list[Item]:
    """Store several files, each as its own item, all or none: every file is checked before the first is kept."""
    tags, shared_with = list(tags), list(shared_with)
    if space is not None and not can_create_in(owner, space):
        raise PermissionDenied("You can't add files to this space.")
    check_visibility(visibility=visibility, space=space, shared_with=shared_with)
    for _, title in uploads:
        _check_title(title, required=False)
    inspections = [inspect_upload(uploaded, max_bytes=max_upload_bytes()) for uploaded, _ in uploads]
    stored: list[str] = []
    try:
        details = [
            _store(uploaded, inspection, stored) for (uploaded, _), inspection in zip(uploads, inspections, strict=True)
        ]
        items = []
        with transaction.atomic():
            for (_, title), detail, inspection in zip(uploads, details, inspections, strict=True):
                item = create_item(
                    owner=owner,
                    kind=ItemKind.FILE,
                    title=title.strip() or title_from_filename(inspection.name),
                    summary=summary,
                    space=space,
                    visibility=visibility,
                    tags=tags,
                    shared_with=shared_with,
                )
                detail.item = item
                detail.save()
                watch(user=owner, item=item)
                record_activity(actor=owner, verb=Activity.Verb.CREATED, item=item)
                items.append(item)
    except BaseException:
        _delete_stored(stored)
        raise
    return items


def update_file(
    *,
    item: Item,
    actor,
    title: str,
    summary: str,
    visibility: str,
    tags: Iterable[str],
    shared_with: Iterable | None = None,
    replacement=None,
    expected_updated: datetime | None = None,
) -> Item:
    """Change a file's details and optionally its content.

    ``expected_updated`` is the ``Item.updated`` the editor started from: if someone saved in the
    meantime the change is refused rather than silently overwriting theirs.
    """
    if not can_edit(actor, item):
        raise PermissionDenied("You can't edit this file.")
    _check_title(title, required=True)
    shared = list(shared_with) if shared_with is not None else None
    check_visibility(
        visibility=visibility, space=item.space, shared_with=shared if shared is not None else item.shared_with.all()
    )
    inspection = inspect_upload(replacement, max_bytes=max_upload_bytes()) if replacement is not None else None
    stored: list[str] = []
    try:
        fresh = _store(replacement, inspection, stored) if inspection is not None else None
        with transaction.atomic():
            current = Item.objects.select_for_update().get(pk=item.pk)
            if expected_updated is not None and current.updated != expected_updated:
                raise EditConflict(
                    "Someone else changed this file while you were editing. Reload the page to see their "
                    "changes, then make yours again."
                )
            update_item(item=item, title=title, summary=summary, visibility=visibility, tags=tags, shared_with=shared)
            if fresh is not None:
                detail = File.objects.get(item=item)
                superseded = [name for name in (detail.blob.name, detail.thumbnail.name) if name]
                fresh.item = item
                fresh.save()
                item._state.fields_cache.pop("file", None)
                transaction.on_commit(lambda: _delete_stored(superseded))
            record_activity(
                actor=actor, verb=Activity.Verb.UPDATED, item=item, extra={"replaced": True} if fresh else {}
            )
    except BaseException:
        _delete_stored(stored)
        raise
    return item


@transaction.atomic
def delete_file(*, item: Item, actor) -> None:
    """Soft delete: the item disappears everywhere but its bytes are kept so an administrator can restore it."""
    if not can_admin(actor, item):
        raise PermissionDenied("Only the file's owner, a space moderator or an administrator can delete it.")
    item.deleted_at = timezone.now()
    item.save(update_fields=["deleted_at"])
    record_activity(actor=actor, verb=Activity.Verb.DELETED, item=item)


@transaction.atomic
def restore_file(*, item: Item, actor) -> None:
    """Undo ``delete_file``."""
    if not can_admin(actor, item):
        raise PermissionDenied("Only the file's owner, a space moderator or an administrator can restore it.")
    item.deleted_at = None
    item.save(update_fields=["deleted_at"])
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=item, extra={"restored": True})


def _check_title(title: str, *, required: bool) -> None:
    if required and not title.strip():
        raise ValidationError("A file needs a title.")
    if len(title.strip()) > TITLE_MAX:
        raise ValidationError(f"Titles are at most {TITLE_MAX} characters.")


def _store(uploaded, inspection: Inspection, stored: list[str]) -> File:
    """Write the bytes (and thumbnail) under a random name; the person's file name is only ever metadata."""
    token = uuid.uuid4().hex
    detail = File(
        original_name=inspection.name,
        content_type=inspection.content_type,
        family=inspection.family,
        size=inspection.size,
        sha256=inspection.sha256,
        width=inspection.width,
        height=inspection.height,
    )
    detail.blob.save(f"{token}.{inspection.extension}", uploaded, save=False)
    stored.append(detail.blob.name)
    if inspection.thumbnail:
        detail.thumbnail.save(f"{token}.jpg", ContentFile(inspection.thumbnail), save=False)
        stored.append(detail.thumbnail.name)
    return detail


def _delete_stored(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)
