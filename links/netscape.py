"""Read Netscape bookmark files, the format every browser and bookmarking service exports.

The format is older than HTML 4 and never had a grammar: ``<DT>`` and ``<DD>`` are left open,
``<DL>`` nesting carries the folders, dates are Unix times (in seconds, though milliseconds and
microseconds are seen in the wild), and each exporter adds attributes of its own. So the file is
read with the standard library's forgiving HTML tokenizer and a small state machine, never as
XML. What is read:

- ``<DT><H3>`` names a folder; the ``<DL>`` that follows holds its entries. Folders the browser
  itself makes (``PERSONAL_TOOLBAR_FOLDER``, ``UNFILED_BOOKMARKS_FOLDER``) are kept out of paths.
- ``<DT><A HREF=…>`` is a bookmark: ``ADD_DATE``, ``LAST_MODIFIED``, ``TAGS`` (comma-separated),
  ``PRIVATE="1"``; ``NOTES`` is Watercooler's own (browsers ignore attributes they do not know).
- ``<DD>`` after a bookmark or folder is its description, up to the next ``<DT>``, ``<DL>`` or
  ``</DL>``; markup inside it is kept as text, because exporters such as Delicious wrote what the
  person typed without escaping it.
- Pocket's export (``<ul><li><a time_added=… tags=…>``) is read the same way.

Entries that cannot become a link (no address, ``javascript:`` bookmarklets, Firefox's ``place:``
queries, relative or malformed addresses) are listed with the reason, never dropped silently.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.utils import timezone

from links.normalise import normalise_url

# Folder flags set by Firefox and Chrome on the folders the browser itself owns.
CONTAINER_FLAGS = ("personal_toolbar_folder", "unfiled_bookmarks_folder")
TAG_MAX = 60
# Unix times in seconds stay below 10¹¹ until the year 5138; milliseconds and microseconds are 10³ and 10⁶ times that.
_SECONDS_BELOW = 10**11
_MILLISECONDS_BELOW = 10**14
_MICROSECONDS_BELOW = 10**17
_REFUSED_SCHEMES = {
    "javascript": "a bookmarklet (javascript:), not a web page",
    "place": "a Firefox smart folder (place:), not a web page",
    "data": "data embedded in the address (data:), not a web page",
    "file": "a file on the exporting computer (file:), not a web page",
}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class UnreadableFile(ValidationError):
    """The file as a whole cannot be read as bookmarks (empty, binary, not a bookmark export, too big)."""


@dataclass
class Folder:
    name: str
    path: tuple[str, ...]  # from the root, containers left out; () for a container itself
    description: str = ""
    added: datetime | None = None
    container: bool = False
    line: int = 0


@dataclass
class Bookmark:
    url: str  # normalised
    href: str  # as written in the file
    title: str
    description: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    folders: tuple[str, ...] = ()
    private: bool = False
    added: datetime | None = None
    modified: datetime | None = None
    line: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class Invalid:
    """An entry that cannot be saved as a link, with the reason to show."""

    href: str
    title: str
    reason: str
    line: int
    folders: tuple[str, ...] = ()


@dataclass
class ParsedFile:
    format: str  # "netscape" or "pocket"
    bookmarks: list[Bookmark]
    invalid: list[Invalid]
    folders: list[Folder]

    @property
    def entry_count(self) -> int:
        return len(self.bookmarks) + len(self.invalid)

    @property
    def tags(self) -> set[str]:
        return {tag.lower() for bookmark in self.bookmarks for tag in bookmark.tags}


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else the charset its META names, else cp1252."""
    if not data.strip():
        raise UnreadableFile("The file is empty.")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:8192]:
        raise UnreadableFile("This is not a text file, so it cannot be a bookmark export.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _CHARSET.search(data[:4096])
    encoding = "windows-1252"
    if match:
        with contextlib.suppress(LookupError):
            named = codecs.lookup(match.group(1).decode("ascii")).name
            # A META naming UTF-16 in a file whose bytes are ASCII-like is wrong about itself.
            if not named.startswith(("utf-16", "utf-32")):
                encoding = named
    return data.decode(encoding, errors="replace")


def parse(data: bytes | str, *, max_entries: int | None = None) -> ParsedFile:
    """Read a bookmark export; raises ``UnreadableFile`` when it is not one at all."""
    text = decode(data) if isinstance(data, bytes) else data
    reader = _Reader(max_entries=max_entries)
    reader.feed(text)
    reader.close()
    if reader.format is None:
        if reader.anchors or reader.folders:
            # An ordinary web page also has links; importing its navigation as bookmarks would be a surprise.
            raise UnreadableFile(
                "This HTML file is not a bookmark export: it has no NETSCAPE-Bookmark-file-1 header and no "
                "bookmark list. Export your bookmarks as HTML from your browser or bookmarking service."
            )
        raise UnreadableFile("This is not a bookmark export: no bookmarks or folders were found in it.")
    return ParsedFile(format=reader.format, bookmarks=reader.bookmarks, invalid=reader.invalid, folders=reader.folders)


def parse_timestamp(value: str | None) -> tuple[datetime | None, str]:
    """A bookmark date as an aware datetime, and a warning when the value is there but unusable."""
    if value is None or not value.strip():
        return None, ""
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return None, f"the date “{value[:40]}” is not a date"
        when = when if timezone.is_aware(when) else when.replace(tzinfo=UTC)
    else:
        if number <= 0:  # several exporters write 0 for "unknown"
            return None, ""
        if number < _SECONDS_BELOW:
            seconds = number
        elif number < _MILLISECONDS_BELOW:
            seconds = number / 1_000
        elif number < _MICROSECONDS_BELOW:
            seconds = number / 1_000_000
        else:
            return None, f"the date “{value[:40]}” is out of range"
        when = datetime.fromtimestamp(seconds, tz=UTC)
    if when > timezone.now() + timedelta(days=1):
        return None, f"the date “{value[:40]}” is in the future"
    return when, ""


def split_tags(value: str | None) -> list[str]:
    """``TAGS="a, b ,c"``: names in order, blanks and repeats (ignoring case) left out."""
    names: list[str] = []
    seen: set[str] = set()
    for part in (value or "").split(","):
        name = " ".join(part.split())[:TAG_MAX]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def check_href(href: str | None) -> tuple[str, str]:
    """The normalised URL, or "" and the reason it cannot be saved."""
    href = (href or "").strip()
    if not href:
        return "", "it has no address"
    scheme = _SCHEME.match(href)
    if scheme is None:
        return "", "its address is relative, so it only meant something on the site that exported it"
    if scheme.group(1).lower() in _REFUSED_SCHEMES:
        return "", f"it is {_REFUSED_SCHEMES[scheme.group(1).lower()]}"
    try:
        return normalise_url(href), ""
    except ValidationError as error:
        return "", error.messages[0]


class _Reader(HTMLParser):
    # Without this the tokenizer would swallow everything up to a </script> that an unescaped description opened.
    CDATA_CONTENT_ELEMENTS = ()
    _STRUCTURE = frozenset({"dt", "dd", "dl", "h3", "a", "hr", "h1", "li", "ul"})
    # Inside a description only these end it: Delicious wrote people's own "<li>" and "</code>" there unescaped.
    _ENDS_DESCRIPTION = frozenset({"dt", "dd", "dl", "h3", "a", "hr"})

    def __init__(self, *, max_entries: int | None):
        super().__init__(convert_charrefs=True)
        self.max_entries = max_entries
        self.format: str | None = None
        self.bookmarks: list[Bookmark] = []
        self.invalid: list[Invalid] = []
        self.folders: list[Folder] = []
        self.anchors = 0
        self._stack: list[Folder | None] = []  # one per open <DL>: its folder, or None for a list without one
        self._pending: Folder | None = None  # a folder whose heading was read and whose <DL> has not begun
        self._dt_open = False  # the last structural tag was <DT>, so an <A> here is a bookmark entry
        self._mode: str | None = None  # what text is being gathered: "title", "folder" or "description"
        self._buffer: list[str] = []
        self._anchor: tuple[dict[str, str | None], int] | None = None
        self._described: Bookmark | Folder | None = None  # what a <DD> describes
        self._endtag_at = 0

    # -------------------------------------------------------------------------------------- tokens

    def handle_decl(self, decl):
        if "netscape-bookmark-file" in decl.lower():
            self.format = "netscape"

    def handle_starttag(self, tag, attrs):
        if self._mode == "description" and tag not in self._ENDS_DESCRIPTION:
            self._buffer.append(self.get_starttag_text() or "")
            return
        if self._mode == "title" and tag not in self._STRUCTURE:
            return  # inline markup inside a bookmark's title: keep its text only
        if tag in self._STRUCTURE:
            self._finish_text()
        values = dict(attrs)
        if tag == "dt":
            self._dt_open = True
        elif tag == "h3":
            self._mode, self._buffer = "folder", []
            self._anchor = (values, self.getpos()[0])
        elif tag == "a":
            self.anchors += 1
            if self._dt_open or self.format == "netscape" or "add_date" in values or "time_added" in values:
                if "time_added" in values and self.format is None:
                    self.format = "pocket"
                elif self._dt_open and self.format is None and self._stack:
                    self.format = "netscape"  # a bookmark list without the header line, as a few tools write it
                self._mode, self._buffer = "title", []
                self._anchor = (values, self.getpos()[0])
        elif tag == "dd":
            self._mode, self._buffer = "description", []
        elif tag == "dl":
            self._stack.append(self._pending)
            self._pending = None
            self._described = None
            self._dt_open = False
        elif tag in ("hr", "li", "ul", "h1"):
            self._dt_open = tag == "li"
            self._described = None

    def handle_startendtag(self, tag, attrs):
        if self._mode == "description" and tag not in self._ENDS_DESCRIPTION:
            self._buffer.append(self.get_starttag_text() or "")
        elif tag in self._STRUCTURE:
            self.handle_starttag(tag, attrs)

    def parse_endtag(self, i):
        self._endtag_at = i
        return super().parse_endtag(i)

    def handle_endtag(self, tag):
        if self._mode == "description" and tag not in ("dl", "dd"):
            end = self.rawdata.find(">", self._endtag_at)
            self._buffer.append(self.rawdata[self._endtag_at : end + 1] if end >= 0 else f"</{tag}>")
            return
        if tag in ("a", "h3"):
            if (tag == "a" and self._mode == "title") or (tag == "h3" and self._mode == "folder"):
                self._finish_text()
        elif tag == "dl":
            self._finish_text()
            if self._stack:
                self._stack.pop()
            self._described = None
            self._dt_open = False
        elif tag in ("ul", "li"):
            self._finish_text()

    def handle_data(self, data):
        if self._mode is not None:
            self._buffer.append(data)

    def close(self):
        super().close()
        self._finish_text()
        if self._pending is not None:  # a folder heading with no list after it: an empty folder
            self._pending = None

    # --------------------------------------------------------------------------------------- state

    def _folder_path(self) -> tuple[str, ...]:
        return tuple(f.name for f in self._stack if f is not None and not f.container and f.name)

    def _finish_text(self):
        mode, text = self._mode, "".join(self._buffer)
        self._mode, self._buffer = None, []
        if mode == "title":
            self._add_bookmark(" ".join(text.split()))
            self._dt_open = False
        elif mode == "folder":
            self._add_folder(" ".join(text.split()))
            self._dt_open = False
        elif mode == "description" and self._described is not None:
            self._described.description = text.strip()
            self._described = None

    def _add_folder(self, name: str):
        values, line = self._anchor or ({}, 0)
        container = any((values.get(flag) or "").lower() == "true" for flag in CONTAINER_FLAGS)
        added, _ = parse_timestamp(values.get("add_date"))
        parent = self._folder_path()
        folder = Folder(
            name=name,
            path=parent if container or not name else (*parent, name),
            added=added,
            container=container,
            line=line,
        )
        self.folders.append(folder)
        self._pending = folder
        self._described = folder

    def _add_bookmark(self, title: str):
        values, line = self._anchor or ({}, 0)
        self._anchor = None
        if self.max_entries is not None and len(self.bookmarks) + len(self.invalid) >= self.max_entries:
            raise UnreadableFile(
                f"The file holds more than {self.max_entries:,} bookmarks, more than one import may bring in. "
                "Split it into smaller files."
            )
        href = values.get("href") or ""
        folders = self._folder_path()
        url, reason = check_href(href)
        if reason:
            self.invalid.append(Invalid(href=href, title=title, reason=reason, line=line, folders=folders))
            self._described = None
            return
        added, added_warning = parse_timestamp(values.get("add_date") or values.get("time_added"))
        modified, modified_warning = parse_timestamp(values.get("last_modified"))
        bookmark = Bookmark(
            url=url,
            href=href,
            title=title,
            notes=(values.get("notes") or "").strip(),
            tags=split_tags(values.get("tags")),
            folders=folders,
            private=(values.get("private") or "").strip() == "1",
            added=added,
            modified=modified,
            line=line,
            warnings=[w for w in (added_warning, modified_warning) if w],
        )
        self.bookmarks.append(bookmark)
        self._described = bookmark
