import pytest
from django.contrib.auth.models import AnonymousUser

from core.access import search_document_filter
from core.models import Item, SiteConfig, Visibility
from search.models import SearchDocument
from search.queries import search
from spaces.models import Space
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_search_document_filter_agrees_with_visible_to_for_every_persona_and_visibility(personas, reindex):
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    for owner in (personas.mo, personas.olly):
        for vis in Visibility.values:
            for space in (None, personas.team, personas.elsewhere):
                if not (vis == Visibility.SPACE and space is None):
                    item = ItemFactory(owner=owner, space=space, visibility=vis)
                    item.shared_with.add(personas.alice, personas.gus)
    reindex()
    everyone = [personas.alice, personas.mo, personas.lee, personas.ada, personas.gus, personas.olly, AnonymousUser()]
    for user in everyone:
        docs = SearchDocument.objects.filter(search_document_filter(user), kind="item")
        assert set(docs.values_list("item_id", flat=True)) == set(
            Item.objects.visible_to(user).values_list("pk", flat=True)
        ), user  # noqa: E501


def test_search_document_filter_applies_the_space_rule(personas, reindex):
    reindex()
    for user in (personas.alice, personas.gus, personas.olly, personas.ada):
        docs = SearchDocument.objects.filter(search_document_filter(user), kind="space")
        assert set(docs.values_list("space_id", flat=True)) == set(
            Space.objects.visible_to(user).values_list("pk", flat=True)
        )  # noqa: E501


def test_guests_find_only_people_who_share_a_space_with_them(personas, reindex):
    reindex()
    found = {r.object.username for r in search(personas.gus, "learner or mentor or outsider or curator", kind="person")}
    assert found == {"alice", "mo"}


def test_anonymous_visitors_find_nothing_unless_public(personas, reindex):
    ItemFactory(title="Open handbook", owner=personas.mo, visibility=Visibility.PUBLIC)
    reindex()
    assert list(search(AnonymousUser(), "handbook")) == []
