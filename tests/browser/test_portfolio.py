"""The learner's portfolio journey: build a process portfolio from the guided start, write a journal entry with a
reflection, ask an advisor for feedback; the advisor finds the request and comments; the learner claims a skill
with evidence from the portfolio and asks the advisor to endorse it; the advisor endorses it, and the skill shows
under "Recognised skills" on the learner's profile."""

import re

from playwright.sync_api import expect

from portfolios.models import EndorsementRequest, Feedback, FeedbackRequest, JournalEntry, Portfolio, SkillClaim
from tests.factories import SkillFactory

TITLE = "Learning to facilitate workshops"


def test_a_learner_builds_a_process_portfolio_gets_feedback_and_an_endorsed_skill(
    page, new_context, login_as, problems, personas
):
    SkillFactory(name="Facilitation")
    login_as(personas.alice)

    # The guided start: a process portfolio, laid out with pages whose empty blocks say what to put in them.
    page.goto("/portfolios/new/")
    page.get_by_role("radio", name=re.compile(r"^Process")).check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What it is about").fill("Running my first team retrospectives.")
    page.get_by_role("button", name="Create the portfolio").click()
    expect(page.get_by_role("status")).to_contain_text(f"“{TITLE}” is ready.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    portfolio = Portfolio.objects.get(item__title=TITLE)
    assert portfolio.kind == Portfolio.Kind.PROCESS and portfolio.item.owner == personas.alice
    nav = page.get_by_role("navigation", name="Pages of this portfolio")
    expect(nav.get_by_role("link", name="Goals")).to_be_visible()

    # A journal entry with a reflection: answers to the built-in prompts.
    nav.get_by_role("link", name="Journal").click()
    expect(page.get_by_text("Your journal is empty.")).to_be_visible()
    page.get_by_role("link", name="Write the first entry").click()
    page.get_by_label("Title").fill("My first retrospective")
    page.get_by_label("What I did").fill("Ran the **sprint 12** retrospective for the team.")
    expect(page.locator("#entry-preview strong")).to_have_text("sprint 12")
    page.get_by_label("What happened?").fill("Eight people came; two did most of the talking.")
    page.get_by_label("So what?").fill("Silent writing first would let everyone be heard.")
    page.get_by_label("Now what?").fill("Next time: five minutes of sticky notes before we talk.")
    page.get_by_role("button", name="Save the entry").click()
    expect(page.get_by_role("status")).to_contain_text("The journal entry is saved.")
    entry = page.locator("article.pf-entry", has_text="My first retrospective")
    expect(entry.locator(".prose strong")).to_have_text("sprint 12")
    reflection = entry.get_by_role("region", name="Reflection")
    expect(reflection.locator("dt")).to_have_text(["What happened?", "So what?", "Now what?"])
    expect(reflection).to_contain_text("Silent writing first would let everyone be heard.")
    saved = JournalEntry.objects.get(portfolio=portfolio)
    assert [a["answer"] for a in saved.answers][2] == "Next time: five minutes of sticky notes before we talk."

    # Ask the advisor for feedback: mo cannot see the private portfolio yet, so it is shared with him by name.
    page.get_by_role("link", name="Share").click()
    ask = page.locator("#ask")
    ask.get_by_label("Ask").fill("mo")
    ask.get_by_label("Message").fill("Is my reflection on the retrospective honest enough?")
    ask.get_by_role("button", name="Ask for feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Asked Mo Mentor for feedback")
    expect(page.get_by_role("status")).to_contain_text("it is now shared with them by name")
    expect(page.get_by_role("region", name="Asked")).to_contain_text("Mo Mentor")
    assert FeedbackRequest.objects.get(portfolio=portfolio, reviewer=personas.mo).state == FeedbackRequest.State.OPEN

    # The advisor, at another computer, finds the request and comments on the portfolio.
    mo = new_context(user=personas.mo).new_page()
    mo.goto("/portfolios/feedback/")
    asked = mo.locator(".list li", has_text=TITLE)
    expect(asked).to_contain_text("Is my reflection on the retrospective honest enough?")
    expect(asked).to_contain_text("Waiting for you")
    asked.get_by_role("link", name=TITLE).click()
    expect(mo.get_by_role("heading", level=1)).to_have_text(f"Feedback on “{TITLE}”")
    expect(mo.get_by_role("note")).to_contain_text("Alice Learner asked for your feedback")
    mo.get_by_label("Your feedback").fill("Honest, yes. Say **why** the two talked most: that is the lesson.")
    mo.get_by_role("button", name="Send feedback").click()
    expect(mo.get_by_role("status")).to_contain_text("Thank you: your feedback is sent.")
    comment = mo.locator(".feedback-thread", has_text="Say why the two talked most")
    expect(comment.locator(".comment-text strong")).to_have_text("why")
    expect(comment).to_contain_text("Mo Mentor")
    mo.goto("/portfolios/feedback/")
    expect(mo.locator(".list li", has_text=TITLE)).to_contain_text("Answered")
    assert Feedback.objects.filter(portfolio=portfolio, author=personas.mo).count() == 1

    # The learner reads the comment on their portfolio.
    page.goto(f"/portfolios/{portfolio.pk}/feedback/")
    expect(page.locator(".feedback-thread")).to_contain_text("Say why the two talked most")

    # The learner claims a skill, with a block of the portfolio as evidence, and asks mo to endorse it.
    page.goto("/portfolios/claims/new/")
    page.get_by_label("Skill", exact=True).fill("Facilitation")
    page.get_by_role("radio", name=re.compile(r"^Practitioner")).check()
    page.get_by_label("Your statement").fill("I have run four retrospectives; the journal in my portfolio has them.")
    evidence = page.locator("#evidence").locator("label", has_text="What I want to learn")
    evidence.get_by_role("checkbox").check()
    page.get_by_label("Show it in a portfolio").select_option(label=TITLE)
    page.get_by_role("button", name="Claim the skill").click()
    expect(page.get_by_role("status")).to_contain_text("You claim Facilitation at Practitioner.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Facilitation")
    expect(page.locator("#evidence")).to_contain_text("What I want to learn")
    ask = page.locator("#ask")
    ask.get_by_label("Ask").fill("mo")
    ask.get_by_label("Message").fill("You watched the sprint 12 retrospective: is Practitioner fair?")
    ask.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Asked Mo Mentor to endorse it")
    expect(page.locator("#endorsements")).to_contain_text("Not endorsed yet.")
    claim = SkillClaim.objects.get(person=personas.alice, skill__name="Facilitation")
    assert EndorsementRequest.objects.get(claim=claim).endorser == personas.mo

    # Mo endorses it from the endorsements asked of him.
    mo.goto("/portfolios/endorsements/")
    row = mo.locator(".list li", has_text="Alice Learner")
    expect(row).to_contain_text("Facilitation at Practitioner")
    expect(row).to_contain_text("is Practitioner fair?")
    row.get_by_role("link", name="Read and answer").click()
    expect(mo.get_by_role("heading", level=1)).to_contain_text("Alice Learner claims Facilitation")
    expect(mo.get_by_role("region", name="Evidence")).to_contain_text("What I want to learn")
    expect(mo.get_by_role("radio", name=re.compile(r"^Practitioner"))).to_be_checked()
    mo.get_by_label("Comment").fill("She ran sprint 12's retrospective well and got everyone talking.")
    mo.get_by_role("button", name="Endorse at this level").click()
    expect(mo.get_by_role("status")).to_contain_text("You endorsed Facilitation at Practitioner for Alice Learner")
    expect(mo.locator(".list li", has_text="Alice Learner")).to_contain_text("Endorsed")
    claim.refresh_from_db()
    assert claim.state == SkillClaim.State.ENDORSED

    # The learner's profile shows the skill under "Recognised skills", endorsed by mo.
    page.goto("/people/alice/")
    recognised = page.get_by_role("region", name="Recognised skills")
    expect(recognised.get_by_role("link", name="Facilitation")).to_be_visible()
    expect(recognised).to_contain_text("Practitioner")
    expect(recognised).to_contain_text("Endorsed by Mo Mentor")
    mo.goto("/people/alice/")
    expect(mo.get_by_role("region", name="Recognised skills")).to_contain_text("Facilitation")
    assert problems == [], problems
