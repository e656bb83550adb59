"""Import a bookmark export: first a plan that writes nothing, then the import itself in batches.

``plan_import`` reads the whole file, checks every entry and says what would happen: links to
create, links to merge (the person saved that page already, or the file holds it twice) and
entries refused with the reason. ``create_import_job`` keeps the upload and the plan for the
preview page; ``start_import`` queues ``run_import``, which applies the plan in batches, each in
one transaction, writing its progress to the ``ImportJob`` so a page can poll it. Every link goes
through ``links.services.save_link`` like any other save; the shell command ``import_bookmarks``
applies a plan directly.

Merging never throws away what someone wrote: a later copy of a link adds its tags and notes to
the first, and a link saved before keeps its title, description and visibility and gains the
file's tags and notes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from core.access import can_create_in
from core.models import Activity, Visibility
from core.services import check_visibility, record_activity
from links import netscape
from links.models import Board, BoardEntry, Bookmark, ImportJob
from links.services import NOTES_MAX, TITLE_MAX, add_entry, create_board, save_link, url_hash

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024  # a 10,000-link browser export with its icons is about 30 MB
MAX_ENTRIES = 50_000
BATCH_SIZE = 200
PREVIEW_ROWS = 50
REPORT_ROWS = 500  # reasons listed in a report; the counts are always exact
FOLDER_MODES = ImportJob.Folders.values


@dataclass
class PlannedLink:
    """One link the import will save, with everything every copy of it in the file said."""

    url: str
    title: str
    description: str
    notes: str
    tags: list[str]
    saved_at: datetime | None
    private: bool
    line: int
    boards: list[str] = field(default_factory=list)
    board_notes: dict[str, str] = field(default_factory=dict)
    merge: str = ""  # why this is a merge: "" for a new link
    copies: int = 1
    warnings: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        return "merge" if self.merge else "create"

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "url": self.url,
            "title": self.title,
            "tags": self.tags,
            "boards": self.boards,
            "saved_at": self.saved_at.isoformat() if self.saved_at else None,
            "private": self.private,
            "action": self.action,
            "merge": self.merge,
            "warnings": self.warnings,
        }


@dataclass
class ImportPlan:
    format: str
    folders: str
    visibility: str
    links: list[PlannedLink]
    refused: list[dict]  # {"line", "url", "title", "reason"}
    entries: int  # every bookmark entry in the file, refused ones included
    duplicates_in_file: int
    already_saved: int
    boards: list[dict]  # {"title", "description"} in board mode
    folder_count: int
    seconds: float = 0.0

    @property
    def to_create(self) -> int:
        return self.entries - self.to_merge - len(self.refused)

    @property
    def to_merge(self) -> int:
        return self.duplicates_in_file + self.already_saved

    @property
    def warnings(self) -> list[dict]:
        return [{"line": link.line, "url": link.url, "warning": w} for link in self.links for w in link.warnings]

    def preview(self, rows: int = PREVIEW_ROWS) -> list[dict]:
        return [link.as_dict() for link in self.links[:rows]]

    def summary(self) -> dict:
        """What the preview page shows and what ``ImportJob.report`` holds until the import runs."""
        warnings = self.warnings
        return {
            "format": self.format,
            "folders": self.folders,
            "entries": self.entries,
            "to_create": self.to_create,
            "to_merge": self.to_merge,
            "duplicates_in_file": self.duplicates_in_file,
            "already_saved": self.already_saved,
            "refused_count": len(self.refused),
            "refused": self.refused[:REPORT_ROWS],
            "warnings_count": len(warnings),
            "warnings": warnings[:REPORT_ROWS],
            "boards": [board["title"] for board in self.boards],
            "folder_count": self.folder_count,
            "preview": self.preview(),
            "plan_seconds": round(self.seconds, 3),
        }


@dataclass
class ImportResult:
    created: int = 0
    merged: int = 0
    refused: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    boards_created: int = 0
    seconds: float = 0.0


# ------------------------------------------------------------------------------------------------ plan


def read_upload(file) -> bytes:
    """The file's bytes from a path, bytes, or an open or uploaded file, refusing one over the size cap."""
    size_error = f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, more than one import may bring in."
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str | Path):
        path = Path(file)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise netscape.UnreadableFile(size_error)
            data = path.read_bytes()
        except OSError as error:
            raise netscape.UnreadableFile(f"The file cannot be read: {error.strerror or error}.") from error
    else:
        if (getattr(file, "size", None) or 0) > MAX_FILE_BYTES:
            raise netscape.UnreadableFile(size_error)
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise netscape.UnreadableFile(size_error)
    return data


def check_options(*, user, folders: str, space, visibility: str) -> None:
    if folders not in FOLDER_MODES:
        raise ValidationError(f"Choose what folders become: {' or '.join(FOLDER_MODES)}.")
    if not can_create_in(user, space):
        raise PermissionDenied("Only members of a space can import links into it.")
    check_visibility(visibility=visibility, space=space, shared_with=(), noun="link")


def plan_import(
    file, *, user, folders: str = ImportJob.Folders.TAGS, space=None, visibility: str = Visibility.PRIVATE
) -> ImportPlan:
    """Read and check the whole file; write nothing. Raises ValidationError when it cannot be imported at all."""
    started = time.perf_counter()
    check_options(user=user, folders=folders, space=space, visibility=visibility)
    parsed = netscape.parse(read_upload(file), max_entries=MAX_ENTRIES)
    descriptions = {folder.path: folder.description for folder in parsed.folders if folder.path}
    by_url: dict[str, PlannedLink] = {}
    duplicates = 0
    for bookmark in parsed.bookmarks:
        planned = _planned(bookmark, folders=folders)
        first = by_url.get(planned.url)
        if first is None:
            by_url[planned.url] = planned
        else:
            duplicates += 1
            _merge_copy(first, planned)
    links = list(by_url.values())
    saved = _already_saved(user, links)
    for link in links:
        if link.url in saved:
            link.merge = "you saved this link before" + (
                " (and the file has it more than once)" if link.copies > 1 else ""
            )
        elif link.copies > 1:
            link.merge = f"the file has this link {link.copies} times"
    boards = []
    if folders == ImportJob.Folders.BOARD:
        titles = dict.fromkeys(title for link in links for title in link.boards)
        paths = {_board_title(folder.path): folder.path for folder in parsed.folders if folder.path}
        boards = [{"title": title, "description": descriptions.get(paths.get(title, ()), "")} for title in titles]
    return ImportPlan(
        format=parsed.format,
        folders=folders,
        visibility=visibility,
        links=links,
        refused=[
            {"line": entry.line, "url": entry.href[:300], "title": entry.title[:300], "reason": entry.reason}
            for entry in parsed.invalid
        ],
        entries=parsed.entry_count,
        duplicates_in_file=duplicates,
        already_saved=len(saved),
        boards=boards,
        folder_count=sum(1 for folder in parsed.folders if not folder.container),
        seconds=time.perf_counter() - started,
    )


def _planned(bookmark: netscape.Bookmark, *, folders: str) -> PlannedLink:
    warnings = list(bookmark.warnings)
    tags = list(bookmark.tags)
    boards: list[str] = []
    if bookmark.folders and folders == ImportJob.Folders.TAGS:
        tags += [" ".join(name.replace(",", " ").split())[: netscape.TAG_MAX] for name in bookmark.folders]
    elif bookmark.folders:
        boards.append(_board_title(bookmark.folders))
    tags = _unique_tags(tags, warnings)
    notes = bookmark.notes
    if len(notes) > NOTES_MAX:
        warnings.append(f"its notes were cut to {NOTES_MAX:,} characters")
        notes = notes[:NOTES_MAX]
    return PlannedLink(
        url=bookmark.url,
        title=bookmark.title,
        description=bookmark.description,
        notes=notes,
        tags=tags,
        saved_at=bookmark.added or bookmark.modified,
        private=bookmark.private,
        line=bookmark.line,
        boards=boards,
        warnings=warnings,
    )


def _unique_tags(names: Iterable[str], warnings: list[str]) -> list[str]:
    """Tags as the link will have them: one per tag address (slug), in order."""
    kept: dict[str, str] = {}
    for name in names:
        slug = slugify(name)
        if not slug:
            warnings.append(f"the tag “{name}” was left out: a tag needs at least one letter or digit from A to Z")
        elif slug not in kept:
            kept[slug] = name
    return list(kept.values())


def _merge_copy(first: PlannedLink, later: PlannedLink) -> None:
    """A later copy of the same link adds to the first: tags, notes, boards; what the first lacks."""
    first.copies += 1
    first.tags = _unique_tags([*first.tags, *later.tags], first.warnings)
    if later.notes and later.notes not in first.notes:
        first.notes = _join_notes(first.notes, later.notes)
    first.title = first.title or later.title
    first.description = first.description or later.description
    first.saved_at = first.saved_at or later.saved_at
    # Private if any copy was: whoever made that copy meant it for themselves.
    first.private = first.private or later.private
    first.boards += [board for board in later.boards if board not in first.boards]
    first.warnings += later.warnings


def _join_notes(first: str, later: str) -> str:
    return f"{first}\n\n{later}".strip()[:NOTES_MAX] if first else later


def _board_title(path: tuple[str, ...]) -> str:
    title = " / ".join(path)
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def _already_saved(user, links: list[PlannedLink]) -> set[str]:
    """The URLs among ``links`` that ``user`` has a live save of."""
    hashes = {url_hash(link.url): link.url for link in links}
    saved: set[str] = set()
    keys = list(hashes)
    for start in range(0, len(keys), 500):  # SQLite allows a limited number of query parameters
        rows = Bookmark.objects.filter(
            saver=user, link__url_hash__in=keys[start : start + 500], item__deleted_at__isnull=True
        ).values_list("link__url_hash", flat=True)
        saved.update(hashes[digest] for digest in rows)
    return saved


# ----------------------------------------------------------------------------------------------- apply


def apply_plan(
    plan: ImportPlan,
    *,
    user,
    space=None,
    progress: Callable[[int, ImportResult], None] | None = None,
) -> ImportResult:
    """Save every planned link, ``BATCH_SIZE`` to a transaction; ``progress(done, result)`` runs inside each."""
    started = time.perf_counter()
    result = ImportResult(refused=list(plan.refused), warnings=plan.warnings)
    descriptions = {board["title"]: board["description"] for board in plan.boards}
    boards: dict[str, Board] = {}
    for start in range(0, len(plan.links), BATCH_SIZE):
        batch = plan.links[start : start + BATCH_SIZE]
        with transaction.atomic():
            saved = _live_saves(user, batch)
            for link in batch:
                try:
                    bookmark, created = _save(link, saved.get(link.url), user=user, space=space, plan=plan)
                except (ValidationError, PermissionDenied) as error:
                    result.refused.append(
                        {"line": link.line, "url": link.url, "title": link.title, "reason": _message(error)}
                    )
                    continue
                result.created += created
                # Every copy of a link beyond the first was merged into it.
                result.merged += link.copies - created
                for title in link.boards:
                    try:
                        if title not in boards:
                            boards[title], made = _board(title, descriptions.get(title, ""), user, space, plan)
                            result.boards_created += made
                        _put_on_board(boards[title], bookmark, user)
                    except (ValidationError, PermissionDenied) as error:
                        warning = f"saved, but not put on the board “{title}”: {_message(error)}"
                        result.warnings.append({"line": link.line, "url": link.url, "warning": warning})
            if progress is not None:
                progress(start + len(batch), result)
    if result.created:
        # One activity for the whole file: each link's own is quiet, so nobody's stream is flooded.
        record_activity(
            actor=user,
            verb=Activity.Verb.SHARED,
            space=space,
            extra={"bookmark_import": True, "created": result.created},
        )
    result.seconds = time.perf_counter() - started
    return result


def _live_saves(user, links: list[PlannedLink]) -> dict[str, Bookmark]:
    """The person's saves of these links as they are now (the plan may be minutes old)."""
    hashes = [url_hash(link.url) for link in links]
    bookmarks = (
        Bookmark.objects.filter(saver=user, link__url_hash__in=hashes, item__deleted_at__isnull=True)
        .select_related("item", "link")
        .prefetch_related("item__tags")
    )
    return {bookmark.link.url: bookmark for bookmark in bookmarks}


def _save(link: PlannedLink, existing: Bookmark | None, *, user, space, plan: ImportPlan) -> tuple[Bookmark, bool]:
    visibility = Visibility.PRIVATE if link.private else plan.visibility
    if existing is None:
        outcome = save_link(
            user=user,
            url=link.url,
            title=link.title,
            description=link.description,
            notes=link.notes,
            tags=link.tags,
            space=space,
            visibility=visibility,
            saved_at=link.saved_at,
            quiet=True,
        )
        return outcome.bookmark, outcome.created
    notes = existing.notes
    if link.notes and link.notes not in notes:
        notes = _join_notes(notes, link.notes)
    slugs = {tag.slug for tag in existing.item.tags.all()}
    if notes == existing.notes and all(slugify(name) in slugs for name in link.tags):
        # Nothing new (importing the same file again): no write, no "updated" in anyone's stream.
        return existing, False
    # Blank title and description keep the person's own; tags are added to theirs.
    outcome = save_link(
        user=user,
        url=link.url,
        notes=notes,
        tags=link.tags,
        space=space,
        visibility=visibility,
        title="",
        description="",
        quiet=True,
    )
    return outcome.bookmark, outcome.created


def _board(title: str, description: str, user, space, plan: ImportPlan) -> tuple[Board, bool]:
    """The person's board of that name in that space, made if this is the first import that needs it."""
    board = (
        Board.objects.filter(item__owner=user, item__title=title, item__space=space, item__deleted_at__isnull=True)
        .select_related("item")
        .first()
    )
    if board is not None:
        return board, False
    return create_board(owner=user, title=title, description=description, space=space, visibility=plan.visibility), True


def _put_on_board(board: Board, bookmark: Bookmark, user) -> None:
    if not BoardEntry.objects.filter(board=board, item_id=bookmark.item_id).exists():
        add_entry(board=board, actor=user, item=bookmark.item)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or error.__class__.__name__


# ------------------------------------------------------------------------------------------------ jobs


def create_import_job(
    *, user, upload, folders: str = ImportJob.Folders.TAGS, space=None, visibility: str = Visibility.PRIVATE
) -> tuple[ImportJob, ImportPlan]:
    """Plan the upload and keep it for confirmation; a file that cannot be imported raises and is not kept."""
    data = read_upload(upload)
    plan = plan_import(data, user=user, folders=folders, space=space, visibility=visibility)
    name = Path(getattr(upload, "name", "") or "bookmarks.html").name[:255] or "bookmarks.html"
    job = ImportJob(
        owner=user,
        original_name=name,
        folders=folders,
        space=space,
        visibility=visibility,
        total=len(plan.links),
        report=plan.summary(),
    )
    job.upload.save(name, ContentFile(data), save=False)
    job.save()
    return job, plan


def start_import(*, job: ImportJob, actor) -> None:
    """Queue the import the person previewed; it runs once, in the background."""
    if job.owner_id != actor.pk:
        raise PermissionDenied("Only the person who uploaded the file can start its import.")
    if job.state != ImportJob.State.PLANNED:
        raise ValidationError("This import has started already.")
    transaction.on_commit(lambda: run_import.enqueue(job.pk))


@task()
def run_import(job_id: int) -> dict:
    """Apply a planned import, writing progress (``done`` of ``total``) and the report as it goes."""
    # Claiming the job by its state means a second worker given the same job does nothing.
    if not ImportJob.objects.filter(pk=job_id, state=ImportJob.State.PLANNED).update(state=ImportJob.State.RUNNING):
        job = ImportJob.objects.filter(pk=job_id).first()
        return job.report if job else {}
    job = ImportJob.objects.select_related("owner", "space").get(pk=job_id)
    try:
        with job.upload.open("rb") as upload:
            data = read_upload(upload)
    except OSError:
        return _fail(job_id, "The uploaded file is no longer there; upload it again.")
    try:
        plan = plan_import(data, user=job.owner, folders=job.folders, space=job.space, visibility=job.visibility)
        report = plan.summary()
        ImportJob.objects.filter(pk=job_id).update(total=len(plan.links), done=0, report=report)

        def progress(done: int, result: ImportResult) -> None:
            ImportJob.objects.filter(pk=job_id).update(done=done, report=_report(report, result))

        result = apply_plan(plan, user=job.owner, space=job.space, progress=progress)
    except (ValidationError, PermissionDenied) as error:
        return _fail(job_id, _message(error))
    except Exception:
        logger.exception("Bookmark import %s failed", job_id)
        return _fail(job_id, "The import stopped on an unexpected error; the batches imported before it are kept.")
    # The links are saved now; a browser's whole bookmark file is not kept longer than it is needed.
    job.upload.delete(save=False)
    ImportJob.objects.filter(pk=job_id).update(upload="")
    return _finish(job_id, ImportJob.State.DONE, _report(report, result))


def _report(plan_summary: dict, result: ImportResult) -> dict:
    return {
        **plan_summary,
        "created": result.created,
        "merged": result.merged,
        "refused_count": len(result.refused),
        "refused": result.refused[:REPORT_ROWS],
        "warnings_count": len(result.warnings),
        "warnings": result.warnings[:REPORT_ROWS],
        "boards_created": result.boards_created,
        "apply_seconds": round(result.seconds, 3),
    }


def _fail(job_id: int, error: str) -> dict:
    # The report as the last finished batch left it, so the page still says what was imported.
    report = ImportJob.objects.filter(pk=job_id).values_list("report", flat=True).first() or {}
    return _finish(job_id, ImportJob.State.FAILED, {**report, "error": error})


def _finish(job_id: int, state: str, report: dict) -> dict:
    ImportJob.objects.filter(pk=job_id).update(state=state, report=report, finished=timezone.now())
    return report
