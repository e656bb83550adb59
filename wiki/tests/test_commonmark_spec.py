"""Every example of the CommonMark spec, through the wiki's renderer.

The wiki renders what markdown-it's "commonmark" preset renders; the only differences allowed are the
ones this module lists: what the sanitiser must change for safety, and the few places where a wiki
extension claims syntax (``[[...]]``). Before comparing, both sides are normalised: entities decoded,
attributes sorted, ``<br />`` same as ``<br>``, and the decorations the wiki adds on purpose set aside
(heading ids, ``rel`` on links, pygments' spans inside code). The examples come from
wiki/tests/data/commonmark.json (see the README there for source and licence).
"""

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from wiki.markdown import render
from wiki.tests.test_markdown import assert_safe_html

EXAMPLES = json.loads((Path(__file__).parent / "data" / "commonmark.json").read_text(encoding="utf-8"))
COMMONMARK = MarkdownIt("commonmark")

# The sanitiser parses raw HTML as a browser would, then keeps only the allow-listed parts. Reasons:
REPARSED = "raw HTML left open or misnested is balanced the way a browser parses it, before cleaning"
TBODY = "a raw HTML table gets the <tbody> a browser infers, before cleaning"
UNKNOWN_TAG = "a raw HTML tag that is not on the allow-list is removed (its text stays)"
ATTRIBUTE = "a raw HTML attribute that is not on the allow-list (id, class, data, language...) is removed"
CONTENT = "script, style and textarea are removed with everything inside them"
COMMENT = "comments, processing instructions, declarations and CDATA are removed"
SCHEME = "a link whose URL scheme is not on the allow-list (http, https, mailto, tel) loses its href"

SANITISER_CHANGES = {
    21: REPARSED,
    31: REPARSED,
    148: TBODY,
    149: TBODY,
    150: UNKNOWN_TAG,
    151: REPARSED,
    152: ATTRIBUTE,
    153: ATTRIBUTE,
    154: ATTRIBUTE,
    155: REPARSED,
    156: REPARSED,
    157: REPARSED,
    158: REPARSED,
    160: TBODY,
    163: UNKNOWN_TAG,
    164: ATTRIBUTE,
    165: REPARSED,
    169: ATTRIBUTE,
    170: CONTENT,
    171: CONTENT,
    172: CONTENT,
    173: CONTENT,
    174: REPARSED,
    175: REPARSED,
    176: CONTENT,
    177: COMMENT,
    178: CONTENT,
    179: COMMENT,
    180: COMMENT,
    181: COMMENT,
    182: COMMENT,
    183: COMMENT,
    184: REPARSED,
    187: REPARSED,
    190: TBODY,
    191: TBODY,
    201: UNKNOWN_TAG,
    308: COMMENT,
    309: COMMENT,
    344: REPARSED,
    476: REPARSED,
    477: REPARSED,
    491: UNKNOWN_TAG,
    494: REPARSED,
    524: UNKNOWN_TAG,
    536: UNKNOWN_TAG,
    596: SCHEME,
    598: SCHEME,
    599: SCHEME,
    601: SCHEME,
    613: UNKNOWN_TAG,
    614: UNKNOWN_TAG,
    615: UNKNOWN_TAG,
    616: ATTRIBUTE,
    617: UNKNOWN_TAG,
    623: UNKNOWN_TAG,
    625: COMMENT,
    626: COMMENT,
    627: COMMENT,
    628: COMMENT,
    629: COMMENT,
    630: REPARSED,
    631: REPARSED,
    642: REPARSED,
    643: REPARSED,
}

WIKI_LINK = "[[...]] is a wiki link in the wiki, before CommonMark's nested brackets are considered"
EXTENSION_CHANGES = {
    548: WIKI_LINK,
    559: WIKI_LINK,
    590: WIKI_LINK,
}


class _Canonical(HTMLParser):
    """The parts of HTML that matter for comparing: tags, sorted attributes, decoded text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple] = []
        self.in_code = 0

    def handle_starttag(self, tag, attrs):
        self.in_code += tag == "code"
        if tag == "span" and self.in_code:
            return  # pygments' token spans: highlighting, not content
        attributes = {name: value or "" for name, value in attrs}
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            attributes.pop("id", None)
        if tag == "a":
            attributes.pop("rel", None)
        self.parts.append(("start", tag, tuple(sorted(attributes.items()))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.in_code -= tag == "code"
        if tag == "span" and self.in_code:
            return
        self.parts.append(("end", tag))

    def handle_data(self, data):
        if self.parts and self.parts[-1][0] == "text":
            self.parts[-1] = ("text", self.parts[-1][1] + data)
        else:
            self.parts.append(("text", data))

    def handle_comment(self, data):
        self.parts.append(("comment", data))

    def handle_decl(self, decl):
        self.parts.append(("decl", decl))

    def handle_pi(self, data):
        self.parts.append(("pi", data))

    def unknown_decl(self, data):
        self.parts.append(("decl", data))


def canonical(html: str) -> list[tuple]:
    parser = _Canonical()
    parser.feed(html)
    parser.close()
    return parser.parts


def _example_id(example: dict) -> str:
    return f"{example['example']}-{example['section'].lower().replace(' ', '-')}"


@pytest.mark.parametrize("example", EXAMPLES, ids=_example_id)
def test_each_spec_example_renders_as_commonmark_except_where_listed(example):
    number = example["example"]
    ours = render(example["markdown"]).html
    theirs = COMMONMARK.render(example["markdown"])

    if number in SANITISER_CHANGES or number in EXTENSION_CHANGES:
        # A listed difference must still be real, or the list has gone stale and hides regressions.
        assert canonical(ours) != canonical(theirs), f"example {number} no longer differs: unlist it"
        assert_safe_html(ours)
    else:
        assert canonical(ours) == canonical(theirs)


def test_the_listed_examples_exist_and_each_has_one_reason():
    numbers = {example["example"] for example in EXAMPLES}

    assert len(numbers) == 652
    assert set(SANITISER_CHANGES) <= numbers
    assert set(EXTENSION_CHANGES) <= numbers
    assert not set(SANITISER_CHANGES) & set(EXTENSION_CHANGES)
