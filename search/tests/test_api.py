import pytest

from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
URL = "/api/search/"


def test_it_returns_results_with_highlighted_snippets(personas, reindex, client_for):
    ItemFactory(title="Pairing guide", summary="How we <pair> on code", owner=personas.mo)
    reindex()
    body = client_for(personas.alice).get(URL, {"q": "pair"}).json()
    (result,) = body["results"]
    assert result["kind"] == "item" and result["title"] == "Pairing guide"
    assert result["snippet"] == "How we &lt;<mark>pair</mark>&gt; on code"
    assert result["url"].endswith(f"/i/{result['id']}/")
    assert body["has_next"] is False and body["next_offset"] is None


def test_it_pages_with_limit_and_offset(personas, reindex, client_for):
    ItemFactory.create_batch(3, title="Kanban tips", owner=personas.mo)
    reindex()
    client = client_for(personas.alice)
    first = client.get(URL, {"q": "kanban", "limit": 2}).json()
    second = client.get(URL, {"q": "kanban", "limit": 2, "offset": first["next_offset"]}).json()
    assert [len(first["results"]), first["has_next"], len(second["results"])] == [2, True, 1]


def test_it_applies_the_access_rule(personas, reindex, client_for):
    ItemFactory(title="Olly secret", owner=personas.olly, space=personas.elsewhere, visibility="space")
    reindex()
    assert client_for(personas.alice).get(URL, {"q": "secret"}).json()["results"] == []
    assert len(client_for(personas.olly).get(URL, {"q": "secret"}).json()["results"]) == 1


def test_a_hidden_space_answers_404(personas, client_for):
    response = client_for(personas.alice).get(URL, {"q": "plan", "space": "elsewhere"})
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_bad_filters_answer_4xx_with_a_detail(personas, client_for):
    client = client_for(personas.alice)
    assert client.get(URL, {"q": "x", "kind": "robots"}).status_code == 400
    assert "detail" in client.get(URL, {"q": "x", "item_kind": "robots"}).json()
    assert client.get(URL, {"q": "x", "limit": 1000}).status_code == 422
    assert client.get(URL, {"q": "x" * 500}).status_code == 422


def test_it_needs_a_signed_in_caller(client):
    response = client.get(URL, {"q": "x"})
    assert response.status_code == 401 and "detail" in response.json()
