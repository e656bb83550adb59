"""The mentoring journey of issue 7: alice applies to the always-open programme as a mentee, sees her suggested
mentors ranked with the reasons in words, messages mo, then asks him with a note; mo, at another computer,
finds the request and accepts it; he writes the pair's agreement and signs it, alice signs it too, and she
books their first meeting, shown on both clocks (London and New York), which then appears in the pair's space."""

import os
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring import services
from mentoring.models import Agreement, Application, Match, Meeting
from messaging.models import Message
from people.models import Skill
from tests.factories import UserFactory

SHOTS = os.environ.get("MENTORING_SHOTS", "")  # a folder to keep a screenshot of each step in, when set
LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
WORKING_DAYS = [[day, 9 * 60, 17 * 60] for day in range(5)]  # Monday to Friday, 9:00-17:00


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def mentors(personas):
    """The always-open programme with two mentors in New York, both speaking English and Spanish: mo teaches
    Python, bea public speaking."""
    python = Skill.objects.create(name="Python")
    speaking = Skill.objects.create(name="Public speaking")
    programme = services.get_or_create_open_programme()
    bea = UserFactory(username="bea", display_name="Bea Speaker", languages=["en", "es"], time_zone="America/New_York")
    for person in (personas.mo, bea):
        person.languages, person.time_zone = ["en", "es"], "America/New_York"
        person.save(update_fields=["languages", "time_zone"])
    common = {"languages": ["en", "es"], "time_zone": "America/New_York", "availability": WORKING_DAYS}
    services.apply(
        programme=programme,
        person=personas.mo,
        side=Application.Side.MENTOR,
        skills=[(python, 4)],
        capacity=2,
        goals="I can teach Python: testing, packaging and writing readable code.",
        **common,
    )
    services.apply(
        programme=programme,
        person=bea,
        side=Application.Side.MENTOR,
        skills=[(speaking, 4)],
        capacity=2,
        goals="Presenting to a room, and keeping calm while doing it.",
        **common,
    )
    return programme


def watch(page) -> list[str]:
    """What the ``problems`` fixture records, for a second person's page: console errors, uncaught exceptions,
    failed requests and 4xx/5xx answers."""
    seen = []
    page.on("console", lambda msg: seen.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.append(f"uncaught: {exc}"))
    page.on(
        "requestfailed",
        lambda r: seen.append(f"failed: {r.method} {r.url} {r.failure}") if r.failure != "net::ERR_ABORTED" else None,
    )
    page.on(
        "response",
        lambda r: seen.append(f"HTTP {r.status}: {r.request.method} {r.url}") if r.status >= 400 else None,
    )
    return seen


def next_weekday_at(zone, weekday, hour):
    """The next ``weekday`` (Monday 0) at least two days from now, at ``hour`` o'clock in ``zone``."""
    day = timezone.now().astimezone(zone).date() + timedelta(days=2)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


def test_a_mentee_finds_a_mentor_they_agree_how_to_work_and_book_a_first_meeting(
    page, new_context, login_as, problems, personas, mentors
):
    login_as(personas.alice)

    # The start page offers the always-open programme; alice asks to find a mentor.
    page.goto("/mentoring/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring")
    open_card = page.locator("section.mt-open")
    expect(open_card.get_by_role("heading", name="Informal mentoring")).to_be_visible()
    shot(page, "01-mentoring-start")
    open_card.get_by_role("link", name="Find a mentor").click()

    # The application: the skill she wants, the languages she speaks, her time zone and hours.
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a mentor")
    page.get_by_label("What you want to learn").fill("Write Python that my team can test and maintain.")
    page.get_by_label("Skill 1", exact=True).fill("Python")
    page.get_by_label("Level of skill 1").select_option(label="Beginner")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_label("Languages").fill("en, es")
    # Her working week, prefilled as Monday to Friday 9-17; she adds Tuesday evening after work.
    expect(page.get_by_role("checkbox", name="Mon 09:00")).to_be_checked()
    for hour in ("17:00", "18:00"):
        page.get_by_role("checkbox", name=f"Tue {hour}").check()
    shot(page, "02-apply-as-mentee")
    page.get_by_role("button", name="Apply and see mentors").click()

    # Her suggestions: mo first, with the reasons in words; bea (no Python) after him.
    expect(page.get_by_role("status")).to_contain_text("You have applied. Here are the mentors who fit you best.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentors who fit you")
    application = Application.objects.get(person=personas.alice, side=Application.Side.MENTEE)
    assert application.languages == ["en", "es"] and application.time_zone == "Europe/London"
    assert [s.skill.name for s in application.skills.all()] == ["Python"]
    ranked = page.locator("ol.mt-suggestions > li")
    expect(ranked.locator("h2")).to_have_text(["Mo Mentor", "Bea Speaker"])
    mo_card = ranked.filter(has=page.get_by_role("heading", name="Mo Mentor"))
    expect(mo_card.locator(".mt-rank")).to_have_text("#1")
    expect(mo_card).to_contain_text("% fit")
    reasons = mo_card.locator(".mt-parts")
    expect(reasons).to_contain_text("Mo Mentor teaches your goal skill (Python)")
    expect(reasons).to_contain_text("you both speak English and Spanish")
    expect(reasons).to_contain_text(re.compile(r"\d+ h( \d+ min)? overlap a week in your working hours"))
    shot(page, "03-suggestions")

    # Before committing she messages mo, then comes back to her suggestions.
    mo_card.get_by_role("link", name="Message").click()
    expect(page).to_have_url(re.compile(r"/messages/mo/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mo Mentor")
    page.get_by_label("Message Mo Mentor").fill("Hello Mo! Would you have time to help me with testing in Python?")
    page.get_by_role("button", name="Send").click()
    thread = page.get_by_role("log", name="Messages with Mo Mentor")
    expect(thread.locator(".msg-mine")).to_contain_text("would you have time to help me with testing", ignore_case=True)
    shot(page, "04-message-to-mo")
    assert Message.objects.filter(sender=personas.alice, body__startswith="Hello Mo!").count() == 1
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentors who fit you")

    # She asks mo, with a note.
    mo_card = page.locator("ol.mt-suggestions > li").filter(has=page.get_by_role("heading", name="Mo Mentor"))
    mo_card.locator("summary", has_text="Request").click()
    mo_card.get_by_label("A note for Mo Mentor").fill("Fortnightly calls about tests and code reviews, please.")
    mo_card.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("status")).to_contain_text("You have asked Mo Mentor. You'll be told when they answer.")
    expect(page.get_by_role("region", name="Waiting for an answer")).to_contain_text("Mo Mentor")
    # Asked, mo leaves the suggestions (a mentor already asked is not suggested again); bea is left.
    expect(page.locator("ol.mt-suggestions > li h2")).to_have_text(["Bea Speaker"])
    shot(page, "05-requested")
    match = Match.objects.get(mentee=personas.alice, mentor=personas.mo)
    assert match.state == Match.State.REQUESTED

    # Mo, at another computer, finds alice's message, then the request with her note and the reasons; he
    # accepts it.
    mo = new_context(user=personas.mo).new_page()
    mo_problems = watch(mo)
    mo.goto("/mentoring/")
    mo.get_by_role("link", name="Messages, 1 unread").click()
    expect(mo.locator("main")).to_contain_text("Alice Learner")
    expect(mo.locator("main")).to_contain_text("Hello Mo! Would you have time")
    shot(mo, "06-mo-inbox")
    mo.goto("/mentoring/")
    mo.get_by_role("link", name="1 request to answer").click()
    expect(mo.get_by_role("heading", level=1)).to_have_text("Requests")
    request = mo.locator(f"#request-{match.pk}")
    expect(request.get_by_role("heading", name="Alice Learner")).to_be_visible()
    expect(request.locator("blockquote")).to_have_text("Fortnightly calls about tests and code reviews, please.")
    expect(request).to_contain_text("Write Python that my team can test and maintain.")
    expect(request.locator(".mt-parts")).to_contain_text("you both speak English and Spanish")
    shot(mo, "07-mo-requests")
    request.get_by_label("A note for Alice Learner").fill("Happy to. Let's start next week.")
    request.get_by_role("button", name="Accept").click()

    # The pair's space: mo writes the agreement and signs it.
    expect(mo.get_by_role("status")).to_contain_text("You are now Alice Learner's mentor.")
    expect(mo.get_by_role("heading", level=1)).to_have_text("Alice Learner")
    expect(mo).to_have_url(re.compile(rf"/mentoring/pairs/{match.pk}/"))
    shot(mo, "08-mo-pair-new")
    mo.get_by_role("link", name="Edit the agreement").click()
    expect(mo.get_by_role("heading", level=1)).to_have_text("Your agreement")
    mo.get_by_label("Goals").fill("Alice writes the tests for her team's next feature on her own.")
    mo.get_by_label("How often and how we meet").fill("An hour on video every two weeks; alice books.")
    mo.get_by_label("Confidentiality").fill("What we say stays between us.")
    shot(mo, "09-mo-agreement-form")
    mo.get_by_role("button", name="Save the agreement").click()
    expect(mo.get_by_role("status")).to_contain_text("The agreement is saved.")
    agreement_section = mo.get_by_role("region", name="Agreement")
    expect(agreement_section).to_contain_text("Alice writes the tests for her team's next feature on her own.")
    agreement_section.get_by_role("button", name="Sign the agreement").click()
    expect(mo.get_by_role("status")).to_contain_text("You signed the agreement.")
    signatures = mo.get_by_role("list", name="Signatures")
    expect(signatures).to_contain_text("You signed on")
    expect(signatures).to_contain_text("Alice Learner has not signed")
    shot(mo, "10-mo-signed")

    # Alice opens the pair from the start page, reads the agreement, and signs it too.
    page.goto("/mentoring/")
    yours = page.get_by_role("region", name="Your mentoring")
    expect(yours).to_contain_text("Mo Mentor")
    expect(yours).to_contain_text("Active")
    yours.get_by_role("link", name="Open the pair").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mo Mentor")
    agreement_section = page.get_by_role("region", name="Agreement")
    expect(agreement_section).to_contain_text("An hour on video every two weeks; alice books.")
    expect(page.get_by_role("list", name="Signatures")).to_contain_text("Mo Mentor signed on")
    agreement_section.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_role("status")).to_contain_text("You have both signed the agreement.")
    signatures = page.get_by_role("list", name="Signatures")
    expect(signatures).to_contain_text("You signed on")
    expect(signatures).to_contain_text("Mo Mentor signed on")
    expect(signatures.get_by_role("button", name="Sign the agreement")).to_have_count(0)
    shot(page, "11-alice-both-signed")
    agreement = Agreement.objects.get(match=match)
    assert agreement.mentor_signed_at and agreement.mentee_signed_at

    # Alice books their first meeting: a Wednesday at 15:00 her time, which the form shows on mo's clock too.
    page.get_by_role("region", name="Meetings").get_by_role("link", name="Book a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a meeting with Mo Mentor")
    hours = page.get_by_role("complementary").filter(has=page.get_by_role("heading", name="Working hours"))
    expect(hours).to_contain_text("You: London. Mo Mentor: New York.")
    expect(hours.get_by_role("heading", name="You are both free")).to_be_visible()
    starts = next_weekday_at(LONDON, 2, 15)
    theirs = starts.astimezone(NEW_YORK)
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    preview = page.locator("#time-preview")
    expect(preview).to_contain_text(f"{theirs:%H:%M}")
    expect(preview).to_contain_text("Mo Mentor")
    page.get_by_label("Where").fill("https://meet.example/alice-mo")
    page.get_by_label("Agenda").fill("Get to know each other; go over the agreement.")
    shot(page, "12-book-meeting")
    page.get_by_role("button", name="Book and send the invites").click()
    expect(page.get_by_role("status")).to_contain_text("The meeting is booked")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{starts:%A} {starts.day} {starts:%B %Y}, 15:00")
    expect(page.locator("header.page-head .meta")).to_contain_text(f"{theirs:%H:%M} for Mo Mentor (New York)")
    shot(page, "13-meeting")
    meeting = Meeting.objects.get(match=match)
    assert meeting.starts == starts and meeting.state == Meeting.State.SCHEDULED

    # The meeting shows in the pair's space, for both of them, each on their own clock and the other's.
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Mo Mentor and Alice Learner").click()
    meetings = page.get_by_role("region", name="Meetings")
    expect(meetings).to_contain_text(f"{starts:%A} {starts.day} {starts:%B}, 15:00")
    expect(meetings).to_contain_text("for Mo Mentor (New York)")
    shot(page, "14-alice-pair-with-meeting")
    mo.reload()
    meetings = mo.get_by_role("region", name="Meetings")
    expect(meetings).to_contain_text(f"{theirs:%A} {theirs.day} {theirs:%B}, {theirs:%H:%M}")
    expect(meetings).to_contain_text("for Alice Learner (London)")
    shot(mo, "15-mo-pair-with-meeting")
    assert problems == [] and mo_problems == [], problems + mo_problems
