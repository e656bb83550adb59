"""The learner's journey through the catalogue: find a course by its facets, look at what else is about its
skill, enrol on a session, report completing it, rate it five stars, see it climb the best-rated list, and
find the review counted as a verified learner's once a curator confirms the completion."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog import services
from catalog.models import Course, Enrolment
from links.services import create_board, set_official
from reviews.models import Review
from reviews.services import rate_item
from tests.factories import SkillFactory
from wiki.services import create_page


@pytest.fixture
def catalogue(personas):
    """Two negotiation courses (a classroom one with a session next week, and a book mo rated four stars), a
    classroom course about something else, an official reading list and a wiki page about negotiating."""
    negotiation, python = SkillFactory(name="Negotiation"), SkillFactory(name="Python")

    def course(title, format, skill):
        return services.create_course(actor=personas.lee, title=title, format=format, skills=[skill])

    workshop = course("Negotiation workshop", Course.Format.CLASSROOM, negotiation)
    book = course("Never split the difference", Course.Format.BOOK, negotiation)
    course("Python for everyday automation", Course.Format.CLASSROOM, python)
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=7)
    services.add_session(
        actor=personas.lee, course=workshop, starts=starts, ends=starts + timedelta(hours=3), time_zone="UTC"
    )
    rate_item(item=book.item, author=personas.mo, rating=4, body="Good stories.")
    reading = create_board(owner=personas.lee, title="Negotiation reading list")
    set_official(board=reading, actor=personas.lee, official=True, skill=negotiation)
    create_page(author=personas.mo, title="Negotiating with suppliers", text="Start high.\n", tags=["negotiation"])
    return workshop


def best_rated(page):
    """The titles of the two negotiation courses, in the order the best-rated list shows them."""
    page.goto("/catalog/?sort=rating")
    return page.locator(".course-row h3").filter(has_not_text="Python")


def test_a_learner_finds_a_course_takes_it_reports_completing_it_and_rates_it(
    page, login_as, problems, personas, catalogue
):
    login_as(personas.alice)
    ranking = best_rated(page)
    # Rated four stars, the book ranks above the workshop nobody has rated yet.
    expect(ranking).to_have_text(["Never split the difference", "Negotiation workshop"])

    page.locator("#f-skill-negotiation").check()
    expect(page).to_have_url(re.compile(r"skill=negotiation"))
    page.locator("#f-format-classroom").check()
    expect(page).to_have_url(re.compile(r"format=classroom"))
    expect(page.locator(".course-row h3")).to_have_text(["Negotiation workshop"])
    page.get_by_role("link", name="Negotiation workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Negotiation workshop")

    related = page.get_by_role("region", name="Related")
    expect(related.get_by_role("link", name="Negotiation reading list")).to_be_visible()
    expect(related).to_contain_text("Official reading list")
    expect(related.get_by_role("link", name="Negotiating with suppliers")).to_be_visible()

    page.get_by_role("region", name="Sessions").get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("region", name="Sessions")).to_contain_text("Your status: Enrolled")

    completion = page.get_by_role("region", name="Your completion")
    completion.get_by_text("I completed this").click()
    completion.get_by_label("How you completed it").fill("Took the workshop and negotiated my contract renewal.")
    completion.get_by_label("Link to a certificate or other evidence").fill("https://certs.example/negotiation")
    completion.get_by_role("button", name="Report completion").click()
    expect(page.get_by_role("region", name="Your completion")).to_contain_text("Reported on")
    expect(page.get_by_role("region", name="Your completion")).to_contain_text("awaiting a curator's confirmation")
    enrolment = Enrolment.objects.get(person=personas.alice, course=catalogue)
    assert enrolment.state == "completed" and enrolment.self_reported and not enrolment.verified_completion

    panel = page.locator("#reviews")
    panel.get_by_title("5 stars").click()
    panel.get_by_label("Your review (optional)").fill("Practical: I used it the week after.")
    panel.get_by_role("button", name="Post your review").click()
    expect(panel.locator("[data-rating-count]")).to_have_text("1 rating")
    review = Review.objects.get(author=personas.alice)
    mine = page.locator(f"#review-{review.pk}")
    expect(mine).to_contain_text("Practical: I used it the week after.")
    # A completion the learner reported themselves counts once a curator confirms it (catalog.queries.completed_course).
    expect(mine.get_by_text("Verified learner")).to_have_count(0)
    assert review.rating == 5 and not review.verified

    ranking = best_rated(page)
    expect(ranking).to_have_text(["Negotiation workshop", "Never split the difference"])
    expect(page.locator(".course-row", has_text="Negotiation workshop")).to_contain_text("5.0 ★ (1)")

    # Once a curator confirms the completion, the page says so and a review saved from then on is verified.
    services.confirm_completion(actor=personas.lee, enrolment=enrolment)
    page.get_by_role("link", name="Negotiation workshop").click()
    expect(page.get_by_role("region", name="Your completion")).to_contain_text("confirmed by Lee Curator")
    panel.get_by_label("Your review (optional)").fill("Practical: I used it the week after. Worth the day.")
    panel.get_by_role("button", name="Update your review").click()
    expect(page.locator(f"#review-{review.pk}").get_by_text("Verified learner")).to_be_visible()
    assert problems == []
