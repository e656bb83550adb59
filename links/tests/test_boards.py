"""Board (reading list) pages: the list, a board as a list and a wall, building and arranging it, following and
working through it, official reading lists, readers' progress, pictures, exports and the feed."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from core.models import Item, ItemKind, SiteConfig, Visibility, Watch
from links import services
from links.models import Board, BoardEntry, BoardSection, EntryProgress
from people.models import PersonSkill
from search.index import index_item
from tests.factories import ItemFactory, SkillFactory
from wiki.services import create_page

pytestmark = pytest.mark.django_db


def save(user, url, title, *, visibility=Visibility.ORGANISATION, space=None):
    return services.save_link(user=user, url=url, title=title, visibility=visibility, space=space).bookmark


def make_board(owner, title="Statistics reading list", **kwargs):
    return services.create_board(owner=owner, title=title, **kwargs)


def url(name, board, *args):
    from django.urls import reverse

    return reverse(f"links:{name}", args=[board.item_id, *args])


def png_bytes(colour="teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def order(board) -> list[tuple[str, str]]:
    """(section title or "", item title) for each entry, in reading order."""
    sections = {s.pk: s for s in board.sections.all()}
    rows = sorted(
        BoardEntry.objects.filter(board=board).select_related("item"),
        key=lambda e: (
            (0, 0, 0) if e.section_id is None else (1, sections[e.section_id].position, e.section_id),
            e.position,
            e.pk,
        ),
    )
    return [(sections[e.section_id].title if e.section_id else "", e.item.title) for e in rows]


@pytest.fixture
def reading(personas):
    """alice's organisation-wide board with a section "Basics" holding two links, then a wiki page on top."""
    p = personas
    board = make_board(p.alice, description="Start with the basics.")
    basics = services.add_section(board=board, actor=p.alice, title="Basics")
    mean = save(p.alice, "https://example.org/mean", "What a mean is")
    median = save(p.mo, "https://example.org/median", "The median")
    page = create_page(author=p.alice, title="Our stats glossary", text="Words.\n")
    services.add_entry(board=board, actor=p.alice, item=page.item, note="Keep it open.")
    services.add_entry(board=board, actor=p.alice, item=mean.item, section=basics, note="Read first.")
    services.add_entry(board=board, actor=p.alice, item=median.item, section=basics)
    board.refresh_from_db()
    return board


def recommended(response) -> str:
    """The "recommended reading" box of a page, or "" when the page has none."""
    html = response.content.decode()
    start = html.find('id="recommended-reading-h"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def entry(board, title) -> BoardEntry:
    return BoardEntry.objects.select_related("item").get(board=board, item__title=title)


# ------------------------------------------------------------------------------------------ the boards list


def test_the_boards_list_shows_my_boards(personas, client_for, reading):
    response = client_for(personas.alice).get("/links/boards/")
    assert response.status_code == 200
    assert "Statistics reading list" in response.content.decode()
    assert "3 entries" in response.content.decode()


@pytest.mark.parametrize(
    ("tab", "person", "shown"),
    [
        ("mine", "mo", ["Mo's list"]),
        ("collaborating", "mo", ["Statistics reading list"]),
        ("following", "lee", ["Statistics reading list"]),
        ("official", "olly", ["Statistics reading list"]),
        ("recent", "olly", ["Mo's list", "Statistics reading list"]),
    ],
)
def test_each_tab_of_the_boards_list_shows_its_boards(personas, client_for, reading, tab, person, shown):
    p = personas
    make_board(p.mo, "Mo's list")
    make_board(p.alice, "Alice's secret list", visibility=Visibility.PRIVATE)
    services.set_collaborators(board=reading, actor=p.alice, people=[p.mo])
    services.follow_board(board=reading, user=p.lee)
    services.set_official(board=reading, actor=p.lee, official=True, topic="statistics")
    response = client_for(getattr(p, person)).get("/links/boards/", {"show": tab})
    listed = [i.title for i in response.context["page"].rows]
    assert sorted(listed) == shown


def test_the_boards_list_hides_boards_people_may_not_see(personas, client_for):
    make_board(personas.mo, "Team plans", space=personas.team, visibility=Visibility.SPACE)
    response = client_for(personas.olly).get("/links/boards/", {"show": "recent"})
    assert "Team plans" not in response.content.decode()


def test_a_board_card_shows_the_first_pictures_on_it(personas, client_for, reading):
    link = entry(reading, "What a mean is").item.bookmark.link
    link.image.save("mean.png", ContentFile(png_bytes()))
    response = client_for(personas.olly).get("/links/boards/", {"show": "recent"})
    card = response.context["page"].rows[0]
    assert len(card.covers) == 1 and card.covers[0].startswith(
        f"/links/boards/image/{entry(reading, 'What a mean is').pk}"
    )


def test_the_boards_list_asks_visitors_to_sign_in():
    response = Client().get("/links/boards/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --------------------------------------------------------------------------------------------- new board


def test_a_member_makes_a_board_and_follows_it(personas, client_for):
    response = client_for(personas.alice).post(
        "/links/boards/new/",
        {
            "title": "  Data  storytelling ",
            "description": "Charts.",
            "tags": "data, charts",
            "visibility": "organisation",
            "layout": "wall",
        },
    )
    item = Item.objects.get(kind=ItemKind.BOARD)
    assert response.status_code == 302 and response["Location"] == f"/links/boards/{item.pk}/"
    assert (item.title, item.board.layout) == ("Data storytelling", "wall")
    assert sorted(t.name for t in item.tags.all()) == ["charts", "data"]
    assert Watch.objects.filter(user=personas.alice, item=item).exists()


def test_a_board_needs_a_title(personas, client_for):
    response = client_for(personas.alice).post(
        "/links/boards/new/", {"title": "   ", "visibility": "organisation", "layout": "list"}
    )
    assert response.status_code == 400
    assert "A board needs a title." in response.content.decode()
    assert not Board.objects.exists()


def test_only_members_make_boards_in_a_space(personas, client_for):
    response = client_for(personas.olly).post(
        "/links/boards/new/", {"title": "Sneaky", "space": "team", "visibility": "space", "layout": "list"}
    )
    assert response.status_code == 400 and not Board.objects.exists()


def test_a_board_for_named_people_needs_their_names(personas, client_for):
    response = client_for(personas.alice).post(
        "/links/boards/new/", {"title": "Ours", "visibility": "people", "shared_with": "", "layout": "list"}
    )
    assert response.status_code == 400
    assert "Name at least one person" in response.content.decode()


# -------------------------------------------------------------------------------------------- board page


def test_the_board_lists_its_entries_by_section_with_notes(personas, client_for, reading):
    response = client_for(personas.olly).get(url("board", reading))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(g.section.title if g.section else "", [e.item.title for e in g.entries]) for g in groups] == [
        ("", ["Our stats glossary"]),
        ("Basics", ["What a mean is", "The median"]),
    ]
    html = response.content.decode()
    assert "Read first." in html and "Start with the basics." in html
    assert 'href="https://example.org/mean"' in html


def test_the_wall_shows_each_entry_as_a_tile_with_its_picture(personas, client_for, reading):
    mean = entry(reading, "What a mean is")
    mean.item.bookmark.link.image.save("mean.png", ContentFile(png_bytes()))
    response = client_for(personas.olly).get(url("board", reading), {"view": "wall"})
    html = response.content.decode()
    assert response.context["view"] == "wall"
    assert html.count('class="wall-tile') == 3
    assert f'src="/links/boards/image/{mean.pk}?v=' in html


def test_the_board_opens_in_its_own_layout_until_the_reader_switches(personas, client_for, reading):
    Board.objects.filter(pk=reading.pk).update(layout="wall")
    client = client_for(personas.mo)
    assert client.get(url("board", reading)).context["view"] == "wall"
    assert client.get(url("board", reading), {"view": "list"}).context["view"] == "list"


def test_the_permalink_shows_the_board(personas, client_for, reading):
    response = client_for(personas.mo).get(f"/i/{reading.item_id}/")
    assert response.status_code == 200
    assert response.context["board"] == reading


def test_entries_the_reader_may_not_see_are_left_out_everywhere(personas, client_for, reading):
    secret = save(personas.alice, "https://example.org/secret", "A secret of Alice", visibility=Visibility.PRIVATE)
    services.add_entry(board=reading, actor=personas.alice, item=secret.item)
    response = client_for(personas.mo).get(url("board", reading))
    assert "A secret of Alice" not in response.content.decode()
    assert response.context["progress"]["total"] == 3
    assert "A secret of Alice" in client_for(personas.alice).get(url("board", reading)).content.decode()


@pytest.mark.parametrize("person", ["gus", "olly"])
def test_a_team_board_is_not_found_by_guests_and_outsiders_elsewhere(personas, client_for, person):
    board = make_board(personas.mo, "Team plans", space=personas.team, visibility=Visibility.SPACE)
    who = getattr(personas, person)
    expected = 200 if person == "gus" else 404  # gus is a member of the team space
    assert client_for(who).get(url("board", board)).status_code == expected


def test_a_private_board_is_not_found_by_anyone_else(personas, client_for):
    board = make_board(personas.alice, "Mine", visibility=Visibility.PRIVATE)
    assert client_for(personas.mo).get(url("board", board)).status_code == 404
    assert client_for(personas.ada).get(url("board", board)).status_code == 404
    assert Client().get(url("board", board))["Location"].startswith("/accounts/login/")  # signed out: sign in first


def test_a_public_board_is_open_to_visitors_when_the_site_allows_it(personas, reading):
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    Item.objects.filter(pk=reading.item_id).update(visibility=Visibility.PUBLIC)
    response = Client().get(url("board", reading))
    assert response.status_code == 200
    assert "Sign in to follow" in response.content.decode()
    assert 'role="checkbox"' not in response.content.decode()


# --------------------------------------------------------------------------------------------- adding


def test_the_owner_adds_an_item_with_a_note_to_a_section(personas, client_for, reading):
    page = create_page(author=personas.mo, title="Variance explained", text="Spread.\n")
    basics = reading.sections.get()
    response = client_for(personas.alice).post(
        url("board-entry-add", reading), {"item": page.item.pk, "note": "Then this.", "section": basics.pk}
    )
    added = entry(reading, "Variance explained")
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{added.pk}")
    assert (added.note, added.section, added.added_by) == ("Then this.", basics, personas.alice)
    assert order(reading)[-1] == ("Basics", "Variance explained")


def test_a_collaborator_may_add_entries(personas, client_for, reading):
    services.set_collaborators(board=reading, actor=personas.alice, people=[personas.mo])
    page = create_page(author=personas.mo, title="Mo's notes", text="Hi.\n")
    response = client_for(personas.mo).post(url("board-entry-add", reading), {"item": page.item.pk})
    assert response.status_code == 302
    assert BoardEntry.objects.filter(board=reading, item=page.item).exists()


def test_a_follower_may_not_change_the_board(personas, client_for, reading):
    services.follow_board(board=reading, user=personas.mo)
    page = create_page(author=personas.mo, title="Mo's notes", text="Hi.\n")
    client = client_for(personas.mo)
    assert client.post(url("board-entry-add", reading), {"item": page.item.pk}).status_code == 403
    assert client.get(url("board-edit", reading)).status_code == 403
    assert client.post(url("board-section-add", reading), {"title": "Mine"}).status_code == 403
    assert (
        client.post(url("board-entry-move", reading, entry(reading, "The median").pk), {"direction": "up"}).status_code
        == 403
    )
    assert not BoardEntry.objects.filter(item=page.item).exists()


def test_nobody_adds_what_they_cannot_see(personas, client_for, reading):
    hidden = save(personas.mo, "https://example.org/mo-private", "Mo's private", visibility=Visibility.PRIVATE)
    response = client_for(personas.alice).post(url("board-entry-add", reading), {"item": hidden.item.pk})
    assert response.status_code == 404
    assert not BoardEntry.objects.filter(item=hidden.item).exists()


def test_adding_something_twice_says_it_is_there_already(personas, client_for, reading):
    glossary = entry(reading, "Our stats glossary").item
    response = client_for(personas.alice).post(url("board-entry-add", reading), {"item": glossary.pk})
    assert response.status_code == 400
    assert "That is on the board already." in response.content.decode()


def test_adding_nothing_says_what_to_give(personas, client_for, reading):
    response = client_for(personas.alice).post(url("board-entry-add", reading), {"note": "Hm"})
    assert response.status_code == 400
    assert "Choose something you found, or give a web address." in response.content.decode()


def test_a_pasted_address_is_saved_as_the_persons_link_and_added(personas, client_for, reading):
    response = client_for(personas.alice).post(
        url("board-entry-add", reading), {"url": "https://example.org/variance?utm_source=mail", "note": "Short."}
    )
    assert response.status_code == 302
    added = BoardEntry.objects.select_related("item__bookmark__link").get(board=reading, note="Short.")
    assert added.item.bookmark.link.url == "https://example.org/variance"
    assert (added.item.owner, added.item.visibility) == (personas.alice, Visibility.ORGANISATION)


def test_a_refused_address_is_explained(personas, client_for, reading):
    response = client_for(personas.alice).post(url("board-entry-add", reading), {"url": "javascript:alert(1)"})
    assert response.status_code == 400
    assert (
        not BoardEntry.objects.filter(board=reading, note="")
        .exclude(item__kind="page")
        .filter(item__title__icontains="alert")
        .exists()
    )


def test_the_add_search_finds_visible_items_not_on_the_board_yet(personas, client_for, reading):
    wanted = create_page(author=personas.mo, title="Statistics for managers", text="Hi.\n")
    hidden = create_page(
        author=personas.olly,
        title="Statistics elsewhere",
        text="Hi.\n",
        space=personas.elsewhere,
        visibility=Visibility.SPACE,
    )
    for item in (wanted.item, hidden.item, reading.item, *Item.objects.filter(board_entries__board=reading)):
        index_item(item)
    response = client_for(personas.alice).get(url("board-entry-search", reading), {"find": "stat"})
    found = [i.title for i in response.context["found"]]
    assert found == ["Statistics for managers"]


def test_the_add_search_offers_one_save_per_page_and_none_of_a_page_on_the_board(personas, client_for, reading):
    p = personas
    theirs = save(p.mo, "https://example.org/variance", "Variance, by Mo")
    mine = save(p.alice, "https://example.org/variance", "Variance, my copy")
    again = save(p.lee, "https://example.org/mean", "Mean again")  # the board holds alice's save of this page
    page = create_page(author=p.lee, title="Mean explained", text="Sum over count.\n")
    for item in (theirs.item, mine.item, again.item, page.item):
        index_item(item)
    response = client_for(p.alice).get(url("board-entry-search", reading), {"find": "mean"})
    assert [i.title for i in response.context["found"]] == ["Mean explained"]
    response = client_for(p.alice).get(url("board-entry-search", reading), {"find": "variance"})
    assert [i.title for i in response.context["found"]] == ["Variance, my copy"]


def test_searching_on_the_add_page_shows_no_error(personas, client_for, reading):
    response = client_for(personas.alice).get(url("board-entry-add", reading), {"find": "stat", "kind": "page"})
    assert response.status_code == 200
    assert "Choose something you found" not in response.content.decode()


def test_the_add_search_lists_my_newest_when_nothing_is_typed(personas, client_for, reading):
    fresh = save(personas.alice, "https://example.org/fresh", "Fresh find")
    response = client_for(personas.alice).get(url("board-entry-search", reading), {"kind": "link"})
    assert [i.title for i in response.context["found"]] == ["Fresh find"]
    assert fresh.item.pk != reading.item_id


def test_the_add_page_works_without_javascript(personas, client_for, reading):
    save(personas.alice, "https://example.org/fresh", "Fresh find")
    response = client_for(personas.alice).get(url("board-entry-add", reading))
    assert response.status_code == 200
    assert 'name="item" value="' in response.content.decode()


# -------------------------------------------------------------------------------------- notes and sections


def test_the_curator_edits_an_entrys_note_and_moves_it_to_a_section(personas, client_for, reading):
    glossary = entry(reading, "Our stats glossary")
    basics = reading.sections.get()
    response = client_for(personas.alice).post(
        url("board-entry-edit", reading, glossary.pk), {"note": "Look words up here.", "section": basics.pk}
    )
    assert response.status_code == 302
    glossary.refresh_from_db()
    assert (glossary.note, glossary.section) == ("Look words up here.", basics)


def test_a_too_long_note_is_refused_with_a_message(personas, client_for, reading):
    glossary = entry(reading, "Our stats glossary")
    response = client_for(personas.alice).post(url("board-entry-edit", reading, glossary.pk), {"note": "x" * 5001})
    assert response.status_code == 400
    assert "at most 5000 characters" in response.content.decode()


def test_an_inline_note_edit_redraws_the_board_or_puts_the_refusal_in_its_slot(personas, client_for, reading):
    glossary = entry(reading, "Our stats glossary")
    client = client_for(personas.alice)
    target = url("board-entry-edit", reading, glossary.pk)
    good = client.post(target, {"note": "Short.", "view": "list"}, HTTP_HX_REQUEST="true")
    assert good.status_code == 200 and 'id="board-body"' in good.content.decode() and "Short." in good.content.decode()
    bad = client.post(target, {"note": "x" * 5001}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and bad["HX-Retarget"] == f"#entry-{glossary.pk}-slot"


def test_sections_are_added_renamed_and_deleted_keeping_their_entries(personas, client_for, reading):
    client = client_for(personas.alice)
    assert client.post(url("board-section-add", reading), {"title": "Going deeper"}).status_code == 302
    deeper = reading.sections.get(title="Going deeper")
    basics = reading.sections.get(title="Basics")
    assert client.post(url("board-section-rename", reading, basics.pk), {"title": "Start here"}).status_code == 302
    assert [s.title for s in reading.sections.all()] == ["Start here", "Going deeper"]
    assert client.post(url("board-section-delete", reading, basics.pk)).status_code == 302
    assert list(reading.sections.all()) == [deeper]
    assert BoardEntry.objects.filter(board=reading).count() == 3


def test_a_section_needs_a_title(personas, client_for, reading):
    response = client_for(personas.alice).post(
        url("board-section-add", reading), {"title": " "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "A section needs a title." in response.content.decode()


def test_another_boards_section_is_not_found(personas, client_for, reading):
    other = make_board(personas.alice, "Other")
    section = services.add_section(board=other, actor=personas.alice, title="Elsewhere")
    response = client_for(personas.alice).post(url("board-section-rename", reading, section.pk), {"title": "Mine"})
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------- reorder


def test_moving_up_and_down_reorders_entries_within_a_section(personas, client_for, reading):
    client = client_for(personas.alice)
    median = entry(reading, "The median")
    assert client.post(url("board-entry-move", reading, median.pk), {"direction": "up"}).status_code == 302
    assert order(reading) == [("", "Our stats glossary"), ("Basics", "The median"), ("Basics", "What a mean is")]
    client.post(url("board-entry-move", reading, median.pk), {"direction": "down"})
    assert order(reading) == [("", "Our stats glossary"), ("Basics", "What a mean is"), ("Basics", "The median")]


def test_moving_across_a_section_boundary_changes_the_entrys_section(personas, client_for, reading):
    client = client_for(personas.alice)
    mean = entry(reading, "What a mean is")
    client.post(url("board-entry-move", reading, mean.pk), {"direction": "up"})
    assert order(reading) == [("", "Our stats glossary"), ("", "What a mean is"), ("Basics", "The median")]
    glossary = entry(reading, "Our stats glossary")
    client.post(url("board-entry-move", reading, glossary.pk), {"direction": "down"})
    client.post(url("board-entry-move", reading, glossary.pk), {"direction": "down"})
    assert order(reading) == [("", "What a mean is"), ("Basics", "Our stats glossary"), ("Basics", "The median")]


def test_the_first_entry_cannot_go_further_up(personas, client_for, reading):
    glossary = entry(reading, "Our stats glossary")
    before = order(reading)
    response = client_for(personas.alice).post(url("board-entry-move", reading, glossary.pk), {"direction": "up"})
    assert response.status_code == 302 and order(reading) == before


def test_a_drop_puts_an_entry_before_another_in_any_section(personas, client_for, reading):
    client = client_for(personas.alice)
    basics = reading.sections.get()
    glossary, median = entry(reading, "Our stats glossary"), entry(reading, "The median")
    response = client.post(
        url("board-entry-move", reading, glossary.pk),
        {"section": basics.pk, "before": median.pk, "view": "list"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="board-body"' in response.content.decode()
    assert order(reading) == [("Basics", "What a mean is"), ("Basics", "Our stats glossary"), ("Basics", "The median")]
    client.post(url("board-entry-move", reading, median.pk), {"section": ""})
    assert order(reading)[0] == ("", "The median")


def test_a_drop_into_a_section_of_another_board_is_refused(personas, client_for, reading):
    other = services.add_section(board=make_board(personas.alice, "Other"), actor=personas.alice, title="Else")
    glossary = entry(reading, "Our stats glossary")
    response = client_for(personas.alice).post(
        url("board-entry-move", reading, glossary.pk), {"section": other.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "That section is not on this board." in response.content.decode()


def test_a_move_without_a_destination_is_refused(personas, client_for, reading):
    glossary = entry(reading, "Our stats glossary")
    response = client_for(personas.alice).post(
        url("board-entry-move", reading, glossary.pk), {"direction": "sideways"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400


def test_removing_an_entry_takes_it_off_the_board_only(personas, client_for, reading):
    median = entry(reading, "The median")
    response = client_for(personas.alice).post(url("board-entry-remove", reading, median.pk))
    assert response.status_code == 302
    assert not BoardEntry.objects.filter(pk=median.pk).exists()
    assert Item.objects.filter(pk=median.item_id, deleted_at__isnull=True).exists()
    reading.refresh_from_db()
    assert reading.entry_count == 2


# ------------------------------------------------------------------------------------------ details


def test_the_owner_edits_the_boards_details(personas, client_for, reading):
    response = client_for(personas.alice).post(
        url("board-edit", reading),
        {"title": "Stats 101", "description": "New.", "tags": "stats", "visibility": "space", "layout": "wall"},
    )
    assert response.status_code == 400  # a personal board cannot be limited to a space
    response = client_for(personas.alice).post(
        url("board-edit", reading),
        {"title": "Stats 101", "description": "New.", "tags": "stats", "visibility": "private", "layout": "wall"},
    )
    assert response.status_code == 302
    reading.refresh_from_db()
    reading.item.refresh_from_db()
    assert (reading.item.title, reading.item.visibility, reading.layout) == ("Stats 101", "private", "wall")


def test_a_collaborator_edits_details_but_not_who_may_see_the_board(personas, client_for, reading):
    services.set_collaborators(board=reading, actor=personas.alice, people=[personas.mo])
    response = client_for(personas.mo).post(
        url("board-edit", reading), {"title": "Better title", "visibility": "private", "layout": "list"}
    )
    assert response.status_code == 302
    item = Item.objects.get(pk=reading.item_id)
    assert (item.title, item.visibility) == ("Better title", Visibility.ORGANISATION)


def test_only_the_owner_deletes_a_board(personas, client_for, reading):
    services.set_collaborators(board=reading, actor=personas.alice, people=[personas.mo])
    assert client_for(personas.mo).post(url("board-delete", reading)).status_code == 403
    client = client_for(personas.alice)
    assert client.get(url("board-delete", reading)).status_code == 200
    assert client.post(url("board-delete", reading)).status_code == 302
    assert client.get(url("board", reading)).status_code == 404


# ------------------------------------------------------------------------------------------ collaborators


def test_the_owner_names_collaborators(personas, client_for, reading):
    response = client_for(personas.alice).post(url("board-collaborators", reading), {"people": "mo, @lee"})
    assert response.status_code == 302
    assert set(reading.collaborators.values_list("username", flat=True)) == {"mo", "lee"}


def test_collaborators_must_be_able_to_see_the_board(personas, client_for):
    board = make_board(personas.mo, "Team plans", space=personas.team, visibility=Visibility.SPACE)
    response = client_for(personas.mo).post(url("board-collaborators", board), {"people": "lee"})
    assert response.status_code == 400
    assert "cannot see the board" in response.content.decode()


def test_an_unknown_username_is_named_in_the_error(personas, client_for, reading):
    response = client_for(personas.alice).post(url("board-collaborators", reading), {"people": "nobody"})
    assert response.status_code == 400 and "No one here has the username nobody." in response.content.decode()


def test_only_the_owner_chooses_collaborators(personas, client_for, reading):
    services.set_collaborators(board=reading, actor=personas.alice, people=[personas.mo])
    assert client_for(personas.mo).get(url("board-collaborators", reading)).status_code == 403


def test_the_people_picker_suggests_names(personas, client_for):
    response = client_for(personas.alice).get("/links/boards/people-suggestions", {"people": "mo"})
    assert response.status_code == 200 and 'value="mo"' in response.content.decode()


# ---------------------------------------------------------------------------------------- follow and done


def test_a_reader_follows_and_unfollows_a_board(personas, client_for, reading):
    client = client_for(personas.mo)
    response = client.post(url("board-follow", reading), {"action": "follow"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Following" in response.content.decode()
    assert Watch.objects.filter(user=personas.mo, item=reading.item).exists()
    assert client.post(url("board-follow", reading), {"action": "unfollow"}).status_code == 302
    assert not Watch.objects.filter(user=personas.mo, item=reading.item).exists()


def test_nobody_follows_a_board_they_cannot_see(personas, client_for):
    board = make_board(personas.mo, "Team plans", space=personas.team, visibility=Visibility.SPACE)
    assert client_for(personas.olly).post(url("board-follow", board), {"action": "follow"}).status_code == 404


def test_a_reader_ticks_entries_off_and_sees_how_far_they_got(personas, client_for, reading):
    client = client_for(personas.mo)
    mean = entry(reading, "What a mean is")
    response = client.post(url("board-entry-done", reading, mean.pk), {"done": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{mean.pk}")
    page = client.get(url("board", reading))
    assert page.context["progress"] == {"done": 1, "total": 3, "percent": 33}
    assert "1 of 3" in page.content.decode()
    client.post(url("board-entry-done", reading, mean.pk), {"done": "0"})
    assert not EntryProgress.objects.exists()


def test_a_kept_copy_of_the_board_page_gives_way_to_any_change(personas, client_for, reading):
    client = client_for(personas.mo)
    assert "0 of 3" in client.get(url("board", reading)).content.decode()
    client.get(url("board", reading))  # the first answer set the CSRF cookie, which is part of the key
    assert client.get(url("board", reading))["X-Page-Cache"] == "hit"
    client.post(url("board-entry-done", reading, entry(reading, "The median").pk), {"done": "1"})
    assert "1 of 3" in client.get(url("board", reading)).content.decode()
    services.update_entry(entry=entry(reading, "The median"), actor=personas.alice, note="Changed.", section=None)
    assert "Changed." in client.get(url("board", reading)).content.decode()


def test_ticking_with_htmx_redraws_the_box_and_the_progress_bar(personas, client_for, reading):
    mean = entry(reading, "What a mean is")
    response = client_for(personas.mo).post(
        url("board-entry-done", reading, mean.pk), {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'aria-checked="true"' in html
    assert 'id="board-progress"' in html and 'hx-swap-oob="true"' in html and "1 of 3" in html


def test_an_entry_hidden_from_the_reader_cannot_be_ticked(personas, client_for, reading):
    secret = save(personas.alice, "https://example.org/secret", "Secret", visibility=Visibility.PRIVATE)
    hidden = services.add_entry(board=reading, actor=personas.alice, item=secret.item)
    assert client_for(personas.mo).post(url("board-entry-done", reading, hidden.pk), {"done": "1"}).status_code == 404


# ------------------------------------------------------------------------------------------ official lists


def test_a_curator_marks_an_official_reading_list_for_a_skill_and_a_role(personas, client_for, reading):
    skill = SkillFactory(name="Statistics", slug="statistics")
    response = client_for(personas.lee).post(
        url("board-official", reading), {"official": "on", "skill": "statistics", "role": "Data analyst"}
    )
    assert response.status_code == 302
    reading.refresh_from_db()
    assert (reading.official, reading.skill, reading.role) == (True, skill, "Data analyst")
    page = client_for(personas.mo).get(url("board", reading)).content.decode()
    assert "Official reading list" in page and "Statistics · Data analyst" in page


def test_learners_and_owners_do_not_mark_official_lists(personas, client_for, reading):
    assert client_for(personas.alice).get(url("board-official", reading)).status_code == 403
    assert (
        client_for(personas.alice).post(url("board-official", reading), {"official": "on", "topic": "x"}).status_code
        == 403
    )
    reading.refresh_from_db()
    assert not reading.official


def test_an_official_list_must_say_what_it_is_for(personas, client_for, reading):
    response = client_for(personas.lee).post(url("board-official", reading), {"official": "on"})
    assert response.status_code == 400
    assert "Say what the reading list is for" in response.content.decode()


def test_an_unknown_skill_is_refused(personas, client_for, reading):
    response = client_for(personas.lee).post(url("board-official", reading), {"official": "on", "skill": "Juggling"})
    assert response.status_code == 400 and "There is no skill called “Juggling”" in response.content.decode()


def test_a_private_board_cannot_be_official(personas, client_for):
    board = make_board(personas.lee, "Drafts", visibility=Visibility.PRIVATE)
    response = client_for(personas.lee).post(url("board-official", board), {"official": "on", "topic": "drafts"})
    assert response.status_code == 400 and "visible to the whole organisation" in response.content.decode()


def test_the_skill_page_recommends_official_reading_lists_for_it(personas, client_for, reading):
    skill = SkillFactory(name="Statistics", slug="statistics")
    services.set_official(board=reading, actor=personas.lee, official=True, skill=skill)
    make_board(personas.lee, "Not official")
    html = recommended(client_for(personas.mo).get("/people/skills/statistics/"))
    assert "Recommended reading" in html and "Statistics reading list" in html
    assert "Not official" not in html


def test_the_home_page_recommends_lists_for_the_persons_role_and_wanted_skills(personas, client_for, reading):
    p = personas
    services.set_official(board=reading, actor=p.lee, official=True, role="Data analyst")
    skill = SkillFactory(name="Storytelling", slug="storytelling")
    other = make_board(p.lee, "Telling stories")
    services.set_official(board=other, actor=p.lee, official=True, skill=skill)
    p.mo.job_title = "data analyst"
    p.mo.save()
    PersonSkill.objects.create(person=p.olly, skill=skill, direction=PersonSkill.Direction.WANTS)
    mo_home = recommended(client_for(p.mo).get("/"))
    olly_home = recommended(client_for(p.olly).get("/"))
    assert "Statistics reading list" in mo_home and "Telling stories" not in mo_home
    assert "Telling stories" in olly_home and "Statistics reading list" not in olly_home


# --------------------------------------------------------------------------------------- readers' progress


def test_the_owner_sees_how_far_each_follower_got(personas, client_for, reading):
    p = personas
    for person in (p.mo, p.lee):
        services.follow_board(board=reading, user=person)
    services.mark_done(entry=entry(reading, "What a mean is"), user=p.mo)
    services.mark_done(entry=entry(reading, "The median"), user=p.mo)
    services.mark_done(entry=entry(reading, "The median"), user=p.olly)  # ticked without following
    response = client_for(p.alice).get(url("board-progress", reading))
    rows = [(r.username, r.done, r.following) for r in response.context["page"].rows]
    assert rows == [("mo", 2, True), ("olly", 1, False), ("lee", 0, True)]
    assert response.context["summary"] == {"readers": 3, "started": 2, "finished": 0}
    assert "2 of 3" in response.content.decode()


def test_readers_do_not_see_each_others_progress(personas, client_for, reading):
    services.follow_board(board=reading, user=personas.mo)
    assert client_for(personas.mo).get(url("board-progress", reading)).status_code == 403


def test_curators_see_the_progress_on_official_lists(personas, client_for, reading):
    assert client_for(personas.lee).get(url("board-progress", reading)).status_code == 403
    services.set_official(board=reading, actor=personas.lee, official=True, topic="statistics")
    assert client_for(personas.lee).get(url("board-progress", reading)).status_code == 200


# ------------------------------------------------------------------------------------------ pictures


def test_an_entrys_picture_is_served_only_to_who_may_see_it(personas, client_for, reading):
    mean = entry(reading, "What a mean is")
    mean.item.bookmark.link.image.save("mean.png", ContentFile(png_bytes()))
    response = client_for(personas.mo).get(f"/links/boards/image/{mean.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    Item.objects.filter(pk=mean.item_id).update(visibility=Visibility.PRIVATE)
    assert client_for(personas.mo).get(f"/links/boards/image/{mean.pk}").status_code == 404
    assert client_for(personas.mo).get(f"/links/boards/image/{entry(reading, 'The median').pk}").status_code == 404


def test_a_saved_image_comes_before_the_pages_preview(personas, client_for, reading):
    mean = entry(reading, "What a mean is")
    bookmark = mean.item.bookmark
    bookmark.link.image.save("preview.png", ContentFile(png_bytes("red")))
    bookmark.thumbnail.save("saved.png", ContentFile(png_bytes("blue")))
    response = client_for(personas.mo).get(f"/links/boards/image/{mean.pk}")
    colour = Image.open(io.BytesIO(b"".join(response.streaming_content))).getpixel((0, 0))
    assert colour == (0, 0, 255)


# --------------------------------------------------------------------------------------- save to a board


def test_an_item_is_saved_to_one_of_my_boards_from_its_page(personas, client_for, reading):
    page = create_page(author=personas.mo, title="Mo's guide", text="Hi.\n")
    client = client_for(personas.alice)
    assert "Statistics reading list" in client.get(f"/links/boards/save/{page.item.pk}/").content.decode()
    response = client.post(f"/links/boards/save/{page.item.pk}/", {"board": reading.item_id, "note": "Good."})
    assert response.status_code == 302
    assert BoardEntry.objects.get(board=reading, item=page.item).note == "Good."


def test_saving_what_is_on_the_board_already_says_so(personas, client_for, reading):
    glossary = entry(reading, "Our stats glossary").item
    response = client_for(personas.alice).post(f"/links/boards/save/{glossary.pk}/", {"board": reading.item_id})
    assert response.status_code == 400 and "That is on the board already." in response.content.decode()


def test_an_item_is_saved_to_a_new_board(personas, client_for):
    page = create_page(author=personas.mo, title="Mo's guide", text="Hi.\n")
    response = client_for(personas.alice).post(f"/links/boards/save/{page.item.pk}/", {"new-title": "Guides"})
    board = Board.objects.get(item__title="Guides")
    assert response.status_code == 302 and board.entries.get().item == page.item


def test_nobody_saves_to_a_board_they_do_not_edit(personas, client_for, reading):
    page = create_page(author=personas.mo, title="Mo's guide", text="Hi.\n")
    response = client_for(personas.mo).post(f"/links/boards/save/{page.item.pk}/", {"board": reading.item_id})
    assert response.status_code == 403
    assert not BoardEntry.objects.filter(item=page.item).exists()


# -------------------------------------------------------------------------------------- exports and feed


def test_a_board_exports_as_bookmark_html_with_its_sections(personas, client_for, reading):
    response = client_for(personas.mo).get(url("board-export-html", reading))
    html = response.content.decode()
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "<H3>Basics</H3>" in html and 'HREF="https://example.org/mean"' in html
    assert f'HREF="http://testserver/i/{entry(reading, "Our stats glossary").item_id}/"' in html


def test_a_board_exports_as_csv_without_what_the_reader_may_not_see(personas, client_for, reading):
    secret = save(personas.alice, "https://example.org/secret", "Secret", visibility=Visibility.PRIVATE)
    services.add_entry(board=reading, actor=personas.alice, item=secret.item)
    csv = client_for(personas.mo).get(url("board-export-csv", reading)).content.decode()
    assert "https://example.org/mean" in csv and "Secret" not in csv


def test_the_atom_feed_lists_the_newest_visible_entries(personas, client_for, reading):
    secret = save(personas.alice, "https://example.org/secret", "Secret", visibility=Visibility.PRIVATE)
    services.add_entry(board=reading, actor=personas.alice, item=secret.item)
    response = client_for(personas.mo).get(url("board-feed", reading))
    xml = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert xml.count("<entry>") == 3 and "Secret" not in xml
    assert "Read first." in xml and 'href="https://example.org/mean"' in xml


def test_exports_and_the_feed_of_a_hidden_board_are_not_found(personas, client_for):
    board = make_board(personas.mo, "Team plans", space=personas.team, visibility=Visibility.SPACE)
    client = client_for(personas.olly)
    for name in ("board-export-html", "board-export-csv", "board-feed"):
        assert client.get(url(name, board)).status_code == 404
    assert Client().get(url("board-feed", board)).status_code == 404


def test_a_file_entry_without_its_file_still_shows(personas, client_for, reading):
    stray = ItemFactory(owner=personas.alice, kind=ItemKind.FILE, title="Orphan file")
    services.add_entry(board=reading, actor=personas.alice, item=stray)
    assert "Orphan file" in client_for(personas.mo).get(url("board", reading)).content.decode()
    assert BoardSection.objects.count() == 1
