"""The portfolios API router (portfolios.api.pages): portfolios, pages, blocks, artefacts and journal entries.

The router is served here by a small API of its own with the main API's authentication and error handling
(`{"detail": ...}`), under /api-portfolios-test/, so these tests run whether or not it is mounted yet. Private
blocks and private reflections are never in an answer to anyone but the owner."""

import json

import pytest
from django.urls import path
from ninja import NinjaAPI

from api.api import api as main_api
from api.auth import api_auth
from api.services import create_token
from core.models import Item, Visibility
from portfolios import services
from portfolios.api.pages import router
from portfolios.models import Block, JournalEntry, Portfolio
from portfolios.tests.test_pages_helpers import (  # noqa: F401 — the autouse fixture is used by importing it
    block_titled,
    first_page,
    make_portfolio,
    no_link_previews,
    png,
)
from watercooler.urls import urlpatterns as site_urls

test_api = NinjaAPI(title="portfolios pages (test)", version="test", auth=api_auth, urls_namespace="pf-pages-test")
test_api._exception_handlers.update(main_api._exception_handlers)
test_api.add_router("/portfolios/", router)
urlpatterns = [path("api-portfolios-test/", test_api.urls), *site_urls]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

API = "/api-portfolios-test/portfolios"


@pytest.fixture
def call(client_for):
    def make(user, method, url, body=None):
        if not url.startswith("/"):  # the list itself: /api/portfolios/
            url = "/" + url
        client = client_for(None)
        headers = {}
        if user is not None:
            token, secret = create_token(user=user, name="test")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        if body is None:
            return getattr(client, method)(API + url, **headers)
        return getattr(client, method)(API + url, data=json.dumps(body), content_type="application/json", **headers)

    return make


@pytest.fixture
def shared(personas):
    """alice's process portfolio for the team: a private block, a private reflection, a filled text block."""
    portfolio = make_portfolio(personas.alice, kind="process", space=personas.team, visibility=Visibility.SPACE)
    page = first_page(portfolio)
    services.add_block(actor=personas.alice, page=page, kind="text", title="Diary", body="Secret plans", private=True)
    services.add_entry(
        actor=personas.alice,
        portfolio=portfolio,
        title="Week one",
        answers=[{"prompt": "So what?", "answer": "hidden feelings"}],
        reflection_private=True,
    )
    return portfolio


def test_starting_a_portfolio_through_the_guided_start(personas, call):
    response = call(personas.alice, "post", "", {"title": "Learning SQL", "kind": "process"})
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["visibility"], [p["title"] for p in body["pages"]]) == (
        "process",
        "private",
        ["Goals", "Progress"],
    )
    assert body["prompts"][0]["prompt"] == "What happened?"


def test_a_portfolio_is_never_public_through_the_api_either(personas, call):
    response = call(personas.alice, "post", "", {"title": "Out", "visibility": "public"})
    assert response.status_code == 422


def test_bad_input_is_a_detail_not_a_crash(personas, call):
    response = call(personas.alice, "post", "", {"title": "Shared", "visibility": "people"})
    assert response.status_code == 400
    assert "Name at least one person" in response.json()["detail"]


def test_listing_what_i_may_see_and_what_is_mine(personas, call, shared):
    make_portfolio(personas.mo, title="Mo's")
    assert {p["title"] for p in call(personas.mo, "get", "").json()["items"]} == {"Mo's", "My work"}
    assert [p["title"] for p in call(personas.mo, "get", "?mine=true").json()["items"]] == ["Mo's"]
    assert call(personas.olly, "get", "").json()["items"] == []
    assert call(None, "get", "").json()["items"] == []


def test_reading_updating_and_deleting_a_portfolio(personas, call, shared):
    assert call(personas.mo, "get", f"/{shared.pk}").status_code == 200
    assert call(personas.olly, "get", f"/{shared.pk}").status_code == 404
    assert call(personas.gus, "patch", f"/{shared.pk}", {"title": "Mine now"}).status_code == 403
    response = call(personas.alice, "patch", f"/{shared.pk}", {"title": "Renamed", "tags": ["sql"]})
    assert (response.json()["title"], response.json()["tags"]) == ("Renamed", ["sql"])
    assert call(personas.alice, "delete", f"/{shared.pk}").status_code == 204
    assert call(personas.alice, "get", f"/{shared.pk}").status_code == 404


def test_who_it_is_shared_with_is_told_to_its_owner_only(personas, call):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.PEOPLE, shared_with=[personas.mo])
    assert call(personas.alice, "get", f"/{portfolio.pk}").json()["shared_with"] == ["mo"]
    assert call(personas.mo, "get", f"/{portfolio.pk}").json()["shared_with"] is None


def test_private_blocks_are_in_the_owners_answers_only(personas, call, shared):
    page = first_page(shared)
    mine = call(personas.alice, "get", f"/{shared.pk}/pages/{page.pk}").json()
    assert "Diary" in {b["title"] for b in mine["blocks"]}
    for other in (personas.mo, personas.ada, personas.gus):
        theirs = call(other, "get", f"/{shared.pk}/pages/{page.pk}").json()
        assert "Diary" not in {b["title"] for b in theirs["blocks"]}
        assert "Secret plans" not in json.dumps(theirs)
    diary = Block.objects.get(title="Diary")
    assert call(personas.ada, "get", f"/{shared.pk}/blocks/{diary.pk}").status_code == 404


def test_private_reflections_are_in_the_owners_answers_only(personas, call, shared):
    entry = shared.entries.get()
    mine = call(personas.alice, "get", f"/{shared.pk}/entries/{entry.pk}").json()
    assert (mine["answers"][0]["answer"], mine["reflection_private"]) == ("hidden feelings", True)
    for other in (personas.mo, personas.ada):
        listed = call(other, "get", f"/{shared.pk}/entries").json()
        assert [e["title"] for e in listed["items"]] == ["Week one"]
        assert "hidden feelings" not in json.dumps(listed)
        one = call(other, "get", f"/{shared.pk}/entries/{entry.pk}").json()
        assert (one["answers"], one["reflection_private"]) == ([], None)


def test_pages_are_created_renamed_reordered_and_deleted(personas, call, shared):
    response = call(personas.alice, "post", f"/{shared.pk}/pages", {"title": "Projects", "layout": "two"})
    assert response.status_code == 201
    page_id = response.json()["id"]
    assert call(personas.alice, "patch", f"/{shared.pk}/pages/{page_id}", {"title": "Side"}).json()["slug"] == "side"
    order = call(personas.alice, "post", f"/{shared.pk}/pages/{page_id}/move", {"position": 0}).json()
    assert [p["title"] for p in order] == ["Side", "Goals", "Progress"]
    assert call(personas.alice, "delete", f"/{shared.pk}/pages/{page_id}").status_code == 204
    assert call(personas.gus, "post", f"/{shared.pk}/pages", {"title": "Nope"}).status_code == 403


def test_blocks_are_created_changed_moved_and_deleted(personas, call, shared):
    page = first_page(shared)
    url = f"/{shared.pk}/pages/{page.pk}/blocks"
    response = call(personas.alice, "post", url, {"kind": "text", "title": "Plan", "body": "**Go**"})
    assert response.status_code == 201
    block_id = response.json()["id"]
    changed = call(personas.alice, "patch", f"/{shared.pk}/blocks/{block_id}", {"body": "Went", "private": True})
    assert (changed.json()["body"], changed.json()["private"]) == ("Went", True)
    moved = call(personas.alice, "post", f"/{shared.pk}/blocks/{block_id}/move", {"column": 0, "position": 0})
    assert moved.json()["position"] == 0
    assert call(personas.alice, "delete", f"/{shared.pk}/blocks/{block_id}").status_code == 204


def test_a_block_outside_the_layout_is_a_400(personas, call, shared):
    page = first_page(shared)
    response = call(personas.alice, "post", f"/{shared.pk}/pages/{page.pk}/blocks", {"kind": "text", "column": 2})
    assert response.status_code == 400 and "column" in response.json()["detail"]


def test_attaching_an_artefact_by_item_id(personas, call, shared):
    page = first_page(shared)
    block = services.add_block(actor=personas.alice, page=page, kind="artefact")
    guide = Item.objects.create(owner=personas.mo, kind="page", title="Mo's guide", visibility="organisation")
    response = call(personas.alice, "put", f"/{shared.pk}/blocks/{block.pk}/artefact", {"item": guide.pk})
    assert response.status_code == 200 and response.json()["item"]["title"] == "Mo's guide"
    secret = Item.objects.create(owner=personas.mo, kind="page", title="Secret", visibility="private")
    response = call(personas.alice, "put", f"/{shared.pk}/blocks/{block.pk}/artefact", {"item": secret.pk})
    assert response.status_code == 400 and response.json()["detail"] == "That item does not exist."


def test_an_item_a_reader_may_not_see_is_not_named_to_them(personas, call, shared):
    page = first_page(shared)
    mine = Item.objects.create(owner=personas.alice, kind="page", title="Only mine", visibility="private")
    block = services.add_block(actor=personas.alice, page=page, kind="embed", item=mine)
    theirs = call(personas.mo, "get", f"/{shared.pk}/blocks/{block.pk}").json()
    assert (theirs["item"], theirs["item_hidden"]) == (None, True)


def test_a_gallery_through_the_api(personas, call, shared):
    image = services.evidence_from_upload(actor=personas.alice, portfolio=shared, uploaded=png())
    page = first_page(shared)
    body = {"kind": "gallery", "images": [{"item": image.pk, "caption": "Look"}]}
    response = call(personas.alice, "post", f"/{shared.pk}/pages/{page.pk}/blocks", body)
    assert response.json()["images"] == [
        {"item": {"id": image.pk, "kind": "file", "title": "Picture", "url": f"/i/{image.pk}/"}, "caption": "Look"}
    ]


def test_journal_entries_are_written_by_the_owner(personas, call, shared):
    body = {"title": "Week two", "happened": "2026-02-02", "answers": [{"prompt": "So what?", "answer": "Fine"}]}
    response = call(personas.alice, "post", f"/{shared.pk}/entries", body)
    assert response.status_code == 201
    entry_id = response.json()["id"]
    assert call(personas.mo, "post", f"/{shared.pk}/entries", body).status_code == 403
    patched = call(personas.alice, "patch", f"/{shared.pk}/entries/{entry_id}", {"reflection_private": True})
    assert patched.json()["reflection_private"] is True
    assert call(personas.alice, "delete", f"/{shared.pk}/entries/{entry_id}").status_code == 204
    assert not JournalEntry.objects.filter(pk=entry_id).exists()


def test_a_showcase_has_no_journal(personas, call):
    portfolio = make_portfolio(personas.alice)
    response = call(personas.alice, "post", f"/{portfolio.pk}/entries", {"title": "No"})
    assert response.status_code == 400 and "process" in response.json()["detail"]


def test_anonymous_callers_see_nothing_and_change_nothing(call, shared):
    assert call(None, "get", f"/{shared.pk}").status_code == 404
    assert call(None, "post", "", {"title": "X"}).status_code == 401


def test_templates_published_by_curators_are_listed(personas, call):
    services.save_template(actor=personas.lee, title="Draft", kind="showcase", structure=[{"title": "A"}])
    services.save_template(actor=personas.lee, title="Live", kind="process", structure=[{"title": "B"}], published=True)
    assert [t["title"] for t in call(personas.alice, "get", "/templates").json()] == ["Live"]
    template_id = call(personas.alice, "get", "/templates").json()[0]["id"]
    created = call(personas.alice, "post", "", {"title": "From it", "template": template_id}).json()
    assert (created["kind"], created["template"]) == ("process", template_id)
    assert Portfolio.objects.get(pk=created["id"]).pages.get().title == "B"
