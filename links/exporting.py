"""Export a person's links or a board as Netscape bookmark HTML (which browsers import) and as CSV.

Only what the viewer may see is exported: every row comes through ``Item.objects.visible_to``.
The HTML follows what Firefox and Chrome write, so browsers, linkding, Shaarli and Pinboard read it
back; notes travel in a ``NOTES`` attribute that browsers ignore and ``links.netscape`` reads, so an
export imported here again loses nothing (address, title, description, notes, tags, date, private).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from django.core.exceptions import PermissionDenied

from core.access import can_view
from core.models import Item, ItemKind, Visibility
from links.models import Board, BoardEntry, Bookmark

CSV_COLUMNS = ("url", "title", "description", "notes", "tags", "saved_at", "visibility")
# Firefox's own header; the CSP keeps a file opened in a browser from running anything.
HEADER = (
    "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
    "<!-- This is an automatically generated file.\n"
    "     It will be read and overwritten.\n"
    "     DO NOT EDIT! -->\n"
    '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n'
    '<meta http-equiv="Content-Security-Policy"'
    " content=\"default-src 'self'; script-src 'none'; img-src data: *; object-src 'none'\">\n"
)


@dataclass
class Row:
    """One exported bookmark, whatever it came from."""

    url: str
    title: str
    description: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    saved_at: datetime | None = None
    updated: datetime | None = None
    visibility: str = Visibility.ORGANISATION


@dataclass
class Folder:
    name: str
    description: str = ""
    rows: list[Row] = field(default_factory=list)
    folders: list[Folder] = field(default_factory=list)
    added: datetime | None = None


# ------------------------------------------------------------------------------------------ formats


def export_netscape(
    bookmarks: Iterable[Bookmark | Row], *, folders: Sequence[Folder] = (), title: str = "Bookmarks"
) -> str:
    """Netscape bookmark HTML: loose bookmarks first, then one folder per board (sections inside)."""
    out = io.StringIO()
    out.write(HEADER)
    out.write(f"<TITLE>{escape(title)}</TITLE>\n<H1>{escape(title)}</H1>\n<DL><p>\n")
    for row in bookmarks:
        _write_row(out, row if isinstance(row, Row) else row_for(row), depth=1)
    for folder in folders:
        _write_folder(out, folder, depth=1)
    out.write("</DL><p>\n")
    return out.getvalue()


def export_csv(bookmarks: Iterable[Bookmark | Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for bookmark in bookmarks:
        row = bookmark if isinstance(bookmark, Row) else row_for(bookmark)
        writer.writerow(
            [
                row.url,
                _cell(row.title),
                _cell(row.description),
                _cell(row.notes),
                _cell(", ".join(row.tags)),
                row.saved_at.isoformat() if row.saved_at else "",
                row.visibility,
            ]
        )
    return out.getvalue()


def _write_row(out: io.StringIO, row: Row, *, depth: int) -> None:
    indent = "    " * depth
    attributes = [f'HREF="{escape(row.url)}"']
    if row.saved_at:
        attributes.append(f'ADD_DATE="{int(row.saved_at.timestamp())}"')
    if row.updated:
        attributes.append(f'LAST_MODIFIED="{int(row.updated.timestamp())}"')
    attributes.append(f'PRIVATE="{1 if row.visibility == Visibility.PRIVATE else 0}"')
    if row.tags:
        # A comma separates tags in this attribute, so a comma inside a name would split it in two.
        attributes.append(f'TAGS="{escape(",".join(t.replace(",", " ") for t in row.tags))}"')
    if row.notes:
        attributes.append(f'NOTES="{escape(row.notes)}"')
    out.write(f"{indent}<DT><A {' '.join(attributes)}>{escape(row.title)}</A>\n")
    if row.description:
        out.write(f"{indent}<DD>{escape(row.description)}\n")


def _write_folder(out: io.StringIO, folder: Folder, *, depth: int) -> None:
    indent = "    " * depth
    added = f' ADD_DATE="{int(folder.added.timestamp())}"' if folder.added else ""
    out.write(f"{indent}<DT><H3{added}>{escape(folder.name)}</H3>\n")
    if folder.description:
        out.write(f"{indent}<DD>{escape(folder.description)}\n")
    out.write(f"{indent}<DL><p>\n")
    for row in folder.rows:
        _write_row(out, row, depth=depth + 1)
    for child in folder.folders:
        _write_folder(out, child, depth=depth + 1)
    out.write(f"{indent}</DL><p>\n")


def _cell(value: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula; a leading apostrophe keeps it text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --------------------------------------------------------------------------------------------- rows


def row_for(bookmark: Bookmark, *, notes: str | None = None) -> Row:
    item = bookmark.item
    return Row(
        url=bookmark.link.url,
        title=item.title,
        description=item.summary,
        notes=bookmark.notes if notes is None else notes,
        tags=[tag.name for tag in item.tags.all()],
        saved_at=bookmark.saved_at,
        updated=item.updated,
        visibility=item.visibility,
    )


def person_bookmarks(*, owner, viewer):
    """``owner``'s saved links that ``viewer`` may see, newest first."""
    visible = Item.objects.visible_to(viewer).filter(owner=owner, kind=ItemKind.LINK).values("pk")
    return (
        Bookmark.objects.filter(saver=owner, item_id__in=visible)
        .select_related("item", "link")
        .prefetch_related("item__tags")
        .order_by("-saved_at", "-pk")
    )


def export_person_netscape(*, owner, viewer) -> str:
    rows = (row_for(b) for b in person_bookmarks(owner=owner, viewer=viewer).iterator(chunk_size=1000))
    return export_netscape(rows, title=f"Bookmarks of {owner}")


def export_person_csv(*, owner, viewer) -> str:
    return export_csv(row_for(b) for b in person_bookmarks(owner=owner, viewer=viewer).iterator(chunk_size=1000))


def board_folder(*, board: Board, viewer, base_url: str = "") -> Folder:
    """The board as a folder, its sections as sub-folders, holding the entries ``viewer`` may see.

    Entries that are not links (wiki pages, files…) are exported as links to their permalink on this
    site when ``base_url`` is given (``https://watercooler.example``), and left out otherwise.
    """
    if not can_view(viewer, board.item):
        raise PermissionDenied("You cannot see this board.")
    visible = Item.objects.visible_to(viewer).values("pk")
    entries = (
        BoardEntry.objects.filter(board=board, item_id__in=visible)
        .select_related("item", "item__bookmark__link", "section")
        .prefetch_related("item__tags")
        .order_by("position", "pk")
    )
    item = board.item
    folder = Folder(name=item.title, description=item.summary, added=item.created)
    sections: dict[int, Folder] = {
        section.pk: Folder(name=section.title) for section in board.sections.order_by("position", "pk")
    }
    for entry in entries:
        row = _entry_row(entry, base_url=base_url)
        if row is not None:
            (sections[entry.section_id].rows if entry.section_id in sections else folder.rows).append(row)
    folder.folders = [section for section in sections.values() if section.rows]
    return folder


def _entry_row(entry: BoardEntry, *, base_url: str) -> Row | None:
    item = entry.item
    bookmark = getattr(item, "bookmark", None) if item.kind == ItemKind.LINK else None
    if bookmark is not None:
        return row_for(bookmark, notes=entry.note)
    if not base_url:
        return None
    return Row(
        url=base_url.rstrip("/") + item.get_absolute_url(),
        title=item.title,
        description=item.summary,
        notes=entry.note,
        tags=[tag.name for tag in item.tags.all()],
        saved_at=entry.added,
        updated=item.updated,
        visibility=item.visibility,
    )


def export_board_netscape(*, board: Board, viewer, base_url: str = "") -> str:
    folder = board_folder(board=board, viewer=viewer, base_url=base_url)
    return export_netscape((), folders=[folder], title=board.item.title)


def export_board_csv(*, board: Board, viewer, base_url: str = "") -> str:
    folder = board_folder(board=board, viewer=viewer, base_url=base_url)
    return export_csv([*folder.rows, *(row for section in folder.folders for row in section.rows)])
