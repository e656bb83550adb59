"""Wiki Markdown: CommonMark with GitHub's extras, [[wiki links]], highlighted code, and sanitised HTML.

The parser is markdown-it-py's "commonmark" preset (raw HTML allowed) plus tables, strikethrough, task
lists, footnotes and heading anchors; fenced code is highlighted on the server by pygments with CSS
classes (static/css/highlight.css). Raw HTML is allowed in the source because everything that comes
out goes through nh3 (the ammonia sanitiser), which keeps only the tags and attributes Markdown itself
produces plus a few harmless inline and structural ones. Whatever the source says, the output has no
scripts, no event handlers, no style attributes, no ``javascript:``/``data:`` URLs, no ids but the
ones this module generated, and ``rel="noopener noreferrer"`` on every link.

Wiki links: ``[[Page title]]``, ``[[Page title|label]]`` and ``[[space-slug:Page title]]``. A prefix is
taken as a space only when it looks like a space slug (lower-case letters, digits, ``-``, ``_``) and is
followed directly by the title, so ``[[Python: tips]]`` is a page called "Python: tips". Inside a table
cell the label separator may be written ``\\|``, as GitHub requires for any pipe in a cell.

Views cache rendered HTML under a key that contains ``RENDER_VERSION``: bump it whenever the same text
would render differently.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

RENDER_VERSION = 1

Resolver = Callable[[str | None, str], tuple[str, bool]]


@dataclass(frozen=True)
class Heading:
    """One heading of a rendered page, for its table of contents."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class WikiLink:
    """A ``[[link]]`` as written: the space slug (None for the page's own wiki), page title and shown label."""

    space: str | None
    title: str
    label: str


@dataclass(frozen=True)
class Rendered:
    """Sanitised HTML, the headings in order, and the wiki links in reading order (footnotes last)."""

    html: str
    toc: list[Heading]
    links: list[WikiLink]


# ------------------------------------------------------------------------------------------ wiki links

WIKILINK_MAX = 400  # characters between the brackets; titles are at most 200, labels are short
_SPACE_PREFIX = re.compile(r"([a-z0-9][a-z0-9_-]*):(?=\S)(.*)", re.DOTALL)


def _parse_wikilink(inner: str) -> WikiLink | None:
    target, _, label = inner.replace("\\|", "|").partition("|")
    target, label = " ".join(target.split()), " ".join(label.split())
    space = None
    if match := _SPACE_PREFIX.fullmatch(target):
        space, target = match.group(1), match.group(2).strip()
    if not target:
        return None
    return WikiLink(space=space, title=target, label=label or target)


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2, pos + 2 + WIKILINK_MAX + 1)
    if end < 0:
        return False
    inner = src[pos + 2 : end]
    if "[" in inner or "]" in inner or "\n" in inner:
        return False
    link = _parse_wikilink(inner)
    if link is None:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"link": link}
        token.content = link.label
    state.pos = end + 2
    return True


def _render_wikilink(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    link: WikiLink = tokens[idx].meta["link"]
    label = escapeHtml(link.label)
    resolve: Resolver | None = env.get("resolve")
    if resolve is None:
        return f'<span class="wikilink">{label}</span>'
    # A page often links the same target many times; the resolver may cost a query each time.
    cache = env.setdefault("resolved", {})
    key = (link.space, link.title)
    if key not in cache:
        cache[key] = resolve(link.space, link.title)
    url, exists = cache[key]
    css = "wikilink" if exists else "wikilink missing"
    return f'<a href="{escapeHtml(url)}" class="{css}">{label}</a>'


def _links_in(children: Sequence[Token]) -> list[WikiLink]:
    return [child.meta["link"] for child in children if child.type == "wikilink"]


def _inline_links(tokens: Sequence[Token]) -> list[WikiLink]:
    links = []
    for token in tokens:
        if token.type == "inline" and token.children:
            links.extend(_links_in(token.children))
    return links


# ------------------------------------------------------------------------------------ headings, tables

# Page templates use these ids (skip link, landmarks); a heading must not steal them.
RESERVED_IDS = frozenset({"main", "content", "top"})
_FOOTNOTE_ID = re.compile(r"fn\d+|fnref\d+(?::\d+)?")
_NOT_SLUG = re.compile(r"[^\w\- ]")
_ALIGN_STYLE = re.compile(r"text-align:(left|center|right)")


def _plain_text(children: Sequence[Token] | None, *, images: bool = True) -> str:
    parts = []
    for child in children or ():
        if child.type in ("text", "text_special", "code_inline", "wikilink"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image" and images:
            parts.append(_plain_text(child.children))
    return " ".join("".join(parts).split())


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("", text.lower()).strip().replace(" ", "-") or "section"


def _unique_anchor(slug: str, used: set[str]) -> str:
    anchor, n = slug, 0
    while anchor in used or anchor in RESERVED_IDS or _FOOTNOTE_ID.fullmatch(anchor):
        n += 1
        anchor = f"{slug}-{n}"
    used.add(anchor)
    return anchor


def _anchors_and_alignment(state: StateCore) -> None:
    """Give headings unique ids (and collect the table of contents); turn table alignment into ``align``.

    Table cells come out of markdown-it with ``style="text-align:…"``; style attributes are refused by
    the sanitiser, while the ``align`` attribute says the same and browsers still honour it."""
    used: set[str] = set()
    toc: list[Heading] = state.env.setdefault("toc", [])
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            text = _plain_text(tokens[i + 1].children)
            anchor = _unique_anchor(_slug(text), used)
            token.attrSet("id", anchor)
            toc.append(Heading(level=int(token.tag[1]), text=text, anchor=anchor))
        elif token.type in ("th_open", "td_open") and (style := token.attrGet("style")):
            del token.attrs["style"]
            if match := _ALIGN_STYLE.fullmatch(str(style)):
                token.attrSet("align", match.group(1))
    state.env["anchors"] = used


# ------------------------------------------------------------------------------------------ highlighting

HIGHLIGHT_MAX = 100_000  # characters of one code block; past that it is shown plain, to bound render time
_FORMATTER = HtmlFormatter(nowrap=True)


@functools.lru_cache(maxsize=256)
def _lexer(name: str):
    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def _highlight(code: str, lang: str, attrs: str) -> str:
    """Spans for markdown-it to put inside ``<pre><code class="language-…">``; "" lets it escape plainly."""
    if not lang or len(code) > HIGHLIGHT_MAX:
        return ""
    lexer = _lexer(lang.lower()[:50])
    return pygments_highlight(code, lexer, _FORMATTER) if lexer else ""


# ------------------------------------------------------------------------------------------ the parser


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"highlight": _highlight}).enable(["table", "strikethrough"])
    tasklists_plugin(md)
    footnote_plugin(md)
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.core.ruler.push("anchors_and_alignment", _anchors_and_alignment)
    md.add_render_rule("wikilink", _render_wikilink)
    return md


def _build_blocks_only() -> MarkdownIt:
    """The same syntax, parsed to blocks only: callers inline-parse just the blocks they need.

    Finding links or the first paragraph needs the block structure (code blocks, footnote definitions,
    link reference definitions) but not the inline parse of every paragraph, which is most of the cost."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    footnote_plugin(md)
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.core.ruler.disable(["inline", "text_join", "footnote_tail"])
    return md


# Building a parser compiles its rule chains; once per process is enough (they hold no per-render state).
_MD = _build()
_BLOCKS = _build_blocks_only()


def _parse_inline(token: Token, env: dict) -> list[Token]:
    token.children = []
    _BLOCKS.inline.parse(token.content, _BLOCKS, env, token.children)
    return token.children


# ------------------------------------------------------------------------------------------ sanitising

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ALLOWED_TAGS = frozenset(
    {
        *_HEADINGS,
        *("p", "br", "hr", "blockquote", "pre", "code", "em", "strong", "del", "s", "a", "img"),
        *("ul", "ol", "li", "input", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"),
        *("section", "sup", "sub", "span", "div", "colgroup", "col"),
        *("abbr", "b", "i", "u", "ins", "mark", "small", "kbd", "samp", "var", "cite", "dfn", "q", "time"),
        *("dl", "dt", "dd", "details", "summary", "figure", "figcaption", "ruby", "rt", "rp", "wbr"),
    }
)
ALLOWED_ATTRIBUTES = {
    "*": {"class"},
    **{tag: {"id"} for tag in _HEADINGS},
    "a": {"href", "title", "id"},
    "li": {"id"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "input": {"checked"},
    "details": {"open"},
    "abbr": {"title"},
    "time": {"datetime"},
}
# Whatever the source wrote, an input can only be the disabled checkbox of a task list item.
FORCED_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": "disabled"}}
# Removed with everything inside them: their content is code or markup, not prose worth keeping as text.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "iframe", "object", "embed", "svg", "math", "noscript", "textarea", "title"}
)
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_CLASSES = frozenset(
    {
        *(name for name in STANDARD_TYPES.values() if name),
        *("wikilink", "missing", "task-list-item", "contains-task-list", "task-list-item-checkbox"),
        *("footnote-ref", "footnotes-sep", "footnotes", "footnotes-list", "footnote-item", "footnote-backref"),
    }
)
_LANGUAGE_CLASS = re.compile(r"language-\S{1,50}")
_ALIGN_VALUES = frozenset({"left", "center", "right"})


def _attribute_filter(anchors: Collection[str]) -> Callable[[str, str, str], str | None]:
    """Classes only from the known set (CSS hooks, not free-form), ids only the ones generated here.

    Ids written in raw HTML are dropped so a page cannot shadow the ids of the page around it (DOM
    clobbering); footnote ids are recognised by their fixed shapes."""

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute == "class":
            kept = [c for c in value.split() if c in _CLASSES or _LANGUAGE_CLASS.fullmatch(c)]
            return " ".join(kept) or None
        if attribute == "id":
            return value if value in anchors or _FOOTNOTE_ID.fullmatch(value) else None
        if attribute == "align":
            return value if value in _ALIGN_VALUES else None
        return value

    return keep


def sanitise(html: str, *, anchors: Collection[str] = ()) -> str:
    """Keep only safe markup; ``anchors`` are the heading ids that may stay."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter(anchors),
        set_tag_attribute_values=FORCED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# ------------------------------------------------------------------------------------------ public API


def render(text: str, *, resolve: Resolver | None = None) -> Rendered:
    """Safe HTML for a page's Markdown, with its table of contents and the wiki links it contains.

    ``resolve(space_slug_or_None, title)`` answers ``(url, exists)`` for each distinct wiki link;
    without it wiki links are plain spans (previews of text that has no page yet, exports)."""
    env: dict = {"resolve": resolve}
    tokens = _MD.parse(text or "", env)
    html = _MD.renderer.render(tokens, _MD.options, env)
    return Rendered(
        html=sanitise(html, anchors=env.get("anchors", set())),
        toc=env.get("toc", []),
        links=_inline_links(tokens),
    )


def extract_links(text: str) -> list[WikiLink]:
    """The ``[[links]]`` a text contains, as ``render`` sees them (none inside code), in much the same order."""
    if not text or "[[" not in text:
        return []
    env: dict = {}
    links = []
    for token in _BLOCKS.parse(text, env):
        if token.type == "inline" and "[[" in token.content:
            links.extend(_links_in(_parse_inline(token, env)))
    # Inline footnotes (``^[…]``) keep their parsed text aside; render shows them at the end, and so here.
    for note in env.get("footnotes", {}).get("list", {}).values():
        links.extend(_links_in(note.get("tokens") or ()))
    return links


def plain_summary(text: str, limit: int = 280) -> str:
    """The first paragraph as plain text, cut at a word boundary to at most ``limit`` characters."""
    if not text:
        return ""
    env: dict = {}
    tokens = _BLOCKS.parse(text, env)
    for i, token in enumerate(tokens):
        if token.type != "paragraph_open":
            continue
        # Alt text is no summary: a paragraph that is only an image is skipped.
        if summary := _plain_text(_parse_inline(tokens[i + 1], env), images=False):
            return _shorten(summary, limit)
    return ""


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…"


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")


def _fence_after(fence: str | None, line: str) -> str | None:
    """The fence open after ``line`` (CommonMark's rules: an opening run of 3+ backticks or tildes,
    closed by a run of the same character at least as long with nothing after it)."""
    match = _FENCE.match(line)
    if match is None:
        return fence
    run, rest = match.groups()
    if fence is None:
        return None if run[0] == "`" and "`" in rest else run
    closes = run[0] == fence[0] and len(run) >= len(fence) and not rest.strip()
    return None if closes else fence


def split_slides(text: str) -> list[str]:
    """The text cut into slides at lines that are exactly ``---`` (not inside fenced code).

    A front-matter-looking block at the top is not special: it is a slide like any other. Slides
    with nothing but blank lines are left out; a text with no content gives one empty slide."""
    slides, current, fence = [], [], None
    for line in _LINE.findall(text or ""):
        bare = line.rstrip("\r\n")
        if fence is None and bare == "---":
            slides.append("".join(current))
            current = []
        else:
            fence = _fence_after(fence, bare)
            current.append(line)
    slides.append("".join(current))
    kept = [slide.strip("\r\n") for slide in slides if slide.strip()]
    return kept or [""]
