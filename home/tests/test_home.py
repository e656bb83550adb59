import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Activity, Visibility
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def add_activities(personas, n):
    people = [UserFactory() for _ in range(5)]
    for i in range(n):
        item = ItemFactory(owner=people[i % 5], space=personas.team if i % 2 else None, title=f"Thing {i}")
        Activity.objects.create(actor=item.owner, verb=Activity.Verb.CREATED, item=item, space=item.space)


def home_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.usefixtures("no_page_cache")
def test_it_costs_the_same_queries_with_10_or_200_activities(personas, client_for):
    client = client_for(personas.alice)
    add_activities(personas, 10)
    client.get(reverse("home"))  # the first request also loads the session and site settings
    few = home_queries(client)
    add_activities(personas, 190)
    assert home_queries(client) == few


def test_it_shows_recent_activity_spaces_and_new_items(personas, client_for):
    ItemFactory(owner=personas.mo, space=personas.team, title="Team charter", visibility=Visibility.SPACE)
    item = ItemFactory(owner=personas.lee, title="Data course")
    Activity.objects.create(actor=personas.lee, verb=Activity.Verb.CREATED, item=item)
    html = client_for(personas.alice).get(reverse("home")).content.decode()
    assert f"{Activity.MADE.get(item.kind, 'created')} <a" in html  # a file is uploaded, a link saved
    assert "Team charter" in html and "Data course" in html
    assert 'href="/spaces/team/"' in html


def test_it_hides_activity_about_items_the_person_may_not_see(personas, client_for):
    secret = ItemFactory(
        owner=personas.olly, space=personas.elsewhere, title="Olly secret", visibility=Visibility.SPACE
    )
    Activity.objects.create(actor=personas.olly, verb=Activity.Verb.CREATED, item=secret, space=personas.elsewhere)
    html = client_for(personas.alice).get(reverse("home")).content.decode()
    assert "Olly secret" not in html and "Elsewhere" not in html


def test_it_welcomes_anonymous_visitors_without_personal_data(client, personas):
    ItemFactory(owner=personas.mo, title="Org only")
    html = client.get(reverse("home")).content.decode()
    assert "Sign in" in html and "Org only" not in html


@pytest.mark.parametrize(
    ("kind", "words"), [("link", "saved"), ("file", "uploaded"), ("page", "wrote"), ("board", "created")]
)
def test_making_an_item_is_said_as_its_kind_says_it(personas, kind, words):
    activity = Activity(actor=personas.lee, verb=Activity.Verb.CREATED, item=ItemFactory(kind=kind))
    assert activity.verb_words == words
    assert Activity(actor=personas.lee, verb=Activity.Verb.UPDATED, item=activity.item).verb_words == "updated"
