"""The demo's e-portfolios: a dozen showcase and process portfolios of people in the demo organisation,
with journal entries and reflections (some private), feedback asked for and given (some private), answered
and addressed, a submission assessed and one waiting, a secret link for an interview panel, and skill claims
with evidence that colleagues endorse.

Everything goes through ``portfolios.services``, ``portfolios.sharing`` and ``portfolios.claims`` on the
demo's timeline, with a random stream of its own. The work they show is the demo's own: wiki pages, files
and course completions found by title when the step runs (a smaller seed may lack some; they are skipped).
Services stamp the present moment, so each step moves what it wrote back to the moment chosen for it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalog.models import Enrolment
from core.access import can_create_in, can_view, forget_space_roles
from core.models import Item, Visibility, Watch
from people.models import Skill
from portfolios import claims, services, sharing
from portfolios.models import (
    Block,
    Endorsement,
    EndorsementRequest,
    Feedback,
    FeedbackRequest,
    JournalEntry,
    Portfolio,
    PortfolioPage,
    SecretLink,
    SkillClaim,
    Submission,
)

if TYPE_CHECKING:
    from core.seeding.demo import Timeline
    from people.models import User
    from spaces.models import Space

SHOWCASE, PROCESS = Portfolio.Kind.SHOWCASE, Portfolio.Kind.PROCESS


@dataclass(frozen=True)
class Entry:
    """A journal entry: days before now, title, body, the three answers of its reflection."""

    days_ago: float
    title: str
    body: str
    answers: tuple[str, ...] = ()
    private: bool = False
    evidence: str = ""  # the title of an item of the demo shown with it


@dataclass(frozen=True)
class Note:
    """Feedback from ``author``: on the portfolio, a page (``about`` a page title) or an entry (an entry title)."""

    author: str
    days_ago: float
    body: str
    about: str = ""
    private: bool = False
    reply: str = ""
    addressed: bool = False


@dataclass(frozen=True)
class Spec:
    owner: str
    title: str
    kind: str
    days_ago: float
    summary: str
    intro: str
    visibility: str = Visibility.ORGANISATION
    space: str = ""
    shared_with: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    work: tuple[tuple[str, str], ...] = ()  # (title of an item of the demo, what it shows)
    looking_back: tuple[str, ...] = ()
    milestones: tuple[tuple[float, str, str], ...] = ()
    private_note: str = ""
    entries: tuple[Entry, ...] = ()
    asked: tuple[tuple[str, float, str], ...] = ()  # (reviewer, days ago, message)
    feedback: tuple[Note, ...] = ()
    submit: tuple[str, float, str, str, float] | None = None  # reviewer, days ago, outcome, assessment, assessed
    link_for: str = ""  # who a secret link is made for, if any


ALICE_JOURNAL = "Becoming a data analyst"

# fmt: off
PORTFOLIOS: list[Spec] = [
    Spec(
        "alice", ALICE_JOURNAL, PROCESS, 50,
        "My first months in Data & Analytics: what I am learning, what I shipped, what I would do differently.",
        "1. **Write SQL that others can review** — by the end of the quarter my models pass review without "
        "style comments.\n2. **Own one analysis end to end** — the checkout funnel baseline, from question to "
        "dashboard.\n3. **Present at the Data Guild** — ten minutes, one chart, one decision.",
        visibility=Visibility.PRIVATE, tags=("career", "sql", "analytics"),
        milestones=(
            (48, "Started in the Data team", "Laptop, warehouse access and a buddy (Chris)."),
            (30, "SQL course completed", "Finished the SQL course from the catalogue."),
            (20, "First pull request merged", "Warehouse model for the checkout funnel."),
        ),
        private_note="Ask Priya about the analytics engineering track at my next one-to-one. "
        "Still nervous presenting in English and French in the same week.",
        entries=(
            Entry(46, "First week: finding my way around the warehouse",
                  "Read the [[data-guild:SQL style guide]] twice and ran every example against the staging copy.",
                  ("I spent the week reading models and the style guide, and shadowed Chris on a review.",
                   "The style guide is mostly about making reviews short: consistent names save everyone time.",
                   "Write my next query in the house style from the start instead of fixing it afterwards.")),
            Entry(38, "SQL office hours",
                  "Took three questions to office hours: CTEs, window functions and why `select *` is banned.",
                  ("Priya answered my CTE question and showed how the planner inlines them.",
                   "I had been avoiding CTEs for performance reasons that no longer apply.",
                   "Refactor the funnel query into named CTEs and compare the plans."),
                  evidence="SQL style guide"),
            Entry(31, "Checkout funnel definitions",
                  "Wrote down what each funnel step means so product and data count the same sessions.",
                  ("I drafted the funnel definitions page and asked Chris and Priya to check it.",
                   "Half the disagreement about conversion came from counting bots and abandoned sessions.",
                   "Keep definitions next to the model and link them from the dashboard."),
                  evidence="Funnel metrics definitions"),
            Entry(24, "A review that hurt a little",
                  "My first warehouse pull request came back with twenty-three comments.",
                  ("Chris reviewed my model and most comments were about naming and tests I had skipped.",
                   "I felt I was slowing the team down, and I did not ask for help early enough.",
                   "Ask for a quick look after the first hour, not after the last."),
                  private=True),
            Entry(15, "Baseline numbers for the checkout redesign",
                  "Delivered the baseline conversion numbers the redesign team will compare against.",
                  ("I ran the baseline over eight weeks of sessions and wrote up the caveats.",
                   "Sophie used it the same day to set the redesign's target: analysis matters when it is on time.",
                   "Automate the weekly refresh so the numbers stay current without me."),
                  evidence="A/B testing cheat sheet"),
            Entry(6, "Preparing my Data Guild show-and-tell",
                  "Ten minutes, one chart: conversion by step, before and after the bot filter.",
                  ("I drafted the slides and rehearsed with Mo.",
                   "Mo's advice: start with the decision the chart supports, not with the method.",
                   "Cut the slides from twelve to five and rehearse once more on Thursday.")),
        ),
        asked=(("mo", 20, "Could you read my journal before our next mentoring session? Be honest."),),
        feedback=(
            Note("mo", 18, "Your office-hours entry is the strongest: you say what changed in how you work. "
                 "Do that in every entry.", about="SQL office hours",
                 reply="Thank you — I rewrote the funnel entry the same way.", addressed=True),
            Note("mo", 17, "Between us: twenty-three review comments is normal for a first model. Chris gave me "
                 "forty on mine. Ask early; nobody minds.", private=True,
                 reply="That helps more than you know. Thank you."),
            Note("mo", 5, "For the show-and-tell: one chart is right. Put the number in the title.",
                 about="Preparing my Data Guild show-and-tell"),
        ),
    ),
    Spec(
        "mo", "Engineering practice and mentoring", SHOWCASE, 45,
        "What I care about as a staff engineer: readable code, tests that do not flake, and people who grow.",
        "Staff Software Engineer in London. I look after the Python Practice community, mentor two new "
        "engineers and write the style guides nobody should have to argue about twice.",
        tags=("python", "mentoring", "testing"),
        work=(("Python style guide", "The guide every Python review points to; I keep it short on purpose."),
              ("Lightning talk: flaky tests", "A ten-minute talk on the three causes of flaky tests and one rule."),
              ("ADR-001: PostgreSQL for every service", "The decision record I wrote to end a two-year debate.")),
        looking_back=("I wrote guides, gave talks and reviewed a lot of code this year.",
                      "Short documents get read; long ones get bookmarked and forgotten.",
                      "Spend more time pairing with new joiners and less writing rules."),
        link_for="Staff engineer promotion panel",
    ),
    Spec(
        "priya", "Building the Data & Analytics Guild", SHOWCASE, 40,
        "Two years of turning a handful of analysts into a guild that the rest of the company asks first.",
        "Head of Data in London. I run the Data & Analytics Guild and care about numbers people can trust.",
        tags=("data", "leadership"),
        work=(("Dashboard style guide", "How we make dashboards that answer one question each."),
              ("Learning hours by site, Q3", "The chart that convinced leadership to fund learning time."),
              ("SQL style guide", "Started by me, now mostly written by the guild.")),
        looking_back=("The guild grew from five to thirty people and now reviews every dashboard.",
                      "Writing things down once saves answering them a hundred times.",
                      "Hand the guild's day-to-day to Chris and spend my time on data quality."),
    ),
    Spec(
        "tom", "Growing into a senior backend engineer", PROCESS, 42,
        "A record of the work and reflection behind my case for senior engineer.",
        "1. Lead one cross-team change from design to production.\n2. Run the Friday kata for a month.\n"
        "3. Be the on-call engineer others want in an incident.",
        visibility=Visibility.PEOPLE, shared_with=("amara", "mo"), tags=("career", "backend"),
        milestones=((35, "Design doc for the payment workers", "Approved by the platform team."),),
        entries=(
            Entry(36, "Designing the payment worker restart", "Wrote the design for safe restarts.",
                  ("I wrote the design and gathered comments from three teams.",
                   "Most objections were about rollbacks, which I had not thought through.",
                   "Start with the rollback section next time."),
                  evidence="Restarting the payment workers"),
            Entry(20, "Running the Friday kata", "Four Fridays of pytest kata with six to ten people each.",
                  ("I prepared four katas and ran them with the Python Practice community.",
                   "People came back when the kata was about our own code, not toy problems.",
                   "Ask the next host to use a real bug from the backlog."),
                  evidence="Friday kata: testing with pytest"),
            Entry(9, "My first incident as incident lead", "Led the response to a queue backlog.",
                  ("I led the response, kept the timeline and wrote the review.",
                   "Calm updates every fifteen minutes mattered more than the fix itself.",
                   "Practise the incident lead role in a game day."),
                  private=True),
        ),
        feedback=(Note("amara", 8, "The kata entry shows leadership without the title. Add numbers: who came "
                       "back, what changed in their code.", about="Running the Friday kata",
                       reply="Added attendance and two pull requests that came out of it.", addressed=True),),
        submit=("amara", 4, Submission.Outcome.MEETS,
                "Clear evidence of leading cross-team work and growing others. Meets the senior bar; keep the "
                "incident work going.", 2),
    ),
    Spec(
        "sophie", "Product management portfolio", SHOWCASE, 30,
        "The checkout redesign from discovery to decision, and how I work with design, data and engineering.",
        "Product Manager in London, leading the checkout redesign. I like small bets, clear metrics and "
        "decisions written down.",
        tags=("product", "checkout"),
        work=(("Decision: one-page checkout", "How we chose a one-page checkout, with the evidence."),
              ("Checkout funnel conversion", "The numbers we set our target against."),
              ("Kick-off meeting", "How the project started: goals, roles and what we would not do.")),
        looking_back=("We went from a hunch to a decision in five weeks.",
                      "The baseline numbers made the argument for us.",
                      "Involve data from the first day next time."),
        link_for="Interview panel",
    ),
    Spec(
        "oliver", "Design work: the checkout redesign", SHOWCASE, 7,
        "Research, sketches and reviews behind the new payment step.",
        "Senior Product Designer. I design for the person in a hurry on a small phone.",
        visibility=Visibility.SPACE, space="checkout-redesign", tags=("design", "checkout"),
        work=(("Design review: payment step", "The review where we cut the payment step from three screens to one."),
              ("Accessibility test plan", "How we test every step with a screen reader.")),
        looking_back=("I led two design reviews and ran five usability sessions.",
                      "Accessibility issues found early cost minutes; found late, weeks.",
                      "Put the test plan in the definition of done."),
    ),
    Spec(
        "kevin", "On-call journal", PROCESS, 44,
        "What I learn from each on-call week: incidents, runbooks and the fixes that stick.",
        "Make every on-call week leave the runbooks better than it found them.",
        visibility=Visibility.SPACE, space="platform", tags=("on-call", "sre"),
        entries=(
            Entry(40, "Runbook cleanup", "Rewrote the on-call runbook's first page.",
                  ("I merged three outdated pages into one.",
                   "New on-call engineers read the first page only.",
                   "Keep the first page to what you do in the first five minutes."),
                  evidence="On-call runbook"),
            Entry(18, "Sign-in outage", "Supported the response to the sign-in outage.",
                  ("I handled customer-facing updates while Arjun fixed the certificate.",
                   "Our status page was the slowest part of the response.",
                   "Automate the first status update."),
                  evidence="Incident review: sign-in outage"),
            Entry(3, "Credential rotation drill", "Rotated the staging database credentials with the runbook.",
                  ("The drill took forty minutes instead of ten.",
                   "Two steps in the runbook assumed access I did not have.",
                   "Fix the runbook and repeat the drill next month.")),
        ),
        feedback=(Note("kenji", 16, "Good call on the status page. Raise it at the incident review.",
                       about="Sign-in outage"),),
    ),
    Spec(
        "grace", "Machine learning engineering apprenticeship", PROCESS, 35,
        "My apprenticeship evidence: projects, reflections and what my assessor asked for.",
        "Complete the apprenticeship's three projects and pass the end-point assessment.",
        visibility=Visibility.PEOPLE, shared_with=("priya",), tags=("apprenticeship", "machine-learning"),
        entries=(
            Entry(30, "Project 1: churn model baseline", "A logistic regression baseline for churn.",
                  ("I built the baseline and documented the features.",
                   "The simplest model was within two points of the best one.",
                   "Always ship the baseline first.")),
            Entry(12, "Project 2: A/B test analysis", "Analysed the onboarding e-mail experiment.",
                  ("I ran the analysis with the guild's cheat sheet.",
                   "Peeking at results early would have given the wrong answer.",
                   "Fix the sample size before the test starts."),
                  evidence="A/B testing cheat sheet"),
        ),
        submit=("priya", 2, "", "", 0),
    ),
    Spec(
        "nia", "UX research highlights", SHOWCASE, 26,
        "Research that changed what we built: methods, findings and the decisions they led to.",
        "UX Researcher in New York. I make sure we hear from the people who struggle most.",
        tags=("research", "accessibility"),
        work=(("Customer journey map", "Where people get stuck between trial and renewal, from my interviews."),
              ("Survey results: skills we want to learn", "Questions I reworded so people answer honestly.")),
        looking_back=("I ran twelve sessions with screen-reader users.",
                      "The team changed its mind after watching one recording, not after reading my report.",
                      "Share clips, not slides."),
    ),
    Spec(
        "lee", "Learning & Development practice", SHOWCASE, 48,
        "How we help people learn at work: onboarding, the catalogue, mentoring and the skills survey.",
        "Learning & Development Lead in Singapore. I curate the catalogue and look after new joiners.",
        tags=("learning", "onboarding"),
        work=(("Onboarding checklist", "The checklist every new joiner gets, now with buddies in every office."),
              ("Survey results: skills we want to learn", "What three hundred people told us they want to learn.")),
        looking_back=("We rebuilt onboarding and the catalogue this year.",
                      "People learn most from each other; courses are the frame.",
                      "Grow the mentoring programme to every office."),
    ),
    Spec(
        "chris", "Analytics engineering log", PROCESS, 38,
        "Notes on the warehouse models I build and review.",
        "Make the warehouse something analysts trust without asking me.",
        tags=("analytics-engineering", "sql"),
        entries=(
            Entry(33, "Window functions in the style guide", "Added a section on named windows.",
                  ("I added examples after reviewing the same pattern five times.",
                   "A good example in the guide replaces many review comments.",
                   "Add examples for every recurring review comment."),
                  evidence="SQL style guide"),
            Entry(21, "Reviewing Alice's first model", "Reviewed a new analyst's first warehouse model.",
                  ("I left twenty-three comments, mostly naming and tests.",
                   "That many comments can feel like a wall.",
                   "Pair for the first review instead of writing comments."),
                  private=True),
        ),
        feedback=(Note("priya", 19, "Pairing on first reviews is a great idea; let's make it the guild's norm.",
                       about="Window functions in the style guide"),),
    ),
    Spec(
        "amara", "My first year as an engineering manager", PROCESS, 47,
        "What I am learning about leading a team: feedback, health checks and hiring.",
        "Give useful feedback every week and keep the team's health check green.",
        visibility=Visibility.PRIVATE, tags=("leadership", "management"),
        private_note="Talk to Lee about a coach for the second half of the year.",
        entries=(
            Entry(34, "Trying the SBI model", "Used situation, behaviour, impact in three one-to-ones.",
                  ("I prepared feedback with SBI for three people.",
                   "Specific behaviour made the conversations shorter and kinder.",
                   "Ask for feedback on my own feedback."),
                  evidence="Giving feedback: the SBI model"),
            Entry(8, "Team health check", "Ran the quarterly health check.",
                  ("Two areas turned amber: release pain and learning time.",
                   "The team said what I suspected but had not asked about.",
                   "Protect Friday afternoons for learning."),
                  private=True, evidence="Team health check results"),
        ),
    ),
    Spec(
        "weiling", "Data science work samples", SHOWCASE, 33,
        "Experiments and models I am proud of, with what they changed.",
        "Data Scientist in Singapore. Experiments, forecasting and teaching statistics to non-statisticians.",
        tags=("statistics", "experiments"),
        work=(("A/B testing cheat sheet", "One page that stops the most common mistakes in our experiments."),
              ("Reading list: statistics for analysts", "The books I give every analyst who asks.")),
        looking_back=("I wrote down what I explain most often.",
                      "A cheat sheet is read more than a course is taken.",
                      "Turn the reading list into a study group."),
    ),
]
# fmt: on

# Alice's skill claims: (skill name, level, statement, endorser, endorse days ago or None for still waiting).
ALICE_CLAIMS = [
    (
        "statistics",
        3,
        "I built the checkout funnel baseline and defined its metrics; I can choose and explain the right test.",
        "priya",
        9,
    ),
    (
        "digital data processing",
        2,
        "I clean and model session data in the warehouse, with tests, following the SQL style guide.",
        "mo",
        None,
    ),
]

# What each step wrote is dated by these fields (the rows a step makes all have a stamp after it began).
STAMPED = [
    (Item, ("created", "updated")),
    (Watch, ("created",)),
    (PortfolioPage, ("created", "updated")),
    (Block, ("created", "updated")),
    (JournalEntry, ("created", "updated")),
    (FeedbackRequest, ("created", "answered")),
    (Feedback, ("created", "addressed")),
    (Submission, ("created", "assessed_at")),
    (SecretLink, ("created",)),
    (SkillClaim, ("created", "updated", "endorsed_at")),
    (EndorsementRequest, ("created", "responded")),
    (Endorsement, ("created",)),
]


def schedule_portfolios(timeline: Timeline, staff: dict[str, User], spaces: dict[str, Space], *, seed: int) -> None:
    """Put every portfolio's making, journal, feedback, submission and claims on the demo's timeline."""
    from core.seeding.demo import Timeline

    # A stream (and a clock drawing from it) of its own, so the portfolios change nothing else the demo draws.
    clock = Timeline(now=timeline.now, rng=random.Random(f"portfolios-{seed}"))
    made: dict[str, Portfolio] = {}
    for spec in PORTFOLIOS:
        if spec.owner in staff:
            _schedule(timeline, clock, spec, staff, spaces, made)
    if "alice" in staff:
        _schedule_claims(timeline, clock, staff, made)


class _Chain:
    """A portfolio's steps in order: each no earlier than the one before, none later than the present."""

    def __init__(self, timeline: Timeline, clock: Timeline) -> None:
        self.timeline, self.clock, self.last = timeline, clock, None

    def add(self, days_ago: float, person: User, step: Callable[[datetime], None]) -> None:
        when = self.clock.moment(days_ago, person)
        if self.last is not None:
            when = max(when, self.last + timedelta(minutes=30))
        when = min(when, self.timeline.now - timedelta(minutes=5))
        self.last = when
        self.timeline.add(when, lambda w: _stamped(step, w))


def _stamped(step: Callable[[datetime], None], when: datetime) -> None:
    began = timezone.now()
    step(when)
    for model, fields in STAMPED:
        for name in fields:
            model.objects.filter(**{f"{name}__gte": began}).update(**{name: when})


def _schedule(timeline, clock, spec: Spec, staff, spaces, made: dict[str, Portfolio]) -> None:
    """The portfolio's steps, oldest first (a stable sort keeps the script's order for the same day)."""
    owner = staff[spec.owner]
    steps: list[tuple[float, User, Callable[[datetime], None]]] = [
        (spec.days_ago, owner, lambda w: _create(timeline, spec, owner, staff, spaces, made, w))
    ]
    for entry in spec.entries:
        steps.append((entry.days_ago, owner, lambda w, e=entry: _entry(timeline, made[spec.title], owner, e, w)))
    for username, days_ago, message in spec.asked:
        if username in staff:
            steps.append((days_ago, owner, lambda w, u=staff[username], m=message: _ask(made[spec.title], owner, u, m)))
    for note in spec.feedback:
        if note.author in staff:
            author = staff[note.author]
            steps.append((note.days_ago, author, lambda w, n=note, a=author: _feedback(made[spec.title], a, n)))
            if note.reply or note.addressed:
                steps.append((note.days_ago - 0.2, owner, lambda w, n=note, a=author: _answer(made[spec.title], a, n)))
    if spec.submit and spec.submit[0] in staff:
        reviewer, days_ago, outcome, assessment, assessed = spec.submit
        reviewer = staff[reviewer]
        steps.append((days_ago, owner, lambda w: _submit(made[spec.title], owner, reviewer)))
        if outcome:
            steps.append((assessed, reviewer, lambda w: _assess(made[spec.title], reviewer, outcome, assessment)))
    if spec.link_for:
        steps.append(
            (max(spec.days_ago - 10, 1), owner, lambda w: _secret_link(made[spec.title], owner, spec.link_for))
        )
    chain = _Chain(timeline, clock)
    for days_ago, person, step in sorted(steps, key=lambda s: -s[0]):
        chain.add(days_ago, person, step)


def _fresh(portfolio: Portfolio) -> Portfolio:
    """The portfolio as stored now: an earlier step's copy still holds the moments before they were backdated,
    and a service that saves it would write them back."""
    return Portfolio.objects.select_related("item__owner").get(pk=portfolio.pk)


def _found(person: User, title: str) -> Item | None:
    """An item of the demo the person can see, by its title."""
    if not title:
        return None
    forget_space_roles(person)
    return Item.objects.visible_to(person).filter(title=title, deleted_at=None).order_by("pk").first()


def _once_found(timeline: Timeline, person: User, title: str, when: datetime, then: Callable[[Item], None]) -> None:
    """``then(item)`` with the item titled ``title`` as soon as ``person`` can see it.

    The work a portfolio shows may be written after the step that shows it: days after, or on the same
    day with the hours drawn the other way round, depending on the weekday the demo is made on. What is
    missing is looked for again on each working day after, as its owner would add it once it is there.
    """
    item = _found(person, title)
    if item is not None:
        then(item)
        return
    latest = timeline.now - timedelta(minutes=5)
    if when >= latest:
        return  # never written (a smaller seed), or one the person may not see
    later = when + timedelta(days=1)
    while later.astimezone(ZoneInfo(person.time_zone)).weekday() >= 5:
        later += timedelta(days=1)

    def again(w: datetime) -> None:
        _once_found(timeline, person, title, w, then)

    timeline.add(min(later, latest), lambda w: _stamped(again, w))


def _show(portfolio: Portfolio, owner: User, item: Item, note: str) -> None:
    """Put the work on the showcase's page of best work: in its first, empty artefact, else at the end."""
    portfolio = _fresh(portfolio)
    page = portfolio.pages.get(title="My best work")
    blocks = {block.title: block for block in page.blocks.all()}
    first = blocks.get("A piece of work")
    if first is not None and first.item_id is None and first.enrolment_id is None:
        services.update_block(actor=owner, block=first, item=item)
        services.update_block(actor=owner, block=blocks["What it shows"], body=note)
    else:
        services.add_block(actor=owner, page=page, kind=Block.Kind.ARTEFACT, column=0, item=item)
        services.add_block(actor=owner, page=page, kind=Block.Kind.TEXT, column=1, body=note)


def _create(
    timeline: Timeline, spec: Spec, owner: User, staff, spaces, made: dict[str, Portfolio], when: datetime
) -> None:
    forget_space_roles(owner)
    space = spaces.get(spec.space) if spec.space else None
    visibility = spec.visibility
    if visibility == Visibility.SPACE and (space is None or not can_create_in(owner, space)):
        visibility, space = Visibility.ORGANISATION, None
    shared_with = [staff[u] for u in spec.shared_with if u in staff]
    if visibility == Visibility.PEOPLE and not shared_with:
        visibility = Visibility.PRIVATE
    portfolio = services.create_portfolio(
        owner=owner,
        title=spec.title,
        kind=spec.kind,
        summary=spec.summary,
        space=space,
        visibility=visibility,
        tags=spec.tags,
        shared_with=shared_with,
    )
    made[spec.title] = portfolio
    blocks = {
        (b.page.title, b.title): b for b in Block.objects.filter(page__portfolio=portfolio).select_related("page")
    }
    prompts = [p["prompt"] for p in portfolio.prompts()]
    if spec.kind == SHOWCASE:
        services.update_block(actor=owner, block=blocks[("About me", "Who I am")], body=spec.intro)
        for title, note in spec.work:
            _once_found(timeline, owner, title, when, lambda item, n=note: _show(portfolio, owner, item, n))
        if spec.looking_back:
            answers = [{"prompt": p, "answer": a} for p, a in zip(prompts, spec.looking_back, strict=False)]
            services.update_block(actor=owner, block=blocks[("What I learned", "Looking back")], answers=answers)
    else:
        services.update_block(actor=owner, block=blocks[("Goals", "What I want to learn")], body=spec.intro)
        events = [
            {"date": (when + timedelta(days=spec.days_ago - days)).date().isoformat(), "title": t, "text": text}
            for days, t, text in spec.milestones
        ]
        if events:
            services.update_block(actor=owner, block=blocks[("Progress", "Timeline")], events=events)
    if spec.private_note:
        first = portfolio.pages.order_by("position", "pk").first()
        services.add_block(
            actor=owner, page=first, kind=Block.Kind.TEXT, title="Notes to self", body=spec.private_note, private=True
        )


def _entry(timeline: Timeline, portfolio: Portfolio, owner: User, entry: Entry, when: datetime) -> None:
    portfolio = _fresh(portfolio)
    prompts = [p["prompt"] for p in portfolio.prompts()]
    written = services.add_entry(
        actor=owner,
        portfolio=portfolio,
        title=entry.title,
        happened=when.date(),
        body=entry.body,
        answers=[{"prompt": p, "answer": a} for p, a in zip(prompts, entry.answers, strict=False)],
        reflection_private=entry.private,
    )
    if entry.evidence:
        _once_found(timeline, owner, entry.evidence, when, lambda item: _cite(written.pk, owner, item))


def _cite(entry_pk: int, owner: User, item: Item) -> None:
    """Show the work the journal entry is about with it."""
    entry = JournalEntry.objects.select_related("portfolio__item__owner").get(pk=entry_pk)
    services.update_entry(
        actor=owner,
        entry=entry,
        title=entry.title,
        happened=entry.happened,
        body=entry.body,
        answers=entry.answers,
        reflection_private=entry.reflection_private,
        item=item,
    )


def _ask(portfolio: Portfolio, owner: User, reviewer: User, message: str) -> None:
    forget_space_roles(owner)
    portfolio = _fresh(portfolio)
    sharing.request_feedback(actor=owner, portfolio=portfolio, reviewers=[reviewer], message=message)


def _feedback(portfolio: Portfolio, author: User, note: Note) -> None:
    forget_space_roles(author)
    portfolio = _fresh(portfolio)
    if not can_view(author, portfolio.item):
        return
    entry = portfolio.entries.filter(title=note.about).first() if note.about else None
    page = portfolio.pages.filter(title=note.about).first() if note.about and entry is None else None
    sharing.give_feedback(
        actor=author, portfolio=portfolio, body=note.body, page=page, entry=entry, private=note.private
    )


def _answer(portfolio: Portfolio, author: User, note: Note) -> None:
    """The owner replies to the feedback and marks it as addressed."""
    portfolio = _fresh(portfolio)
    feedback = portfolio.feedback.filter(author=author, parent=None, body=note.body).first()
    if feedback is None:
        return
    owner = portfolio.item.owner
    if note.reply:
        sharing.reply_to_feedback(actor=owner, feedback=feedback, body=note.reply)
    if note.addressed:
        sharing.set_addressed(actor=owner, feedback=feedback, addressed=True)


def _submit(portfolio: Portfolio, owner: User, reviewer: User) -> None:
    forget_space_roles(owner)
    portfolio = _fresh(portfolio)
    sharing.submit_for_review(
        actor=owner, portfolio=portfolio, reviewer=reviewer, message="Ready for your assessment, thank you."
    )


def _assess(portfolio: Portfolio, reviewer: User, outcome: str, assessment: str) -> None:
    submission = portfolio.submissions.filter(reviewer=reviewer, state=Submission.State.SUBMITTED).first()
    if submission is not None:
        sharing.assess_submission(actor=reviewer, submission=submission, outcome=outcome, assessment=assessment)


def _secret_link(portfolio: Portfolio, owner: User, label: str) -> None:
    sharing.create_secret_link(actor=owner, portfolio=_fresh(portfolio), label=label)


# Alice's claims: evidence from her own work, one endorsed by her head of data, one still waiting for Mo.


def _schedule_claims(timeline, clock, staff, made: dict[str, Portfolio]) -> None:
    alice = staff["alice"]
    for name, level, statement, endorser, endorsed in ALICE_CLAIMS:
        person = staff.get(endorser) or staff["mo"]
        chain = _Chain(timeline, clock)
        chain.add(
            12 if endorsed else 4, alice, lambda w, n=name, lv=level, s=statement: _claim(made, alice, n, lv, s, w)
        )
        chain.add(12 if endorsed else 4, alice, lambda w, n=name, p=person: _ask_endorsement(alice, n, p))
        if endorsed is not None:
            chain.add(endorsed, person, lambda w, n=name, p=person, lv=level: _endorse(alice, n, p, lv))


def _skill(name: str) -> Skill | None:
    return Skill.objects.filter(name__iexact=name).order_by("depth", "pk").first()


def _claim(made: dict[str, Portfolio], alice: User, name: str, level: int, statement: str, when: datetime) -> None:
    skill = _skill(name)
    portfolio = made.get(ALICE_JOURNAL)
    if skill is None or portfolio is None:
        return
    portfolio = _fresh(portfolio)
    evidence = []
    page = _found(alice, "Funnel metrics definitions")
    if page is not None:
        evidence.append(claims.EvidenceChoice(item=page, note="The funnel definitions I wrote for the guild."))
    # Evidence comes before the claim: a course she had completed by then.
    course = (
        Enrolment.objects.filter(person=alice, state=Enrolment.State.COMPLETED, completed_at__lt=when)
        .order_by("completed_at", "pk")
        .first()
    )
    if course is not None:
        evidence.append(claims.EvidenceChoice(enrolment=course, note="A course I completed."))
    if not evidence:  # a smaller seed may lack both: her journal's goals still show the work
        block = Block.objects.filter(page__portfolio=portfolio, kind=Block.Kind.TEXT).order_by("pk").first()
        evidence.append(claims.EvidenceChoice(block=block, note="My goals and what I did about them."))
    claims.create_claim(
        person=alice, skill=skill, level=level, statement=statement, portfolio=portfolio, evidence=evidence
    )


def _ask_endorsement(alice: User, name: str, endorser: User) -> None:
    claim = SkillClaim.objects.filter(person=alice, skill__name__iexact=name).first()
    if claim is not None:
        claims.ask_for_endorsement(
            actor=alice, claim=claim, endorsers=[endorser], message="Would you endorse this? The evidence is attached."
        )


def _endorse(alice: User, name: str, endorser: User, level: int) -> None:
    request = EndorsementRequest.objects.filter(
        claim__person=alice, claim__skill__name__iexact=name, endorser=endorser, state=EndorsementRequest.State.PENDING
    ).first()
    if request is None:
        return
    try:
        claims.endorse(
            actor=endorser,
            request=request,
            level=level,
            comment="Alice's funnel baseline is the analysis the checkout team relies on. Well earned.",
        )
    except (PermissionDenied, ValidationError):
        return
