"""Reading a page's title, description, picture and icon from real-looking (and broken) HTML."""

from hypothesis import given
from hypothesis import strategies as st

from links.preview import decode_html, is_html, parse_page

ARTICLE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Why we test in production – The Ops Blog</title>
  <meta name="description" content="Plain description, used only when Open Graph has none.">
  <meta property="og:title" content="Why we test in production">
  <meta property="og:description" content="Observability &amp; feature flags, &quot;done right&quot;.">
  <meta property="og:image" content="/media/cover.png?v=3">
  <meta name="twitter:card" content="summary_large_image">
  <meta name="twitter:image" content="https://cdn.example.net/twitter.png">
  <link rel="icon" href="/static/favicon-16.png" sizes="16x16" type="image/png">
  <link rel="icon" href="/static/favicon-96.png" sizes="96x96" type="image/png">
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
  <link rel="apple-touch-icon" href="/static/touch-180.png" sizes="180x180">
  <script>document.write("<title>not this</title>")</script>
</head>
<body><svg><title>Nor this</title></svg><h1>Why we test in production</h1></body>
</html>"""


def test_it_prefers_open_graph_for_title_and_description():
    preview = parse_page(ARTICLE.encode(), url="https://blog.example.com/2024/testing-in-prod")

    assert preview.title == "Why we test in production"
    assert preview.description == 'Observability & feature flags, "done right".'


def test_it_resolves_a_relative_og_image_against_the_page():
    preview = parse_page(ARTICLE.encode(), url="https://blog.example.com/2024/testing-in-prod")

    assert preview.image_url == "https://blog.example.com/media/cover.png?v=3"


def test_it_picks_the_icon_closest_to_the_size_it_keeps_and_skips_svg():
    preview = parse_page(ARTICLE.encode(), url="https://blog.example.com/2024/testing-in-prod")

    assert preview.favicon_url == "https://blog.example.com/static/favicon-96.png"


def test_it_falls_back_on_twitter_tags_and_then_plain_html():
    html = b"""<html><head><title> Plain   title </title>
    <meta name="twitter:title" content="Card title">
    <meta name="DESCRIPTION" content="The meta description.">
    <meta name="twitter:image:src" content="//img.example.org/card.jpg">
    </head></html>"""

    preview = parse_page(html, url="http://example.org/page")

    assert preview.title == "Card title"
    assert preview.description == "The meta description."
    assert preview.image_url == "http://img.example.org/card.jpg"


def test_it_uses_the_title_element_when_there_are_no_meta_tags():
    preview = parse_page(b"<title>\n  Just a\n  title\n</title><p>Hi", url="https://example.org/")

    assert preview.title == "Just a title"
    assert preview.description == ""
    assert preview.image_url == ""


def test_a_page_without_a_title_or_icon_gets_empty_text_and_the_sites_favicon_ico():
    preview = parse_page(b"<html><body><p>No head at all</p></body></html>", url="https://example.org/a/b?c=d")

    assert preview.title == ""
    assert preview.favicon_url == "https://example.org/favicon.ico"


def test_it_reads_what_it_can_from_broken_markup():
    html = b"""<html><head>
    <meta property="og:title" content="Survives <b>broken</b> markup">
    <meta property=og:description content=unquoted>
    <p>a paragraph in the head</i></b>
    <LINK REL="Shortcut Icon" HREF="/fav.ico">
    <meta property="og:image" content="/a.png
    <![if !IE]> <div <<>> </p></p></html> <!-- never closed"""

    preview = parse_page(html, url="https://broken.example/")

    assert preview.title == "Survives <b>broken</b> markup"
    assert preview.description == "unquoted"
    assert preview.favicon_url == "https://broken.example/fav.ico"


def test_it_keeps_the_first_title_when_the_title_is_never_closed():
    preview = parse_page(b"<head><title>Forgot to close</head><body>text", url="https://example.org/")

    assert preview.title == "Forgot to close"


def test_it_follows_the_base_element_for_relative_addresses():
    html = b'<head><base href="https://static.example.com/site/"><meta property="og:image" content="img/og.jpg"></head>'

    preview = parse_page(html, url="https://example.com/post")

    assert preview.image_url == "https://static.example.com/site/img/og.jpg"


def test_it_ignores_images_that_are_not_web_addresses():
    html = b"""<meta property="og:image" content="javascript:alert(1)">
    <meta name="twitter:image" content="data:image/png;base64,AAAA">
    <link rel="icon" href="file:///etc/passwd">"""

    preview = parse_page(html, url="https://example.com/")

    assert preview.image_url == ""
    assert preview.favicon_url == "https://example.com/favicon.ico"


def test_it_decodes_the_charset_named_in_a_meta_tag():
    html = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15"><title>Prix en €</title>'

    preview = parse_page(html.encode("iso-8859-15"), url="https://example.fr/")

    assert preview.title == "Prix en €"


def test_the_header_charset_wins_over_the_meta_tag():
    html = '<meta charset="utf-8"><title>Привет</title>'

    preview = parse_page(html.encode("koi8-r"), url="https://example.ru/", content_type="text/html; charset=KOI8-R")

    assert preview.title == "Привет"


def test_latin_1_is_read_as_windows_1252_like_browsers_do():
    html = '<meta charset="iso-8859-1"><title>“Quoted” café</title>'

    preview = parse_page(html.encode("cp1252"), url="https://example.com/")

    assert preview.title == "“Quoted” café"


def test_undeclared_bytes_that_are_not_utf_8_are_read_as_windows_1252():
    assert decode_html("<title>Café</title>".encode("cp1252")) == "<title>Café</title>"


def test_an_unknown_or_dangerous_charset_label_is_ignored():
    html = '<meta charset="utf-7"><title>Ünïcode</title>'

    assert decode_html(html.encode(), "text/html; charset=base64") == html


def test_a_byte_order_mark_decides_the_encoding():
    html = "\ufeff<title>Größe</title>".encode("utf-16-le")

    assert "Größe" in decode_html(html, "text/html; charset=iso-8859-1")


def test_long_titles_and_descriptions_are_clipped():
    html = f'<meta property="og:title" content="{"t" * 500}"><meta name="description" content="{"d" * 5000}">'

    preview = parse_page(html.encode(), url="https://example.com/")

    assert len(preview.title) == 300 and preview.title.endswith("…")
    assert len(preview.description) == 1000


def test_it_recognises_a_page_served_without_a_useful_type():
    assert is_html("text/html", b"")
    assert is_html("application/octet-stream", b"\n  <!DOCTYPE html><html>")
    assert not is_html("application/pdf", b"%PDF-1.7")
    assert not is_html("text/plain", b"just words")


_TAGS = st.sampled_from(
    [
        "<title>",
        "</title>",
        "<head>",
        "</head>",
        "<svg>",
        "</svg>",
        "<![if !IE]>",
        "<!--",
        "<script>",
        '<meta property="og:image" content="',
        '<meta name="description" content="',
        '<link rel="icon" href="',
        '<base href="',
        '">',
        "<",
        ">",
        '"',
        "&amp;",
        "&#x0;",
        "javascript:",
        "//",
        "/x.png",
    ]
)
_MARKUP = st.lists(st.one_of(_TAGS, st.text(max_size=12)), max_size=40).map("".join)


@given(markup=_MARKUP, encoding=st.sampled_from(["utf-8", "cp1252", "utf-16-le"]))
def test_any_markup_gives_a_preview_with_only_web_addresses(markup, encoding):
    preview = parse_page(markup.encode(encoding, "replace"), url="https://example.com/page")

    assert len(preview.title) <= 300
    for url in (preview.image_url, preview.favicon_url):
        assert url == "" or url.startswith(("http://", "https://"))
    assert preview.favicon_url


@given(
    content=st.binary(max_size=2000), content_type=st.sampled_from(["", "text/html; charset=shift_jis", "x; charset="])
)
def test_any_bytes_decode_without_raising(content, content_type):
    assert isinstance(decode_html(content, content_type), str)
