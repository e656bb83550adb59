import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.services import set_tags
from tests.factories import ItemFactory, SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("search:search")


def test_it_shows_highlighted_results_with_titles_escaped(personas, reindex, client_for):
    ItemFactory(title="<script>alert(1)</script> onboarding", summary="Your first week", owner=personas.mo)
    reindex()
    response = client_for(personas.alice).get(URL, {"q": "onboarding"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>onboarding</mark>" in html
    assert "<script>alert(1)" not in html
    assert "Your first week" in html


def test_the_top_bar_search_lands_on_the_results(personas, reindex, client_for):
    ItemFactory(title="Expenses guide", owner=personas.mo)
    reindex()
    client = client_for(personas.alice)
    assert f'action="{URL}"' in client.get(reverse("browse")).content.decode()
    assert "<mark>Expenses</mark> guide" in client.get(URL, {"q": "expenses"}).content.decode()


def test_htmx_typing_gets_only_the_results_partial(personas, reindex, client_for):
    ItemFactory(title="Expenses guide", owner=personas.mo)
    reindex()
    response = client_for(personas.alice).get(URL, {"q": "expen"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<mark>Expenses</mark> guide" in html
    assert "<html" not in html and 'id="id_q"' not in html


def test_tabs_show_one_kind_of_result(personas, reindex, client_for):
    ItemFactory(title="Mo's mentoring notes", owner=personas.mo)
    reindex()
    client = client_for(personas.alice)
    people = client.get(URL, {"q": "mo", "kind": "person"}).content.decode()
    items = client.get(URL, {"q": "mo", "kind": "item", "item_kind": "file"}).content.decode()
    assert "Mo <mark>Mentor</mark>" not in people and "<mark>Mo</mark> Mentor" in people
    assert "mentoring notes" not in people
    assert "mentoring notes" in items and "Mentor (mo)" not in items


def test_it_filters_by_tag_and_space(personas, reindex, client_for):
    tagged = ItemFactory(title="Budget sheet", owner=personas.mo, space=personas.team)
    set_tags(item=tagged, names=["finance"])
    ItemFactory(title="Budget talk", owner=personas.mo)
    reindex()
    client = client_for(personas.alice)
    assert "Budget talk" not in client.get(URL, {"q": "budget", "tag": "Finance"}).content.decode()
    in_team = client.get(URL, {"q": "budget", "space": "team"}).content.decode()
    assert "<mark>Budget</mark> sheet" in in_team and "Budget talk" not in in_team


def test_a_space_the_person_cannot_see_is_a_form_error_not_a_leak(personas, reindex, client_for):
    ItemFactory(title="Olly plan", owner=personas.olly, space=personas.elsewhere)
    reindex()
    response = client_for(personas.alice).get(URL, {"q": "plan", "space": "elsewhere"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "Olly plan" not in response.content.decode()


def test_it_explains_empty_searches(personas, client_for):
    client = client_for(personas.alice)
    assert "Type a few words" in client.get(URL).content.decode()
    assert "nothing to search for" in client.get(URL, {"q": "?!…"}).content.decode()
    assert "very common words" in client.get(URL, {"q": "the"}).content.decode()
    assert "Nothing you can see matches" in client.get(URL, {"q": "zebra"}).content.decode()


def test_it_pages_through_results(personas, reindex, client_for):
    ItemFactory.create_batch(25, title="Weekly standup", owner=personas.mo)
    reindex()
    client = client_for(personas.alice)
    first = client.get(URL, {"q": "standup"}).content.decode()
    second = client.get(URL, {"q": "standup", "page": "2"}).content.decode()
    assert first.count("<mark>standup</mark>") == 20 and 'rel="next"' in first
    assert second.count("<mark>standup</mark>") == 5 and 'rel="prev"' in second
    assert client.get(URL, {"q": "standup", "page": "x"}).status_code == 200


def test_bad_input_is_a_form_error_not_a_500(personas, client_for):
    client = client_for(personas.alice)
    assert client.get(URL, {"q": "x" * 500}).status_code == 200
    assert client.get(URL, {"q": "a", "kind": "robots"}).status_code == 200
    assert (
        "Only items have a kind" in client.get(URL, {"q": "a", "kind": "person", "item_kind": "file"}).content.decode()
    )


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get(URL, {"q": "anything"})
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.usefixtures("no_page_cache")
def test_the_page_costs_the_same_queries_for_few_and_many_results(personas, reindex, client_for):
    client = client_for(personas.alice)
    UserFactory(display_name="Retro Fan")
    SpaceFactory(name="Retro guild", created_by=personas.mo)
    client.get(URL, {"q": "warm up"})  # the site settings are cached on first use

    def queries_for(count):
        ItemFactory.create_batch(count, summary="Retro notes", owner=personas.mo, space=personas.team)
        reindex()
        with CaptureQueriesContext(connection) as queries:
            html = client.get(URL, {"q": "retro"}).content.decode()
        assert "<mark>Retro</mark> guild" in html and "<mark>Retro</mark> Fan" in html
        return len(queries)

    few = queries_for(3)
    assert few == queries_for(40), few


def test_htmx_updates_show_filter_errors_too(personas, client_for):
    response = client_for(personas.alice).get(
        URL, {"q": "plan", "kind": "space", "item_kind": "file"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "Kind of item: Only items have a kind" in html
    assert "Change the filters above to search." in html
