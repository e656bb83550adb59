"""The demo's links and boards (core/seeding/links.py), written by ``manage.py seed``."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from core.access import can_view
from core.models import Activity, Item, Tag, Watch
from core.seeding.links import BOARDS, LINKS, seed_large_links
from links.models import Board, BoardEntry, Bookmark, Comment, EntryProgress, Link
from links.normalise import normalise_url
from spaces.models import Membership, Space

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo seed shared by this module's tests, undone after them; it gives the folder of its files
    (each test has a media folder of its own)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        seed()
        yield media
        transaction.set_rollback(True)


def test_every_link_of_the_script_is_saved_once_per_address(seeded):
    assert Link.objects.count() == len({normalise_url(spec.url) for spec in LINKS}) >= 150
    assert not Link.objects.filter(save_count=0).exists()
    counted = Link.objects.annotate(n=Count("bookmarks")).values_list("save_count", "n")
    assert all(stored == actual for stored, actual in counted)


def test_many_links_are_saved_by_several_people_and_a_few_by_many(seeded):
    assert Link.objects.filter(save_count__gte=3).count() >= 60
    assert Link.objects.filter(save_count__gte=8).count() >= 5
    busiest = Link.objects.order_by("-save_count").first()
    assert busiest.bookmarks.values("saver").distinct().count() == busiest.save_count


def test_saves_carry_notes_tags_and_every_kind_of_visibility(seeded):
    saves = Item.objects.filter(kind="link")
    assert set(saves.values_list("visibility", flat=True)) == {"organisation", "private", "people", "space"}
    assert Bookmark.objects.exclude(notes="").count() > Bookmark.objects.count() // 4
    assert not saves.filter(tags__isnull=True).exists()
    in_spaces = saves.filter(space__isnull=False).values_list("space__slug", flat=True).distinct()
    assert {"data-guild", "python-practice", "platform", "checkout-redesign"} <= set(in_spaces)


def test_saves_in_a_space_are_its_members_and_invitation_only_spaces_keep_them(seeded):
    for item in Item.objects.filter(kind="link", space__isnull=False).select_related("space"):
        assert Membership.objects.filter(space=item.space, user=item.owner_id, state="active").exists()
        if item.space.visibility == Space.Visibility.INVITE_ONLY:
            assert item.visibility == "space"


def test_every_link_has_a_drawn_preview_picture_and_favicon(seeded):
    assert not Link.objects.exclude(preview_status=Link.Preview.OK).exists()
    for link in Link.objects.all()[:20]:
        assert link.title and link.description
        assert (seeded / link.image.name).is_file() and (seeded / link.favicon.name).is_file()


def test_some_saves_keep_an_image_from_the_page(seeded):
    images = Bookmark.objects.exclude(image="")
    assert images.count() >= 5
    assert all((seeded / b.thumbnail.name).is_file() for b in images)


def test_the_most_saved_links_are_discussed(seeded):
    assert Comment.objects.values("link").distinct().count() >= 5
    for comment in Comment.objects.select_related("link", "author"):
        visible = Item.objects.visible_to(comment.author).filter(kind="link", bookmark__link=comment.link)
        assert visible.exists()


def test_boards_have_sections_entries_and_a_note_on_each(seeded):
    assert Board.objects.count() == len(BOARDS)
    for spec in BOARDS:
        board = Board.objects.get(item__title=spec.title)
        assert board.entries.count() == board.entry_count == sum(len(entries) for _, entries in spec.sections)
        assert not board.entries.filter(note="").exists()
        assert board.sections.count() == sum(1 for title, _ in spec.sections if title)
    kinds = set(BoardEntry.objects.values_list("item__kind", flat=True))
    assert kinds == {"link", "file", "page"}
    assert Board.objects.filter(layout=Board.Layout.WALL, entries__item__bookmark__image__gt="").exists()


def test_curators_entries_are_items_they_may_see(seeded):
    for entry in BoardEntry.objects.select_related("board__item__owner", "item"):
        assert can_view(entry.board.item.owner, entry.item)


def test_official_reading_lists_are_marked_for_a_skill_or_a_role(seeded):
    official = Board.objects.filter(official=True)
    assert official.count() >= 3
    assert official.filter(skill__isnull=False).exists() and official.exclude(role="").exists()
    assert not official.exclude(item__visibility="organisation").exists()


def test_people_follow_boards_and_work_through_them(seeded):
    statistics = Board.objects.get(item__title="Statistics for analysts")
    assert Watch.objects.filter(item_id=statistics.pk, user__username="alice").exists()
    progress = EntryProgress.objects.values("user", "entry__board").annotate(n=Count("pk"))
    assert progress.count() >= 20
    assert {row["n"] for row in progress} != {1}  # readers get different distances through a board
    for done in EntryProgress.objects.select_related("entry__board__item", "user")[:200]:
        assert Watch.objects.filter(user=done.user, item_id=done.entry.board_id).exists()
        assert can_view(done.user, done.entry.board.item)


def test_links_are_dated_over_the_past_weeks(seeded):
    now = timezone.now()
    dates = list(Bookmark.objects.values_list("saved_at", flat=True))
    assert max(dates) < now and (now - min(dates)).days >= 40
    assert Item.objects.filter(kind="link", created__lt=now - timezone.timedelta(days=30)).exists()


def test_running_the_seed_again_adds_no_links(seeded):
    before = (Link.objects.count(), Bookmark.objects.count(), BoardEntry.objects.count(), Activity.objects.count())
    assert "nothing to do" in seed()
    assert (Link.objects.count(), Bookmark.objects.count(), BoardEntry.objects.count(), Activity.objects.count()) == (
        before
    )


def test_bulk_links_for_the_large_organisation_keep_the_services_invariants(seeded):
    spaces = list(Space.objects.order_by("pk"))
    members = {
        space.pk: list(space.memberships.filter(state=Membership.State.ACTIVE).values_list("user_id", flat=True))
        for space in spaces
    }
    people = [SimpleNamespace(pk=pk) for pk in sorted({pk for pks in members.values() for pk in pks})]
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True))
    links_before, saves_before = Link.objects.count(), Bookmark.objects.count()
    made = seed_large_links(
        seed=1, now=timezone.now(), people=people, spaces=spaces, members_of=members, tags=tags, count=500
    )
    assert made == 500 and Bookmark.objects.count() == saves_before + 500
    new_links = Link.objects.order_by("pk")[links_before:]
    assert 0 < len(new_links) < 500
    assert all(link.save_count == link.bookmarks.count() >= 1 for link in new_links)
    assert all(link.url == normalise_url(link.url) for link in new_links)
    for bookmark in Bookmark.objects.order_by("-pk")[:500].select_related("item"):
        item = bookmark.item
        assert (item.kind, item.owner_id) == ("link", bookmark.saver_id)
        if item.space_id:
            assert item.owner_id in members[item.space_id]
        assert Activity.objects.filter(item=item, verb="created", actor=item.owner_id).exists()
