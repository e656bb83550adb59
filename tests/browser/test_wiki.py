"""Journeys through the wiki: write a page with a live preview, two people editing one page at once,
pages full of script that never runs, and a page presented as slides."""

import re

import pytest
from playwright.sync_api import expect

from core.models import Visibility
from wiki.models import Page
from wiki.services import create_page

PREVIEW = "#wiki-preview"


@pytest.fixture
def handbook(personas):
    """A team page written by mo, six lines that two people can change apart or together."""
    return create_page(
        author=personas.mo,
        title="Team handbook",
        text="Line one\nLine two\nLine three\nLine four\nLine five\nLine six\n",
        space=personas.team,
        visibility=Visibility.SPACE,
    )


def editor(page):
    return page.locator("textarea[name=text]")


def current_text(page_obj) -> str:
    return Page.objects.select_related("current").get(pk=page_obj.pk).current.text


def test_a_member_writes_a_page_with_a_link_and_a_table_and_edits_it_with_a_live_preview(
    page, login_as, problems, personas
):
    login_as(personas.alice)
    page.goto("/wiki/s/team/")
    page.get_by_role("link", name="+ New page").click()
    page.get_by_label("Title").fill("Onboarding")
    editor(page).click()
    editor(page).press_sequentially("Read [[Laptop setup]] first.\n\n| Day | Task |\n|---|---|\n| Monday | Laptop |\n")
    expect(page.locator(PREVIEW + " table td").first).to_have_text("Monday")
    expect(page.locator(PREVIEW + " a.wikilink.missing")).to_have_text("Laptop setup")
    page.keyboard.press("Control+s")

    expect(page).to_have_url(re.compile(r"/wiki/s/team/onboarding/$"))
    expect(page.get_by_role("status")).to_contain_text("“Onboarding” is written.")
    expect(page.locator(".wiki-content table th").first).to_have_text("Day")
    missing = page.locator(".wiki-content a.wikilink.missing")
    expect(missing).to_have_attribute("href", "/wiki/new/?space=team&title=Laptop+setup")

    page.get_by_role("link", name="Edit", exact=True).click()
    editor(page).press("Control+End")
    editor(page).press_sequentially("\nAsk **Mo** anything.")
    expect(page.locator(PREVIEW + " strong")).to_have_text("Mo")
    page.get_by_label("Edit summary").fill("Who to ask")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved as revision 2.")
    expect(page.locator(".wiki-content strong")).to_have_text("Mo")

    missing = page.locator(".wiki-content a.wikilink.missing")
    missing.click()
    expect(page.get_by_label("Title")).to_have_value("Laptop setup")
    assert not problems, problems


def test_leaving_the_editor_with_unsaved_text_asks_first(page, login_as, personas, handbook):
    login_as(personas.alice)
    page.goto(f"/wiki/{handbook.pk}/edit/")
    editor(page).press("Control+End")
    editor(page).press_sequentially("Words not saved yet")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Read", exact=True).click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(page).to_have_url(re.compile(r"/edit/$"))
    expect(editor(page)).to_have_value(re.compile("Words not saved yet"))


def test_two_people_editing_at_once_merge_apart_and_resolve_an_overlap_losing_nothing(new_context, personas, handbook):
    alice = new_context(user=personas.alice).new_page()
    mo = new_context(user=personas.mo).new_page()

    # Both open the editor on revision 1 and change different lines: merged, no questions asked.
    for person in (alice, mo):
        person.goto(f"/wiki/{handbook.pk}/edit/")
    editor(mo).fill(current_text(handbook).replace("Line one", "Line one, by Mo"))
    mo.get_by_role("button", name="Save", exact=True).click()
    expect(mo.get_by_role("status")).to_contain_text("Saved as revision 2.")
    editor(alice).fill(current_text(handbook).replace("Line one, by Mo", "Line one").replace("Line six", "Line 6!"))
    alice.get_by_role("button", name="Save", exact=True).click()
    expect(alice.get_by_role("status")).to_contain_text("Merged with changes Mo Mentor saved meanwhile")
    expect(alice.locator(".wiki-content")).to_contain_text("Line one, by Mo")
    expect(alice.locator(".wiki-content")).to_contain_text("Line 6!")

    # Both open it again and change the same line: Mo saves first, Alice meets the conflict screen.
    for person in (alice, mo):
        person.goto(f"/wiki/{handbook.pk}/edit/")
    editor(mo).fill(current_text(handbook).replace("Line three", "Line three is Mo's"))
    mo.get_by_role("button", name="Save", exact=True).click()
    expect(mo.get_by_role("status")).to_contain_text("Saved as revision 4.")
    alice_text = editor(alice).input_value().replace("Line three", "Line three is Alice's")
    editor(alice).fill(alice_text)
    alice.get_by_role("button", name="Save", exact=True).click()

    expect(alice.get_by_role("alert")).to_contain_text("nothing is saved yet")
    assert Page.objects.get(pk=handbook.pk).revision_count == 4
    expect(alice.locator("#wiki-mine")).to_have_value(alice_text)
    expect(editor(alice)).to_have_value(re.compile(r"<<<<<<< your version\nLine three is Alice's\n=======\n"))
    expect(alice.locator("input[name=base]")).to_have_value("4")

    # "My own text" puts her text back in the editor; she combines both and saves.
    alice.get_by_role("button", name="My own text, as I typed it").click()
    expect(editor(alice)).to_have_value(alice_text)
    editor(alice).fill(alice_text.replace("Line three is Alice's", "Line three is Mo's and Alice's"))
    alice.get_by_role("button", name="Save", exact=True).click()
    expect(alice.get_by_role("status")).to_contain_text("Saved as revision 5.")
    final = current_text(handbook)
    assert "Line three is Mo's and Alice's" in final and "Line one, by Mo" in final and "Line 6!" in final


XSS_PAYLOADS = [
    "<script>window.__xss = 1; alert(1)</script>",
    '<img src="x" onerror="window.__xss = 2; alert(2)">',
    '<svg onload="window.__xss = 3; alert(3)"></svg>',
    "[click](javascript:window.__xss=4;alert(4))",
    '<a href="javascript:alert(5)" id="bad5">bad</a>',
    '<iframe src="javascript:alert(6)"></iframe>',
    '<details open ontoggle="alert(7)"><summary>x</summary></details>',
    '<div style="background:url(javascript:alert(8))">styled</div>',
    "![x](javascript:alert(9))",
    '<math><mi xlink:href="javascript:alert(10)">x</mi></math>',
    '<input autofocus onfocus="alert(11)">',
    "[[<img src=x onerror=alert(12)>]]",
    '<form action="javascript:alert(13)"><button id="bad13">go</button></form>',
    '<object data="javascript:alert(14)"></object>',
    "```html\n<script>alert(15)</script>\n```",
    '<a href="&#106;avascript:alert(16)">entity</a>',
    '<body onload="alert(17)">',
    "<<script>script>alert(18)<</script>/script>",
]


# Everything in the document that could run script: inline handlers, script URLs, script elements
# other than the site's own (which are loaded from /static/).
DANGEROUS_MARKUP = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith("on")) found.push(el.tagName + " " + attr.name);
      const url = ["href", "src", "action", "formaction", "data", "xlink:href"].includes(attr.name);
      if (url && value.startsWith("javascript:")) found.push(el.tagName + " " + attr.name + "=" + value);
    }
    if (el.tagName === "SCRIPT" && !(el.src || "").includes("/static/")) found.push("inline script");
    if (["IFRAME", "OBJECT", "EMBED"].includes(el.tagName)) found.push(el.tagName);
  }
  return found;
}"""


def test_a_page_full_of_script_runs_none_of_it_anywhere(new_context, personas, live):
    text = "\n\n".join(XSS_PAYLOADS) + "\n\n---\n\n" + "\n\n".join(XSS_PAYLOADS[:6]) + "\n"
    xss = create_page(author=personas.alice, title="Payloads", text=text, space=personas.team, visibility="space")
    page = new_context(user=personas.alice).new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    views = ["/wiki/s/team/payloads/", f"/wiki/{xss.pk}/edit/", f"/wiki/{xss.pk}/slides/", f"/wiki/{xss.pk}/r/1/"]
    views += [f"/wiki/{xss.pk}/attribution/", f"/wiki/{xss.pk}/history/"]
    for path in views:
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate(DANGEROUS_MARKUP) == [], path
        assert page.evaluate("window.__xss") is None, path
    page.goto(f"/wiki/{xss.pk}/edit/")
    editor(page).press("Control+End")
    editor(page).press_sequentially("\n<img src=y onerror=alert(99)>")
    page.wait_for_timeout(900)
    expect(page.locator(PREVIEW + " img[src=y]")).to_have_count(1)
    assert page.evaluate("window.__xss") is None
    assert dialogs == [] and errors == [], (dialogs, errors)


def test_a_page_is_presented_as_slides_moved_with_the_keyboard(page, login_as, problems, personas):
    deck = create_page(
        author=personas.alice,
        title="Quarterly update",
        text="# Where we are\n\n---\n\n## What we shipped\n\n- Search\n\n---\n\n## What is next\n",
        space=personas.team,
        visibility=Visibility.SPACE,
    )
    login_as(personas.alice)
    page.goto("/wiki/s/team/quarterly-update/")
    page.get_by_role("link", name="Present").click()
    shown = page.locator(".slide:not([hidden])")
    expect(shown).to_have_count(1)
    expect(shown.get_by_role("heading")).to_have_text("Where we are")
    page.keyboard.press("ArrowRight")
    expect(shown.get_by_role("heading")).to_have_text("What we shipped")
    expect(page.locator("[data-current]")).to_have_text("2")
    page.keyboard.press("End")
    expect(shown.get_by_role("heading")).to_have_text("What is next")
    page.keyboard.press("ArrowRight")
    expect(shown.get_by_role("heading")).to_have_text("What is next")
    page.keyboard.press("Home")
    expect(shown.get_by_role("heading")).to_have_text("Where we are")
    page.keyboard.press("PageDown")
    page.keyboard.press("Space")
    expect(shown.get_by_role("heading")).to_have_text("What is next")
    page.keyboard.press("ArrowLeft")
    expect(shown.get_by_role("heading")).to_have_text("What we shipped")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(rf"/wiki/s/team/{deck.slug}/$"))
    assert not problems, problems
