"""Journey: browse spaces, join and leave an open one, ask to join another and be let in by its owner."""

import pytest
from playwright.sync_api import expect

from spaces.models import Membership, Space
from spaces.services import create_space
from tests.factories import UserFactory


@pytest.fixture
def spaces(db):
    mo = UserFactory(username="mo", display_name="Mo Mentor")
    create_space(creator=mo, name="Book club", description="One book a month.", visibility=Space.Visibility.OPEN)
    circle = create_space(creator=mo, name="Leadership circle", visibility=Space.Visibility.ORGANISATION)
    alice = UserFactory(username="alice", display_name="Alice Learner")
    return alice, mo, circle


def members_panel(page):
    return page.locator("section", has=page.get_by_role("heading", name="Members", exact=True))


def test_it_joins_and_leaves_an_open_space(page, login_as, problems, spaces):
    alice, _, _ = spaces
    login_as(alice)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Spaces").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spaces")
    page.get_by_role("link", name="Book club").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Book club")
    expect(members_panel(page)).not_to_contain_text("Alice Learner")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Book club.")
    expect(members_panel(page)).to_contain_text("Alice Learner")
    expect(page.locator(".space-head .meta")).to_contain_text("2 members")

    page.get_by_role("button", name="Leave").click()
    expect(page.get_by_role("status")).to_contain_text("you are no longer in this space")
    expect(members_panel(page)).not_to_contain_text("Alice Learner")
    expect(page.get_by_role("button", name="Join", exact=True)).to_be_visible()
    assert not problems, problems


def test_it_asks_to_join_and_the_owner_approves(page, login_as, new_context, spaces):
    alice, mo, circle = spaces
    login_as(alice)
    page.goto("/spaces/")
    page.get_by_role("link", name="Leadership circle").click()
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_role("status")).to_contain_text("You asked to join Leadership circle.")
    expect(page.get_by_text("You asked to join", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw request")).to_be_visible()
    expect(members_panel(page)).not_to_contain_text("Alice Learner")

    owner = new_context(user=mo).new_page()
    owner.goto(circle.get_absolute_url())
    owner.get_by_role("link", name="1 person is asking to join.").click()
    requests = owner.locator("section", has=owner.get_by_role("heading", name="Asking to join"))
    expect(requests).to_contain_text("Alice Learner")
    requests.get_by_role("button", name="Approve Alice Learner").click()
    expect(owner.get_by_role("status")).to_contain_text("Alice Learner is now a member.")
    expect(owner.locator("#member-list")).to_contain_text("Alice Learner")
    expect(requests).to_contain_text("No open requests.")

    page.reload()
    expect(page.locator(".space-head .meta")).to_contain_text("You are a member")
    expect(members_panel(page)).to_contain_text("Alice Learner")
    assert Membership.objects.get(space=circle, user=alice).state == Membership.State.ACTIVE
