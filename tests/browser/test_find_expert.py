"""Journey: find someone who can teach a skill, the most experienced first, then narrow the list."""

import pytest
from playwright.sync_api import expect

from people.models import PersonSkill
from people.services import add_person_skill
from tests.factories import SkillFactory, UserFactory

Direction, Level = PersonSkill.Direction, PersonSkill.Level


@pytest.fixture
def negotiators(db):
    """Three people who teach negotiation at different levels, one who only has it, and a viewer."""
    negotiation = SkillFactory(name="Negotiation")
    people = [
        ("cal", "Cal Counsel", "Legal", "America/New_York", Level.PRACTITIONER),
        ("bea", "Bea Broker", "Sales", "Europe/London", Level.EXPERT),
        ("dee", "Dee Dealer", "Sales", "America/New_York", Level.ADVANCED),
    ]
    for username, name, department, zone, level in people:
        person = UserFactory(username=username, display_name=name, department=department, time_zone=zone)
        add_person_skill(person=person, skill=negotiation, direction=Direction.TEACHES, level=level)
    eve = UserFactory(username="eve", display_name="Eve Eager", department="Sales")
    add_person_skill(person=eve, skill=negotiation, direction=Direction.HAS, level=Level.EXPERT)
    return UserFactory(username="alice", display_name="Alice Learner")


def names(page):
    return page.locator("#results .person-card h3")


def test_it_lists_the_most_experienced_teacher_first_and_filters_live(page, login_as, problems, negotiators):
    login_as(negotiators)
    page.goto("/people/")
    finder = page.get_by_role("search", name="Find an expert")
    finder.get_by_label("Skill to learn").press_sequentially("Nego")
    # The suggestions come from the server as the person types.
    expect(page.locator("#expert-skill-options option")).to_have_attribute("value", "Negotiation")
    finder.get_by_label("Skill to learn").fill("Negotiation")
    finder.get_by_role("button", name="Find an expert").click()

    expect(page.get_by_role("heading", name="Who can teach Negotiation")).to_be_visible()
    expect(names(page)).to_have_text(["Bea Broker", "Dee Dealer", "Cal Counsel"])
    expect(page.locator("#results .person-card").first.locator(".level-badge")).to_have_text("Expert")

    page.evaluate("window.notReloaded = true")
    filters = page.get_by_role("form", name="Filter people")
    filters.get_by_label("Department").select_option("Sales")
    expect(names(page)).to_have_text(["Bea Broker", "Dee Dealer"])
    filters.get_by_label("Time zone").select_option("America/New_York")
    expect(names(page)).to_have_text(["Dee Dealer"])
    assert page.evaluate("window.notReloaded") is True
    assert "department=Sales" in page.url and "time_zone=America%2FNew_York" in page.url
    assert not problems, problems


def test_it_filters_with_a_plain_form_submit_without_javascript(new_context, negotiators):
    page = new_context(user=negotiators, javascript=False).new_page()
    page.goto("/people/?direction=teaches&skill=Negotiation")
    expect(names(page)).to_have_text(["Bea Broker", "Dee Dealer", "Cal Counsel"])

    filters = page.get_by_role("form", name="Filter people")
    filters.get_by_label("Time zone").select_option("America/New_York")
    filters.get_by_role("button", name="Filter").click()

    expect(page.get_by_role("heading", name="Who can teach Negotiation")).to_be_visible()
    expect(names(page)).to_have_text(["Dee Dealer", "Cal Counsel"])
    filters.get_by_label("Department").select_option("Legal")
    filters.get_by_role("button", name="Filter").click()
    expect(names(page)).to_have_text(["Cal Counsel"])


def test_it_says_so_when_nobody_teaches_the_skill(page, login_as, negotiators):
    login_as(negotiators)
    SkillFactory(name="Origami")
    page.goto("/people/")
    finder = page.get_by_role("search", name="Find an expert")
    finder.get_by_label("Skill to learn").fill("Origami")
    finder.get_by_role("button", name="Find an expert").click()

    expect(page.get_by_text("Nobody lists Origami as something they can teach yet.")).to_be_visible()
    expect(names(page)).to_have_count(0)
