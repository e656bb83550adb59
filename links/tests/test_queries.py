"""The link list and a link's shared page cost the same number of queries however many saves they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Visibility
from links import discussion, services
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture(autouse=True)
def _no_previews(monkeypatch):
    monkeypatch.setattr(services, "_queue_preview", lambda link_id: None)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def make_saves(n, personas, *, start=0):
    """``n`` saves by five people: each page saved twice, some in the team space, all with two tags."""
    savers = [UserFactory(username=f"saver{i}") for i in range(5)]
    for i in range(start, start + n):
        services.save_link(
            user=savers[i % 5],
            url=f"https://site{i % 9}.example/page/{i // 2}",
            title=f"Page {i}",
            notes=f"Notes {i}",
            visibility=Visibility.ORGANISATION,
            space=None,
            tags=[f"tag{i % 7}", "common"],
        )


@pytest.mark.parametrize("url", ["/links/", "/links/?sort=popular", "/links/?tag=common&domain=site1.example"])
def test_the_link_list_costs_the_same_queries_for_10_and_200_saves(personas, client_for, url):
    client = client_for(personas.alice)
    make_saves(10, personas)
    count_queries(client, url)  # warm the per-process caches (site settings) so both counts compare alike
    few, _ = count_queries(client, url)
    make_saves(190, personas, start=10)
    many, response = count_queries(client, url)
    assert few == many
    assert response.context["page"].rows


def make_link_saves(n, link_url, *, start=0):
    for i in range(start, start + n):
        person = UserFactory(username=f"reader{i}")
        services.save_link(
            user=person, url=link_url, notes=f"Why {i}", tags=[f"t{i % 4}"], visibility=Visibility.ORGANISATION
        )
        if i % 3 == 0:
            link = services.link_for(link_url)
            discussion.add_comment(link=link, author=person, body=f"Comment **{i}**")


def test_a_links_page_costs_the_same_queries_for_10_and_200_saves_and_their_comments(personas, client_for):
    url = "https://popular.example/article"
    services.save_link(user=personas.alice, url=url, title="Popular", visibility=Visibility.ORGANISATION)
    link = services.link_for(url)
    client = client_for(personas.alice)
    make_link_saves(10, url)
    count_queries(client, f"/links/l/{link.pk}/")
    few, _ = count_queries(client, f"/links/l/{link.pk}/")
    make_link_saves(190, url, start=10)
    many, response = count_queries(client, f"/links/l/{link.pk}/")
    assert few == many
    assert len(response.context["saves"]) == 50 and len(response.context["comments"]) > 50
