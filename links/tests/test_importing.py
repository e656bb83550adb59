"""Bookmark import (plan, apply, background job, shell command) and export (Netscape HTML, CSV)."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Activity, Item, Visibility
from links import exporting, importing
from links.models import Board, BoardEntry, Bookmark, ImportJob, Link
from links.services import add_entry, create_board, save_link
from tests.shared_data import SHARED_DATA

DATA = SHARED_DATA / "netscape-bookmarks"
FIREFOX = DATA / "firefox_nested.htm"
CHROMIUM = DATA / "chromium_nested.htm"
SHAARLI = DATA / "shaarli.htm"


@pytest.fixture(autouse=True)
def _no_preview_fetches(monkeypatch):
    """Saving queues a preview fetch through the network once the transaction commits; not in these tests."""
    monkeypatch.setattr("links.services._queue_preview", lambda link_id: None)


def netscape_file(*entries: str) -> bytes:
    return ("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n" + "\n".join(entries) + "\n</DL><p>\n").encode()


def import_file(file, user, **options):
    plan = importing.plan_import(file, user=user, **options)
    return plan, importing.apply_plan(plan, user=user, space=options.get("space"))


def saves_of(user) -> dict[str, Bookmark]:
    return {
        b.link.url: b
        for b in Bookmark.objects.filter(saver=user).select_related("item", "link").prefetch_related("item__tags")
    }


def tag_names(bookmark: Bookmark) -> list[str]:
    return sorted(tag.name for tag in bookmark.item.tags.all())


# ------------------------------------------------------------------------------------------------ plan


def test_a_plan_counts_everything_and_writes_nothing(personas):
    items_before = Item.objects.count()
    plan = importing.plan_import(FIREFOX, user=personas.alice)
    assert (plan.entries, plan.to_create, plan.to_merge, len(plan.refused)) == (24, 21, 0, 3)
    assert plan.refused[0] == {
        "line": 10,
        "url": "place:folder=BOOKMARKS_MENU&folder=UNFILED_BOOKMARKS&folder=TOOLBAR&queryType=1&sort=12"
        "&maxResults=10&excludeQueries=1",
        "title": "Recently saved",
        "reason": "it is a Firefox smart folder (place:), not a web page",
    }
    assert plan.preview(2)[0]["action"] == "create"
    assert (Item.objects.count(), Link.objects.count(), Bookmark.objects.count()) == (items_before, 0, 0)


def test_a_plan_counts_links_already_saved_and_repeated_in_the_file_as_merges(personas):
    save_link(user=personas.alice, url="https://a.example/", visibility=Visibility.PRIVATE)
    plan = importing.plan_import(
        netscape_file(
            '<DT><A HREF="https://A.example:443/#top">A</A>',
            '<DT><A HREF="https://b.example/?utm_source=mail">B</A>',
            '<DT><A HREF="https://b.example/">B again</A>',
            '<DT><A HREF="https://c.example/">C</A>',
        ),
        user=personas.alice,
    )
    assert (plan.to_create, plan.to_merge, plan.already_saved, plan.duplicates_in_file) == (2, 2, 1, 1)
    assert [link.merge for link in plan.links] == ["you saved this link before", "the file has this link 2 times", ""]


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"folders": "piles"}, ValidationError),
        ({"visibility": "space"}, ValidationError),
        ({"visibility": "people"}, ValidationError),
        ({"visibility": "secret"}, ValidationError),
    ],
)
def test_a_plan_refuses_options_that_cannot_hold(personas, options, error):
    with pytest.raises(error):
        importing.plan_import(SHAARLI, user=personas.alice, **options)


def test_a_plan_refuses_a_space_the_person_is_not_in(personas):
    with pytest.raises(PermissionDenied):
        importing.plan_import(SHAARLI, user=personas.alice, space=personas.elsewhere, visibility="space")


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(personas, monkeypatch):
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ValidationError, match="larger than"):
        importing.plan_import(FIREFOX, user=personas.alice)


def test_a_file_with_more_entries_than_the_cap_is_refused(personas, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ENTRIES", 20)
    with pytest.raises(ValidationError, match="more than 20 bookmarks"):
        importing.plan_import(FIREFOX, user=personas.alice)


# ----------------------------------------------------------------------------------------------- apply


def test_applying_keeps_tags_dates_descriptions_and_private_flags(personas):
    plan, result = import_file(SHAARLI, personas.alice, visibility=Visibility.ORGANISATION)
    assert (result.created, result.merged, len(result.refused)) == (5, 0, 1)
    saves = saves_of(personas.alice)
    secret = saves["https://sebastian-bergmann.de/archives/881-Testing-Your-Privates.html"]
    assert secret.item.visibility == Visibility.PRIVATE
    assert tag_names(secret) == ["class", "php", "private", "test", "unitary"]
    assert secret.saved_at == datetime.fromtimestamp(1459371224, tz=UTC) == secret.item.created
    wiki = saves["https://github.com/shaarli/Shaarli/wiki"]
    assert wiki.item.visibility == Visibility.ORGANISATION
    assert wiki.item.summary.startswith("Welcome to Shaarli!")


def test_imported_links_are_private_unless_another_visibility_is_chosen(personas):
    import_file(CHROMIUM, personas.alice)
    assert set(Item.objects.filter(owner=personas.alice).values_list("visibility", flat=True)) == {"private"}


def test_imported_links_can_go_into_a_space_the_person_belongs_to(personas):
    import_file(SHAARLI, personas.alice, space=personas.team, visibility=Visibility.SPACE)
    items = Item.objects.filter(owner=personas.alice)
    assert {item.space for item in items} == {personas.team}
    assert sorted(set(items.values_list("visibility", flat=True))) == ["private", "space"]


def test_folders_become_tags_by_default(personas):
    import_file(CHROMIUM, personas.alice)
    saves = saves_of(personas.alice)
    assert tag_names(saves["http://www.php-fig.org/psr/"]) == ["Dev", "PHP"]
    assert tag_names(saves["https://www.kernel.org/"]) == ["Linux Unix OS Other stuff"]
    assert tag_names(saves["http://www.jabber.org/"]) == []  # the toolbar is the browser's, not a topic


def test_folders_can_become_one_board_per_folder(personas):
    plan, result = import_file(FIREFOX, personas.alice, folders="board")
    boards = {b.item.title: b for b in Board.objects.filter(item__owner=personas.alice).select_related("item")}
    assert sorted(boards) == ["Comics", "Dev", "Dev / PHP", "FLOSS", "Games"]
    assert result.boards_created == 5
    assert boards["Dev"].item.summary == "Development & programming"
    assert boards["Dev / PHP"].entry_count == 2
    comics = BoardEntry.objects.filter(board=boards["Comics"]).order_by("position")
    assert [entry.item.title for entry in comics][:2] == [
        "True story: one code review too many | CommitStrip",
        "xkcd: Slippery Slope",
    ]
    assert tag_names(saves_of(personas.alice)["http://xkcd.com/1332/"]) == ["respect", "slope", "webcomic", "xkcd"]


def test_a_link_repeated_in_the_file_is_saved_once_with_everything_each_copy_said(personas):
    plan, result = import_file(
        netscape_file(
            '<DT><A HREF="https://a.example/page" ADD_DATE="1600000000" TAGS="one" NOTES="first thoughts">A</A>',
            "<DD>What it is",
            '<DT><A HREF="HTTPS://A.EXAMPLE/page?fbclid=x" ADD_DATE="1700000000" TAGS="two,One" NOTES="later">A2</A>',
        ),
        personas.alice,
    )
    assert (result.created, result.merged) == (1, 1)
    (bookmark,) = saves_of(personas.alice).values()
    assert tag_names(bookmark) == ["one", "two"]
    assert bookmark.notes == "first thoughts\n\nlater"
    assert (bookmark.item.title, bookmark.item.summary) == ("A", "What it is")
    assert bookmark.saved_at == datetime.fromtimestamp(1600000000, tz=UTC)


def test_a_link_saved_before_keeps_the_persons_title_and_gains_the_files_tags_and_notes(personas):
    save_link(user=personas.alice, url="https://a.example/", title="Mine", notes="my note", tags=["kept"])
    plan, result = import_file(
        netscape_file('<DT><A HREF="https://a.example/" TAGS="new" NOTES="file note">Theirs</A>'), personas.alice
    )
    assert (result.created, result.merged) == (0, 1)
    (bookmark,) = saves_of(personas.alice).values()
    assert bookmark.item.title == "Mine"
    assert tag_names(bookmark) == ["kept", "new"]
    assert bookmark.notes == "my note\n\nfile note"


def test_importing_the_same_file_again_merges_everything_and_writes_nothing_new(personas):
    import_file(FIREFOX, personas.alice, folders="board")
    activities = Activity.objects.count()
    plan, result = import_file(FIREFOX, personas.alice, folders="board")
    assert Activity.objects.count() == activities
    assert (plan.to_create, plan.to_merge) == (0, 21)
    assert (result.created, result.merged, len(result.refused), result.boards_created) == (0, 21, 3, 0)
    assert Bookmark.objects.filter(saver=personas.alice).count() == 21
    assert Board.objects.filter(item__owner=personas.alice).count() == 5
    assert BoardEntry.objects.filter(board__item__owner=personas.alice).count() == 19


def test_someone_elses_save_of_the_same_page_is_shared_not_merged(personas):
    save_link(user=personas.mo, url="http://hginit.com/", title="Mo's")
    plan, result = import_file(FIREFOX, personas.alice)
    assert result.created == 21
    assert Link.objects.get(url="http://hginit.com/").bookmarks.count() == 2


def test_an_entry_that_fails_while_applying_is_reported_and_the_rest_saved(personas, monkeypatch):
    real = importing.save_link

    def refusing(**kwargs):
        if kwargs["url"] == "http://xkcd.com/1332/":
            raise ValidationError("Refused for the test.")
        return real(**kwargs)

    monkeypatch.setattr(importing, "save_link", refusing)
    plan, result = import_file(FIREFOX, personas.alice)
    assert result.created == 20
    assert {
        "line": 19,
        "url": "http://xkcd.com/1332/",
        "title": "xkcd: Slippery Slope",
        "reason": "Refused for the test.",
    } in result.refused


# ------------------------------------------------------------------------------------------------ jobs


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/html")


def test_a_job_keeps_the_upload_and_the_plan_until_it_is_confirmed(personas):
    job, plan = importing.create_import_job(user=personas.alice, upload=upload(CHROMIUM), folders="board")
    job.refresh_from_db()
    assert (job.state, job.total, job.done, job.original_name) == ("planned", 18, 0, "chromium_nested.htm")
    assert job.report["to_create"] == 18 and len(job.report["preview"]) == 18
    assert job.upload.read() == CHROMIUM.read_bytes()
    assert Bookmark.objects.count() == 0


def test_a_file_that_cannot_be_imported_makes_no_job(personas):
    with pytest.raises(ValidationError, match="not a bookmark export"):
        importing.create_import_job(user=personas.alice, upload=SimpleUploadedFile("x.html", b"<p>hello</p>"))
    assert ImportJob.objects.count() == 0


def test_the_background_import_writes_its_progress_batch_by_batch(personas, monkeypatch):
    job, _ = importing.create_import_job(user=personas.alice, upload=upload(CHROMIUM))
    monkeypatch.setattr(importing, "BATCH_SIZE", 5)
    seen = []
    real = importing.save_link

    def watching(**kwargs):
        seen.append(ImportJob.objects.values_list("state", "done").get(pk=job.pk))
        return real(**kwargs)

    monkeypatch.setattr(importing, "save_link", watching)
    report = importing.run_import.call(job.pk)
    assert [done for _, done in seen] == [0] * 5 + [5] * 5 + [10] * 5 + [15] * 3
    assert {state for state, _ in seen} == {"running"}
    job.refresh_from_db()
    assert (job.state, job.done, job.total, report["created"], report["merged"]) == ("done", 18, 18, 18, 0)
    assert job.finished is not None
    assert not job.upload  # the bookmark file is not kept once its links are saved


def test_a_job_runs_once_however_often_it_is_queued(personas):
    job, _ = importing.create_import_job(user=personas.alice, upload=upload(SHAARLI))
    importing.run_import.call(job.pk)
    again = importing.run_import.call(job.pk)
    assert again["created"] == 5
    assert Bookmark.objects.filter(saver=personas.alice).count() == 5


def test_confirming_a_job_queues_it_and_it_runs_to_the_end(personas, django_capture_on_commit_callbacks):
    job, _ = importing.create_import_job(user=personas.alice, upload=upload(SHAARLI), visibility="organisation")
    with django_capture_on_commit_callbacks(execute=True):
        importing.start_import(job=job, actor=personas.alice)
    job.refresh_from_db()
    assert job.state == "done"
    assert job.report["refused"][0]["reason"].startswith("its address is relative")


def test_only_the_uploader_can_start_a_job_and_only_once(personas):
    job, _ = importing.create_import_job(user=personas.alice, upload=upload(SHAARLI))
    with pytest.raises(PermissionDenied):
        importing.start_import(job=job, actor=personas.mo)
    importing.run_import.call(job.pk)
    job.refresh_from_db()
    with pytest.raises(ValidationError, match="started already"):
        importing.start_import(job=job, actor=personas.alice)


def test_a_job_whose_upload_has_gone_fails_with_a_message(personas):
    job, _ = importing.create_import_job(user=personas.alice, upload=upload(SHAARLI))
    job.upload.storage.delete(job.upload.name)
    importing.run_import.call(job.pk)
    job.refresh_from_db()
    assert (job.state, job.report["error"]) == ("failed", "The uploaded file is no longer there; upload it again.")


def test_a_job_that_breaks_midway_is_marked_failed_and_keeps_the_batches_done(personas, monkeypatch):
    job, _ = importing.create_import_job(user=personas.alice, upload=upload(CHROMIUM))
    monkeypatch.setattr(importing, "BATCH_SIZE", 5)
    real = importing.save_link
    calls = []

    def breaking(**kwargs):
        calls.append(1)
        if len(calls) == 8:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(importing, "save_link", breaking)
    importing.run_import.call(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done) == ("failed", 5)
    assert "unexpected error" in job.report["error"]
    assert Bookmark.objects.filter(saver=personas.alice).count() == 5


# ---------------------------------------------------------------------------------------------- export


def test_export_then_import_loses_nothing(personas):
    import_file(FIREFOX, personas.alice, visibility=Visibility.ORGANISATION)
    import_file(SHAARLI, personas.alice, visibility=Visibility.ORGANISATION)
    tricky = save_link(
        user=personas.alice,
        url="https://a.example/?q=1&r=<2>",
        title='Quotes " and <angles> & ampersands',
        description="Line one\n\nLine <two> & \"three\"\n<DT><A HREF='x'>not a bookmark</A>",
        notes="Notes, with commas\nand a second line",
        tags=["c++", "data science"],
        visibility=Visibility.PRIVATE,
    )
    assert tricky.created
    assert Bookmark.objects.filter(saver=personas.alice).count() == 26  # both files hold the nautil.us teapot
    html = exporting.export_person_netscape(owner=personas.alice, viewer=personas.alice)
    plan, result = import_file(html.encode(), personas.mo, visibility=Visibility.ORGANISATION)
    assert (result.created, result.merged, result.refused) == (26, 0, [])

    def rows(user):
        return {
            url: (
                b.item.title,
                b.item.summary,
                b.notes,
                tag_names(b),
                b.saved_at.replace(microsecond=0),
                b.item.visibility,
            )
            for url, b in saves_of(user).items()
        }

    assert rows(personas.mo) == rows(personas.alice)


def test_the_export_is_what_browsers_read(personas):
    save_link(user=personas.alice, url="https://a.example/", title="A", tags=["x", "y"], visibility="private")
    html = exporting.export_person_netscape(owner=personas.alice, viewer=personas.alice)
    assert html.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    assert '<DT><A HREF="https://a.example/" ADD_DATE="' in html
    assert 'PRIVATE="1" TAGS="x,y">A</A>' in html


def test_an_export_holds_only_what_the_viewer_may_see(personas):
    save_link(user=personas.alice, url="https://open.example/", title="Open", visibility="organisation")
    save_link(user=personas.alice, url="https://mine.example/", title="Mine", visibility="private")
    seen_by_mo = exporting.export_person_netscape(owner=personas.alice, viewer=personas.mo)
    assert "open.example" in seen_by_mo and "mine.example" not in seen_by_mo
    seen_by_guest = exporting.export_person_csv(owner=personas.alice, viewer=personas.gus)
    assert "open.example" not in seen_by_guest


def test_the_csv_export_has_one_row_per_link_and_defuses_formulas(personas):
    save_link(
        user=personas.alice,
        url="https://a.example/",
        title="=HYPERLINK(1)",
        description="About, it",
        notes="n",
        tags=["b", "a"],
        visibility="organisation",
    )
    rows = list(csv.reader(io.StringIO(exporting.export_person_csv(owner=personas.alice, viewer=personas.alice))))
    assert rows[0] == ["url", "title", "description", "notes", "tags", "saved_at", "visibility"]
    assert rows[1][:5] == ["https://a.example/", "'=HYPERLINK(1)", "About, it", "n", "a, b"]
    assert rows[1][6] == "organisation"
    assert datetime.fromisoformat(rows[1][5])


def test_a_board_exports_as_a_folder_with_its_sections_and_curators_notes(personas):
    from links.services import add_section

    alice = personas.alice
    board = create_board(owner=alice, title="Reading", description="For the team")
    section = add_section(board=board, actor=alice, title="Deep dives")
    first = save_link(user=alice, url="https://a.example/", title="A").bookmark
    second = save_link(user=alice, url="https://b.example/", title="B").bookmark
    hidden = save_link(user=personas.mo, url="https://c.example/", title="C", visibility="private").bookmark
    add_entry(board=board, actor=alice, item=first.item, note="Start here")
    add_entry(board=board, actor=alice, item=second.item, section=section)
    BoardEntry.objects.create(board=board, item=hidden.item, position=9)  # mo's private save, not alice's to see
    html = exporting.export_board_netscape(board=board, viewer=alice)
    assert "<H3" in html and ">Reading</H3>" in html and "<DD>For the team" in html and ">Deep dives</H3>" in html
    assert "c.example" not in html
    parsed = importing.netscape.parse(html)
    assert [(b.url, b.folders, b.notes) for b in parsed.bookmarks] == [
        ("https://a.example/", ("Reading",), "Start here"),
        ("https://b.example/", ("Reading", "Deep dives"), ""),
    ]


def test_a_board_the_viewer_cannot_see_is_not_exported(personas):
    board = create_board(owner=personas.mo, title="Mo's", visibility="private")
    with pytest.raises(PermissionDenied):
        exporting.export_board_csv(board=board, viewer=personas.alice)


# --------------------------------------------------------------------------------------------- command


def test_the_command_prints_created_merged_and_refused_with_reasons(personas):
    out = io.StringIO()
    call_command("import_bookmarks", "alice", str(FIREFOX), stdout=out)
    text = out.getvalue()
    assert "Created 21, merged 0, refused 3" in text
    assert "refused line 10: place:folder=BOOKMARKS_MENU" in text
    assert "smart folder (place:)" in text
    out = io.StringIO()
    call_command("import_bookmarks", "alice", str(FIREFOX), "--folders", "board", stdout=out)
    assert "Created 0, merged 21, refused 3" in out.getvalue()


def test_the_command_imports_into_a_space_with_the_chosen_visibility(personas):
    call_command(
        "import_bookmarks", "alice", str(SHAARLI), "--space", "team", "--visibility", "space", stdout=io.StringIO()
    )
    assert set(Item.objects.filter(owner=personas.alice).values_list("space__slug", flat=True)) == {"team"}


def test_the_command_succeeds_when_every_entry_is_refused(personas, tmp_path):
    path = tmp_path / "bad.html"
    path.write_bytes(netscape_file('<DT><A HREF="javascript:alert(1)">Bookmarklet</A>'))
    out = io.StringIO()
    call_command("import_bookmarks", "alice", str(path), stdout=out)
    assert "Created 0, merged 0, refused 1" in out.getvalue()
    assert "bookmarklet (javascript:)" in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nobody", str(SHAARLI)], "nobody with the user name"),
        (["alice", "/no/such/file.html"], "cannot be read"),
        (["alice", str(SHAARLI), "--space", "nowhere"], "no space"),
        (["alice", str(SHAARLI), "--space", "elsewhere"], "Only members"),
        (["alice", str(DATA.parent / "feeds" / "Subs.opml")], "not a bookmark export"),
    ],
)
def test_the_command_fails_only_when_the_file_person_or_space_cannot_be_used(personas, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_bookmarks", *arguments, stdout=io.StringIO())
