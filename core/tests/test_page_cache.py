"""The page cache (lib/pagecache.py): each person's own copy, gone as soon as anything changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Visibility
from core.services import create_item
from spaces.models import Membership
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def fetch(client, path="/browse/"):
    response = client.get(path)
    assert response.status_code == 200
    return response


def warm(client, path="/browse/"):
    fetch(client, path)  # sets the CSRF cookie, so this answer is not kept
    return fetch(client, path)


def test_a_second_view_is_served_from_the_cache_without_building_the_page(personas, client_for):
    client = client_for(personas.alice)
    warm(client)
    with CaptureQueriesContext(connection) as ctx:
        response = fetch(client)
    assert response["X-Page-Cache"] == "hit"
    assert len(ctx.captured_queries) <= 2  # the session and the person, nothing of the page


def test_a_new_item_shows_on_the_next_view(personas, client_for):
    client = client_for(personas.alice)
    warm(client)
    create_item(owner=personas.mo, kind="file", title="Fresh quarterly notes", visibility=Visibility.ORGANISATION)
    response = fetch(client)
    assert "X-Page-Cache" not in response
    assert "Fresh quarterly notes" in response.content.decode()


def test_one_persons_copy_is_never_shown_to_another(personas, client_for):
    ItemFactory(owner=personas.alice, title="Private draft of alice", visibility=Visibility.PRIVATE)
    assert "Private draft of alice" in warm(client_for(personas.alice)).content.decode()
    other = client_for(personas.lee)
    fetch(other)
    assert "Private draft of alice" not in fetch(other).content.decode()


def test_leaving_a_space_hides_its_items_at_once(personas, client_for):
    ItemFactory(owner=personas.mo, space=personas.team, title="Team-only plan", visibility=Visibility.SPACE)
    client = client_for(personas.alice)
    assert "Team-only plan" in warm(client).content.decode()
    Membership.objects.filter(space=personas.team, user=personas.alice).delete()
    assert "Team-only plan" not in fetch(client).content.decode()


def test_a_queryset_update_that_calls_content_changed_is_seen(personas, client_for):
    from core.models import Item
    from lib.pagecache import content_changed

    item = ItemFactory(owner=personas.mo, title="Old title", visibility=Visibility.ORGANISATION)
    client = client_for(personas.alice)
    warm(client)
    Item.objects.filter(pk=item.pk).update(title="New title")
    content_changed()
    assert "New title" in fetch(client).content.decode()


def test_a_page_under_a_flash_message_is_not_kept(personas, client_for):
    client = client_for(personas.alice)
    warm(client)
    client.cookies["messages"] = "flash"  # what the cookie message storage sets after a redirect
    assert "X-Page-Cache" not in fetch(client)


def test_cached_pages_are_private_to_the_browser(personas, client_for):
    client = client_for(personas.alice)
    response = warm(client)
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_signed_out_visitors_are_never_served_from_it(client):
    first, second = client.get("/"), client.get("/")
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second


def test_it_can_be_switched_off(personas, client_for, settings):
    settings.WATERCOOLER_PAGE_CACHE = False
    client = client_for(personas.alice)
    assert "X-Page-Cache" not in warm(client)


def test_a_new_release_never_serves_the_previous_ones_pages(personas, client_for, monkeypatch):
    from lib import pagecache

    client = client_for(personas.alice)
    warm(client)
    monkeypatch.setattr(pagecache, "release", lambda: "another release")
    assert "X-Page-Cache" not in fetch(client)
