"""Journey: a person fills in their profile, adds a photo and a skill they can teach."""

from playwright.sync_api import expect

from people.models import PersonSkill
from tests.browser.samples import image_width, write_junk, write_png
from tests.factories import SkillFactory, UserFactory


def test_it_saves_the_profile_photo_and_a_skill_and_shows_them(page, login_as, problems, tmp_path):
    alice = login_as(UserFactory(username="alice", display_name="Alice Learner"))
    SkillFactory(name="Python")
    SkillFactory(name="Public speaking")
    page.goto("/people/me/edit/")

    page.get_by_label("Job title").fill("Data analyst")
    page.get_by_label("Department").fill("Finance")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_role("group", name="Photo").locator("input[type=file]").set_input_files(
        write_png(tmp_path / "me.png", size=(400, 300))
    )

    skills = page.locator("#skills")
    skills.get_by_label("Skill", exact=True).fill("Python")
    skills.get_by_label("I…").select_option(label="can teach it")
    skills.get_by_label("At level").select_option(label="Expert")
    skills.get_by_role("button", name="Add skill").click()
    # htmx swaps only the skills card, so what was typed in the profile form is still there.
    expect(skills.get_by_role("heading", name="Can teach")).to_be_visible()
    expect(skills.get_by_role("link", name="Python")).to_be_visible()
    expect(page.get_by_label("Job title")).to_have_value("Data analyst")

    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice Learner")
    head = page.locator(".profile-head")
    expect(head).to_contain_text("Data analyst · Finance")
    expect(head).to_contain_text("local time (New York")
    teach = page.locator("section", has=page.get_by_role("heading", name="Skills", exact=True))
    expect(teach.get_by_role("heading", name="Can teach")).to_be_visible()
    expect(teach.locator("li", has_text="Python")).to_contain_text("Expert")
    photo = head.locator("img.avatar")
    expect(photo).to_have_attribute("src", "/people/alice/photo")
    assert image_width(photo)
    assert image_width(page.locator("details.menu summary img.avatar"))
    assert alice.skills.get().direction == PersonSkill.Direction.TEACHES
    assert not problems, problems


def test_it_adds_a_skill_without_javascript(new_context, tmp_path):
    alice = UserFactory(username="alice")
    SkillFactory(name="Negotiation")
    page = new_context(user=alice, javascript=False).new_page()
    page.goto("/people/me/edit/")

    skills = page.locator("#skills")
    skills.get_by_label("Skill", exact=True).fill("negotiation")
    skills.get_by_label("I…").select_option(label="want to learn it")
    skills.get_by_label("At level").select_option(label="Beginner")
    skills.get_by_role("button", name="Add skill").click()

    expect(page.get_by_role("status")).to_contain_text("Negotiation is on your profile.")
    expect(page.locator("#skills").get_by_role("heading", name="Wants to learn")).to_be_visible()
    assert alice.skills.get().level == PersonSkill.Level.BEGINNER


def test_it_refuses_a_photo_that_is_not_a_picture(page, login_as, tmp_path):
    alice = login_as(UserFactory(username="alice"))
    page.goto("/people/me/edit/")
    page.get_by_label("Job title").fill("Data analyst")
    page.get_by_role("group", name="Photo").locator("input[type=file]").set_input_files(write_junk(tmp_path / "me.png"))
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your profile")
    expect(page.locator(".photo-field .errorlist")).to_have_text(
        "This file is not a picture we can read. Upload a JPEG, PNG, GIF or WebP."
    )
    alice.refresh_from_db()
    assert not alice.photo
    assert alice.job_title == ""
