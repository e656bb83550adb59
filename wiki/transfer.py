"""Moving wiki content in and out: one page as Markdown or HTML, a space's wiki as a zip, zips imported.

The zip layout, written by ``export_space_zip`` and read by ``plan_import``::

    getting-started.md        a page
    guides.md                 a page with sub-pages ...
    guides/                   ... which sit in a folder named like the page's file
        install.md
        upgrade.md

File names are the pages' slugs: unique in a space and safe on every file system. Each file starts with
front matter (``title``, ``tags``, ``revision``), so a title keeps its own spelling and punctuation.
Sibling order is not kept: imported siblings are ordered by file name.

Import also reads what Obsidian and other Markdown wikis write. A folder's own page may be the file next
to it (``guides.md``, as above), or inside it: ``guides/index.md``, ``guides/README.md`` or
``guides/guides.md`` (Obsidian's folder notes), looked for in that order. A folder with pages but no page
of its own gets an empty page named after it, or sits under an existing page of that name. A title comes
from front matter ``title:``, else the first ``# heading``, else the file name. ``[[links]]`` are kept as
they are; ``.obsidian/`` and other hidden files are ignored. A page whose title is already in the wiki
gets the file's text as a new revision (the page stays where it is in the tree); two files in one archive
with the same title are not both imported.

Nothing is written while planning: ``plan_import`` reads and checks every entry (sizes, paths, encodings,
titles, permissions) and returns an ``ImportPlan``; ``apply_import`` carries it out in one transaction
through ``wiki.services``, so an import is either whole or not at all.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
import zipfile
import zlib
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from core.access import can_create_in, can_edit
from core.models import Activity, Item, ItemKind, Visibility
from core.services import check_visibility, parse_tags, record_activity
from wiki import markdown, services
from wiki.models import Page

MB = 1024 * 1024
MAX_ARCHIVE_BYTES = settings.WATERCOOLER_MAX_UPLOAD_MB * MB  # the zip itself, as uploaded
MAX_ENTRIES = 20_000  # files and folders in the zip; a 2,000-page wiki with its folders is far below
MAX_ENTRY_BYTES = 4 * MB  # one Markdown file unpacked: a page of services.TEXT_MAX characters fits
MAX_TOTAL_BYTES = 200 * MB  # all the Markdown files unpacked together
FRONT_MATTER_MAX = 64 * 1024  # characters; longer is not front matter but a page that starts with ---
MARKDOWN_SUFFIXES = (".md", ".markdown")
FOLDER_PAGE_NAMES = ("index", "readme")
EXPORT_CHUNK = 200  # pages whose text is held in memory at once while writing a zip
READ_CHUNK = 64 * 1024

ONLY_MARKDOWN = "only Markdown pages are imported"
UPDATE_POLICY = "A page whose title is already in the wiki gets the file's text as a new revision."


class ArchiveError(ValidationError):
    """The upload cannot be imported at all (not a zip, too large, too many entries)."""


# --------------------------------------------------------------------------------------------- export


def _front_matter(*, title: str, tags: list[str], revision: int) -> str:
    # JSON strings are valid YAML double-quoted scalars, so any title survives Obsidian and our reader.
    return (
        "---\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        f"tags: [{', '.join(json.dumps(t, ensure_ascii=False) for t in tags)}]\n"
        f"revision: {revision}\n"
        "---\n"
    )


def export_page_markdown(page: Page) -> str:
    """The page's current text with front matter naming its title, tags and revision number."""
    revision = page.current
    tags = sorted((t.name for t in page.item.tags.all()), key=str.casefold)
    return _front_matter(title=page.item.title, tags=tags, revision=revision.number) + revision.text


_HTML_STYLE = """
body { font: 16px/1.6 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1f2933; }
pre { overflow-x: auto; padding: .75rem; background: #f5f7fa; }
code { font-family: ui-monospace, monospace; }
table { border-collapse: collapse; } th, td { border: 1px solid #cbd2d9; padding: .25rem .5rem; }
img { max-width: 100%; }
footer { margin-top: 3rem; font-size: .875rem; color: #616e7c; }
"""


def _highlight_css() -> str:
    path = finders.find("css/highlight.css")
    if not path:
        return ""
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def export_page_html(page: Page, *, resolve: Callable[[str | None, str], tuple[str, bool]] | None = None) -> str:
    """A standalone HTML document of the page's current revision, its styles inlined so it reads offline.

    ``resolve`` is passed to ``wiki.markdown.render``; without it ``[[links]]`` are plain text, since a
    file saved to disk has no wiki to link to.
    """
    revision = page.current
    title = page.item.title
    rendered = markdown.render(revision.text, resolve=resolve)
    heading = f"<h1>{escape(title)}</h1>\n"
    first = rendered.toc[0] if rendered.toc else None
    opens_with_title = first and first.level == 1 and first.text.strip().casefold() == title.casefold()
    if opens_with_title and rendered.html.lstrip().startswith("<h1"):
        heading = ""  # the text opens with its own title
    exported = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return (
        "<!DOCTYPE html>\n"
        # The page's styles are light only, so the highlighting is held to its light colours too.
        f'<html lang="{escape(settings.LANGUAGE_CODE.split("-")[0])}" data-theme="light">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{_HTML_STYLE}{_highlight_css()}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"{heading}{rendered.html}\n"
        "</main>\n"
        f"<footer><p>Revision {revision.number}, exported {exported}.</p></footer>\n"
        "</body>\n"
        "</html>\n"
    )


def _export_paths(space, viewer) -> dict[int, str]:
    """Each page ``viewer`` may see, with its path in the zip.

    A page under one the viewer may not see goes under its nearest visible ancestor, so the zip never
    names a hidden page, not even as a folder.
    """
    parents = dict(Page.objects.filter(space=space).values_list("pk", "parent_id"))
    visible_items = Item.objects.visible_to(viewer).filter(space=space, kind=ItemKind.PAGE).values("pk")
    slugs = dict(Page.objects.filter(space=space, pk__in=visible_items).values_list("pk", "slug"))
    paths = {}
    for pk, slug in slugs.items():
        folders, ancestor, seen = [], parents.get(pk), {pk}
        while ancestor is not None and ancestor not in seen:
            seen.add(ancestor)
            if ancestor in slugs:
                folders.append(slugs[ancestor])
            ancestor = parents.get(ancestor)
        paths[pk] = "/".join([*reversed(folders), f"{slug}.md"])
    return paths


def export_space_zip(space, *, viewer, out: IO[bytes]) -> int:
    """Write the pages of ``space``'s wiki that ``viewer`` may see to ``out`` as a zip; returns how many.

    ``out`` may be any writable binary file, seekable or not. Texts are loaded a few hundred at a time,
    so a large wiki is never held in memory whole.
    """
    paths = _export_paths(space, viewer)
    order = sorted(paths, key=paths.get)
    written = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for start in range(0, len(order), EXPORT_CHUNK):
            chunk = order[start : start + EXPORT_CHUNK]
            pages = Page.objects.filter(pk__in=chunk).select_related("item", "current").prefetch_related("item__tags")
            by_pk = {page.pk: page for page in pages}
            for pk in chunk:
                page = by_pk.get(pk)
                if page is None:
                    continue  # deleted for good while the zip was being written
                stamp = max(timezone.localtime(page.current.created).timetuple()[:6], (1980, 1, 1, 0, 0, 0))
                info = zipfile.ZipInfo(paths[pk], date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, export_page_markdown(page).encode("utf-8"))
                written += 1
    return written


# --------------------------------------------------------------------------------------- front matter

_META_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_META_ITEM = re.compile(r"^[ \t]*-(?:[ \t]+(.*?))?[ \t]*$")
_FLOW_ITEM = re.compile(r"\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^,]+)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def _scalar(value: str):
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        return [_scalar(part) for part in _FLOW_ITEM.findall(value[1:-1]) if part.strip()]
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return str(json.loads(value))
        except ValueError:
            return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return re.sub(r"[ \t]+#.*$", "", value)


def _parse_meta(lines: list[str]) -> dict | None:
    """The ``key: value`` pairs and ``- item`` lists of a front matter block (the YAML that notes use),
    or None when the block is not front matter at all."""
    meta: dict[str, object] = {}
    key = None
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        found = _META_KEY.match(line)
        if found:
            key = found.group(1).lower()
            meta[key] = _scalar(found.group(2)) if found.group(2) else []
            continue
        item = _META_ITEM.match(line)
        if item and key is not None and isinstance(meta[key], list):
            meta[key].append(_scalar(item.group(1) or ""))
            continue
        if line[0] in " \t" and key is not None:
            continue  # a nested mapping or a folded value: nothing this importer reads
        return None
    return meta


def split_front_matter(text: str) -> tuple[dict, str]:
    """(front matter as a dict, the text after it). A first ``---`` block that is not ``key: value``
    lines (a slide, a rule) is left in the text."""
    first = text.find("\n")
    if first == -1 or text[:first].rstrip() != "---":
        return {}, text
    pos, block = first + 1, []
    while pos < len(text) and pos < FRONT_MATTER_MAX:
        end = text.find("\n", pos)
        line = text[pos : end if end != -1 else len(text)]
        if line.rstrip() in ("---", "..."):
            meta = _parse_meta(block)
            if meta is None:
                return {}, text
            return meta, text[end + 1 :] if end != -1 else ""
        block.append(line)
        if end == -1:
            break
        pos = end + 1
    return {}, text


def first_heading(text: str) -> str:
    """The text of the first level-one ATX heading outside fenced code, or ""."""
    fence = None
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        heading = _H1.match(line)
        if heading:
            return heading.group(1).strip()
    return ""


def _meta_tags(meta: dict) -> list[str]:
    value = meta.get("tags", meta.get("tag", []))
    if isinstance(value, str):
        return parse_tags(value)
    names = [str(v).lstrip("#") for v in value if isinstance(v, str)] if isinstance(value, list) else []
    return parse_tags(",".join(names))


# --------------------------------------------------------------------------------------------- import


@dataclass
class Refusal:
    """An archive entry that is not imported, and why."""

    path: str
    reason: str


@dataclass(eq=False)
class PlannedPage:
    """A page an import makes or changes; or a folder's page, made up or found in the wiki."""

    title: str
    path: str  # the archive file, or the folder (ending in "/") of a made-up page
    text: str = ""
    tags: list[str] = field(default_factory=list)
    parent: PlannedPage | None = None
    existing: Page | None = None  # the wiki page it updates, or that a folder's pages go under
    made_up: bool = False
    note: str = ""

    @property
    def parent_title(self) -> str:
        return self.parent.title if self.parent else ""


@dataclass
class ImportPlan:
    """What an import would do, worked out without writing anything; ``apply_import`` carries it out."""

    space: object
    actor: object
    visibility: str
    created: list[PlannedPage] = field(default_factory=list)  # parents before their children
    updated: list[PlannedPage] = field(default_factory=list)  # existing pages that get a new revision
    unchanged: list[PlannedPage] = field(default_factory=list)  # existing pages with the same text
    refused: list[Refusal] = field(default_factory=list)
    ignored: list[Refusal] = field(default_factory=list)  # tool settings, hidden files: not content
    notes: list[str] = field(default_factory=list)
    policy: str = UPDATE_POLICY

    @property
    def has_work(self) -> bool:
        return bool(self.created or self.updated)


@dataclass
class ImportReport:
    """What an import did."""

    created: list[Page] = field(default_factory=list)
    updated: list[Page] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # titles
    refused: list[Refusal] = field(default_factory=list)
    ignored: list[Refusal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(eq=False)
class _Source:
    parts: tuple[str, ...]
    text: str
    meta_title: str
    heading: str
    tags: list[str]
    folder: tuple[str, ...] | None = None  # the folder this file is the page of

    @property
    def path(self) -> str:
        return "/".join(self.parts)

    @property
    def stem(self) -> str:
        return self.parts[-1].rsplit(".", 1)[0]


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB / 10 else f"{n:,} bytes"


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _title_problem(title: str) -> str:
    if any(ord(c) < 32 for c in title):
        return "the title contains control characters"
    if len(title) > services.TITLE_MAX:
        return f"the title is longer than {services.TITLE_MAX} characters"
    if "[[" in title or "]]" in title or "|" in title:
        return f"the title “{title}” contains “[[”, “]]” or “|”, which wiki links use"
    return ""


def _entry_parts(name: str) -> tuple[tuple[str, ...], str]:
    """The entry's path as parts, or a reason to refuse it."""
    raw = name.replace("\\", "/")
    if raw.startswith("/") or re.match(r"^[A-Za-z]:", raw):
        return (), "absolute paths are not allowed in an import"
    parts = tuple(p for p in raw.split("/") if p not in ("", "."))
    if ".." in parts:
        return (), "the path leads outside the archive (“..”)"
    if any(ord(c) < 32 for p in parts for c in p):
        return (), "the name contains control characters"
    return parts, ""


def _ignored_reason(parts: tuple[str, ...]) -> str:
    if parts[0] == "__MACOSX" or parts[-1] == ".DS_Store":
        return "macOS file metadata"
    for part in parts:
        if part == ".obsidian":
            return "Obsidian settings"
        if part == ".trash":
            return "Obsidian's trash"
        if part.startswith("."):
            return "hidden file"
    return ""


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, str]:
    """(text, "") or ("", reason). Reads at most the declared size, and checks that is what arrives."""
    if info.flag_bits & 0x1:
        return "", "the file is encrypted"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "", "symbolic links are not imported"
    if info.file_size > MAX_ENTRY_BYTES:
        return "", f"it would unpack to {_size(info.file_size)}; a page file may be at most {_size(MAX_ENTRY_BYTES)}"
    data = bytearray()
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(READ_CHUNK):
                data += chunk
                if len(data) > info.file_size:
                    return "", "it unpacks to more than the archive declares (a zip bomb?)"
    except NotImplementedError:
        return "", "it is compressed with a method this server cannot read"
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as exc:
        return "", f"the archive entry is damaged ({exc})"
    if len(data) != info.file_size:
        return "", f"it unpacks to {len(data):,} bytes but the archive declares {info.file_size:,}"
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        return "", f"it is not UTF-8 text (byte {exc.start} is not valid); save it as UTF-8 and import it again"
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        return "", "it contains NUL characters, which pages cannot hold"
    return text, ""


def _open_archive(upload) -> tuple[zipfile.ZipFile, IO[bytes] | None]:
    """The zip, and a file to close afterwards when ``upload`` was a path."""
    opened = None
    if isinstance(upload, (str, os.PathLike)):
        try:
            opened = upload = open(upload, "rb")  # noqa: SIM115 - closed by plan_import
        except OSError as exc:
            raise ArchiveError(f"The file cannot be read: {exc.strerror}.") from exc
    try:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    except (AttributeError, OSError) as exc:
        raise ArchiveError("The upload cannot be read as a file.") from exc
    if size > MAX_ARCHIVE_BYTES:
        raise ArchiveError(f"The file is {_size(size)}; an import may be at most {_size(MAX_ARCHIVE_BYTES)}.")
    try:
        return zipfile.ZipFile(upload), opened
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        if opened:
            opened.close()
        raise ArchiveError("This is not a zip file (or it is damaged), so nothing in it can be imported.") from exc


def _read_sources(archive: zipfile.ZipFile, plan: ImportPlan) -> list[_Source]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveError(f"The archive has {len(infos):,} entries; an import may have at most {MAX_ENTRIES:,}.")
    readable, seen = [], set()
    for info in sorted(infos, key=lambda i: i.filename):
        if info.is_dir():
            continue
        parts, problem = _entry_parts(info.filename)
        if problem:
            plan.refused.append(Refusal(info.filename, problem))
            continue
        if not parts:
            continue
        path = "/".join(parts)
        if reason := _ignored_reason(parts):
            plan.ignored.append(Refusal(path, reason))
            continue
        if not parts[-1].lower().endswith(MARKDOWN_SUFFIXES):
            plan.refused.append(Refusal(path, ONLY_MARKDOWN))
            continue
        if path in seen:
            plan.refused.append(Refusal(path, "the archive holds this path more than once"))
            continue
        seen.add(path)
        readable.append((parts, info))
    declared = sum(info.file_size for _, info in readable if info.file_size <= MAX_ENTRY_BYTES)
    if declared > MAX_TOTAL_BYTES:
        raise ArchiveError(
            f"The pages in this archive would unpack to {_size(declared)}; "
            f"an import may unpack to at most {_size(MAX_TOTAL_BYTES)}."
        )
    sources = []
    for parts, info in readable:
        path = "/".join(parts)
        text, problem = _read_entry(archive, info)
        if problem:
            plan.refused.append(Refusal(path, problem))
            continue
        meta, body = split_front_matter(text)
        if len(body) > services.TEXT_MAX:
            plan.refused.append(Refusal(path, f"a page is at most {services.TEXT_MAX:,} characters"))
            continue
        title = meta.get("title", "")
        sources.append(
            _Source(
                parts=parts,
                text=body,
                meta_title=" ".join(title.split()) if isinstance(title, str) else "",
                heading=" ".join(first_heading(body).split()),
                tags=_meta_tags(meta),
            )
        )
    return sources


def _folder_pages(sources: list[_Source]) -> tuple[set[tuple[str, ...]], dict[tuple[str, ...], _Source]]:
    """Every folder that holds pages, and the file that is the page of each folder that has one."""
    files: dict[tuple[str, ...], dict[str, _Source]] = {}
    folders: set[tuple[str, ...]] = set()
    for source in sources:
        files.setdefault(source.parts[:-1], {})[source.parts[-1].casefold()] = source
        folders.update(source.parts[:n] for n in range(1, len(source.parts)))
    pages: dict[tuple[str, ...], _Source] = {}
    # Deepest first: a file next to a folder is that folder's page before it can be its own folder's note.
    for folder in sorted(folders, key=lambda f: (-len(f), f)):
        name = folder[-1].casefold()
        beside, inside = files.get(folder[:-1], {}), files.get(folder, {})
        candidates = [beside.get(name + suffix) for suffix in MARKDOWN_SUFFIXES]
        for stem in (*FOLDER_PAGE_NAMES, name):
            candidates += [inside.get(stem + suffix) for suffix in MARKDOWN_SUFFIXES]
        for candidate in candidates:
            if candidate is not None and candidate.folder is None:
                candidate.folder, pages[folder] = folder, candidate
                break
    return folders, pages


def _existing_pages(space, actor) -> dict[str, int]:
    """Title key → pk of the live pages of the space that ``actor`` may see.

    Pages the actor may not see are left out: an import must not reveal them, so a file with the same
    title as one of them simply becomes a new page.
    """
    visible = Item.objects.visible_to(actor).filter(space=space, kind=ItemKind.PAGE).values("pk")
    found: dict[str, int] = {}
    for pk, title in Page.objects.filter(space=space, pk__in=visible).order_by("pk").values_list("pk", "item__title"):
        found.setdefault(_title_key(title), pk)
    return found


def plan_import(upload, *, space, actor, visibility: str | None = None) -> ImportPlan:
    """Read and check a zip of Markdown pages for ``space``: what would be created, updated and refused.

    ``upload`` is a path or a binary file object (an uploaded file). Writes nothing. Raises
    ``ArchiveError`` when the upload cannot be imported at all and ``PermissionDenied`` when ``actor``
    may not write pages in ``space``. Imported pages are visible to the space's members unless
    ``visibility`` says otherwise.
    """
    if not can_create_in(actor, space):
        raise PermissionDenied("Only members of a space can import pages into it.")
    visibility = visibility or Visibility.SPACE
    check_visibility(visibility=visibility, space=space, shared_with=[], noun="page")
    plan = ImportPlan(space=space, actor=actor, visibility=visibility)
    archive, opened = _open_archive(upload)
    try:
        with archive:
            sources = _read_sources(archive, plan)
    finally:
        if opened:
            opened.close()
    _plan_tree(plan, sources)
    plan.refused.sort(key=lambda r: r.path)
    return plan


def _made_up_title(name: str) -> str:
    """A title for a page the import makes up, from names in the archive, that the wiki will accept."""
    name = " ".join(name.replace("[[", "").replace("]]", "").replace("|", "-").split())
    return name[: services.TITLE_MAX].strip() or "Folder"


def _folder_title(folder: tuple[str, ...]) -> str:
    return _made_up_title(folder[-1])


def _plan_tree(plan: ImportPlan, sources: list[_Source]) -> None:
    folders, folder_pages = _folder_pages(sources)
    folder_nodes = {
        folder: PlannedPage(title=_folder_title(folder), path="/".join(folder) + "/", made_up=True)
        for folder in folders
        if folder not in folder_pages
    }
    source_of: dict[PlannedPage, _Source | None] = dict.fromkeys(folder_nodes.values())
    containers = {node: folder[:-1] for folder, node in folder_nodes.items()}
    for source in sources:
        node = PlannedPage(title="", path=source.path, text=source.text, tags=source.tags)
        source_of[node] = source
        if source.folder is not None:
            folder_nodes[source.folder] = node
            containers[node] = source.folder[:-1]
        else:
            containers[node] = source.parts[:-1]
    children: dict[PlannedPage | None, list[PlannedPage]] = {}
    for node, container in containers.items():
        node.parent = folder_nodes[container] if container else None
        children.setdefault(node.parent, []).append(node)
    # Breadth first, so that of two files with one title the shallower is the one imported.
    order, queue = [], deque(sorted(children.get(None, []), key=lambda n: n.path))
    while queue:
        node = queue.popleft()
        order.append(node)
        queue.extend(sorted(children.get(node, []), key=lambda n: n.path))

    claimed: dict[str, PlannedPage] = {}
    for node in order:
        source = source_of[node]
        if source is None:
            continue
        problem = _choose_title(node, source, claimed)
        if not problem:
            claimed[_title_key(node.title)] = node
            continue
        plan.refused.append(Refusal(node.path, problem))
        if source.folder is not None:
            # The folder's pages still need a parent: an empty page stands in for the refused one.
            node.made_up, node.text, node.tags = True, "", []
            node.path, node.title = "/".join(source.folder) + "/", _folder_title(source.folder)
            node.note = f"its own page {source.path} is refused"
    # A folder whose files were all refused needs no page: nothing would sit under it.
    live_children: Counter[PlannedPage] = Counter()
    for node in reversed(order):
        if node.made_up and not live_children[node]:
            node.title = ""
        elif node.title and node.parent is not None:
            live_children[node.parent] += 1
    # Made-up pages take their names last, so they never push a real file's title aside.
    for node in order:
        if node.made_up and node.title:
            node.title = _free_title(node.title, node.path, claimed)
            claimed[_title_key(node.title)] = node

    existing = _existing_pages(plan.space, plan.actor)
    matched = {node: existing[_title_key(node.title)] for node in order if _title_key(node.title) in existing}
    found = Page.objects.select_related("item", "current").in_bulk(set(matched.values()))
    for node in order:
        if not node.title:
            continue  # refused above
        page = node.existing = found.get(matched.get(node))
        if node.made_up:
            why = f" ({node.note})" if node.note else ""
            if page is not None:
                plan.notes.append(
                    f"The folder {node.path} has no page of its own{why}: its pages go under “{page.item.title}”."
                )
            else:
                plan.notes.append(
                    f"The folder {node.path} has no page of its own{why}: an empty page “{node.title}” is made for it."
                )
                plan.created.append(node)
        elif page is None:
            plan.created.append(node)
        elif not can_edit(plan.actor, page.item):
            plan.refused.append(Refusal(node.path, f"the page “{page.item.title}” exists and you cannot edit it"))
        elif page.current.text == node.text and page.current.title == node.title:
            plan.unchanged.append(node)
        else:
            plan.updated.append(node)
    if plan.updated:
        plan.notes.append(UPDATE_POLICY + " Updated pages stay where they are in the page tree.")


def _choose_title(node: PlannedPage, source: _Source, claimed: dict[str, PlannedPage]) -> str:
    """Give ``node`` its title; returns a reason to refuse the file instead."""
    named = source.folder[-1] if source.folder and source.stem.casefold() in FOLDER_PAGE_NAMES else source.stem
    title = source.meta_title or ""
    if not title and source.heading and not _title_problem(source.heading):
        title = source.heading
    title = title or " ".join(named.split())
    if problem := _title_problem(title):
        return problem
    other = claimed.get(_title_key(title))
    if other is not None:
        return f"another file in the archive, {other.path}, has the title “{title}”"
    node.title = title
    return ""


def _free_title(title: str, path: str, claimed: dict[str, PlannedPage]) -> str:
    if _title_key(title) not in claimed:
        return title
    title = _made_up_title(f"{title} ({path.rstrip('/')})")
    base, n = title, 2
    while _title_key(title) in claimed:
        title, n = _made_up_title(f"{base[: services.TITLE_MAX - 8]} {n}"), n + 1
    return title


def apply_import(plan: ImportPlan, *, actor) -> ImportReport:
    """Carry out a plan in one transaction: create and update its pages through ``wiki.services``.

    A page edited by someone else since the plan was made is merged as any edit is; when the edits
    overlap it is reported as refused and left as it is. Any other failure undoes the whole import.
    """
    if actor.pk != plan.actor.pk:
        raise PermissionDenied("An import plan can only be carried out by the person it was made for.")
    started = time.perf_counter()
    report = ImportReport(
        unchanged=[node.title for node in plan.unchanged],
        refused=list(plan.refused),
        ignored=list(plan.ignored),
        notes=list(plan.notes),
    )
    made: dict[PlannedPage, Page] = {}

    def parent_of(node: PlannedPage) -> Page | None:
        parent = node.parent
        while parent is not None and not parent.title:
            parent = parent.parent
        if parent is None:
            return None
        return parent.existing or made[parent]

    with transaction.atomic():
        for node in plan.created:
            try:
                made[node] = services.create_page(
                    author=actor,
                    space=plan.space,
                    title=node.title,
                    text=node.text,
                    parent=parent_of(node),
                    visibility=plan.visibility,
                    tags=node.tags,
                    summary=_import_summary(node),
                    notify=False,
                )
            except ValidationError as exc:
                raise ValidationError(f"Nothing was imported: {node.path}: {' '.join(exc.messages)}") from exc
        report.created = list(made.values())
        for node in plan.updated:
            try:
                result = services.save_page(
                    page=node.existing,
                    author=actor,
                    text=node.text,
                    title=node.title,
                    base_number=node.existing.current.number,
                    summary=_import_summary(node),
                    notify=False,
                )
            except ValidationError as exc:
                raise ValidationError(f"Nothing was imported: {node.path}: {' '.join(exc.messages)}") from exc
            if result.conflict is not None:
                report.refused.append(
                    Refusal(node.path, "the page was edited since the preview and the edits overlap; it is unchanged")
                )
            elif result.unchanged:
                report.unchanged.append(node.title)
            else:
                report.updated.append(result.page)
        if report.created or report.updated:
            # One activity for the whole import: watchers hear of it once, not once a page.
            record_activity(
                actor=actor,
                verb=Activity.Verb.SHARED,
                space=plan.space,
                extra={"wiki_import": True, "created": len(report.created), "updated": len(report.updated)},
            )
    report.seconds = time.perf_counter() - started
    return report


def _import_summary(node: PlannedPage) -> str:
    what = "Made for the imported folder" if node.made_up else "Imported from"
    return f"{what} {node.path}"[: services.SUMMARY_MAX]
