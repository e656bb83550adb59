from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from core.models import Activity, Item
from core.seeding.wiki import PAGES, seed_large_pages
from spaces.models import Membership, Space
from wiki import diffing
from wiki.models import Page, PageLink, Revision

pytestmark = pytest.mark.django_db


def seed() -> str:
    """The whole demo: with fewer people (``--people``) some pages would lose their co-writers."""
    out = StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One small demo seed shared by this module's tests, undone after them."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        seed()
        yield
        transaction.set_rollback(True)


def test_it_writes_every_page_in_trees_three_levels_deep(seeded):
    assert Page.objects.count() == len(PAGES)
    assert Page.objects.filter(parent__parent__isnull=False, space__isnull=False).exists()
    assert Page.objects.filter(space__isnull=True, parent__isnull=False).exists()
    assert set(Page.objects.filter(space__isnull=True).values_list("area_owner__username", flat=True)) == {
        "alice",
        "mo",
    }


def test_each_page_has_several_revisions_by_several_people(seeded):
    pages = Page.objects.annotate(authors=Count("revisions__author", distinct=True))
    assert all(page.revision_count >= 3 for page in pages)
    assert all(page.authors >= 2 for page in pages)
    assert all(page.revision_count == page.revisions.count() for page in pages)
    assert not Revision.objects.filter(summary="").exists()


def test_revisions_are_dated_over_the_past_weeks_in_order(seeded):
    now = timezone.now()
    for page in Page.objects.select_related("item"):
        dates = list(page.revisions.order_by("number").values_list("created", flat=True))
        assert dates == sorted(dates) and dates[-1] < now
        assert page.item.updated == dates[-1]
    assert (now - Revision.objects.order_by("created").first().created).days >= 45


def test_edits_made_at_the_same_time_are_merged(seeded):
    assert Revision.objects.filter(merged=True).exists()


def test_links_between_pages_resolve_and_missing_pages_stay_red(seeded):
    assert PageLink.objects.filter(target__isnull=False).count() > 10
    missing = set(PageLink.objects.filter(target__isnull=True).values_list("target_title", flat=True))
    assert {"Expenses policy", "Payment retries"} <= missing


def test_it_keeps_pages_of_invitation_only_spaces_to_their_members(seeded):
    checkout = Item.objects.filter(kind="page", space__slug="checkout-redesign")
    assert checkout.exists() and not checkout.exclude(visibility="space").exists()


def test_running_the_seed_again_adds_no_pages(seeded):
    before = (Page.objects.count(), Revision.objects.count(), Activity.objects.count())
    assert "nothing to do" in seed()
    assert (Page.objects.count(), Revision.objects.count(), Activity.objects.count()) == before


def test_bulk_pages_for_the_large_organisation_keep_the_services_invariants(seeded):
    spaces = list(Space.objects.order_by("pk"))
    members = {
        space.pk: list(space.memberships.filter(state=Membership.State.ACTIVE).values_list("user_id", flat=True))
        for space in spaces
    }
    before = Page.objects.count()
    made = seed_large_pages(seed=1, now=timezone.now(), spaces=spaces, members_of=members, count=40)
    assert made == 40 and Page.objects.count() == before + 40
    for page in Page.objects.order_by("-pk")[:40].select_related("current", "item"):
        assert page.current.number == page.revision_count == page.revisions.count()
        assert sum(count for _, count in page.current.attribution) == len(diffing.split_lines(page.current.text))
        assert page.item.owner_id in members[page.space_id]
        if page.revision_count > 1:
            assert page.current.base.number == page.revision_count - 1
        if page.parent_id:
            assert page.links_out.get().target_id == page.parent_id
