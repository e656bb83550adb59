"""Reading bookmark exports made by other software (../shared/data/netscape-bookmarks/, see SOURCES.md).

The counts below were taken by reading each file by hand (and checked with grep).
"""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from links import netscape
from tests.shared_data import SHARED_DATA

DATA = SHARED_DATA / "netscape-bookmarks"


def read(name: str) -> netscape.ParsedFile:
    return netscape.parse((DATA / name).read_bytes())


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


# name: (format, links, refused, folders (containers too), distinct tags, private)
EXPECTED = {
    "chromium_nested.htm": ("netscape", 18, 0, 7, 0, 0),
    "delicious_sanitize.htm": ("netscape", 2, 0, 0, 5, 0),
    "firefox_nested.htm": ("netscape", 21, 3, 6, 90, 0),
    "internet_explorer_11_nested.htm": ("netscape", 27, 0, 9, 0, 0),
    "linkding_simple_valid_import_file_with_one_invalid_bookmark.html": ("netscape", 3, 0, 0, 3, 0),
    "pocket_ril_export.html": ("pocket", 2, 0, 0, 2, 0),
    "safari_folded.htm": ("netscape", 3, 0, 5, 0, 0),
    "shaarli.htm": ("netscape", 5, 1, 0, 18, 2),
}


def test_every_shared_file_is_covered():
    assert {path.name for path in DATA.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_export_reads_with_the_counts_found_by_hand(name):
    kind, links, refused, folders, tags, private = EXPECTED[name]
    parsed = read(name)
    assert parsed.format == kind
    assert len(parsed.bookmarks) == links
    assert len(parsed.invalid) == refused
    assert len(parsed.folders) == folders
    assert len(parsed.tags) == tags
    assert sum(b.private for b in parsed.bookmarks) == private


def test_chromium_folders_nest_three_levels_and_the_toolbar_is_left_out_of_paths():
    parsed = read("chromium_nested.htm")
    by_url = {b.url: b for b in parsed.bookmarks}
    assert by_url["http://www.php-fig.org/psr/"].folders == ("Dev", "PHP")
    assert by_url["https://github.com/lhartikk/ArnoldC"].folders == ("Dev",)
    assert by_url["http://www.jabber.org/"].folders == ()  # in the "Personal toolbar" container
    assert by_url["https://www.kernel.org/"].folders == ("Linux, Unix OS,Other stuff",)
    assert by_url["http://www.jabber.org/"].added == at(1466010266)


def test_firefox_smart_folders_are_refused_with_the_reason():
    parsed = read("firefox_nested.htm")
    assert [(entry.title, entry.line) for entry in parsed.invalid] == [
        ("Recently saved", 10),
        ("Recent tags", 11),
        ("Most visited", 72),
    ]
    assert all("smart folder (place:)" in entry.reason for entry in parsed.invalid)


def test_firefox_tags_descriptions_and_folder_descriptions_are_kept():
    parsed = read("firefox_nested.htm")
    hg = next(b for b in parsed.bookmarks if b.url == "http://hginit.com/")
    assert hg.tags == ["hg", "mercurial", "version", "control", "scm", "python", "tutorial"]
    assert hg.description == "A friendly introduction to the Mercurial DVCS by Joel Spolsky"
    assert hg.folders == ("Dev",)
    assert hg.added == at(1463686747) and hg.modified == at(1463686747)
    folders = {folder.name: folder for folder in parsed.folders}
    assert folders["Dev"].description == "Development & programming"
    assert folders["Personal toolbar"].container


def test_firefox_bookmark_after_a_separator_on_the_same_line_is_read():
    parsed = read("firefox_nested.htm")
    first = parsed.bookmarks[0]
    assert first.url == "http://lotrproject.com/blog/2013/02/08/timeline-of-the-elves-in-tolkiens-works/"
    assert first.folders == ()


def test_internet_explorer_byte_order_mark_valueless_attributes_and_empty_folders_are_read():
    parsed = read("internet_explorer_11_nested.htm")
    assert [f.path for f in parsed.folders if f.name == "Links"] == [("Links",)]
    scm = [b.title for b in parsed.bookmarks if b.folders == ("Dev", "SCM")]
    assert scm == [
        "A better git log (Example) Coderwall",
        "Dealing with line endings - User Documentation",
        "Hg Init a Mercurial tutorial by Joel Spolsky",
    ]
    assert parsed.bookmarks[-1].folders == ()


def test_safari_without_a_root_list_or_dates_keeps_its_folders():
    parsed = read("safari_folded.htm")
    assert [(b.url, b.folders) for b in parsed.bookmarks] == [
        ("https://github.com/", ("Favoris",)),
        ("https://github.com/shaarli/Shaarli", ("Github - Shaarli",)),
        ("https://en.wikipedia.org/wiki/Main_Page", ("Autre Divers", "doc")),
    ]
    assert all(b.added is None for b in parsed.bookmarks)


def test_shaarli_private_flags_tags_and_multi_line_descriptions_are_kept():
    parsed = read("shaarli.htm")
    private = [b.title for b in parsed.bookmarks if b.private]
    assert private == ["PHP - Testing Your Privates", "My secret stuff... - Pastebin.com"]
    wiki = next(b for b in parsed.bookmarks if b.url == "https://github.com/shaarli/Shaarli/wiki")
    assert wiki.description.startswith("Welcome to Shaarli! This is your first public bookmark.")
    assert 'consult the link "Help/documentation" at the bottom' in wiki.description
    assert wiki.description.endswith("by Sebastien Sauvage.")


def test_shaarli_notes_with_a_relative_address_are_refused_as_relative():
    (note,) = read("shaarli.htm").invalid
    assert note.href == "?lY47tw"
    assert note.title == "Kouign'amann recipes"
    assert "relative" in note.reason


def test_delicious_padded_tags_are_trimmed_and_markup_in_descriptions_kept_as_text():
    first, second = read("delicious_sanitize.htm").bookmarks
    assert first.tags == ["spip3", "astuces"]
    assert second.tags == ["culture", "propriété_intellectuelle", "ChangerLeMonde"]
    assert first.description == "Text\n<li>#CLE ---> #VALEUR</li>\n</BOUCLE_exploiter>\n</code>"
    assert second.title == "Changer le monde - Carnets Web de La Grange"


def test_linkding_invalid_date_is_a_warning_not_a_refusal():
    first, second, _ = read("linkding_simple_valid_import_file_with_one_invalid_bookmark.html").bookmarks
    assert first.url == "https://example.com/1" and first.added is None
    assert first.warnings == ["the date “invaliddate” is not a date"]
    assert second.added == at(1616337559)
    assert second.description == "test description 2"


def test_pocket_export_is_recognised_with_its_dates_and_tags():
    parsed = read("pocket_ril_export.html")
    assert [b.added for b in parsed.bookmarks] == [at(1688628695), at(1688627412)]
    assert parsed.bookmarks[0].tags == ["ifttt", "new_entry_simple"]


# ---------------------------------------------------------------------------------------- edge cases


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1466010266", at(1466010266)),  # seconds
        ("1466010266123", datetime(2016, 6, 15, 17, 4, 26, 123000, tzinfo=UTC)),  # milliseconds
        ("1466010266123456", datetime(2016, 6, 15, 17, 4, 26, 123456, tzinfo=UTC)),  # microseconds (Firefox)
        ("2016-06-15T17:04:26+00:00", at(1466010266)),
        ("0", None),
        ("", None),
    ],
)
def test_dates_in_seconds_milliseconds_and_microseconds_are_read(value, expected):
    when, warning = netscape.parse_timestamp(value)
    assert when == expected
    assert warning == ""


def test_dates_in_the_future_are_warned_about():
    when, warning = netscape.parse_timestamp("99999999999")
    assert when is None and "future" in warning


@pytest.mark.parametrize(
    ("href", "reason"),
    [
        ("", "no address"),
        ("javascript:void(location.href='x')", "bookmarklet"),
        ("place:sort=8", "smart folder"),
        ("ftp://example.com/file", "not ftp:"),
        ("https://exa mple.com/", "not a valid host name"),
    ],
)
def test_entries_that_cannot_be_links_are_reported_with_a_reason(href, reason):
    html = f'<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n<DT><A HREF="{href}">It</A>\n</DL><p>'
    (invalid,) = netscape.parse(html).invalid
    assert reason in invalid.reason
    assert invalid.title == "It"


def test_an_anchor_without_href_is_reported():
    parsed = netscape.parse("<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><p><DT><A ADD_DATE='1'>Nowhere</A></DL>")
    assert parsed.invalid[0].reason == "it has no address"


def test_unclosed_anchors_end_at_the_next_entry():
    parsed = netscape.parse(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><p>"
        '<DT><A HREF="https://a.example/">A\n<DT><A HREF="https://b.example/">B</A></DL>'
    )
    assert [(b.url, b.title) for b in parsed.bookmarks] == [("https://a.example/", "A"), ("https://b.example/", "B")]


def test_a_script_tag_in_a_description_does_not_swallow_the_rest():
    parsed = netscape.parse(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><p>"
        '<DT><A HREF="https://a.example/">A</A><DD>use <script> like this\n'
        '<DT><A HREF="https://b.example/">B</A></DL>'
    )
    assert [b.title for b in parsed.bookmarks] == ["A", "B"]
    assert parsed.bookmarks[0].description == "use <script> like this"


def test_a_file_in_windows_1252_is_read_by_its_declared_charset():
    html = '<!DOCTYPE NETSCAPE-Bookmark-file-1><META CONTENT="text/html; charset=windows-1252"><DL><p>'
    html += '<DT><A HREF="https://a.example/">Café</A></DL>'
    assert netscape.parse(html.encode("cp1252")).bookmarks[0].title == "Café"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"just some notes\nwith no links", "no bookmarks"),
        (b'<html><body><a href="https://a.example/">home</a></body></html>', "not a bookmark export"),
    ],
)
def test_what_is_not_a_bookmark_file_is_refused_as_a_whole(data, message):
    with pytest.raises(netscape.UnreadableFile) as raised:
        netscape.parse(data)
    assert message in raised.value.messages[0]


def test_more_entries_than_allowed_is_refused_as_a_whole():
    html = "<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><p>" + "".join(
        f'<DT><A HREF="https://a.example/{n}">{n}</A>' for n in range(11)
    )
    with pytest.raises(netscape.UnreadableFile, match="more than 10"):
        netscape.parse(html, max_entries=10)


@given(st.binary(max_size=400))
def test_any_bytes_parse_or_are_refused_as_unreadable(data):
    try:
        parsed = netscape.parse(data)
    except netscape.UnreadableFile:
        return
    assert all(b.url.startswith(("http://", "https://")) for b in parsed.bookmarks)


fragments = st.sampled_from(
    [
        "<DT>",
        "<DL><p>",
        "</DL><p>",
        "<H3>Folder</H3>",
        '<A HREF="https://a.example/x">',
        '<A HREF="javascript:x">',
        "</A>",
        "<DD>",
        "text & more",
        "<li>",
        "</code>",
        "<HR>",
        '<A HREF="https://b.example/" TAGS="a,b" PRIVATE="1" ADD_DATE="17">',
    ]
)


@given(st.lists(fragments, max_size=40))
def test_any_jumble_of_the_formats_tags_reads_without_error(pieces):
    parsed = netscape.parse("<!DOCTYPE NETSCAPE-Bookmark-file-1>" + "".join(pieces))
    assert parsed.entry_count == sum(piece.startswith("<A ") for piece in pieces)
