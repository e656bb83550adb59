"""Rating a wiki page: a member rates it with the stars, sees the rating change, and a colleague finds
the review helpful."""

import pytest
from playwright.sync_api import expect

from core.models import Visibility
from reviews.models import Review
from wiki.services import create_page


@pytest.fixture
def guide(personas):
    """mo's page for the team, already rated 2 stars by gus."""
    from reviews.services import rate_item

    page = create_page(
        author=personas.mo,
        title="Onboarding guide",
        text="Welcome to the team.\n",
        space=personas.team,
        visibility=Visibility.SPACE,
    )
    rate_item(item=page.item, author=personas.gus, rating=2, body="Too brief for me.")
    return page


def test_a_member_rates_a_wiki_page_and_a_colleague_finds_the_review_helpful(
    page, new_context, login_as, problems, personas, guide
):
    login_as(personas.alice)
    page.goto(guide.item.get_absolute_url())
    panel = page.locator("#reviews")
    expect(panel.locator("[data-rating-count]")).to_have_text("1 rating")
    expect(panel.locator("[data-rating-mean]")).to_have_text("2.0")

    panel.get_by_title("5 stars").click()  # the fifth star, which labels a real radio button
    expect(panel.get_by_role("radio", name="5 stars", exact=True)).to_be_checked()
    panel.get_by_label("Your review (optional)").fill("Everything I needed in my first week.")
    panel.get_by_role("button", name="Post your review").click()

    expect(panel.locator("[data-rating-count]")).to_have_text("2 ratings")
    expect(panel.locator("[data-rating-mean]")).to_have_text("3.5")
    expect(panel.get_by_role("button", name="Update your review")).to_be_visible()
    review = Review.objects.get(author=personas.alice)
    assert review.rating == 5

    colleague = new_context(user=personas.gus).new_page()
    colleague.goto(guide.item.get_absolute_url())
    mine = colleague.locator(f"#review-{review.pk}")
    expect(mine).to_contain_text("Everything I needed in my first week.")
    mine.get_by_role("button", name="Yes").click()
    expect(colleague.locator(f"#review-{review.pk}")).to_contain_text("1 found this helpful")
    expect(colleague.locator(f"#review-{review.pk}").get_by_role("button", name="Yes")).to_have_attribute(
        "aria-pressed", "true"
    )
    review.refresh_from_db()
    assert review.helpful_count == 1
    assert problems == []
