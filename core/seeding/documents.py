"""The demo's files: what each is, who shared it where, and its bytes (drawn, written or synthesised here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.seeding import media


@dataclass(frozen=True)
class DemoFile:
    name: str
    title: str
    owner: str
    space: str | None
    visibility: str
    days_ago: float
    summary: str
    tags: tuple[str, ...]
    make: object = field(repr=False)
    shared_with: tuple[str, ...] = ()

    def content(self) -> bytes:
        data = self.make()
        return data.encode() if isinstance(data, str) else data


STYLE_GUIDE = """# Python style guide

We follow PEP 8 and let **ruff** enforce it: `ruff check` and `ruff format` run in CI.

## Naming
- Functions say what they do: `publish_revision()`, not `handle()`.
- Booleans read as questions: `is_active`, `has_children`.

## Functions
1. Keyword-only arguments for anything with more than two parameters.
2. Type hints on every public function.
3. Return early instead of nesting.

## Tests
- One behaviour per test; name it as a sentence: `test_it_rejects_expired_tokens`.
- Factories, not fixtures files.

> Questions? Ask in Python Practice or book a slot with Mo.
"""

PYTEST_KATA = """# Friday kata: testing with pytest

This week: the bowling-game kata, test first.

| Round | Pair | Tests | Notes |
|---|---|---|---|
| 1 | Tom + Alice | 7 | stuck on strikes in the tenth frame |
| 2 | Lucas + Grace | 9 | parametrised the spare cases |
| 3 | Mo + Jun | 11 | property test found a bug in bonus rolls |

## What we learned
- `pytest.mark.parametrize` keeps the cases readable.
- Hypothesis found an off-by-one none of us saw.
- Small commits made the refactor painless.
"""

TYPE_HINTS = """Type hints cheat sheet
======================

list[int]              a list of ints
dict[str, float]       a dict from str to float
int | None             optional value (Python 3.10+)
Callable[[int], str]   a function taking an int, returning a str
TypedDict              dicts with known keys
Protocol               structural types ("anything with a .read()")

Run mypy or pyright in CI; start with --strict on new modules only.
"""

ONBOARDING = """# Onboarding checklist

Welcome! Work through this in your first two weeks.

## Day one
- [ ] Collect your laptop and badge from Operations
- [ ] Sign in to Watercooler and fill in your profile: skills, languages, a photo
- [ ] Join **New Joiners Hub** and the community for your discipline

## Week one
- [ ] Meet your buddy (Hannah in London, Lee in Singapore, Larissa in São Paulo, Lauren in New York)
- [ ] Complete the security awareness handbook
- [ ] Book a coffee with three people outside your team

## Week two
- [ ] Agree your learning goals with your manager
- [ ] Find a mentor through *Find an expert* on the people directory
"""

AB_TESTING = """# A/B testing cheat sheet

1. **Write the hypothesis first.** "Showing delivery dates on the basket page raises conversion by 2%."
2. **Fix the sample size before you start**; use the power calculator in the guild's reading list.
3. **One primary metric.** Secondary metrics are for learning, not for deciding.
4. **Do not peek.** If you must, use a sequential test.
5. **Check for sample-ratio mismatch** before reading any result.

Common traps: novelty effects, seasonality, and counting users twice across devices.
"""

STATS_READING = """# Reading list: statistics for analysts

1. *Naked Statistics*, Charles Wheelan: the intuition, no formulas
2. *Statistical Rethinking*, Richard McElreath: Bayesian, with lectures online
3. *Trustworthy Online Controlled Experiments*, Kohavi, Tang and Xu
4. *Storytelling with Data*, Cole Nussbaumer Knaflic
5. *The Art of Statistics*, David Spiegelhalter

Curated by Lee with the Data & Analytics Guild. Add a comment with what you would include.
"""

SQL_WINDOWS = """# SQL window functions: worked examples

```sql
-- Running total of learning hours per person
SELECT person_id, week, hours,
       SUM(hours) OVER (PARTITION BY person_id ORDER BY week) AS running_hours
FROM learning_hours;

-- Rank courses by enrolments within each site
SELECT site, course, enrolments,
       RANK() OVER (PARTITION BY site ORDER BY enrolments DESC) AS site_rank
FROM course_enrolments;
```

`ROWS BETWEEN 6 PRECEDING AND CURRENT ROW` gives a seven-day moving window.
"""

SBI_FEEDBACK = """# Giving feedback: the SBI model

**Situation**: when and where. "In Tuesday's planning meeting..."
**Behaviour**: what you saw or heard, not what you assume. "...you cut Anh off twice..."
**Impact**: what it did. "...and the team stopped offering ideas."

Then ask, and listen: "How did you see it?"

Practise in pairs at the next Leadership Circle session.
"""

OFFSITE_NOTES = """Leadership offsite, notes
=========================

Attendees: Lee, Amara, Priya, Kenji, Jamal, Beatriz, David

1. Hiring plan for next half: 14 roles, half of them in Singapore and São Paulo.
2. Manager training: pilot a six-week programme, Lee to draft by month end.
3. Engagement survey: scores up on growth, down on cross-office collaboration.
   Action: pair teams across time zones for one project each quarter.
4. Next offsite in São Paulo.
"""

INCIDENT = """# Incident review: sign-in outage

**Impact**: 38 minutes in which about 40% of sign-ins failed. **Severity**: 2.

## Timeline (UTC)
- 08:12 certificate of the identity provider rotated
- 08:15 alerts on failed sign-ins
- 08:31 cause found: old certificate pinned in configuration
- 08:50 new certificate deployed, error rate back to normal

## What went well
Alerting fired within three minutes; the on-call runbook was up to date.

## Actions
- [x] Read the IdP metadata URL instead of pinning the certificate (Arjun)
- [ ] Add a synthetic sign-in check every minute (Kevin)
"""

RUNBOOK = """# On-call runbook

## First five minutes
1. Acknowledge the page.
2. Open the service dashboard; check error rate, latency and saturation.
3. Post in #incidents: what you see, what you will try next.

## Common fixes
| Symptom | Try |
|---|---|
| 5xx spike after deploy | roll back with `deploy rollback <service>` |
| Queue growing | scale workers, then look for a stuck task |
| Disk full | rotate logs, then find the growth |

Escalate to the platform manager after 30 minutes without progress.
"""

DESIGN_REVIEW = """# Checkout redesign: design review notes

- One page instead of three; address autocomplete on by default.
- Payment errors shown inline, next to the field, and announced to screen readers.
- Focus order checked with keyboard only; the promo-code field moved below the total.
- Gus found that the date picker traps focus in Safari: ticket open.

Next review: wireframes for the saved-cards flow.
"""

NORTHWIND_CHECKLIST = """# Northwind due diligence checklist

Confidential. Members of Project Northwind only.

- [x] Three years of audited accounts received
- [x] Customer concentration analysis
- [ ] Key contracts reviewed by Legal (Fatima)
- [ ] IP ownership and open-source licences
- [ ] Retention risk for the founding engineers
- [ ] Integration cost estimate
"""

MENTORING_TEMPLATE = """# Mentoring session template

**Before**: the mentee writes down one thing that went well and one they are stuck on.

**During (45 minutes)**
1. Catch-up (5)
2. The stuck thing (25): ask before telling
3. Next steps (10): one experiment to try before next time
4. Anything else (5)

**After**: mentee notes the experiment in their learning plan.
"""

LEARNING_PLAN = """# My learning plan

Goal for this quarter: write my own analysis notebooks without help.

- Python basics: finish the Python Practice katas (3 of 8 done)
- Statistics: read *Naked Statistics*, then the A/B testing cheat sheet
- Ask Mo for a code review of my churn notebook
- Present at the Data Guild show-and-tell in week 10
"""

CODE_REVIEW = """# Code review checklist

- Does the change do one thing? Could it be two smaller reviews?
- Are the names honest?
- Is there a test that would fail if this broke?
- Errors: does bad input get a clear message, never a crash?
- Queries: any N+1 in a loop?
- Would a newcomer understand the comment, and does it say *why*?
"""

GUIDELINES = """# Community guidelines

Be kind, be curious, and share what you learn.

- Ask questions in the open: someone else has the same one.
- Credit people whose work you build on.
- Keep confidential things in invite-only spaces.
- Report anything that makes the platform feel unsafe to the admins.
"""

MEETING_NOTES = """Customer interviews: onboarding friction
=========================================

Five customers, 30 minutes each, led by Beatriz and Nia.

- 4 of 5 did not find the import button on their first visit.
- "I expected my team to be invited automatically."  (logistics customer, São Paulo)
- Two customers exported to spreadsheets to share progress with managers.
- Everyone liked the weekly digest e-mail.

Next: test a guided first-run checklist with three of them.
"""


def _csv(rows: list[tuple]) -> str:
    def cell(value):
        text = str(value)
        return f'"{text}"' if "," in text else text

    return "\n".join(",".join(cell(v) for v in row) for row in rows) + "\n"


SURVEY = _csv(
    [
        ("skill", "want_to_learn", "can_teach", "site"),
        ("Python", 41, 9, "all"),
        ("Statistics", 33, 6, "all"),
        ("Public speaking", 28, 4, "all"),
        ("Giving feedback", 25, 7, "all"),
        ("SQL", 22, 11, "all"),
        ("Negotiation", 17, 3, "all"),
        ("Spanish", 12, 8, "São Paulo"),
        ("Mandarin", 10, 6, "Singapore"),
    ]
)

CATALOGUE = _csv(
    [
        ("course", "format", "hours", "provider", "next_session"),
        ("Python for analysts", "cohort", 12, "internal", "2025-02-03"),
        ("Statistics refresher", "self-paced", 6, "internal", ""),
        ("Giving and receiving feedback", "workshop", 3, "internal", "2025-01-21"),
        ("Security awareness", "e-learning", 1, "internal", ""),
        ("Negotiation fundamentals", "workshop", 4, "external", "2025-03-10"),
        ("Accessible design", "cohort", 8, "external", "2025-02-17"),
    ]
)

L_AND_D_CALENDAR = _csv(
    [
        ("month", "event", "office", "owner"),
        ("January", "Mentoring programme kick-off", "all", "Lee"),
        ("February", "Python for analysts, cohort 4", "London", "Mo"),
        ("March", "Leadership Circle offsite", "São Paulo", "Lee"),
        ("April", "Hack week", "all", "Kenji"),
        ("May", "Customer empathy day", "New York", "Beatriz"),
        ("June", "Learning festival", "Singapore", "Larissa"),
    ]
)

DATA_CATALOGUE = _csv(
    [
        ("dataset", "owner", "refresh", "contains_personal_data"),
        ("orders", "Thiago", "hourly", "yes"),
        ("web_sessions", "Chris", "daily", "no"),
        ("nps_responses", "Beatriz", "weekly", "yes"),
        ("learning_hours", "Hana", "daily", "no"),
    ]
)

GLOSSARY = _csv(
    [
        ("term", "meaning"),
        ("Watercooler", "this platform: where we learn from each other"),
        ("Guild", "a community across teams for one discipline"),
        ("Show-and-tell", "monthly demo session, 5 minutes each"),
        ("Buddy", "a colleague in your office who helps you settle in"),
        ("Hack week", "a week in April to build anything useful"),
    ]
)

CAPACITY = _csv(
    [
        ("service", "peak_rps", "p99_ms", "headroom_pct", "action"),
        ("web", 1800, 240, 35, "none"),
        ("api", 950, 180, 20, "add two workers"),
        ("search", 300, 420, 15, "move to dedicated nodes"),
        ("queue", 120, 60, 60, "none"),
    ]
)

PAYMENT_PROVIDERS = _csv(
    [
        ("provider", "fee_pct", "local_methods", "3ds2", "payouts_days"),
        ("Provider A", 1.4, "cards, Pix, boleto", "yes", 2),
        ("Provider B", 1.9, "cards, wallets", "yes", 1),
        ("Provider C", 1.2, "cards", "partial", 3),
    ]
)

TICKET_THEMES = _csv(
    [
        ("theme", "tickets_last_30_days", "trend"),
        ("Import problems", 142, "up"),
        ("Invitations not received", 88, "down"),
        ("Billing questions", 61, "flat"),
        ("Single sign-on set-up", 44, "up"),
    ]
)

NORTHWIND_MODEL = _csv(
    [
        ("year", "revenue_m", "ebitda_m", "customers"),
        (2022, 12.4, 1.1, 310),
        (2023, 17.9, 2.6, 455),
        (2024, 24.2, 4.0, 610),
    ]
)

SITES4 = ["London", "New York", "Singapore", "São Paulo"]


def demo_files() -> list[DemoFile]:
    f = DemoFile
    return [
        # Data & Analytics Guild
        f("learning-hours-by-site.png", "Learning hours by site, Q3", "priya", "data-guild", "organisation", 52,
          "Hours logged in courses, mentoring and self-study across our four offices.", ("data-viz", "statistics"),
          lambda: media.bar_chart("Learning hours by site, Q3", SITES4, [420, 310, 380, 260], palette=1)),
        f("weekly-active-learners.png", "Weekly active learners", "hana", "data-guild", "organisation", 12,
          "Rolling count of people who completed at least one learning activity each week.", ("data-viz",),
          lambda: media.line_chart("Weekly active learners", {
              "London": [30, 34, 40, 38, 45, 50, 48, 55, 58, 61],
              "Singapore": [20, 22, 28, 30, 29, 35, 40, 42, 41, 47],
              "São Paulo": [12, 15, 14, 19, 22, 25, 24, 30, 33, 35]})),
        f("ab-testing-cheat-sheet.md", "A/B testing cheat sheet", "weiling", "data-guild", "organisation", 40,
          "Five rules and the common traps, from last month's show-and-tell.", ("statistics", "how-to"),
          lambda: AB_TESTING),
        f("skills-survey.csv", "Survey results: skills we want to learn", "lee", "data-guild", "organisation", 33,
          "What 212 colleagues said they want to learn and can teach.", ("statistics", "career"), lambda: SURVEY),
        f("statistics-reading-list.md", "Reading list: statistics for analysts", "lee", "data-guild",
          "organisation", 45, "Five books, from intuition to experiments.", ("reading-list", "statistics"),
          lambda: STATS_READING),
        f("sql-window-functions.md", "SQL window functions: worked examples", "chris", "data-guild",
          "organisation", 20, "Running totals, ranks and moving windows with real queries.", ("sql", "how-to"),
          lambda: SQL_WINDOWS),
        f("data-catalogue.csv", "Data catalogue", "thiago", "data-guild", "space", 8,
          "Which datasets exist, who owns them and whether they hold personal data.", ("sql",),
          lambda: DATA_CATALOGUE),
        f("dashboard-style-guide.pdf", "Dashboard style guide", "priya", "data-guild", "organisation", 27,
          "How our dashboards look: colours, labels and when not to use a pie chart.", ("data-viz", "design"),
          lambda: media.pdf("Dashboard style guide", [
              "1. One question per dashboard.", "2. Start axes at zero for bars.",
              "3. Label lines directly; avoid legends where you can.",
              "4. Colour means something: teal for us, grey for context."])),
        # Python Practice
        f("python-style-guide.md", "Python style guide", "mo", "python-practice", "organisation", 56,
          "How we write Python: naming, functions, tests. Enforced by ruff.", ("python", "how-to"),
          lambda: STYLE_GUIDE),
        f("pytest-kata.md", "Friday kata: testing with pytest", "tom", "python-practice", "organisation", 6,
          "Results and lessons from the bowling-game kata.", ("python", "testing"), lambda: PYTEST_KATA),
        f("type-hints.txt", "Type hints cheat sheet", "jun", "python-practice", "organisation", 31,
          "The annotations you will use every day.", ("python", "how-to"), lambda: TYPE_HINTS),
        f("packaging.png", "How our Python packages fit together", "lucas", "python-practice", "organisation", 24,
          "From the shared library to the services that use it.", ("python", "architecture"),
          lambda: media.diagram("How our Python packages fit together",
                                ["core-lib", "auth-client", "billing", "checkout", "reports"],
                                [(1, 0), (2, 0), (3, 1), (3, 2), (4, 0)])),
        f("async-python-podcast.wav", "Lunch & learn podcast: async Python in ten minutes", "mo",
          "python-practice", "organisation", 15, "Mo and Grace on when asyncio helps and when it hurts.",
          ("python", "podcast"), lambda: media.podcast_wav(6.0, seed=2)),
        # New Joiners Hub
        f("onboarding-checklist.md", "Onboarding checklist", "lee", "new-joiners", "organisation", 58,
          "Your first two weeks, step by step.", ("onboarding", "checklist"), lambda: ONBOARDING),
        f("who-is-who.png", "Who's who: how the organisation fits together", "hannah", "new-joiners",
          "organisation", 50, "Departments and how work flows between them.", ("onboarding",),
          lambda: media.diagram("Who's who", ["Product", "Design", "Engineering", "Data", "Sales", "Customer Success"],
                                [(0, 1), (1, 2), (0, 2), (2, 3), (4, 5), (5, 0)])),
        f("security-handbook.pdf", "Security awareness handbook", "ada", "new-joiners", "organisation", 47,
          "The ten habits that keep us safe. Required reading in your first week.", ("security", "onboarding"),
          lambda: media.pdf("Security awareness handbook", [
              "Lock your screen whenever you step away.", "Use the password manager; never reuse passwords.",
              "Report phishing with the Report button in your mail client.",
              "Never share customer data outside approved tools.", "Keep your laptop updated."])),
        f("glossary.csv", "Glossary of internal terms", "larissa", "new-joiners", "organisation", 38,
          "The words everyone uses and nobody explains.", ("onboarding",), lambda: GLOSSARY),
        f("welcome-podcast.wav", "Welcome podcast, episode 1", "larissa", "new-joiners", "organisation", 29,
          "Larissa and Lee on how learning works here.", ("podcast", "onboarding"),
          lambda: media.podcast_wav(5.0, seed=0)),
        # Leadership Circle
        f("sbi-feedback.md", "Giving feedback: the SBI model", "amara", "leadership-circle", "space", 35,
          "Situation, behaviour, impact, and then listen.", ("feedback", "leadership"), lambda: SBI_FEEDBACK),
        f("offsite-notes.txt", "Leadership offsite notes", "lee", "leadership-circle", "space", 22,
          "Hiring plan, manager training and the engagement survey.", ("leadership",), lambda: OFFSITE_NOTES),
        f("team-health.png", "Team health check results", "amara", "leadership-circle", "space", 9,
          "Average scores per dimension from the last check.", ("leadership", "data-viz"),
          lambda: media.bar_chart("Team health check (1-5)", ["Pace", "Clarity", "Support", "Learning", "Fun"],
                                  [3.4, 3.9, 4.2, 3.1, 3.8], palette=4)),
        # Platform Engineering
        f("platform-architecture.png", "Platform architecture", "kenji", "platform", "organisation", 44,
          "Services, data stores and how requests flow.", ("architecture",),
          lambda: media.diagram("Platform architecture", ["Load balancer", "Web", "API", "Workers", "PostgreSQL",
                                                          "Redis"],
                                [(0, 1), (0, 2), (1, 4), (2, 4), (2, 5), (3, 5), (3, 4)])),
        f("incident-sign-in.md", "Incident review: sign-in outage", "arjun", "platform", "organisation", 18,
          "What happened, what went well and what we changed.", ("incident", "security"), lambda: INCIDENT),
        f("on-call-runbook.md", "On-call runbook", "kevin", "platform", "space", 41,
          "The first five minutes of any page, and common fixes.", ("incident", "how-to"), lambda: RUNBOOK),
        f("deploy-frequency.png", "Deploys per week", "arjun", "platform", "organisation", 4,
          "Since we moved to trunk-based development.", ("data-viz",),
          lambda: media.line_chart("Deploys per week", {"Deploys": [8, 9, 12, 15, 14, 19, 22, 21, 26, 30]})),
        f("capacity-plan.csv", "Capacity plan", "kenji", "platform", "space", 14,
          "Peak load, latency and headroom per service.", ("architecture",), lambda: CAPACITY),
        # Customer Insights
        f("nps-by-region.png", "NPS by region", "beatriz", "customer-insights", "organisation", 37,
          "Net promoter score by region, last quarter.", ("customer-research", "data-viz"),
          lambda: media.bar_chart("NPS by region", ["Europe", "North America", "APAC", "Latin America"],
                                  [41, 36, 44, 52], palette=5)),
        f("interview-notes.txt", "Customer interviews: onboarding friction", "beatriz", "customer-insights",
          "organisation", 16, "Five interviews, four stuck on the same button.", ("customer-research",),
          lambda: MEETING_NOTES),
        f("journey-map.png", "Customer journey map", "nia", "customer-insights", "organisation", 25,
          "From first visit to renewal, with the moments that matter.", ("customer-research", "design"),
          lambda: media.diagram("Customer journey", ["Discover", "Trial", "Onboard", "Adopt", "Renew"],
                                [(0, 1), (1, 2), (2, 3), (3, 4)])),
        f("ticket-themes.csv", "Support ticket themes", "aisha", "customer-insights", "space", 5,
          "Top themes in the last 30 days of tickets.", ("customer-research",), lambda: TICKET_THEMES),
        # Checkout Redesign (invite-only)
        f("checkout-architecture.png", "Checkout service architecture", "mo", "checkout-redesign", "space", 30,
          "The target design: one API in front of cart, payments and orders.", ("architecture",),
          lambda: media.diagram("Checkout service architecture",
                                ["Web app", "API gateway", "Cart", "Payments", "Orders", "Events"],
                                [(0, 1), (1, 2), (1, 3), (2, 4), (3, 4), (4, 5)])),
        f("checkout-funnel.png", "Checkout funnel conversion", "sophie", "checkout-redesign", "space", 21,
          "Where people drop out today.", ("data-viz",),
          lambda: media.bar_chart("Checkout funnel (%)", ["Basket", "Address", "Delivery", "Payment", "Done"],
                                  [100, 72, 64, 51, 43], palette=3)),
        f("design-review.md", "Design review notes", "oliver", "checkout-redesign", "space", 11,
          "One page, inline errors, keyboard first.", ("design", "accessibility"), lambda: DESIGN_REVIEW),
        f("payment-providers.csv", "Payment provider comparison", "sophie", "checkout-redesign", "space", 17,
          "Fees, local payment methods and payout times.", ("finance",), lambda: PAYMENT_PROVIDERS),
        f("checkout-brief.pdf", "Project brief: checkout redesign", "mo", "checkout-redesign", "space", 32,
          "Goals, scope and the team.", ("accessibility",),
          lambda: media.pdf("Project brief: checkout redesign", [
              "Goal: raise checkout completion from 43% to 55%.", "Scope: web checkout, saved cards, Pix.",
              "Out of scope: native apps (next quarter).", "Team: Mo, Sophie, Oliver, Miguel, Alice, Gus."])),
        f("accessibility-audit.md", "Accessibility audit: checkout", "gus", "checkout-redesign", "space", 3,
          "Keyboard and screen-reader findings from the first prototype.", ("accessibility", "testing"),
          lambda: "# Accessibility audit\n\n- Focus trap in the date picker (Safari).\n"
          "- Error messages not announced.\n- Contrast of the secondary button is 3.9:1.\n"),
        # Project Northwind (invite-only, olly's)
        f("northwind-checklist.md", "Northwind due diligence checklist", "olly", "northwind", "space", 26,
          "Where we are on the review.", ("finance",), lambda: NORTHWIND_CHECKLIST),
        f("northwind-model.csv", "Northwind financial summary", "ravi", "northwind", "space", 19,
          "Three years of revenue, EBITDA and customers.", ("finance",), lambda: NORTHWIND_MODEL),
        f("northwind-timeline.png", "Northwind integration timeline", "olly", "northwind", "space", 7,
          "If we go ahead: the first hundred days.", ("finance",),
          lambda: media.diagram("Integration timeline", ["Sign", "Announce", "Day 1", "Day 30", "Day 100"],
                                [(0, 1), (1, 2), (2, 3), (3, 4)])),
        # Personal areas
        f("learning-plan.md", "My learning plan", "alice", None, "private", 54,
          "Goals and next steps for this quarter.", ("career",), lambda: LEARNING_PLAN),
        f("mentoring-template.md", "Mentoring session template", "mo", None, "organisation", 48,
          "The 45-minute structure I use with every mentee.", ("career", "feedback"), lambda: MENTORING_TEMPLATE),
        f("code-review-checklist.md", "Code review checklist", "mo", None, "people", 13,
          "What I look for in a review; shared with my mentees.", ("python", "checklist"), lambda: CODE_REVIEW,
          shared_with=("alice", "jun", "lucas")),
        f("course-catalogue.csv", "Course catalogue", "lee", None, "organisation", 42,
          "Every course we run or pay for, with the next session.", ("career", "reading-list"), lambda: CATALOGUE),
        f("l-and-d-calendar.csv", "Learning & development calendar", "lee", None, "organisation", 10,
          "Programmes and events for the year, by office.", ("career",), lambda: L_AND_D_CALENDAR),
        f("admin-guide.pdf", "Admin guide: accounts and access", "ada", None, "organisation", 36,
          "How accounts, guests and single sign-on work here.", ("security", "how-to"),
          lambda: media.pdf("Admin guide: accounts and access", [
              "Accounts are created at first sign-in through single sign-on.",
              "Guests see only the spaces they are invited to.",
              "Ask an admin to close an account when someone leaves."])),
        f("community-guidelines.md", "Community guidelines", "lee", None, "organisation", 59,
          "How we treat each other here.", ("onboarding",), lambda: GUIDELINES),
    ]  # fmt: skip
