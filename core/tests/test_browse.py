import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Visibility
from core.services import create_item
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def browse_queries(client, url="/browse/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def make_items(n, personas):
    owners = [UserFactory() for _ in range(5)]
    for i in range(n):
        create_item(
            owner=owners[i % 5],
            kind="file",
            title=f"Item {i}",
            visibility=Visibility.ORGANISATION,
            space=personas.team if i % 2 else None,
            tags=[f"tag{i % 7}", "common"],
        )


@pytest.mark.usefixtures("no_page_cache")
def test_browse_uses_the_same_number_of_queries_for_10_and_200_items(personas, client_for):
    client = client_for(personas.alice)
    make_items(10, personas)
    browse_queries(client)  # warm the per-process caches (site settings) so both counts compare like with like
    few, _ = browse_queries(client)
    make_items(190, personas)
    many, response = browse_queries(client)
    assert few == many
    assert len(response.context["page"].rows) == 24


def test_browse_filters_by_kind_tag_space_and_owner(personas, client_for):
    ItemFactory(title="Tagged in team", owner=personas.mo, space=personas.team, visibility=Visibility.SPACE)
    create_item(owner=personas.mo, kind="file", title="With tag", visibility=Visibility.ORGANISATION, tags=["python"])
    create_item(owner=personas.lee, kind="file", title="Lee's", visibility=Visibility.ORGANISATION)
    client = client_for(personas.alice)
    titles = lambda url: {i.title for i in client.get(url).context["page"].rows}  # noqa: E731
    assert titles("/browse/?tag=python") == {"With tag"}
    assert titles("/browse/?space=team") == {"Tagged in team"}
    assert titles("/browse/?owner=lee") == {"Lee's"}
    assert titles("/browse/?kind=file") == {"Tagged in team", "With tag", "Lee's"}


def test_browse_shows_nothing_for_a_space_the_viewer_cannot_see(personas, client_for):
    ItemFactory(title="Secret", owner=personas.olly, space=personas.elsewhere, visibility=Visibility.ORGANISATION)
    response = client_for(personas.alice).get("/browse/?space=elsewhere")
    assert list(response.context["page"].rows) == []


def test_browse_answers_htmx_with_only_the_results(personas, client_for):
    create_item(owner=personas.mo, kind="file", title="Fragment", visibility=Visibility.ORGANISATION)
    response = client_for(personas.alice).get("/browse/", HTTP_HX_REQUEST="true")
    assert b"Fragment" in response.content and b"<html" not in response.content


def test_browse_rejects_nonsense_filters_without_an_error(personas, client_for):
    response = client_for(personas.alice).get("/browse/?kind=spaceship&page=abc&tag=%00")
    assert response.status_code == 200
