import pytest
from django.test import Client

from api.services import create_token
from core.models import SiteConfig, Visibility, Watch
from core.services import set_tags
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["items"]}


def test_it_lists_only_what_the_caller_may_see(personas, client_for):
    ItemFactory(title="team notes", owner=personas.mo, space=personas.team, visibility=Visibility.SPACE)
    ItemFactory(title="olly's", owner=personas.olly, space=personas.elsewhere, visibility=Visibility.SPACE)
    ItemFactory(title="diary", owner=personas.olly, visibility=Visibility.PRIVATE)
    assert titles(client_for(personas.alice).get("/api/items/")) == {"team notes"}
    assert titles(client_for(personas.olly).get("/api/items/")) == {"olly's", "diary"}


def test_it_shows_anonymous_callers_public_items_only_when_the_site_allows(personas):
    ItemFactory(title="for the web", owner=personas.mo, visibility=Visibility.PUBLIC)
    ItemFactory(title="org only", owner=personas.mo)
    assert titles(Client().get("/api/items/")) == set()
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    assert titles(Client().get("/api/items/")) == {"for the web"}


def test_it_filters_by_kind_tag_space_and_owner(personas, client_for):
    tagged = ItemFactory(title="tagged", owner=personas.mo, space=personas.team)
    set_tags(item=tagged, names=["Python"])
    ItemFactory(title="by lee", owner=personas.lee)
    client = client_for(personas.alice)
    assert titles(client.get("/api/items/?tag=python")) == {"tagged"}
    assert titles(client.get("/api/items/?space=team")) == {"tagged"}
    assert titles(client.get("/api/items/?owner=lee")) == {"by lee"}
    assert titles(client.get("/api/items/?kind=file&owner=mo")) == {"tagged"}


def test_it_gives_an_empty_list_for_a_space_the_caller_may_not_see(personas, client_for):
    ItemFactory(title="olly's", owner=personas.olly, space=personas.elsewhere)
    assert titles(client_for(personas.alice).get("/api/items/?space=elsewhere")) == set()


def test_it_refuses_an_unknown_kind_with_422(personas, client_for):
    response = client_for(personas.alice).get("/api/items/?kind=spaceship")
    assert response.status_code == 422 and "Unknown kind" in response.json()["detail"]


def test_it_answers_a_malformed_limit_with_422(personas, client_for):
    response = client_for(personas.alice).get("/api/items/?limit=lots")
    assert response.status_code == 422 and "detail" in response.json()


def test_it_reads_one_item_and_hides_others_behind_404(personas, client_for):
    mine = ItemFactory(title="team notes", owner=personas.mo, space=personas.team, visibility=Visibility.SPACE)
    set_tags(item=mine, names=["onboarding"])
    client = client_for(personas.alice)
    body = client.get(f"/api/items/{mine.pk}").json()
    assert (body["title"], body["owner"], body["space"], body["tags"]) == ("team notes", "mo", "team", ["onboarding"])
    hidden = client_for(personas.lee).get(f"/api/items/{mine.pk}")
    assert hidden.status_code == 404 and hidden.json() == {"detail": "Not found."}
    assert client.get("/api/items/999999").status_code == 404


def test_it_watches_and_unwatches_an_item(personas):
    item = ItemFactory(owner=personas.mo)
    _, secret = create_token(user=personas.alice, name="t")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.post(f"/api/items/{item.pk}/watch").json() == {"watching": True}
    assert client.get(f"/api/items/{item.pk}").json()["watching"] is True
    assert Watch.objects.filter(user=personas.alice, item=item).exists()
    assert client.delete(f"/api/items/{item.pk}/watch").json() == {"watching": False}
    assert not Watch.objects.exists()


def test_it_will_not_watch_a_hidden_item(personas, client_for):
    item = ItemFactory(owner=personas.olly, visibility=Visibility.PRIVATE)
    response = client_for(personas.alice).post(f"/api/items/{item.pk}/watch")
    assert response.status_code == 404
    assert not Watch.objects.exists()


def test_it_requires_sign_in_to_watch(personas):
    item = ItemFactory(owner=personas.mo, visibility=Visibility.PUBLIC)
    response = Client().post(f"/api/items/{item.pk}/watch")
    assert response.status_code == 401 and response.json() == {"detail": "Authentication required."}


def test_it_requires_the_csrf_token_for_writes_with_a_session(personas):
    item = ItemFactory(owner=personas.mo)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.alice)
    response = client.post(f"/api/items/{item.pk}/watch")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Watch.objects.exists()
    client.get("/settings/tokens/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert client.post(f"/api/items/{item.pk}/watch", headers={"X-CSRFToken": token}).status_code == 200


def test_it_lists_with_a_bounded_number_of_queries(personas, client_for, django_assert_max_num_queries):
    for n in range(30):
        set_tags(item=ItemFactory(owner=personas.mo, space=personas.team), names=[f"t{n}"])
    client = client_for(personas.alice)
    client.get("/api/items/")
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/items/?limit=30").json()["items"]) == 30
