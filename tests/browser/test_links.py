"""Journeys through links: save a page through the share page as the bookmarklet opens it, be warned that a
colleague saved it already and join their save, and import a real browser export with a preview and a
progress page that follows the import by itself."""

import re

import pytest
from playwright.sync_api import expect

from core.models import Visibility
from links import importing, services
from links.models import Bookmark, ImportJob
from tests.factories import UserFactory
from tests.shared_data import SHARED_DATA

BOOKMARK_FILES = SHARED_DATA / "netscape-bookmarks"
ARTICLE = "https://martinfowler.com/articles/practical-test-pyramid.html"


@pytest.fixture(autouse=True)
def _no_previews(monkeypatch):
    """Saving queues a preview fetch; the live server runs in this process, so this keeps it off the network."""
    monkeypatch.setattr(services, "_queue_preview", lambda link_id: None)


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", display_name="Alice Learner")


@pytest.fixture
def mo(db):
    return UserFactory(username="mo", display_name="Mo Mentor")


def test_a_person_saves_a_page_from_the_share_page_the_bookmarklet_opens(page, login_as, problems, alice):
    login_as(alice)
    page.goto(
        f"/links/save/?url={ARTICLE}%3Futm_source%3Dnewsletter"
        "&title=The%20Practical%20Test%20Pyramid&description=Tests%20at%20every%20level"
    )
    expect(page.get_by_label("Address")).to_have_value(f"{ARTICLE}?utm_source=newsletter")
    expect(page.get_by_label("Title")).to_have_value("The Practical Test Pyramid")
    expect(page.get_by_label("Description")).to_have_value("Tests at every level")
    expect(page.locator(".duplicate-warning")).to_have_count(0)
    page.get_by_label("Your notes").fill("Read the part on contract tests first.")
    page.get_by_label("Tags").fill("testing, architecture")
    page.get_by_role("button", name="Save link").click()

    expect(page).to_have_url(re.compile(r"/links/l/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("“The Practical Test Pyramid” is saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Practical Test Pyramid")
    expect(page.locator(".save-notes")).to_contain_text("Read the part on contract tests first.")
    expect(page.get_by_role("link", name="#testing")).to_be_visible()
    expect(page.get_by_role("link", name="Edit your save")).to_be_visible()
    assert Bookmark.objects.get(saver=alice).link.url == ARTICLE
    assert not problems, problems


def test_a_second_person_is_warned_of_the_first_save_as_they_type_and_joins_it(page, login_as, problems, alice, mo):
    services.save_link(user=mo, url=ARTICLE, title="Test pyramid", notes="The team's testing bible.")
    login_as(alice)
    page.goto("/links/save/")
    address = page.get_by_label("Address")
    address.press_sequentially("https://MartinFowler.com/articles/practical-test-pyramid.html#contract-tests")
    warning = page.locator(".duplicate-warning")
    expect(warning).to_contain_text("Already saved here by 1 person")
    expect(warning).to_contain_text("Mo Mentor")
    expect(warning).to_contain_text("The team's testing bible.")

    address.fill("https://example.com/nobody-saved-this")
    expect(warning).to_have_count(0)
    address.fill(ARTICLE)
    expect(warning).to_contain_text("Mo Mentor")
    page.get_by_label("Your notes").fill("Agreed, and the diagrams help.")
    page.get_by_role("button", name="Save link").click()

    expect(page.get_by_role("heading", name="Saved by 2 people")).to_be_visible()
    saves = page.locator(".save")
    expect(saves).to_have_count(2)
    expect(page.locator(".save-notes")).to_have_text(
        [re.compile("Agreed, and the diagrams help."), re.compile("The team's testing bible.")]
    )
    assert not problems, problems


def test_a_person_imports_a_browser_export_with_a_preview_and_a_progress_page(
    page, login_as, problems, alice, monkeypatch
):
    # The worker is this test: confirming queues nothing, so the page waits until the import runs below.
    confirmed = []
    monkeypatch.setattr(importing, "start_import", lambda *, job, actor: confirmed.append(job.pk))
    login_as(alice)
    page.goto("/links/")
    page.get_by_role("link", name="Import bookmarks").click()
    page.get_by_label("Bookmark file").set_input_files(BOOKMARK_FILES / "firefox_nested.htm")
    page.get_by_label("Folders become tags").check()
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_role("heading", name="Preview: nothing is saved yet")).to_be_visible()
    job = ImportJob.objects.get(owner=alice)
    expect(page.locator(".import-sample tbody tr").first).to_be_visible()
    expect(page.get_by_role("button", name=f"Import {job.total} links")).to_be_visible()
    assert not Bookmark.objects.exists()
    page.get_by_role("button", name=f"Import {job.total} links").click()

    expect(page.get_by_role("status")).to_contain_text("Waiting for the import to start")
    assert confirmed == [job.pk]
    importing.run_import.call(job.pk)

    # The page asks for its progress every second and shows the report by itself.
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    job.refresh_from_db()
    expect(page.locator(".stat").first).to_contain_text(str(job.report["created"]))
    assert Bookmark.objects.filter(saver=alice).count() == job.report["created"] > 0
    page.get_by_role("link", name="See my links").click()
    expect(page.locator(".link-card").first).to_be_visible()
    assert not problems, problems


def test_a_save_limited_to_named_people_stays_out_of_an_outsiders_list(page, login_as, alice, mo):
    olly = UserFactory(username="olly", display_name="Olly Outsider")
    services.save_link(user=alice, url=ARTICLE, title="For Mo only", visibility=Visibility.PEOPLE, shared_with=[mo])
    login_as(olly)
    page.goto("/links/")
    expect(page.get_by_text("Nothing saved here yet")).to_be_visible()


def test_people_discuss_a_link_on_its_page_without_leaving_it(page, login_as, problems, alice, mo):
    bookmark = services.save_link(user=mo, url=ARTICLE, title="Test pyramid").bookmark
    login_as(alice)
    page.goto(f"/links/l/{bookmark.link_id}/")
    page.get_by_label("Your comment").fill("Which part do you **use** most?")
    page.get_by_role("button", name="Post comment").click()

    comment = page.locator(".comment")
    expect(comment).to_have_count(1)
    expect(comment.locator("strong")).to_have_text("use")
    expect(page.get_by_label("Your comment")).to_have_value("")
    page.once("dialog", lambda dialog: dialog.accept())
    comment.get_by_role("button", name="Delete").click()
    expect(comment).to_have_count(0)
    assert not problems, problems
