import pytest
from django.contrib.auth.models import AnonymousUser

from core.access import can_admin, can_edit, can_view
from core.models import Item, Visibility
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def visible_titles(user):
    return set(Item.objects.visible_to(user).values_list("title", flat=True))


def test_it_shows_space_items_only_to_members(personas):
    ItemFactory(title="team notes", owner=personas.mo, space=personas.team, visibility=Visibility.SPACE)
    assert "team notes" in visible_titles(personas.alice)
    assert "team notes" in visible_titles(personas.gus)
    assert "team notes" not in visible_titles(personas.olly)
    assert "team notes" not in visible_titles(personas.lee)


def test_it_hides_organisation_items_from_guests_outside_their_spaces(personas):
    ItemFactory(title="org wide", owner=personas.lee, visibility=Visibility.ORGANISATION)
    ItemFactory(title="org in team", owner=personas.mo, space=personas.team, visibility=Visibility.ORGANISATION)
    assert visible_titles(personas.gus) == {"org in team"}
    assert {"org wide", "org in team"} <= visible_titles(personas.olly)


def test_it_keeps_private_items_from_everyone_but_the_owner(personas):
    item = ItemFactory(title="diary", owner=personas.alice, visibility=Visibility.PRIVATE)
    assert can_view(personas.alice, item)
    for other in (personas.mo, personas.ada, personas.gus, personas.olly):
        assert not can_view(other, item)
        assert "diary" not in visible_titles(other)


def test_it_shows_named_shares_to_the_named_people_only(personas):
    item = ItemFactory(title="for mo", owner=personas.alice, visibility=Visibility.PEOPLE)
    item.shared_with.add(personas.mo)
    assert can_view(personas.mo, item) and "for mo" in visible_titles(personas.mo)
    assert not can_view(personas.olly, item) and "for mo" not in visible_titles(personas.olly)


def test_it_shows_public_items_to_anonymous_visitors_only_when_the_site_allows(personas):
    from core.models import SiteConfig

    item = ItemFactory(title="open", owner=personas.alice, visibility=Visibility.PUBLIC)
    assert not can_view(AnonymousUser(), item)
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    assert can_view(AnonymousUser(), item)
    assert visible_titles(AnonymousUser()) == {"open"}


def test_it_lets_space_moderators_edit_items_in_their_space(personas):
    item = ItemFactory(owner=personas.alice, space=personas.team, visibility=Visibility.SPACE)
    assert can_edit(personas.mo, item) and can_admin(personas.mo, item)
    assert not can_edit(personas.gus, item)


def test_python_and_sql_rules_agree_for_every_persona_and_visibility(personas):
    items = []
    for vis in Visibility.values:
        for space in (None, personas.team, personas.elsewhere):
            if vis == Visibility.SPACE and space is None:
                continue
            items.append(ItemFactory(owner=personas.mo, space=space, visibility=vis))
    for user in (personas.alice, personas.mo, personas.lee, personas.ada, personas.gus, personas.olly, AnonymousUser()):
        in_sql = set(Item.objects.visible_to(user).values_list("pk", flat=True))
        in_python = {item.pk for item in items if can_view(user, item)}
        assert in_sql == in_python, user


def test_the_rule_applied_through_a_relation_agrees_with_the_rule_on_items(personas):
    from core.access import item_filter_via
    from core.models import Activity

    for vis in Visibility.values:
        for space in (None, personas.team, personas.elsewhere):
            if vis == Visibility.SPACE and space is None:
                continue
            item = ItemFactory(owner=personas.mo, space=space, visibility=vis)
            item.shared_with.add(personas.gus)
            Activity.objects.create(actor=personas.mo, verb="created", item=item)
    for user in (personas.alice, personas.mo, personas.lee, personas.ada, personas.gus, personas.olly, AnonymousUser()):
        via = set(Activity.objects.filter(item_filter_via(user, "item")).values_list("item_id", flat=True))
        direct = set(Item.objects.visible_to(user).values_list("pk", flat=True))
        assert via == direct, user


def test_renaming_the_site_renames_it_in_account_emails_too(db):
    from django.contrib.sites.models import Site

    from core.models import SiteConfig

    config = SiteConfig.load()
    config.name = "Learning Hub"
    config.save()
    assert Site.objects.get_current().name == "Learning Hub"
