"""Journeys through boards: a curator builds a sectioned reading list and arranges it, a colleague follows it
and ticks an entry off, and the curator sees how far they got."""

import re

import pytest
from playwright.sync_api import expect

from core.models import Item
from links import services
from links.models import BoardEntry, BoardSection
from wiki.services import create_page


@pytest.fixture
def findable(personas):
    """A link alice saved and a wiki page of mo's, both indexed for the add box's search."""
    services.save_link(
        user=personas.alice, url="https://www.tylervigen.com/spurious-correlations", title="Spurious correlations"
    )
    create_page(author=personas.mo, title="Statistics glossary", text="Mean, median, mode.\n")


def order() -> list[tuple[str, str]]:
    rows = BoardEntry.objects.select_related("item", "section").order_by("section__position", "position")
    rows = sorted(rows, key=lambda e: (e.section is not None, e.section.position if e.section else 0, e.position))
    return [(e.section.title if e.section else "", e.item.title) for e in rows]


def add_from_search(page, words: str, title: str) -> None:
    page.get_by_label("Find what you can see").fill(words)
    page.get_by_role("button", name=f"Add “{title}”").click()
    expect(page.get_by_role("status")).to_contain_text(f"“{title}” is on the board.")


def test_a_curator_builds_a_reading_list_and_a_follower_works_through_it(new_context, personas, findable):
    page = new_context(user=personas.alice).new_page()
    seen = []
    page.on("console", lambda msg: seen.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("response", lambda r: seen.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    page.goto("/links/boards/")
    page.get_by_role("link", name="+ New board").click()
    page.get_by_label("Title").fill("Data literacy")
    page.get_by_label("Description").fill("Start here if charts are new to you.")
    page.get_by_role("button", name="Make the board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data literacy")

    for title in ("Start here", "Going deeper"):
        page.get_by_label("New section title").fill(title)
        page.get_by_role("button", name="Add section").click()
        expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()

    add_from_search(page, "glossary", "Statistics glossary")
    add_from_search(page, "spurious", "Spurious correlations")
    assert order() == [("", "Statistics glossary"), ("", "Spurious correlations")]

    # The arrows move an entry within its section and across into the next one.
    page.get_by_role("button", name="Move “Statistics glossary” down").click()
    expect(page.locator(".board-entry").first).to_contain_text("Spurious correlations")
    page.get_by_role("button", name="Move “Statistics glossary” down").click()
    expect(page.locator("#section-" + str(section_pk("Start here")))).to_contain_text("Statistics glossary")
    assert order() == [("", "Spurious correlations"), ("Start here", "Statistics glossary")]

    # Dragging by the grip drops the link into the empty "Going deeper" section.
    link_entry = page.locator(".board-entry", has_text="Spurious correlations")
    link_entry.locator(".board-grip").drag_to(
        page.locator(f"#section-{section_pk('Going deeper')} .board-empty-section")
    )
    expect(page.locator(f"#section-{section_pk('Going deeper')}")).to_contain_text("Spurious correlations")
    assert order() == [("Start here", "Statistics glossary"), ("Going deeper", "Spurious correlations")]

    # A note written in place.
    page.get_by_role("link", name="Edit the note on “Statistics glossary”").click()
    page.get_by_label("Curator's note on “Statistics glossary”").fill("Keep it open while you read.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".board-note")).to_have_text("Keep it open while you read.")

    page.get_by_role("link", name="Wall").click()
    expect(page).to_have_url(re.compile(r"\?view=wall$"))
    expect(page.locator(".wall-tile")).to_have_count(2)

    # Mo follows the board and ticks the glossary off.
    mo = new_context(user=personas.mo).new_page()
    mo.goto(page.url.replace("?view=wall", ""))
    mo.get_by_role("button", name="Follow").click()
    expect(mo.get_by_role("button", name="Following")).to_have_attribute("aria-pressed", "true")
    box = mo.get_by_role("checkbox", name="Done: Statistics glossary")
    box.click()
    expect(mo.get_by_role("checkbox", name="Done: Statistics glossary")).to_be_checked()
    expect(mo.locator("#board-progress")).to_contain_text("1 of 2 done")

    # Alice sees how far Mo got.
    page.reload()
    page.locator(".board-menu summary").click()
    page.get_by_role("link", name="Readers' progress").click()
    row = page.get_by_role("row", name=re.compile("Mo Mentor"))
    expect(row).to_contain_text("1 of 2")
    expect(row).to_contain_text("Yes")
    assert not seen, seen


def section_pk(title: str) -> int:
    return BoardSection.objects.get(title=title).pk


def test_the_board_is_arranged_and_ticked_without_javascript(new_context, personas, findable):
    board = services.create_board(owner=personas.alice, title="Plain list")
    section = services.add_section(board=board, actor=personas.alice, title="Part one")
    for title in ("Spurious correlations", "Statistics glossary"):
        services.add_entry(board=board, actor=personas.alice, item=Item.objects.get(title=title), section=section)
    page = new_context(user=personas.alice, javascript=False).new_page()
    page.goto(f"/links/boards/{board.item_id}/")
    page.get_by_role("button", name="Move “Statistics glossary” up").click()
    expect(page.locator(".board-entry").first).to_contain_text("Statistics glossary")
    page.get_by_role("checkbox", name="Done: Spurious correlations").click()
    expect(page.locator("#board-progress")).to_contain_text("1 of 2 done")
    expect(page).to_have_url(re.compile(r"#entry-\d+$"))
