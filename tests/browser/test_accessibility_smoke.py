"""Smoke checks on every main page: named controls, one h1, a main landmark, the skip link first
in the tab order, and no console errors or failed requests.

Set WATERCOOLER_SHOTS to a folder (e.g. /tmp/wc-shots) to also save full-page screenshots of each
page, light and dark, for a person to look at.
"""

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from core.models import Visibility
from core.services import watch
from files.services import upload_file
from people.models import PersonSkill
from people.services import add_person_skill, update_profile
from spaces.services import create_space, join_space
from tests.browser.samples import write_png
from tests.factories import SkillFactory, make_personas

SHOTS = os.environ.get("WATERCOOLER_SHOTS")

# Form controls without an accessible name (label, aria-label or aria-labelledby with text).
UNNAMED_CONTROLS_JS = """() => {
  const text = (el) => (el && el.textContent || '').trim();
  const named = (el) =>
    [...(el.labels || [])].some((label) => text(label)) ||
    (el.getAttribute('aria-label') || '').trim() ||
    (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some((id) => text(document.getElementById(id)));
  return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((el) => !named(el))
    .map((el) => el.outerHTML.slice(0, 120));
}"""

# Buttons and links a screen reader would announce without a name.
UNNAMED_ACTIONS_JS = """() => [...document.querySelectorAll('button, a[href]')]
  .filter((el) => !(el.textContent || '').trim() && !(el.getAttribute('aria-label') || '').trim()
    && !el.querySelector('img[alt]:not([alt=""])'))
  .map((el) => el.outerHTML.slice(0, 120))"""

LOAD_ALL_IMAGES_JS = """() => Promise.all([...document.images].map((img) => {
  img.loading = 'eager';
  return img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; });
}))"""

# Headings that skip a level on the way down (h2 then h4).
SKIPPED_HEADINGS_JS = """() => {
  const out = []; let last = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(h.tagName[1]);
    if (last && level > last + 1) out.push(`h${last} → ${h.tagName.toLowerCase()} “${h.textContent.trim()}”`);
    last = level;
  }
  return out;
}"""


def audit(page, problems, url: str) -> list[str]:
    """Everything wrong with one page, as sentences (empty when it passes)."""
    problems.clear()
    page.goto(url)
    # Lazy pictures below the fold would otherwise never be requested, and a broken one never seen.
    page.evaluate(LOAD_ALL_IMAGES_JS)
    found = [f"no accessible name: {html}" for html in page.evaluate(UNNAMED_CONTROLS_JS)]
    found += [f"button or link without a name: {html}" for html in page.evaluate(UNNAMED_ACTIONS_JS)]
    found += [f"heading skips a level: {text}" for text in page.evaluate(SKIPPED_HEADINGS_JS)]
    if (h1s := page.locator("h1").count()) != 1:
        found.append(f"{h1s} h1 elements, not one")
    if page.get_by_role("main").count() != 1:
        found.append("no single <main> landmark")
    if page.locator("img:not([alt])").count():
        found.append("images without an alt attribute")
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.className") != "skip":
        found.append("Tab from the top does not reach the skip link first")
    found += problems
    if SHOTS:
        shoot(page, url)
    return [f"{url}: {problem}" for problem in found]


def shoot(page, url: str) -> None:
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    name = url.strip("/").replace("/", "_").replace("?", "_").replace("&", "_").replace("=", "-") or "home"
    signed_in = page.get_by_label("Your menu").count() > 0
    name = name if signed_in else f"anon_{name}"
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=folder / f"{name}-{scheme}.png", full_page=True)
    page.emulate_media(color_scheme="light")


@pytest.fixture
def populated(db, tmp_path):
    """Alice in a team with a picture shared in it, a space of her own with a new member, some skills."""
    p = make_personas()
    python = SkillFactory(name="Python")
    add_person_skill(person=p.alice, skill=python, direction=PersonSkill.Direction.WANTS, level=1)
    add_person_skill(person=p.mo, skill=python, direction=PersonSkill.Direction.TEACHES, level=4)
    update_profile(person=p.mo, job_title="Staff engineer", department="Platform")
    watch(user=p.alice, space=p.team)
    picture = SimpleUploadedFile("diagram.png", write_png(tmp_path / "diagram.png").read_bytes(), "image/png")
    item = upload_file(
        owner=p.mo, uploaded=picture, title="Python architecture diagram", space=p.team,
        visibility=Visibility.SPACE, tags=["python", "architecture"],
    )  # fmt: skip
    guild = create_space(creator=p.alice, name="Data guild", description="Notebooks, pipelines and charts.")
    join_space(user=p.lee, space=guild)
    return p, item


def test_the_main_pages_pass_the_smoke_checks(page, login_as, problems, populated):
    personas, item = populated
    login_as(personas.alice)
    pages = [
        "/", "/browse/", "/people/", "/people/?direction=teaches&skill=Python", "/people/alice/",
        "/people/me/edit/", "/spaces/", "/spaces/team/", "/spaces/data-guild/members/", item.get_absolute_url(),
        "/files/upload/", "/search/?q=python", "/notifications/",
    ]  # fmt: skip
    found = [problem for url in pages for problem in audit(page, problems, url)]
    assert not found, "\n".join(found)
    expect(page.get_by_role("link", name="Notifications, 2 unread")).to_be_visible()


def test_the_signed_out_pages_pass_the_smoke_checks(page, problems, db):
    found = [
        problem for url in ("/", "/accounts/login/", "/accounts/signup/") for problem in audit(page, problems, url)
    ]
    assert not found, "\n".join(found)


def test_the_skip_link_moves_keyboard_focus_to_the_content(page, login_as, populated):
    login_as(populated[0].alice)
    page.goto("/spaces/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    # The next stop is inside the content, not the top bar again.
    assert page.evaluate("document.activeElement.closest('main') !== null")
