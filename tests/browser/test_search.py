"""Journey: search from the top bar, see what matched highlighted, narrow by kind; hidden things stay hidden."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from core.models import Visibility
from files.services import upload_file
from people.models import User
from people.services import update_profile
from spaces.models import Space
from spaces.services import create_space
from tests.browser.samples import pdf_bytes
from tests.factories import UserFactory


def share_pdf(owner, title, *, space=None, visibility=Visibility.ORGANISATION, tags=()):
    upload = SimpleUploadedFile(f"{title}.pdf", pdf_bytes(), content_type="application/pdf")
    return upload_file(owner=owner, uploaded=upload, title=title, space=space, visibility=visibility, tags=tags)


@pytest.fixture
def kubernetes_things(db):
    alice = UserFactory(username="alice", display_name="Alice Learner")
    kim = UserFactory(username="kim", display_name="Kim Kale")
    update_profile(person=kim, job_title="Kubernetes engineer", department="Platform")
    guild = create_space(creator=kim, name="Kubernetes guild", description="Clusters and how to run them.")
    share_pdf(kim, "Kubernetes pipelines guide", space=guild, tags=["kubernetes", "ci"])
    share_pdf(kim, "Budget 2025", tags=["finance"])
    olly = UserFactory(username="olly", display_name="Olly Outsider")
    secret = create_space(creator=olly, name="Skunkworks", visibility=Space.Visibility.INVITE_ONLY)
    share_pdf(olly, "Kubernetes secret rollout", space=secret, visibility=Visibility.SPACE)
    return alice


def titles(page):
    return page.locator(".search-results .card-title")


def test_it_finds_people_spaces_and_files_from_the_top_bar_and_filters_by_kind(
    page, login_as, problems, kubernetes_things
):
    login_as(kubernetes_things)
    page.goto("/")
    page.get_by_role("banner").get_by_role("searchbox", name="Search").fill("kubernetes")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(titles(page)).to_have_count(3)
    for title in ("Kim Kale (kim)", "Kubernetes guild", "Kubernetes pipelines guide"):
        expect(titles(page).filter(has_text=title)).to_have_count(1)
    expect(page.locator(".search-results")).not_to_contain_text("Budget 2025")
    expect(page.locator(".search-results")).not_to_contain_text("secret rollout")
    marks = page.locator(".search-results mark")
    expect(marks.first).to_have_text("Kubernetes", ignore_case=True)
    assert marks.count() >= 3

    tabs = page.get_by_role("navigation", name="What to show")
    tabs.get_by_role("link", name="People").click()
    expect(tabs.get_by_role("link", name="People")).to_have_attribute("aria-current", "page")
    expect(titles(page)).to_have_text(["Kim Kale (kim)"])
    tabs.get_by_role("link", name="Spaces").click()
    expect(titles(page)).to_have_text(["Kubernetes guild"])
    tabs.get_by_role("link", name="Files").click()
    expect(titles(page)).to_have_text(["Kubernetes pipelines guide"])
    assert "kind=item" in page.url and "item_kind=file" in page.url

    titles(page).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kubernetes pipelines guide")
    assert not problems, problems


def test_it_updates_results_as_you_type_and_never_shows_a_hidden_item(page, login_as, new_context, kubernetes_things):
    login_as(kubernetes_things)
    page.goto("/search/?q=budget")
    expect(titles(page)).to_have_text(["Budget 2025"])

    page.evaluate("window.notReloaded = true")
    page.get_by_role("search", name="Search people, spaces and items").get_by_label("Search for").fill("rollout")
    expect(page.get_by_role("status")).to_contain_text("Nothing you can see matches “rollout”")
    expect(titles(page)).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True

    page.goto("/search/?q=skunkworks")
    expect(page.get_by_role("status")).to_contain_text("Nothing you can see matches")
    page.goto("/search/?q=secret&kind=item")
    expect(titles(page)).to_have_count(0)
    # The item is in the index: its space's owner finds it with the same words.
    insider = new_context(user=User.objects.get(username="olly")).new_page()
    insider.goto("/search/?q=rollout")
    expect(titles(insider)).to_have_text(["Kubernetes secret rollout"])
