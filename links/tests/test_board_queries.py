"""A board (as a list and as a wall) and the boards list cost the same number of queries however much is on them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import ItemKind, Visibility
from links import services
from links.models import Bookmark, Link
from tests.factories import ItemFactory
from wiki.services import create_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def fill(board, owner, count: int, *, start: int = 0) -> None:
    """``count`` entries of every kind over two sections, some links with pictures, a few private to the owner."""
    sections = [services.add_section(board=board, actor=owner, title=f"Part {n}") for n in (1, 2)]
    for n in range(start, start + count):
        kind = n % 4
        if kind == 0:
            visibility = Visibility.PRIVATE if n % 8 == 0 else Visibility.ORGANISATION
            item = services.save_link(
                user=owner, url=f"https://example.org/read/{n}", title=f"Article {n}", visibility=visibility
            ).bookmark.item
        elif kind == 1:
            item = create_page(author=owner, title=f"Page {n}", text="Words.\n").item
        elif kind == 2:
            item = ItemFactory(owner=owner, kind=ItemKind.FILE, title=f"File {n}")
        else:
            item = services.create_board(owner=owner, title=f"Board {n}").item
        section = sections[n % 3] if n % 3 < 2 else None
        services.add_entry(board=board, actor=owner, item=item, section=section, note=f"Note {n}")
    # Pictures are named, not read, to draw a page.
    Link.objects.filter(url__contains="/read/").update(image="links/images/seen.png")
    Bookmark.objects.filter(item__title__endswith="4").update(thumbnail="links/saved/thumbs/mine.png")


def queries_for(client, path: str) -> int:
    client.get(path)  # warm per-process caches (site settings, URL reversal)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def tick_some(board, reader) -> None:
    for entry in board.entries.filter(item__visibility=Visibility.ORGANISATION)[:5]:
        services.mark_done(entry=entry, user=reader)


@pytest.mark.parametrize("view", ["list", "wall"])
@pytest.mark.parametrize("who", ["alice", "mo"])
def test_a_board_costs_the_same_queries_with_10_or_200_entries(personas, client_for, view, who):
    p = personas
    board = services.create_board(owner=p.alice, title="Growing list")
    services.set_collaborators(board=board, actor=p.alice, people=[p.lee])
    services.follow_board(board=board, user=p.mo)
    fill(board, p.alice, 10)
    tick_some(board, p.mo)
    client = client_for(getattr(p, who))
    path = f"/links/boards/{board.item_id}/?view={view}"
    small = queries_for(client, path)
    fill(board, p.alice, 190, start=10)
    tick_some(board, p.mo)
    assert queries_for(client, path) == small


def test_the_boards_list_costs_the_same_queries_with_few_or_many_full_boards(personas, client_for):
    p = personas
    first = services.create_board(owner=p.alice, title="First")
    fill(first, p.alice, 10)
    client = client_for(p.mo)
    tick_some(first, p.mo)
    small = queries_for(client, "/links/boards/?show=recent")
    for n in range(30):
        services.create_board(owner=p.alice if n % 2 else p.lee, title=f"More {n}")
    fill(first, p.alice, 190, start=10)
    services.set_official(board=first, actor=p.lee, official=True, topic="reading")
    assert queries_for(client, "/links/boards/?show=recent") == small
    assert queries_for(client, "/links/boards/?show=official") <= small


def test_the_readers_progress_costs_the_same_queries_with_few_or_many_readers(personas, client_for):
    from tests.factories import UserFactory

    p = personas
    board = services.create_board(owner=p.alice, title="Read by many")
    fill(board, p.alice, 12)
    services.follow_board(board=board, user=p.mo)
    tick_some(board, p.mo)
    client = client_for(p.alice)
    path = f"/links/boards/{board.item_id}/progress/"
    small = queries_for(client, path)
    for n in range(40):
        reader = UserFactory(username=f"reader{n}")
        services.follow_board(board=board, user=reader)
        tick_some(board, reader)
    assert queries_for(client, path) == small
