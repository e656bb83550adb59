import re
from html import unescape
from html.parser import HTMLParser

import pytest

from wiki.markdown import (
    ALLOWED_TAGS,
    Heading,
    WikiLink,
    extract_links,
    plain_summary,
    render,
    split_slides,
)

SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "data", "poster", "srcset"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def assert_safe_html(html: str) -> None:
    """Only allow-listed tags; no handlers, styles or script-capable URLs, whatever the browser decodes."""
    for tag, attributes in elements(html):
        assert tag in ALLOWED_TAGS, f"<{tag}> survived"
        for name, value in attributes.items():
            assert not name.startswith("on"), f"{name} on <{tag}> survived"
            assert name != "style", f"style on <{tag}> survived"
            if name in URL_ATTRIBUTES:
                # Browsers drop these characters before reading a scheme, so "java\tscript:" still runs.
                url = re.sub(r"[\x00-\x20]", "", unescape(value)).lower()
                scheme = re.match(r"[a-z][a-z0-9+.-]*:", url)
                assert scheme is None or scheme.group(0) in SAFE_SCHEMES, f"{name}={value!r} survived"
        if tag == "input":
            assert attributes.get("type") == "checkbox" and "disabled" in attributes


def resolver(existing=()):
    calls = []

    def resolve(space, title):
        calls.append((space, title))
        return f"/wiki/{space or 'here'}/{title}/", title in existing

    resolve.calls = calls
    return resolve


# ------------------------------------------------------------------------------------------ GFM extras


def test_it_renders_tables_with_their_column_alignment():
    html = render("| Name | Score |\n|:-----|------:|\n| Ann | 10 |\n").html

    assert "<table>" in html
    assert '<th align="left">Name</th>' in html
    assert '<td align="right">10</td>' in html
    assert "style" not in html


def test_it_renders_task_lists_as_disabled_checkboxes():
    html = render("- [ ] write\n- [x] review\n").html

    checkboxes = [attributes for tag, attributes in elements(html) if tag == "input"]
    assert len(checkboxes) == 2
    assert all(box["type"] == "checkbox" and "disabled" in box for box in checkboxes)
    assert "checked" not in checkboxes[0] and "checked" in checkboxes[1]
    assert '<ul class="contains-task-list">' in html


def test_it_renders_strikethrough():
    assert render("~~gone~~ kept").html == "<p><s>gone</s> kept</p>\n"


def test_it_renders_footnotes_with_links_both_ways():
    html = render("Claim.[^src]\n\n[^src]: The source.\n").html

    assert '<a href="#fn1" id="fnref1"' in html
    assert '<li id="fn1" class="footnote-item">' in html
    assert 'href="#fnref1"' in html
    assert '<section class="footnotes">' in html


def test_it_renders_images_that_point_at_uploaded_files():
    html = render("![A diagram](/files/12/inline)").html

    assert elements(html) == [("p", {}), ("img", {"src": "/files/12/inline", "alt": "A diagram"})]


# ------------------------------------------------------------------------------------------ headings


def test_it_gives_headings_unique_anchors_and_a_table_of_contents():
    rendered = render("# Setup\n\n## Install `uv`\n\n## Setup\n\n### Setup\n\n## ¿Qué tal? Ça va!\n")

    assert rendered.toc == [
        Heading(level=1, text="Setup", anchor="setup"),
        Heading(level=2, text="Install uv", anchor="install-uv"),
        Heading(level=2, text="Setup", anchor="setup-1"),
        Heading(level=3, text="Setup", anchor="setup-2"),
        Heading(level=2, text="¿Qué tal? Ça va!", anchor="qué-tal-ça-va"),
    ]
    ids = [attributes["id"] for tag, attributes in elements(rendered.html) if tag[0] == "h"]
    assert ids == [heading.anchor for heading in rendered.toc]


def test_it_keeps_heading_anchors_off_ids_the_page_and_footnotes_use():
    rendered = render("# Main\n\n## fn1\n\n## !!!\n")

    assert [heading.anchor for heading in rendered.toc] == ["main-1", "fn1-1", "section"]


def test_it_drops_ids_and_unknown_classes_written_in_raw_html():
    html = render('<h2 id="main" class="wikilink evil">Raw</h2>\n\n<a id="csrf" href="/x">x</a>').html

    assert 'id="' not in html
    assert '<h2 class="wikilink">Raw</h2>' in html


# ------------------------------------------------------------------------------------------ code


def test_it_highlights_fenced_code_with_pygments_classes():
    html = render('```python\ndef greet(name):\n    return f"hi {name}"  # say hi\n```\n').html

    assert html.startswith('<pre><code class="language-python"><span class="k">def</span>')
    assert '<span class="nf">greet</span>' in html
    assert '<span class="c1"># say hi</span>' in html


def test_it_keeps_the_code_text_exactly_when_highlighting():
    code = '<b>&amp;</b>\n\n\tx = "y"\n'
    html = render(f"```html\n{code}```\n").html

    assert unescape(re.sub(r"<[^>]+>", "", html)) == code + "\n"


def test_it_shows_code_in_unknown_or_no_language_plainly_escaped():
    unknown = render("```no-such-language\n<b>x</b>\n```\n").html
    plain = render("```\n<b>x</b>\n```\n").html

    assert unknown == '<pre><code class="language-no-such-language">&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n'
    assert plain == "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"


# ------------------------------------------------------------------------------------------ wiki links


def test_it_links_existing_pages_through_the_resolver():
    rendered = render("See [[Onboarding]].", resolve=resolver(existing={"Onboarding"}))

    assert '<a href="/wiki/here/Onboarding/" class="wikilink" rel="noopener noreferrer">Onboarding</a>' in rendered.html
    assert rendered.links == [WikiLink(space=None, title="Onboarding", label="Onboarding")]


def test_it_marks_links_to_missing_pages_and_uses_the_url_the_resolver_gives():
    html = render("[[Not yet written]]", resolve=resolver()).html

    assert '<a href="/wiki/here/Not yet written/" class="wikilink missing"' in html


def test_it_passes_the_space_of_space_qualified_links_to_the_resolver():
    resolve = resolver(existing={"Handbook"})
    rendered = render("[[team:Handbook]] and [[Python: tips]]", resolve=resolve)

    assert resolve.calls == [("team", "Handbook"), (None, "Python: tips")]
    assert rendered.links == [
        WikiLink(space="team", title="Handbook", label="Handbook"),
        WikiLink(space=None, title="Python: tips", label="Python: tips"),
    ]


def test_it_shows_the_label_of_labelled_links():
    rendered = render("[[team:Handbook|the handbook]]", resolve=resolver(existing={"Handbook"}))

    assert '<a href="/wiki/team/Handbook/" class="wikilink" rel="noopener noreferrer">the handbook</a>' in rendered.html
    assert rendered.links == [WikiLink(space="team", title="Handbook", label="the handbook")]


def test_it_accepts_an_escaped_label_separator_inside_table_cells():
    rendered = render("| Page |\n|---|\n| [[Handbook\\|guide]] |\n")

    assert rendered.links == [WikiLink(space=None, title="Handbook", label="guide")]
    assert '<td><span class="wikilink">guide</span></td>' in rendered.html


def test_it_renders_wiki_links_as_plain_spans_without_a_resolver():
    assert render("[[Onboarding|start here]]").html == '<p><span class="wikilink">start here</span></p>\n'


def test_it_resolves_each_target_once_however_often_it_is_linked():
    resolve = resolver()
    render("[[A]] [[A|again]] [[B]] [[A]]", resolve=resolve)

    assert resolve.calls == [(None, "A"), (None, "B")]


def test_it_leaves_empty_or_broken_brackets_as_text():
    html = render("[[]] [[ | x]] [[a\nb]] [[open").html

    assert "wikilink" not in html
    assert extract_links("[[]] [[ | x]] [[a\nb]] [[open") == []


CODE_WITH_LINKS = """Real [[One]] and `[[code span]]`.

```
[[fenced]]
```

    [[indented]]

<pre>[[in html block]]</pre>

- item with [[Two|label]]

Footnote.[^n] Inline note.^[About [[Four]].]

[^n]: Note with [[Three]].
"""


def test_it_ignores_wiki_links_inside_code():
    rendered = render(CODE_WITH_LINKS)

    assert [link.title for link in rendered.links] == ["One", "Two", "Three", "Four"]
    assert "[[code span]]" in rendered.html and "[[fenced]]" in rendered.html


def test_it_extracts_the_same_links_as_rendering_finds():
    assert extract_links(CODE_WITH_LINKS) == render(CODE_WITH_LINKS).links
    assert extract_links("no links here") == []


# ------------------------------------------------------------------------------------------ summaries


def test_it_summarises_with_the_first_paragraphs_plain_text():
    text = (
        "# Title\n\n![logo](/files/1/inline)\n\n"
        "Welcome to **the** [team](/t) wiki, see `make` and [[Start|start]].\nMore.\n\nSecond."
    )

    assert plain_summary(text) == "Welcome to the team wiki, see make and start. More."


def test_it_cuts_long_summaries_at_a_word_boundary():
    summary = plain_summary("word " * 100, limit=50)

    assert len(summary) <= 50
    assert summary.endswith("word…")


def test_it_summarises_text_without_paragraphs_as_nothing():
    assert plain_summary("") == ""
    assert plain_summary("# Only a heading\n\n```\ncode\n```\n") == ""


# ------------------------------------------------------------------------------------------ slides


def test_it_splits_slides_at_rule_lines():
    assert split_slides("# One\n\nText\n---\n# Two\r\n---\r\n# Three") == ["# One\n\nText", "# Two", "# Three"]


def test_it_does_not_split_slides_inside_fenced_code():
    text = "# Code\n\n```yaml\n---\nkey: 1\n~~~\n---\n```\n---\n~~~~\n---\n~~~~\nlast"

    assert split_slides(text) == ["# Code\n\n```yaml\n---\nkey: 1\n~~~\n---\n```", "~~~~\n---\n~~~~\nlast"]


def test_it_treats_front_matter_like_any_other_slide():
    assert split_slides("---\ntitle: Deck\n---\n# First") == ["title: Deck", "# First"]


def test_it_splits_only_at_lines_that_are_exactly_three_dashes():
    text = "a\n----\nb\n --- \nc\n***\nd"

    assert split_slides(text) == [text]


def test_it_gives_one_empty_slide_for_empty_text():
    assert split_slides("") == [""]
    assert split_slides("---\n\n---\n") == [""]


# ------------------------------------------------------------------------------------------ sanitiser

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" alt="x" onerror  =alert(1)>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math href="javascript:alert(1)">x</math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](<javascript:alert(1)>)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<p onclick="alert(1)">x</p>',
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    "<input autofocus onfocus=alert(1)>",
    '<input type="text" value="phish">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<link rel=stylesheet href=//evil.example/x.css>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '```"><script>alert(1)</script>\ncode\n```',
    '![x" onerror="alert(1)](y)',
    '<https://ok.example/" onmouseover="alert(1)>',
    '[[Page" onmouseover="alert(1)]]',
    "[[<script>alert(1)</script>]]",
    "[[team:Page|<img src=x onerror=alert(1)>]]",
    "[[x'><svg onload=alert(1)>]]",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives_rendering(payload):
    assert_safe_html(render(payload, resolve=resolver()).html)
    assert_safe_html(render(payload).html)


def test_wiki_link_titles_with_markup_stay_text():
    html = render('[[<b>"Quotes" & <i>tags</i></b>]]', resolve=resolver()).html

    assert [tag for tag, _ in elements(html)] == ["p", "a"]
    assert '&lt;b&gt;"Quotes" &amp; &lt;i&gt;tags&lt;/i&gt;&lt;/b&gt;</a>' in html


def test_a_resolver_url_with_an_unsafe_scheme_is_dropped():
    html = render("[[Page]]", resolve=lambda space, title: ("javascript:alert(1)", True)).html

    assert "href" not in html


def test_links_get_rel_noopener_noreferrer():
    html = render("[site](https://example.com) <https://example.org>").html

    assert html.count('rel="noopener noreferrer"') == 2


def test_safe_raw_html_is_kept():
    html = render(
        "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>.\n\n<details><summary>More</summary>\n\nHidden *text*.\n\n</details>"
    ).html

    assert "<kbd>Ctrl</kbd>" in html
    assert "<details><summary>More</summary>" in html
    assert "<em>text</em>" in html
