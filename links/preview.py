"""What a fetched web page says about itself: title, description, picture and icon.

Pages in the wild are full of broken markup, wrong charsets and missing tags, so nothing here
raises on bad input: whatever can be read is kept and the rest left empty. The standard library's
HTML tokenizer is enough, because only the tags in the page's head are wanted, not a tree; it does
not run scripts or load anything.

The order of preference follows what sharing cards show: Open Graph, then Twitter's card tags,
then plain HTML (``<title>``, ``<meta name="description">``).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

TITLE_MAX = 300
DESCRIPTION_MAX = 1000
# Enough for any real head; the rest of a huge page is not worth tokenizing.
TEXT_MAX = 1_000_000

_TITLE_KEYS = ("og:title", "twitter:title")
_DESCRIPTION_KEYS = ("og:description", "twitter:description", "description")
_IMAGE_KEYS = ("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src")
_ICON_RELS = {"icon", "apple-touch-icon", "apple-touch-icon-precomposed"}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
# The WHATWG Encoding standard reads these labels as windows-1252 and never as what they claim.
_MARKED_SECTION = re.compile(r"<!\[(?!CDATA\[)", re.IGNORECASE)
_AS_WINDOWS_1252 = {"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "x-user-defined"}


@dataclass(frozen=True)
class PagePreview:
    """What a page says about itself; URLs are absolute http(s) or empty."""

    title: str = ""
    description: str = ""
    image_url: str = ""
    favicon_url: str = ""


def is_html(content_type: str, content: bytes) -> bool:
    """Whether a response is a web page: by its type, or by its first bytes when the type says nothing useful."""
    if content_type in _HTML_TYPES:
        return True
    if content_type in ("", "text/plain", "application/octet-stream"):
        head = content[:512].lstrip(codecs.BOM_UTF8).lstrip().lower()
        return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<title"))
    return False


def parse_page(content: bytes, *, url: str, content_type: str = "") -> PagePreview:
    """Read ``content`` (the page's bytes) fetched from ``url``; ``content_type`` is the full header value."""
    # The tokenizer stops at conditional comments (<![if !IE]>); as bogus comments they are skipped instead.
    text = _MARKED_SECTION.sub("<!", decode_html(content, content_type)[:TEXT_MAX])
    reader = _HeadReader()
    try:
        reader.feed(text)
        reader.close()
    except (AssertionError, ValueError, IndexError):
        pass  # the tokenizer gives up on some malformed declarations; what it read so far still counts
    base = url
    if reader.base_href:
        joined = _absolute(url, reader.base_href)
        base = joined or url
    meta = reader.meta
    title = _first(meta, _TITLE_KEYS) or reader.title
    description = _first(meta, _DESCRIPTION_KEYS)
    image = ""
    for key in _IMAGE_KEYS:
        image = _absolute(base, meta.get(key, ""))
        if image:
            break
    if not image and reader.image_src:
        image = _absolute(base, reader.image_src)
    return PagePreview(
        title=_clip(title, TITLE_MAX),
        description=_clip(description, DESCRIPTION_MAX),
        image_url=image,
        favicon_url=_best_icon(base, reader.icons) or default_favicon(url),
    )


def default_favicon(url: str) -> str:
    """Where browsers look for a site's icon when the page names none."""
    return urljoin(url, "/favicon.ico")


def decode_html(content: bytes, content_type: str = "") -> str:
    """The page as text: a byte order mark first, then the header's charset, then ``<meta charset>``, then guesses."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if content.startswith(bom):
            return content[len(bom) :].decode(encoding, "replace")
    encoding = _encoding(_header_charset(content_type))
    if encoding is None:
        found = _META_CHARSET.search(content[:4096])
        encoding = _encoding(found.group(1).decode("ascii") if found else "", from_meta=True)
    if encoding is not None:
        return content.decode(encoding, "replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # What browsers fall back on for an undeclared Western page.
        return content.decode("cp1252", "replace")


def _header_charset(content_type: str) -> str:
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("'\"")
    return ""


def _encoding(label: str, *, from_meta: bool = False) -> str | None:
    label = label.strip().lower()
    if not label:
        return None
    if label in _AS_WINDOWS_1252:
        return "cp1252"
    if from_meta and label.startswith("utf-16"):
        # A page that could declare UTF-16 in ASCII bytes is not UTF-16 (HTML's prescan rule).
        return "utf-8"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Python also knows bytes-to-bytes codecs (base64, zlib) and UTF-7, which no browser decodes pages with.
    if not getattr(info, "_is_text_encoding", True) or info.name == "utf-7":
        return None
    return info.name


class _HeadReader(HTMLParser):
    """Collects the first ``<title>``, ``<meta>`` values, ``<base href>`` and icon links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.icons: list[tuple[str, set[str], str, str]] = []  # href, rel tokens, sizes, type
        self.base_href = ""
        self.image_src = ""
        self.title = ""
        self._title_parts: list[str] | None = None
        self._title_done = False
        self._svg_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): (value or "") for name, value in attrs if name}
        if tag == "svg":
            self._svg_depth += 1
        elif tag == "title" and not self._title_done and not self._svg_depth:
            self._title_parts = []
        elif tag == "meta":
            self._meta(attributes)
        elif tag == "link":
            self._link(attributes)
        elif tag == "base" and not self.base_href:
            self.base_href = attributes.get("href", "").strip()

    def handle_startendtag(self, tag, attrs):
        if tag == "svg":  # <svg/> opens nothing
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "svg" and self._svg_depth:
            self._svg_depth -= 1
        elif tag in ("title", "head") and self._title_parts is not None:
            self._finish_title()

    def handle_data(self, data):
        if self._title_parts is not None:
            self._title_parts.append(data)

    def close(self):
        super().close()
        if self._title_parts is not None:  # <title> never closed: keep what it held
            self._finish_title()

    def _finish_title(self):
        self.title = " ".join("".join(self._title_parts or []).split())
        self._title_parts = None
        self._title_done = bool(self.title)

    def _meta(self, attributes):
        key = (attributes.get("property") or attributes.get("name") or "").strip().lower()
        value = attributes.get("content", "")
        if key and value.strip() and key not in self.meta:
            self.meta[key] = value

    def _link(self, attributes):
        rel = set(attributes.get("rel", "").lower().split())
        href = attributes.get("href", "").strip()
        if not href:
            return
        if "image_src" in rel and not self.image_src:
            self.image_src = href
        if rel & _ICON_RELS:
            self.icons.append((href, rel, attributes.get("sizes", "").lower(), attributes.get("type", "").lower()))


def _best_icon(base: str, icons) -> str:
    """The icon closest to 64 px that an image library can read (not SVG, which would need a renderer)."""
    ranked = []
    for order, (href, rel, sizes, kind) in enumerate(icons):
        url = _absolute(base, href)
        if not url or "svg" in kind or urlsplit(url).path.lower().endswith(".svg") or "mask-icon" in rel:
            continue
        size = _largest_size(sizes)
        if size is None:
            # Unsized: a plain icon is usually 16–32 px, a touch icon 180 px.
            size = 180 if "icon" not in rel else 32
        # Prefer the smallest icon of at least 64 px, then the largest below it; earlier ones break ties.
        rank = (0, size, order) if size >= 64 else (1, -size, order)
        ranked.append((rank, url))
    return min(ranked)[1] if ranked else ""


def _largest_size(sizes: str) -> int | None:
    found = [int(w) for w, _h in re.findall(r"(\d{1,4})x(\d{1,4})", sizes)]
    return max(found) if found else None


def _first(meta: dict[str, str], keys) -> str:
    for key in keys:
        value = " ".join(meta.get(key, "").split())
        if value:
            return value
    return ""


def _absolute(base: str, href: str) -> str:
    href = (href or "").strip()
    if not href:
        return ""
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return url


def _clip(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
