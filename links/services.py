"""Writes for links and boards: save, change, delete a link; build, follow and work through boards.

A URL is normalised (``links.normalise.normalise_url``) before anything else, so the same page saved by
twenty people is one ``Link`` with twenty ``Bookmark`` items. Saving never waits on the network: the
preview (title, description, image, favicon) is fetched afterwards by a background task through the
guarded outbound client.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from core.access import can_admin, can_create_in, can_edit, can_view, is_site_admin
from core.models import Activity, Item, ItemKind, Visibility
from core.services import check_visibility, create_item, record_activity, unwatch, update_item, watch
from lib.pagecache import content_changed
from links.models import Board, BoardEntry, BoardSection, Bookmark, EntryProgress, Link
from links.normalise import normalise_url
from search.index import schedule_index

TITLE_MAX = 200
ADDING_SPREE = timedelta(minutes=10)
NOTES_MAX = 20_000
MAX_ATTEMPTS = 6  # preview fetches
BROKEN_AFTER = 2  # checks failed in a row (a day apart, links.tasks.RECHECK_AFTER) before a link shows as broken
FIRST_RETRY = timedelta(minutes=10)  # then 30 min, 1.5 h, 4.5 h, 13.5 h: the sixth failure is the last


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


@dataclass
class SaveOutcome:
    bookmark: Bookmark
    created: bool  # False when the person had saved this link already: their bookmark was updated instead


# ------------------------------------------------------------------------------------------------ links


def link_for(url: str) -> Link:
    """The shared ``Link`` for ``url`` (normalised), made if nobody saved it before."""
    clean = normalise_url(url)
    digest = url_hash(clean)
    link = Link.objects.filter(url_hash=digest).first()
    if link is not None:
        return link
    from urllib.parse import urlsplit

    try:
        with transaction.atomic():
            link = Link.objects.create(url=clean, url_hash=digest, domain=urlsplit(clean).hostname or "")
    except IntegrityError:  # someone saved the same page at the same moment
        return Link.objects.get(url_hash=digest)
    transaction.on_commit(lambda: _queue_preview(link.pk))
    return link


def _queue_preview(link_id: int) -> None:
    from links.tasks import fetch_preview

    fetch_preview.enqueue(link_id)


def _clean_title(title: str, fallback: str) -> str:
    title = " ".join((title or "").split()) or fallback
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    return title


def save_link(
    *,
    user,
    url: str,
    title: str = "",
    description: str = "",
    notes: str = "",
    tags: Iterable[str] = (),
    space=None,
    visibility: str = Visibility.ORGANISATION,
    shared_with: Sequence = (),
    saved_at=None,
    image=None,
    quiet: bool = False,
) -> SaveOutcome:
    """Save ``url`` for ``user``; saving a link they saved before updates their bookmark (one per person).

    ``image`` (an upload or an image's URL) is fetched and checked before the transaction opens, so
    no database lock waits on another site.
    """
    if image is not None:
        from links.images import prepare_saved_image

        image = prepare_saved_image(image)
    with transaction.atomic():
        return _save_link(
            user=user,
            url=url,
            title=title,
            description=description,
            notes=notes,
            tags=tags,
            space=space,
            visibility=visibility,
            shared_with=shared_with,
            saved_at=saved_at,
            image=image,
            quiet=quiet,
        )


def _save_link(*, user, url, title, description, notes, tags, space, visibility, shared_with, saved_at, image, quiet):
    if not can_create_in(user, space):
        raise PermissionDenied("Only members of a space can save links to it.")
    check_visibility(visibility=visibility, space=space, shared_with=shared_with, noun="link")
    if len(notes or "") > NOTES_MAX:
        raise ValidationError(f"Notes are at most {NOTES_MAX:,} characters.")
    link = link_for(url)
    existing = Bookmark.objects.filter(saver=user, link=link).select_related("item").first()
    if existing is not None and existing.item.deleted_at is None:
        update_bookmark(
            bookmark=existing,
            actor=user,
            title=title or existing.item.title,
            description=description or existing.item.summary,
            notes=notes or existing.notes,
            tags=[*existing.item.tags.values_list("name", flat=True), *tags],
            visibility=existing.item.visibility,
            shared_with=list(existing.item.shared_with.all()),
        )
        if image is not None:
            from links.images import store_saved_image

            store_saved_image(bookmark=existing, image=image)
        return SaveOutcome(bookmark=existing, created=False)
    if existing is not None:  # saved once, deleted, saved again: bring it back with the new details
        existing.item.delete()
    item = create_item(
        owner=user,
        kind=ItemKind.LINK,
        title=_clean_title(title, link.title or link.url),
        summary=(description or link.description or "").strip(),
        space=space,
        visibility=visibility,
        tags=tags,
        shared_with=shared_with,
    )
    when = saved_at or timezone.now()
    if saved_at is not None:
        Item.objects.filter(pk=item.pk).update(created=saved_at)
        item.created = saved_at
    bookmark = Bookmark.objects.create(item=item, link=link, saver=user, notes=(notes or "").strip(), saved_at=when)
    if image is not None:
        from links.images import store_saved_image

        store_saved_image(bookmark=bookmark, image=image)
    Link.objects.filter(pk=link.pk).update(save_count=F("save_count") + 1)
    extra = {"url": link.url} | ({"quiet": True} if quiet else {})
    record_activity(actor=user, verb=Activity.Verb.CREATED, item=item, extra=extra)
    schedule_index(item)
    return SaveOutcome(bookmark=bookmark, created=True)


@transaction.atomic
def update_bookmark(
    *,
    bookmark: Bookmark,
    actor,
    title: str,
    description: str,
    notes: str,
    tags: Iterable[str],
    visibility: str,
    shared_with: Sequence | None = None,
) -> Bookmark:
    item = bookmark.item
    if not can_edit(actor, item):
        raise PermissionDenied("Only the person who saved the link can change their save.")
    check_visibility(visibility=visibility, space=item.space, shared_with=shared_with or [], noun="link")
    if len(notes or "") > NOTES_MAX:
        raise ValidationError(f"Notes are at most {NOTES_MAX:,} characters.")
    update_item(
        item=item,
        title=_clean_title(title, bookmark.link.title or bookmark.link.url),
        summary=description or "",
        visibility=visibility,
        tags=tags,
        shared_with=shared_with,
    )
    bookmark.notes = (notes or "").strip()
    bookmark.save(update_fields=["notes"])
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=item, extra={"minor": True})
    schedule_index(item)
    return bookmark


@transaction.atomic
def delete_bookmark(*, bookmark: Bookmark, actor) -> None:
    item = bookmark.item
    if not can_admin(actor, item):
        raise PermissionDenied(
            "Only the person who saved the link, a space moderator or an administrator can delete it."
        )
    item.deleted_at = timezone.now()
    item.save(update_fields=["deleted_at"])
    Link.objects.filter(pk=bookmark.link_id, save_count__gt=0).update(save_count=F("save_count") - 1)
    record_activity(actor=actor, verb=Activity.Verb.DELETED, item=item)
    schedule_index(item)


@transaction.atomic
def restore_bookmark(*, bookmark: Bookmark, actor) -> None:
    item = bookmark.item
    if not can_admin(actor, item):
        raise PermissionDenied(
            "Only the person who saved the link, a space moderator or an administrator can restore it."
        )
    item.deleted_at = None
    item.save(update_fields=["deleted_at"])
    Link.objects.filter(pk=bookmark.link_id).update(save_count=F("save_count") + 1)
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=item, extra={"restored": True})
    schedule_index(item)


def record_preview(*, link: Link, title: str, description: str, image=None, favicon=None) -> Link:
    """Store what a fetch found; saves that kept the URL as their title take the page's title."""
    link.title = (title or "")[:300]
    link.description = description or ""
    link.preview_status = Link.Preview.OK
    link.preview_error = ""
    link.fetched_at = timezone.now()
    link.next_attempt_at = None
    fields = ["title", "description", "preview_status", "preview_error", "fetched_at", "next_attempt_at"]
    if image is not None:
        link.image = image
        fields.append("image")
    if favicon is not None:
        link.favicon = favicon
        fields.append("favicon")
    link.save(update_fields=fields)
    if link.title:
        items = Item.objects.filter(bookmark__link=link, title=link.url)
        for item in items:
            item.title = _clean_title(link.title, link.url)
            item.save(update_fields=["title", "updated"])
            schedule_index(item)
    content_changed()
    return link


def record_preview_failure(*, link: Link, reason: str) -> Link:
    """Count a failed fetch and schedule the next try: 10 minutes, then three times longer each time."""
    link.preview_status = Link.Preview.FAILED
    link.preview_error = (reason or "The page could not be fetched.")[:300]
    link.preview_attempts = min(link.preview_attempts + 1, 32767)
    if link.preview_attempts >= MAX_ATTEMPTS:
        link.next_attempt_at = None  # given up: a person can still see the error on the link's page
    else:
        link.next_attempt_at = timezone.now() + FIRST_RETRY * 3 ** (link.preview_attempts - 1)
    link.save(update_fields=["preview_status", "preview_error", "preview_attempts", "next_attempt_at"])
    return link


def record_check(*, link: Link, answered: bool, status: int | None) -> None:
    """Count a failed check, mark the link broken once BROKEN_AFTER checks in a row failed (a server down for an
    hour is not a dead link), and clear both as soon as it answers again."""
    now = timezone.now()
    failed = 0 if answered else link.failed_checks + 1
    broken_since = None if answered else (link.broken_since or (now if failed >= BROKEN_AFTER else None))
    Link.objects.filter(pk=link.pk).update(
        checked_at=now, check_status=status, failed_checks=failed, broken_since=broken_since
    )
    link.checked_at, link.check_status, link.failed_checks, link.broken_since = now, status, failed, broken_since
    content_changed()  # the update sends no signal; link pages show the broken mark


# ----------------------------------------------------------------------------------------------- boards


def _check_board_editor(user, board: Board) -> None:
    if not can_edit(user, board.item):
        raise PermissionDenied("Only the board's owner and collaborators can change it.")


@transaction.atomic
def create_board(
    *,
    owner,
    title: str,
    description: str = "",
    space=None,
    visibility: str = Visibility.ORGANISATION,
    tags: Iterable[str] = (),
    shared_with: Sequence = (),
    layout: str = Board.Layout.LIST,
) -> Board:
    if not can_create_in(owner, space):
        raise PermissionDenied("Only members of a space can make boards in it.")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("A board needs a title.")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"Titles are at most {TITLE_MAX} characters.")
    if layout not in Board.Layout.values:
        raise ValidationError(f"Choose a layout: {', '.join(Board.Layout.values)}.")
    check_visibility(visibility=visibility, space=space, shared_with=shared_with, noun="board")
    item = create_item(
        owner=owner,
        kind=ItemKind.BOARD,
        title=title,
        summary=description,
        space=space,
        visibility=visibility,
        tags=tags,
        shared_with=shared_with,
    )
    board = Board.objects.create(item=item, layout=layout)
    watch(user=owner, item=item)
    record_activity(actor=owner, verb=Activity.Verb.CREATED, item=item)
    schedule_index(item)
    return board


@transaction.atomic
def update_board(
    *,
    board: Board,
    actor,
    title: str,
    description: str,
    visibility: str,
    tags: Iterable[str],
    layout: str,
    shared_with: Sequence | None = None,
) -> Board:
    _check_board_editor(actor, board)
    item = board.item
    if visibility != item.visibility and not can_admin(actor, item):
        raise PermissionDenied("Only the board's owner or a space moderator can change who may see it.")
    if layout not in Board.Layout.values:
        raise ValidationError(f"Choose a layout: {', '.join(Board.Layout.values)}.")
    title = " ".join((title or "").split())
    if not title or len(title) > TITLE_MAX:
        raise ValidationError(f"A board needs a title of at most {TITLE_MAX} characters.")
    check_visibility(visibility=visibility, space=item.space, shared_with=shared_with or [], noun="board")
    if board.official and visibility not in (Visibility.ORGANISATION, Visibility.PUBLIC):
        raise ValidationError("An official reading list stays visible to the whole organisation; unmark it first.")
    update_item(item=item, title=title, summary=description, visibility=visibility, tags=tags, shared_with=shared_with)
    board.layout = layout
    board.save(update_fields=["layout"])
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=item, extra={"minor": True})
    schedule_index(item)
    return board


@transaction.atomic
def delete_board(*, board: Board, actor) -> None:
    """Move a board to the bin (its item is soft-deleted, like every item kind's)."""
    item = board.item
    if not can_admin(actor, item):
        raise PermissionDenied("Only the board's owner, a space moderator or an administrator can delete it.")
    item.deleted_at = timezone.now()
    item.save(update_fields=["deleted_at"])
    record_activity(actor=actor, verb=Activity.Verb.DELETED, item=item)
    schedule_index(item)


@transaction.atomic
def restore_board(*, board: Board, actor) -> None:
    """Undo ``delete_board``."""
    item = board.item
    if not can_admin(actor, item):
        raise PermissionDenied("Only the board's owner, a space moderator or an administrator can restore it.")
    item.deleted_at = None
    item.save(update_fields=["deleted_at"])
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=item, extra={"restored": True})
    schedule_index(item)


@transaction.atomic
def set_collaborators(*, board: Board, actor, people: Sequence) -> None:
    if not can_admin(actor, board.item):
        raise PermissionDenied("Only the board's owner or a space moderator chooses its collaborators.")
    refused = [p for p in people if not can_view(p, board.item)]
    if refused:
        names = ", ".join(str(p) for p in refused)
        raise ValidationError(f"These people cannot see the board, so they cannot edit it: {names}.")
    board.collaborators.set(people)


@transaction.atomic
def set_official(*, board: Board, actor, official: bool, skill=None, role: str = "", topic: str = "") -> Board:
    """Curators mark a board as the recommended reading list for a skill, a role or a topic."""
    if not (getattr(actor, "role", "") == "curator" or is_site_admin(actor)):
        raise PermissionDenied("Only curators and administrators mark official reading lists.")
    if official and not (skill or role.strip() or topic.strip()):
        raise ValidationError("Say what the reading list is for: a skill, a role or a topic.")
    if official and board.item.visibility not in (Visibility.ORGANISATION, Visibility.PUBLIC):
        raise ValidationError("An official reading list must be visible to the whole organisation.")
    board.official = official
    board.skill = skill if official else None
    board.role = role.strip()[:80] if official else ""
    board.topic = topic.strip()[:120] if official else ""
    board.save(update_fields=["official", "skill", "role", "topic"])
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=board.item, extra={"official": official})
    return board


@transaction.atomic
def add_section(*, board: Board, actor, title: str) -> BoardSection:
    _check_board_editor(actor, board)
    title = " ".join((title or "").split())
    if not title or len(title) > 120:
        raise ValidationError("A section needs a title of at most 120 characters.")
    position = (board.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    return BoardSection.objects.create(board=board, title=title, position=position)


@transaction.atomic
def rename_section(*, section: BoardSection, actor, title: str) -> BoardSection:
    _check_board_editor(actor, section.board)
    title = " ".join((title or "").split())
    if not title or len(title) > 120:
        raise ValidationError("A section needs a title of at most 120 characters.")
    section.title = title
    section.save(update_fields=["title"])
    return section


@transaction.atomic
def delete_section(*, section: BoardSection, actor) -> None:
    """The section's entries stay on the board, unsectioned."""
    _check_board_editor(actor, section.board)
    section.delete()


@transaction.atomic
def add_entry(*, board: Board, actor, item: Item, note: str = "", section: BoardSection | None = None) -> BoardEntry:
    """Put any item the person may see on the board (a board cannot hold itself)."""
    _check_board_editor(actor, board)
    if not can_view(actor, item):
        raise PermissionDenied("You can only add what you can see.")
    if item.pk == board.item_id:
        raise ValidationError("A board cannot contain itself.")
    if section is not None and section.board_id != board.pk:
        raise ValidationError("That section belongs to another board.")
    if BoardEntry.objects.filter(board=board, item=item).exists():
        raise ValidationError("That is on the board already.")
    position = (board.entries.aggregate(m=Max("position"))["m"] or 0) + 1
    entry = BoardEntry.objects.create(
        board=board, item=item, note=(note or "").strip(), section=section, position=position, added_by=actor
    )
    Board.objects.filter(pk=board.pk).update(entry_count=F("entry_count") + 1)
    # Someone filling a board adds many entries in a row: one "updated" in the stream is news, ten are noise.
    recently = timezone.now() - ADDING_SPREE
    if not Activity.objects.filter(
        actor=actor, item=board.item, verb=Activity.Verb.UPDATED, created__gte=recently
    ).exists():
        record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=board.item, extra={"added": item.pk})
    schedule_index(board.item)  # the board's entries' titles are part of what search knows of it
    return entry


@transaction.atomic
def update_entry(*, entry: BoardEntry, actor, note: str, section: BoardSection | None) -> BoardEntry:
    _check_board_editor(actor, entry.board)
    if section is not None and section.board_id != entry.board_id:
        raise ValidationError("That section belongs to another board.")
    entry.note = (note or "").strip()
    entry.section = section
    entry.save(update_fields=["note", "section"])
    return entry


@transaction.atomic
def move_entry(*, entry: BoardEntry, actor, position: int, section: BoardSection | None = None) -> None:
    """Put ``entry`` at ``position`` (0-based) among the board's entries, in ``section``."""
    board = entry.board
    _check_board_editor(actor, board)
    if section is not None and section.board_id != board.pk:
        raise ValidationError("That section belongs to another board.")
    entries = [e for e in board.entries.order_by("position", "pk") if e.pk != entry.pk]
    position = max(0, min(position, len(entries)))
    entries.insert(position, entry)
    for index, e in enumerate(entries):
        e.position = index
    entry.section = section
    BoardEntry.objects.bulk_update(entries, ["position"])
    entry.save(update_fields=["section"])
    content_changed()  # bulk_update sends no signals


@transaction.atomic
def remove_entry(*, entry: BoardEntry, actor) -> None:
    _check_board_editor(actor, entry.board)
    entry.delete()
    Board.objects.filter(pk=entry.board_id, entry_count__gt=0).update(entry_count=F("entry_count") - 1)


def follow_board(*, board: Board, user) -> None:
    if not can_view(user, board.item):
        raise PermissionDenied("You cannot see this board.")
    watch(user=user, item=board.item)


def unfollow_board(*, board: Board, user) -> None:
    unwatch(user=user, item=board.item)


def mark_done(*, entry: BoardEntry, user, done: bool = True) -> None:
    """A reader ticks an entry off (or un-ticks it)."""
    if not can_view(user, entry.board.item):
        raise PermissionDenied("You cannot see this board.")
    if done:
        EntryProgress.objects.get_or_create(entry=entry, user=user)
    else:
        EntryProgress.objects.filter(entry=entry, user=user).delete()
