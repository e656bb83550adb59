"""The wiki's busiest pages cost the same number of queries whatever the number of pages and revisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Visibility
from wiki import markdown, queries
from wiki.models import Page
from wiki.services import create_page, save_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_pages(no_page_cache):
    """Measure the views themselves, not lib/pagecache's copy of them."""


def page_in_team(personas, title, *, parent=None, text=""):
    return create_page(
        author=personas.alice,
        title=title,
        text=text or f"About {title}. See [[Handbook]] and [[Missing {title}]].\n",
        space=personas.team,
        parent=parent,
        visibility=Visibility.SPACE,
    )


def grow_wiki(personas, page, n):
    """n more pages in the team wiki (nested, linking to ``page``) and n more revisions of ``page`` by two people."""
    start = Page.objects.filter(space=personas.team).count()
    parent = None
    for i in range(start, start + n):
        parent = page_in_team(personas, f"Page {i}", parent=parent if i % 3 else None)
    authors = (personas.mo, personas.gus)
    for i in range(n):
        current = Page.objects.get(pk=page.pk).current
        save_page(
            page=page,
            author=authors[i % 2],
            text=current.text + f"Line {current.number} by {authors[i % 2].username}.\n",
            base_number=current.number,
            summary=f"Edit {i}",
        )


def count(client, path, *, cold=False, monkeypatch=None):
    client.get(path)  # the first request fills the site settings, unread count and render caches
    if cold:
        # Another render version: the cached HTML is not found, so the page is rendered (and its links looked up).
        monkeypatch.setattr(markdown, "RENDER_VERSION", f"cold-{path}-{Page.objects.count()}")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("cold", [False, True], ids=["rendered-html-cached", "rendered-html-not-cached"])
def test_a_page_view_costs_the_same_queries_at_2_and_40_pages_and_revisions(personas, client_for, cold, monkeypatch):
    page = page_in_team(personas, "Handbook", text="# Handbook\n\nSee [[Page 1]].\n")
    client = client_for(personas.gus)
    path = queries.url_of(Page.objects.select_related("space").get(pk=page.pk))
    counts = []
    for n in (2, 38):
        grow_wiki(personas, page, n)
        counts.append(count(client, path, cold=cold, monkeypatch=monkeypatch))
    assert counts[0] == counts[1]


def test_the_history_costs_the_same_queries_at_2_and_40_revisions(personas, client_for):
    page = page_in_team(personas, "Handbook")
    client = client_for(personas.alice)
    counts = []
    for n in (2, 38):
        grow_wiki(personas, page, n)
        counts.append(count(client, reverse("wiki:history", args=[page.pk])))
    assert counts[0] == counts[1]


def test_the_space_page_tree_costs_the_same_queries_at_2_and_40_pages(personas, client_for):
    page = page_in_team(personas, "Handbook")
    client = client_for(personas.alice)
    counts = []
    for n in (2, 38):
        grow_wiki(personas, page, n)
        counts.append(count(client, reverse("wiki:space", args=["team"])))
    assert counts[0] == counts[1]


def test_who_wrote_what_costs_the_same_queries_at_2_and_40_revisions(personas, client_for):
    page = page_in_team(personas, "Handbook")
    client = client_for(personas.alice)
    counts = []
    for n in (2, 38):
        grow_wiki(personas, page, n)
        counts.append(count(client, reverse("wiki:attribution", args=[page.pk])))
    assert counts[0] == counts[1]


def test_a_page_view_stays_within_a_small_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries):
    page = page_in_team(personas, "Handbook")
    grow_wiki(personas, page, 5)
    client = client_for(personas.gus)
    path = queries.url_of(Page.objects.select_related("space").get(pk=page.pk))
    client.get(path)
    with django_assert_max_num_queries(12):
        client.get(path)
