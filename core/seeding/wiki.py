"""The demo's wiki: page trees in four spaces and in two people's own areas, written by several people.

Each page is a list of edits. The first writes the page; each later one changes it the way people do
(a section added, a step corrected, a box ticked, a typo fixed) with an edit summary, at its own moment
on the demo's timeline, through ``wiki.services`` like any edit from the editor. A few edits start from
the revision before the latest, as when two people had the page open at once, and are saved by the
three-way merge. Whoever the script names but is not (yet) a member when their edit comes round is
replaced by the first of the page's writers who is, so a smaller ``seed --people N`` still works.

``seed_large_pages`` adds plain generated pages to the large organisation of ``--scale large``, written
in bulk like the rest of it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from core.access import can_create_in, can_edit, forget_space_roles
from core.models import Activity, Item, Visibility, Watch
from core.seeding import data
from wiki import diffing, markdown, services
from wiki.models import Page, PageLink, Revision

if TYPE_CHECKING:
    from core.seeding.demo import Timeline
    from people.models import User
    from spaces.models import Space

Change = Callable[[str], str]


# ------------------------------------------------------------------------------------------- edits


def _append(addition: str) -> Change:
    def change(text: str) -> str:
        return text.rstrip("\n") + "\n\n" + addition.strip("\n") + "\n"

    return change


def _after(anchor: str, addition: str) -> Change:
    """Insert lines after the first line containing ``anchor``; a leading or trailing newline adds a blank line."""

    def change(text: str) -> str:
        lines = text.split("\n")
        for n, line in enumerate(lines):
            if anchor in line:
                return "\n".join(lines[: n + 1] + addition.split("\n") + lines[n + 1 :])
        raise ValueError(f"no line contains {anchor!r}")

    return change


def _swap(old: str, new: str) -> Change:
    def change(text: str) -> str:
        if old not in text:
            raise ValueError(f"{old!r} is not in the text")
        return text.replace(old, new, 1)

    return change


def _all(*changes: Change) -> Change:
    def change(text: str) -> str:
        for step in changes:
            text = step(text)
        return text

    return change


@dataclass(frozen=True)
class Edit:
    author: str
    summary: str
    change: str | Change  # the first edit's text, or how a later edit changes the text before it
    minor: bool = False
    # Started from the revision before the latest, as when two people had the page open at once.
    stale: bool = False
    title: str | None = None  # a new title


@dataclass(frozen=True)
class PageSpec:
    title: str
    where: str  # a space's slug, or "~username" for a person's own area
    parent: str | None
    days_ago: float  # when first written; at most 54, as the spaces are made 58 to 60 days back
    edits: tuple[Edit, ...]
    tags: tuple[str, ...] = ()
    shared_with: tuple[str, ...] = ()  # a personal page's co-writers


# ------------------------------------------------------------------------------- Platform Engineering

HANDBOOK = """# Platform Engineering handbook

We run the infrastructure every product team builds on: the deploy pipeline, the Kubernetes clusters,
the databases, observability and on-call. This handbook is how we work; if something here is wrong,
fix it — every page keeps its history.

## How to reach us
- Questions: post in the Platform Engineering space.
- Something is broken in production: page the on-call engineer (see [[On-call handbook]]).
- A change you need from us: open a ticket with the *platform* label.

## What lives here
- [[Runbooks]]: what to do when something specific goes wrong.
- [[Architecture decision records]]: why things are the way they are.
- [[Incident review: sign-in outage]] and the other reviews.
"""

RUNBOOKS = """# Runbooks

A runbook says what to do, step by step, when one specific thing goes wrong. Write it for someone who
was woken up at three in the morning and has never seen this service before.

- [[On-call handbook]]
- [[Restarting the payment workers]]
- [[Rotating database credentials]]

## Writing a runbook
1. One problem per page; the title says which.
2. Commands in code blocks that can be copied as they are.
3. Say how to check it worked.
"""

ON_CALL = """# On-call handbook

One engineer is on call each week, Monday 10:00 to Monday 10:00 in their own time zone, with a second
engineer as backup.

## Start of shift
- [ ] Check you can open the alerting dashboard and acknowledge a test page
- [ ] Read the handover notes from the previous engineer
- [ ] Make sure your laptop and phone are charged

## Severity levels

| Level | Meaning | Respond within |
|---|---|---|
| SEV1 | Customers cannot sign in or pay | 5 minutes |
| SEV2 | A feature is broken for many customers | 30 minutes |
| SEV3 | Degraded, with a workaround | next working day |

## Escalation
If you cannot make progress in 30 minutes, call the backup. For SEV1, also call the engineering
manager on duty.
"""

RESTART_WORKERS = """# Restarting the payment workers

The payment workers take charges off the queue and talk to the payment provider. Restart them when
the queue keeps growing and the workers' logs stop moving.

## Check first
```bash
kubectl -n payments get pods -l app=payment-worker
kubectl -n payments logs deploy/payment-worker --since=10m | tail -n 50
```

## Restart
```bash
kubectl -n payments rollout restart deploy/payment-worker
kubectl -n payments rollout status deploy/payment-worker --timeout=5m
```

## Check it worked
The queue length on the payments dashboard should fall within five minutes.
"""

ROTATE_CREDENTIALS = """# Rotating database credentials

Database passwords are rotated every 90 days[^policy], and at once if one might of leaked.

## Steps
1. Create the new password in the secrets manager:
   ```bash
   vault kv put secret/db/checkout password="$(openssl rand -base64 32)"
   ```
2. Restart the services that read it, one at a time.
3. Revoke the old password.

[^policy]: The security policy's section on secrets; Farid owns it.
"""

ADR_INDEX = """# Architecture decision records

An architecture decision record (ADR) captures one decision: the context, what we decided and what
follows from it. Records are never deleted; a decision that is replaced is marked *superseded*.

| Record | Status |
|---|---|
| [[ADR-001: PostgreSQL for every service]] | proposed |

## Template
Context, Decision, Consequences. Keep it to one page.
"""

ADR_001 = """# ADR-001: PostgreSQL for every service

**Status:** proposed

## Context
Our services use three databases: PostgreSQL, MySQL (the old billing service) and MongoDB (the
product catalogue). Each needs its own backups, upgrades and on-call knowledge.

## Decision
New services use PostgreSQL. Existing services move to it when they next need signficant work.

## Consequences
- One set of runbooks and one backup system.
- The catalogue team loses schemaless documents; PostgreSQL's `jsonb` covers what they use[^jsonb].

[^jsonb]: We checked the catalogue's queries: all of them can be written against `jsonb` with a GIN index.
"""

ADR_002 = """# ADR-002: Self-hosted CI runners

**Status:** proposed

## Context
Our hosted CI minutes cost more every quarter and the queue is longest exactly when we release.

## Decision
Run CI on our own runners in the build cluster, scaled on queue length.

## Consequences
- Faster builds: the cache stays warm between jobs.
- We now own the runners' upgrades and security patches.
"""

INCIDENT = """# Incident review: sign-in outage

**Severity:** SEV1 · **Duration:** 47 minutes · **Author:** Kevin

## Summary
Nobody could sign in for 47 minutes because the identity provider's signing certificate expired.

## Timeline (UTC)

| Time | What happened |
|---|---|
| 09:12 | Certificate expires; sign-ins start failing |
| 09:15 | First alert: sign-in error rate above 50 % |
| 09:31 | Cause found |
| 09:59 | New certificate deployed; sign-ins recover |

## What went well
- The alert fired within three minutes.

## What we will change
- [ ] Alert 30 days before any certificate expires
- [ ] Add certificate renewal to the [[On-call handbook]]
"""

PLATFORM_PAGES = [
    PageSpec(
        "Platform Engineering handbook",
        "platform",
        None,
        54,
        (
            Edit("kenji", "First version of the handbook", HANDBOOK),
            Edit(
                "mo",
                "Say where to ask, and that anyone can fix pages",
                _after("## How to reach us", "- Office hours: Thursdays 15:00 London time, in the platform room."),
            ),
            Edit(
                "arjun",
                "Add the deploy pipeline section",
                _append(
                    "## Deploying\nEvery merge to `main` is deployed to staging; production deploys are one click "
                    "from the pipeline page, Monday to Thursday. See [[ADR-002: Self-hosted CI runners]] for where "
                    "builds run."
                ),
            ),
            Edit("kenji", "Punctuation", _swap("fix it — every page", "fix it: every page"), minor=True),
            Edit(
                "ada",
                "Security contact",
                _after("- A change you need from us", "- A security concern: message Farid or Ada directly."),
                stale=True,
            ),
        ),
        tags=("architecture", "how-to"),
    ),
    PageSpec(
        "Runbooks",
        "platform",
        "Platform Engineering handbook",
        52,
        (
            Edit("kevin", "List the runbooks we have", RUNBOOKS),
            Edit("kenji", "Runbooks need an owner", _append("4. Name an owner who reviews it every quarter.")),
            Edit(
                "kevin",
                "Fix the numbering",
                _swap("4. Name an owner", "4. Name an owner, in the page's first line,"),
                minor=True,
            ),
        ),
        tags=("how-to",),
    ),
    PageSpec(
        "On-call handbook",
        "platform",
        "Runbooks",
        50,
        (
            Edit("kevin", "Start of shift, severities, escalation", ON_CALL),
            Edit(
                "arjun",
                "Add the handover checklist",
                _append(
                    "## End of shift\n- [ ] Write handover notes: open incidents, noisy alerts, anything odd\n"
                    "- [ ] Hand the pager over in the on-call channel"
                ),
            ),
            Edit(
                "kenji",
                "SEV2 response is 15 minutes now",
                _swap("| 30 minutes |", "| 15 minutes |"),
            ),
            Edit(
                "mo",
                "Mention the payment workers runbook",
                _after(
                    "## Escalation",
                    "Common fixes first: [[Restarting the payment workers]], [[Rotating database credentials]].\n",
                ),
            ),
            Edit(
                "farid",
                "Security incidents go to the security engineer too",
                _append("## Security incidents\nAnything that may be a breach: call the security engineer at once."),
            ),
            Edit(
                "kevin",
                "Certificate renewal, after the sign-in outage",
                _after(
                    "- [ ] Make sure your laptop",
                    "- [ ] Check the certificate expiry dashboard: nothing under 30 days",
                ),
            ),
        ),
        tags=("incident", "checklist"),
    ),
    PageSpec(
        "Restarting the payment workers",
        "platform",
        "Runbooks",
        44,
        (
            Edit("mo", "How to restart the payment workers", RESTART_WORKERS),
            Edit(
                "kevin",
                "Warn about double charges",
                _after(
                    "## Restart",
                    "> Do not delete the pods by hand: a worker killed mid-charge can charge twice. "
                    "`rollout restart` lets each finish first.\n",
                ),
            ),
            Edit(
                "lucas",
                "The namespace is payments-prod now",
                _all(
                    _swap("kubectl -n payments get", "kubectl -n payments-prod get"),
                    _swap("kubectl -n payments logs", "kubectl -n payments-prod logs"),
                    _swap("kubectl -n payments rollout restart", "kubectl -n payments-prod rollout restart"),
                    _swap("kubectl -n payments rollout status", "kubectl -n payments-prod rollout status"),
                ),
            ),
            Edit(
                "tom",
                "What to do if the queue does not fall",
                _append(
                    "## If it does not recover\nCheck the provider's status page, then follow [[Payment retries]]. "
                    "Escalate as in the [[On-call handbook]]."
                ),
                stale=True,
            ),
        ),
        tags=("how-to", "incident"),
    ),
    PageSpec(
        "Rotating database credentials",
        "platform",
        "Runbooks",
        38,
        (
            Edit("ada", "Write down how we rotate database passwords", ROTATE_CREDENTIALS),
            Edit(
                "farid",
                "Check no one still uses the old password",
                _swap(
                    "3. Revoke the old password.",
                    "3. Watch the database's connection log for an hour: nothing should sign in with the old "
                    "password.\n4. Revoke the old password.",
                ),
            ),
            Edit(
                "arjun",
                "Python snippet to test the new credentials",
                _after(
                    "2. Restart the services",
                    "   Test the new password first:\n   ```python\n   import psycopg\n\n"
                    '   with psycopg.connect(conninfo) as conn:\n       conn.execute("select 1")\n   ```',
                ),
            ),
            Edit("ada", "Typo", _swap("might of leaked", "may have leaked"), minor=True),
        ),
        tags=("security", "how-to"),
    ),
    PageSpec(
        "Architecture decision records",
        "platform",
        "Platform Engineering handbook",
        47,
        (
            Edit("kenji", "Start recording decisions", ADR_INDEX),
            Edit(
                "arjun",
                "Add ADR-002",
                _after("| [[ADR-001", "| [[ADR-002: Self-hosted CI runners]] | proposed |"),
            ),
            Edit("mo", "ADR-001 is accepted", _swap("every service]] | proposed |", "every service]] | accepted |")),
        ),
        tags=("architecture",),
    ),
    PageSpec(
        "ADR-001: PostgreSQL for every service",
        "platform",
        "Architecture decision records",
        46,
        (
            Edit("mo", "Propose PostgreSQL everywhere", ADR_001),
            Edit(
                "kenji",
                "Add the cost argument",
                _after("## Context", "Running three engines costs us about a fifth of the platform team's time.\n"),
            ),
            Edit(
                "tom",
                "What about search?",
                _append("## Open questions\n- Product search stays on its own engine for now; revisit in a year."),
            ),
            Edit("kenji", "Accepted at the architecture review", _swap("proposed", "accepted")),
            Edit("lucas", "Fix a typo", _swap("signficant work", "significant work"), minor=True),
        ),
        tags=("architecture", "sql"),
    ),
    PageSpec(
        "ADR-002: Self-hosted CI runners",
        "platform",
        "Architecture decision records",
        30,
        (
            Edit("arjun", "Propose our own CI runners", ADR_002),
            Edit(
                "kevin",
                "Runners need on-call too",
                _append("- Runner failures page the platform on-call engineer, like any production system."),
            ),
            Edit(
                "kenji",
                "Capacity is its own page",
                _after("## Decision", "How many runners we need is worked out in [[Runner capacity plan]].\n"),
            ),
            Edit("arjun", "Accepted", _swap("**Status:** proposed", "**Status:** accepted")),
        ),
        tags=("architecture",),
    ),
    PageSpec(
        "Incident review: sign-in outage",
        "platform",
        "Platform Engineering handbook",
        17,
        (
            Edit("kevin", "Draft of the incident review", INCIDENT),
            Edit(
                "ada",
                "Why the certificate was missed",
                _after(
                    "Nobody could sign in",
                    "\nThe certificate was renewed by hand once a year[^renewal]; the person who did it had left.",
                ),
            ),
            Edit(
                "farid",
                "Automatic renewal, and why it was manual",
                _all(
                    _after(
                        "- [ ] Add certificate renewal",
                        "- [ ] Move the identity provider's certificate to automatic renewal (Farid)",
                    ),
                    _append("[^renewal]: Every other certificate is renewed automatically by the cluster."),
                ),
            ),
            Edit(
                "kenji",
                "Credit where due",
                _after(
                    "- The alert fired", "- Ada and Farid found the cause in 16 minutes, from the certificate logs."
                ),
                stale=True,
            ),
            Edit("kevin", "The alert is done", _swap("- [ ] Alert 30 days", "- [x] Alert 30 days")),
        ),
        tags=("incident", "security"),
    ),
]

# --------------------------------------------------------------------------------------- New Joiners

WELCOME = """# Welcome handbook

Welcome! This is where new joiners find their way around in the first weeks. Start with
[[Your first week]], then read the guide to your office.

- [[Your first week]] — the checklist
- [[Office guides]] — London, New York, Singapore, São Paulo
- [[New joiner FAQ]]

Everyone here was new once: ask anything in the New Joiners Hub.
"""

FIRST_WEEK = """# Your first week

Tick these off as you go; your buddy will check in on Friday.

## Day one
- [ ] Collect your laptop and badge from the office manager
- [ ] Sign in to email, chat and Watercooler
- [ ] Set up two-factor authentication
- [ ] Meet your buddy

## By Wednesday
- [ ] Read the [[Welcome handbook]]
- [ ] Complete the security awareness course
- [ ] Add a photo and your skills to your profile

## By Friday
- [ ] Have a one-to-one with your manager about your first 90 days
- [ ] Join two spaces that interest you
"""

ENGINEERING_ONBOARDING = """# Engineering onboarding

For engineers, on top of [[Your first week]].

## Accounts
- [ ] GitHub: ask your manager to add you to the organisation
- [ ] The cloud console (read-only to start)
- [ ] The on-call tool, as an observer

## Your first change
Pick an issue labelled *good first issue*, pair with your buddy, and ship it to production in your
first two weeks. It does not matter how small it is.

```bash
git clone git@github.com:example/checkout.git
cd checkout && make setup && make test
```
"""

OFFICES = """# Office guides

Practical things about each office: getting in, desks, food, who to ask.

- [[London office]]
- [[Singapore office]]
"""

LONDON = """# London office

King's Cross, fourth floor.

| | |
|---|---|
| Opening hours | 08:00–19:00 weekdays |
| Desks | Book on the desk app; the quiet zone is by the windows |
| Lunch | Kitchen on the fourth floor; the market on Thursdays |
| Ask | Hannah (people), Rhys (IT) |

## Getting in
Your badge works from your first day. Visitors sign in at reception on the ground floor.
"""

SINGAPORE = """# Singapore office

Tanjong Pagar, twelfth floor.

| | |
|---|---|
| Opening hours | 08:30–19:00 weekdays |
| Desks | Free seating, lockers by the pantry |
| Ask | Nurul (facilities), Lee (learning) |

## Getting in
Collect your access card from Nurul on your first morning.
"""

PRESENTATION = """# Welcome to the company

The new joiner session, every first Monday of the month.

---

## Who we are
- Four offices: London, New York, Singapore, São Paulo
- About sixty people, eight teams

---

## How we learn
- Spaces for every community and team
- A wiki anyone can improve
- Mentoring: ask Lee

---

## Your first week
See [[Your first week]] for the checklist.

---

# Questions?
"""

FAQ = """# New joiner FAQ

**When do I get paid?**
On the last working day of each month.

**How do I claim expenses?**
Through the finance tool; see [[Expenses policy]].

**Where do I find my office's wifi password?**
In the [[Office guides]].
"""

NEW_JOINER_PAGES = [
    PageSpec(
        "Welcome handbook",
        "new-joiners",
        None,
        54,
        (
            Edit("lee", "A handbook for new joiners", WELCOME),
            Edit(
                "hannah",
                "Who to ask about HR questions",
                _append(
                    "## People questions\nContracts, leave and benefits: ask your People Partner (Hannah in London)."
                ),
            ),
            Edit(
                "larissa",
                "Link the welcome presentation",
                _after("- [[New joiner FAQ]]", "- [[Welcome to the company]] — the slides from the welcome session"),
            ),
            Edit(
                "ada",
                "Security first",
                _after(
                    "then read the guide to your office.",
                    "\n> Before anything else, turn on two-factor authentication: IT will lock accounts without it.",
                ),
            ),
            Edit("lee", "Tidy", _swap("Welcome! This is", "Welcome! This handbook is"), minor=True),
        ),
        tags=("onboarding",),
    ),
    PageSpec(
        "Your first week",
        "new-joiners",
        "Welcome handbook",
        53,
        (
            Edit("lee", "The first-week checklist", FIRST_WEEK),
            Edit(
                "hannah",
                "Payroll details on day one",
                _after("- [ ] Meet your buddy", "- [ ] Send your bank details to payroll"),
            ),
            Edit(
                "larissa",
                "Suggest a first course",
                _after(
                    "- [ ] Join two spaces",
                    "- [ ] Pick one course from the catalogue to start in your first month",
                ),
            ),
            Edit(
                "alice",
                "What helped me",
                _append(
                    "## Tips from people who just joined\n- Book coffee with someone outside your team each week. "
                    "*(Alice)*"
                ),
            ),
            Edit(
                "jun",
                "Engineers: there is more",
                _after("## By Friday", "- [ ] Engineers: start [[Engineering onboarding]]"),
                stale=True,
            ),
            Edit(
                "tyler",
                "Another tip",
                _append("- Ask for the *why* behind a process; people like explaining. *(Tyler)*"),
            ),
        ),
        tags=("onboarding", "checklist"),
    ),
    PageSpec(
        "Engineering onboarding",
        "new-joiners",
        "Your first week",
        45,
        (
            Edit("larissa", "Engineering onboarding, first draft", ENGINEERING_ONBOARDING),
            Edit(
                "jun",
                "Mobile engineers need the device lab",
                _after("- [ ] The on-call tool", "- [ ] Mobile engineers: book a slot in the device lab"),
            ),
            Edit(
                "ada",
                "Access requests go through IT",
                _swap("ask your manager to add you", "request it in the IT portal; your manager approves"),
            ),
            Edit(
                "alice",
                "Data people too",
                _append(
                    "## Analysts and data scientists\n- [ ] Request access to the data warehouse\n"
                    "- [ ] Read the [[data-guild:SQL style guide]]"
                ),
            ),
        ),
        tags=("onboarding", "checklist"),
    ),
    PageSpec(
        "Office guides",
        "new-joiners",
        "Welcome handbook",
        48,
        (
            Edit("hannah", "Index of office guides", OFFICES),
            Edit(
                "lee",
                "New York and São Paulo are coming",
                _append("Guides for New York and São Paulo are on their way."),
            ),
            Edit(
                "larissa",
                "Link the São Paulo guide",
                _swap(
                    "Guides for New York and São Paulo are on their way.",
                    "- [[São Paulo office]]\n\nThe New York guide is on its way.",
                ),
            ),
        ),
        tags=("onboarding",),
    ),
    PageSpec(
        "London office",
        "new-joiners",
        "Office guides",
        47,
        (
            Edit("hannah", "The London office guide", LONDON),
            Edit(
                "alice",
                "Coffee",
                _append("## Coffee\nThe place across the canal is better than the machine, and opens at 07:30."),
            ),
            Edit("hannah", "Opening hours changed", _swap("08:00–19:00", "07:30–20:00")),
            Edit(
                "lee",
                "Quiet rooms",
                _after("| Desks |", "| Quiet rooms | Two on each floor, bookable for an hour |"),
            ),
        ),
        tags=("onboarding",),
    ),
    PageSpec(
        "Singapore office",
        "new-joiners",
        "Office guides",
        46,
        (
            Edit("lee", "The Singapore office guide", SINGAPORE),
            Edit(
                "jun",
                "Food nearby",
                _append("## Lunch\nThe hawker centre two streets away; go before 12:00 or after 13:30."),
            ),
            Edit(
                "hannah",
                "Lockers need a code",
                _swap("lockers by the pantry", "lockers by the pantry (code from Nurul)"),
            ),
        ),
        tags=("onboarding",),
    ),
    PageSpec(
        "Welcome to the company",
        "new-joiners",
        "Welcome handbook",
        35,
        (
            Edit("larissa", "Slides for the welcome session", PRESENTATION),
            Edit(
                "lee",
                "A slide on values",
                _after(
                    "- About sixty people",
                    "\n---\n\n## What we value\n- Write things down\n- Share what you learn\n- Ask early",
                ),
            ),
            Edit(
                "hannah",
                "People team slide",
                _swap("- Mentoring: ask Lee", "- Mentoring: ask Lee\n- Wellbeing: ask Hannah"),
            ),
            Edit("larissa", "Fix heading levels", _swap("# Questions?", "## Questions?"), minor=True),
        ),
        tags=("onboarding", "slides"),
    ),
    PageSpec(
        "New joiner FAQ",
        "new-joiners",
        "Welcome handbook",
        28,
        (
            Edit("hannah", "Questions new joiners ask us most", FAQ),
            Edit(
                "tyler",
                "Add the one I asked",
                _append(
                    "**Can I work from another office for a week?**\nYes: tell your manager and book a desk there."
                ),
            ),
            Edit(
                "leticia",
                "Holidays",
                _append(
                    "**How much holiday do I get?**\nIt depends on your country: your contract says, as does Hannah."
                ),
            ),
            Edit(
                "ada",
                "Wifi is not on the wiki",
                _swap("In the [[Office guides]].", "Ask IT: it is not written down anywhere, on purpose."),
            ),
        ),
        tags=("onboarding",),
    ),
]

# --------------------------------------------------------------------------------- Checkout Redesign

CHECKOUT_HOME = """# Checkout redesign

Rebuilding checkout for speed and accessibility by the end of the quarter.

## Goals
- Checkout in under 90 seconds for a returning customer
- WCAG 2.2 AA throughout
- Conversion at least as good as today (see [[data-guild:Funnel metrics definitions]])

## Milestones

| Milestone | Owner | Status |
|---|---|---|
| Design of the payment step | Oliver | in progress |
| New address form | Miguel | not started |
| Accessibility audit | Gus | not started |
"""

ONE_PAGE = """# Decision: one-page checkout

**Status:** proposed · **Deciders:** Sophie, Mo, Oliver

## Context
Today's checkout has four steps. Half of the people who leave do so between steps two and three.

## Options
1. Keep four steps, make each faster.
2. One page, sections that open in turn.
3. One page with everything visible.

## Decision
Option 2.

## Consequences
- The address form and the payment form must validate on their own.
"""

KICK_OFF = """# Kick-off meeting

**Present:** Mo, Sophie, Oliver, Gus, Alice

## Notes
- Sophie walked through the brief and the goals.
- Mo: the checkout service can serve a one-page flow without a rewrite.
- Gus will start the accessibility audit on today's checkout as a baseline.

## Actions
- [ ] Oliver: first sketches of the payment step
- [ ] Alice: baseline conversion numbers by step
- [ ] Gus: accessibility baseline
"""

DESIGN_REVIEW = """# Design review: payment step

**Present:** Oliver, Camila, Sophie, Miguel

## What we looked at
The payment step in three variants: cards first, wallets first, and a single list.

## Feedback
- Wallets first tested bets with returning customers.
- The card form's error messages need to say *which* field is wrong.

## Decided
Wallets first, with the card form one tap away.
"""

A11Y_PLAN = """# Accessibility test plan

What we test before each release of the new checkout, against WCAG 2.2 AA.

## Checks
- [ ] Every field has a visible label
- [ ] The whole flow works with the keyboard alone
- [ ] Errors are announced by screen readers
- [ ] Colour contrast at least 4.5:1

## Screen readers

| Screen reader | Browser | Tester |
|---|---|---|
| NVDA | Firefox | Gus |
| VoiceOver | Safari (iOS) | Camila |
"""

CHECKOUT_PAGES = [
    PageSpec(
        "Checkout redesign",
        "checkout-redesign",
        None,
        50,
        (
            Edit("mo", "Project home", CHECKOUT_HOME),
            Edit(
                "sophie",
                "Link the decision and the notes",
                _append(
                    "## Pages\n- [[Decision: one-page checkout]]\n- [[Kick-off meeting]]\n"
                    "- [[Design review: payment step]]\n- [[Accessibility test plan]]"
                ),
            ),
            Edit("miguel", "Address form started", _swap("| Miguel | not started |", "| Miguel | in progress |")),
            Edit(
                "oliver",
                "A goal for saved cards",
                _swap("for a returning customer", "for a returning customer (60 with a saved card)"),
                stale=True,
            ),
            Edit("gus", "Audit under way", _swap("| Gus | not started |", "| Gus | in progress |")),
            Edit("oliver", "Payment step designed", _swap("| Oliver | in progress |", "| Oliver | done |")),
        ),
        tags=("design", "accessibility"),
    ),
    PageSpec(
        "Decision: one-page checkout",
        "checkout-redesign",
        "Checkout redesign",
        40,
        (
            Edit("sophie", "Record the one-page decision", ONE_PAGE),
            Edit(
                "oliver",
                "Why not option 3",
                _after(
                    "Option 2.",
                    "\nOption 3 showed 14 fields at once; in testing people scrolled past the payment section.",
                ),
            ),
            Edit(
                "miguel",
                "Front-end consequence",
                _append("- The page keeps its state when the browser goes back, so nothing typed is lost."),
            ),
            Edit("mo", "Accepted", _swap("**Status:** proposed", "**Status:** accepted")),
        ),
        tags=("design",),
    ),
    PageSpec(
        "Kick-off meeting",
        "checkout-redesign",
        "Checkout redesign",
        44,
        (
            Edit("sophie", "Notes from the kick-off", KICK_OFF),
            Edit(
                "mo",
                "Add the service point",
                _after("- Mo: the checkout", "- Mo: payments stay on the current provider until the new flow ships."),
            ),
            Edit("alice", "Baseline numbers done", _swap("- [ ] Alice: baseline", "- [x] Alice: baseline")),
            Edit("gus", "Baseline audit done", _swap("- [ ] Gus: accessibility", "- [x] Gus: accessibility")),
        ),
        tags=("design",),
    ),
    PageSpec(
        "Design review: payment step",
        "checkout-redesign",
        "Checkout redesign",
        12,
        (
            Edit("oliver", "Design review notes", DESIGN_REVIEW),
            Edit(
                "camila",
                "Error message examples",
                _after(
                    "- The card form's error messages",
                    "  - “The card number has 15 digits; it needs 16.” rather than “Invalid input.”",
                ),
            ),
            Edit("sophie", "Next review date", _append("Next review: the address form, in two weeks.")),
            Edit("miguel", "Spelling", _swap("tested bets", "tested best"), minor=True),
        ),
        tags=("design", "accessibility"),
    ),
    PageSpec(
        "Accessibility test plan",
        "checkout-redesign",
        "Checkout redesign",
        20,
        (
            Edit("gus", "Test plan for each release", A11Y_PLAN),
            Edit(
                "bruno",
                "Automated checks in CI",
                _append(
                    "## Automated\naxe-core runs on every pull request:\n```bash\nnpx @axe-core/cli "
                    "http://localhost:3000/checkout --exit\n```"
                ),
            ),
            Edit(
                "camila",
                "Add TalkBack",
                _after("| VoiceOver | Safari (iOS) | Camila |", "| TalkBack | Chrome (Android) | Camila |"),
            ),
            Edit("gus", "Keyboard pass done on the beta", _swap("- [ ] The whole flow", "- [x] The whole flow")),
        ),
        tags=("accessibility", "testing", "checklist"),
    ),
]

# ------------------------------------------------------------------------------------------ Data Guild

SQL_STYLE = """# SQL style guide

How we write SQL in the warehouse, so that anyone can read anyone's query.

- Keywords in lower case, one clause per line.
- Name every column in `select`; never `select *` in a model.
- Common table expressions instead of nested subqueries.

```sql
with orders_by_day as (
    select date_trunc('day', created_at) as day, count(*) as orders
    from orders
    group by 1
)
select day, orders
from orders_by_day
order by day
```
"""

FUNNEL = """# Funnel metrics definitions

One definition of each checkout metric, so dashboards agree.

| Metric | Definition |
|---|---|
| Checkout started | A session that opened the checkout page |
| Checkout completed | A session with a successful payment |
| Conversion | Completed ÷ started, per session[^sessions] |

[^sessions]: A session ends after 30 minutes without activity.
"""

DATA_PAGES = [
    PageSpec(
        "SQL style guide",
        "data-guild",
        None,
        42,
        (
            Edit("weiling", "Our SQL conventions", SQL_STYLE),
            Edit(
                "chris",
                "Window functions",
                _append(
                    "## Window functions\nName the window when you use it twice:\n```sql\nselect day, orders,\n"
                    "       avg(orders) over last_week as weekly_average\nfrom orders_by_day\n"
                    "window last_week as (order by day rows 6 preceding)\n```"
                ),
            ),
            Edit(
                "priya",
                "Lower case, but consistent",
                _swap("Keywords in lower case", "Keywords in lower case (ruff for SQL: sqlfluff checks it)"),
            ),
            Edit(
                "alice",
                "A beginner's question answered",
                _append(
                    "## Why not `select *`?\nA new column upstream silently changes every model that selects it all."
                ),
            ),
        ),
        tags=("sql",),
    ),
    PageSpec(
        "Funnel metrics definitions",
        "data-guild",
        "SQL style guide",
        24,
        (
            Edit("alice", "Define the checkout funnel", FUNNEL),
            Edit(
                "priya",
                "Say where the numbers live",
                _append("The dashboard reads these from the `checkout_funnel` model."),
            ),
            Edit(
                "chris",
                "Bots are excluded",
                _after("| Checkout started |", "| Excluded | Sessions flagged as bots by the edge |"),
            ),
            Edit("weiling", "Typo in the footnote", _swap("without activity", "without any activity"), minor=True),
        ),
        tags=("statistics", "data-viz"),
    ),
]

# ------------------------------------------------------------------------------------- personal areas

LEARNING_LOG = """# Learning log

What I am learning this quarter, and how it is going. Mo and Priya can edit this too.

## Goals
- [ ] Finish the SQL course
- [ ] Write one analysis in Python end to end
- [ ] Present at the Data Guild show-and-tell

## Notes
- Week 1: window functions finally make sense.
"""

OFFICE_HOURS = """# Notes from SQL office hours

## Joins
- A left join keeps every row of the left table, even without a match.
- Count after a join can double: check the grain first.

## Questions for next time
- When is a CTE slower than a subquery?
"""

FLAKY_TALK = """# Lightning talk: flaky tests

Five minutes at Python Practice.

---

## What makes a test flaky
- Time: `now()` in the code under test
- Order: tests sharing state
- The network

---

## Fixes
```python
def test_it_expires_tokens(freezer):
    freezer.move_to("2025-01-01")
    ...
```

---

## One rule
A flaky test is a failing test. Fix it or delete it the same day.
"""

PERSONAL_PAGES = [
    PageSpec(
        "Learning log",
        "~alice",
        None,
        52,
        (
            Edit("alice", "Start a learning log", LEARNING_LOG),
            Edit(
                "mo",
                "Suggest a project",
                _after(
                    "- [ ] Write one analysis",
                    "  - Mo: the kata results from Python Practice would make a good dataset",
                ),
            ),
            Edit("alice", "SQL course done", _swap("- [ ] Finish the SQL course", "- [x] Finish the SQL course")),
            Edit(
                "priya",
                "Show-and-tell slot booked",
                _swap("- [ ] Present at the Data Guild", "- [ ] Present at the Data Guild (booked for next month)"),
            ),
            Edit(
                "alice",
                "Week 3",
                _append("- Week 3: first pull request to the warehouse models, reviewed by Chris."),
            ),
        ),
        tags=("career", "sql"),
        shared_with=("mo", "priya"),
    ),
    PageSpec(
        "Notes from SQL office hours",
        "~alice",
        "Learning log",
        30,
        (
            Edit("alice", "Office hours notes", OFFICE_HOURS),
            Edit(
                "priya",
                "Answer the CTE question",
                _append(
                    "**Answer (Priya):** on PostgreSQL 12 and later, rarely: CTEs are inlined unless materialised."
                ),
            ),
            Edit("alice", "Link the style guide", _append("See also [[data-guild:SQL style guide]].")),
        ),
        tags=("sql",),
        shared_with=("priya",),
    ),
    PageSpec(
        "Lightning talk: flaky tests",
        "~mo",
        None,
        25,
        (
            Edit("mo", "Slides for Friday", FLAKY_TALK),
            Edit(
                "tom",
                "Add the random seed example",
                _after("- The network", "- Randomness without a fixed seed"),
            ),
            Edit(
                "alice",
                "A question people will ask",
                _after("## One rule", "Q: what if we cannot find the cause? A: quarantine it and open an issue.\n"),
            ),
            Edit("mo", "Shorter last slide", _swap("Fix it or delete it the same day.", "Fix it or delete it today.")),
        ),
        tags=("testing", "python", "slides"),
        shared_with=("tom", "alice"),
    ),
]

PAGES: list[PageSpec] = [*PLATFORM_PAGES, *NEW_JOINER_PAGES, *CHECKOUT_PAGES, *DATA_PAGES, *PERSONAL_PAGES]


# ------------------------------------------------------------------------------------ the demo's wiki


def schedule_wiki(timeline: Timeline, staff: dict[str, User], spaces: dict[str, Space], *, seed: int) -> None:
    """Put every edit of every page on the demo's timeline, parents before their children."""
    from core.seeding.demo import Timeline

    # A stream of its own, so that the pages change nothing else the demo draws at random.
    rng = random.Random(f"wiki-{seed}")
    clock = Timeline(now=timeline.now, rng=rng)
    written: dict[tuple[str, str], Page] = {}
    first_moments: dict[tuple[str, str], datetime] = {}
    for spec in PAGES:
        key = (spec.where, spec.title)
        after = first_moments.get((spec.where, spec.parent)) if spec.parent else None
        moments = _moments(clock, spec, staff, after=after)
        first_moments[key] = moments[0]
        timeline.add(
            moments[0], lambda when, spec=spec: _create(spec, when, staff=staff, spaces=spaces, written=written)
        )
        for edit, when in zip(spec.edits[1:], moments[1:], strict=True):
            timeline.add(when, lambda when, spec=spec, edit=edit: _save(spec, edit, when, staff=staff, written=written))


def writers_by_space() -> dict[str, set[str]]:
    """The people who write or edit pages in each space, by its slug (personal areas left out)."""
    writers: dict[str, set[str]] = {}
    for spec in PAGES:
        if not spec.where.startswith("~"):
            writers.setdefault(spec.where, set()).update(edit.author for edit in spec.edits)
    return writers


def _moments(clock: Timeline, spec: PageSpec, staff: dict[str, User], *, after: datetime | None) -> list[datetime]:
    """A working-hours moment for each edit: the first ``days_ago`` back, the others spread over the days since."""
    rng = clock.rng
    creator = _creator(spec, staff)
    start = clock.moment(spec.days_ago, creator)
    if after is not None and start <= after:
        start = after + timedelta(hours=rng.uniform(1, 6))
    latest = clock.now - timedelta(minutes=5)
    moments = [min(start, latest)]
    later = sorted((rng.uniform(0.3, spec.days_ago - 0.5) for _ in spec.edits[1:]), reverse=True)
    for edit, days in zip(spec.edits[1:], later, strict=True):
        when = clock.moment(days, staff.get(edit.author) or creator)
        if when <= moments[-1]:
            when = moments[-1] + timedelta(minutes=rng.randint(15, 240))
        moments.append(min(when, latest))
    return moments


def _owner_name(spec: PageSpec) -> str | None:
    return spec.where[1:] if spec.where.startswith("~") else None


def _creator(spec: PageSpec, staff: dict[str, User]) -> User:
    names = [_owner_name(spec) or spec.edits[0].author, *(edit.author for edit in spec.edits)]
    return next(staff[name] for name in names if name in staff)


def _writer(spec: PageSpec, wanted: str, staff: dict[str, User], allowed: Callable[[User], bool]) -> User | None:
    """``wanted`` if they may write here now, else the first of the page's writers who may."""
    for name in dict.fromkeys([wanted, *(edit.author for edit in spec.edits)]):
        person = staff.get(name)
        if person is not None:
            forget_space_roles(person)
            if allowed(person):
                return person
    return None


def _create(spec: PageSpec, when: datetime, *, staff, spaces, written) -> None:
    first = spec.edits[0]
    owner = _owner_name(spec)
    if owner is None:
        space = spaces[spec.where]
        author = _writer(spec, first.author, staff, lambda person: can_create_in(person, space))
        if author is None:
            author = space.created_by
            forget_space_roles(author)
        shared = []
        visibility = Visibility.SPACE if space.visibility == space.Visibility.INVITE_ONLY else Visibility.ORGANISATION
    else:
        space, author = None, staff[owner]
        shared = [staff[name] for name in spec.shared_with if name in staff]
        visibility = Visibility.PEOPLE if shared else Visibility.PRIVATE
    page = services.create_page(
        author=author,
        title=spec.title,
        text=first.change,
        space=space,
        parent=written.get((spec.where, spec.parent)) if spec.parent else None,
        visibility=visibility,
        tags=spec.tags,
        shared_with=shared,
        summary=first.summary,
        created=when,
    )
    written[(spec.where, spec.title)] = page
    _stamp(page, when)


def _save(spec: PageSpec, edit: Edit, when: datetime, *, staff, written) -> None:
    page = Page.objects.select_related("item", "current").get(pk=written[(spec.where, spec.title)].pk)
    author = _writer(spec, edit.author, staff, lambda person: can_edit(person, page.item)) or page.item.owner
    latest = page.current
    base = latest
    if edit.stale and latest.number > 1:
        base = Revision.objects.get(page=page, number=latest.number - 1)
    result = None
    if base != latest:
        try:
            result = _save_from(page, base, edit, author, when)
        except ValueError:
            result = None  # the text this edit changes is not in the older revision: edit the latest instead
        if result is not None and result.conflict is not None:
            result = None  # resolved, as the person would, by making the edit again on the latest text
    if result is None:
        result = _save_from(page, latest, edit, author, when)
    if result.conflict is not None or result.revision is None:
        raise ValidationError(f"The demo edit “{edit.summary}” of “{spec.title}” was not saved.")
    _stamp(page, when)


def _save_from(page: Page, base: Revision, edit: Edit, author: User, when: datetime) -> services.SaveResult:
    return services.save_page(
        page=page,
        author=author,
        text=edit.change(base.text),
        base_number=base.number,
        title=edit.title,
        summary=edit.summary,
        minor=edit.minor,
        created=when,
    )


def _stamp(page: Page, when: datetime) -> None:
    """Services stamp the present moment: move what this edit wrote back to its own."""
    Item.objects.filter(pk=page.pk).update(updated=when)
    Watch.objects.filter(item_id=page.pk, created__gt=when).update(created=when)


# ---------------------------------------------------------------------------- the large organisation

LARGE_PAGES = 2_000
LARGE_SECTIONS = [
    ("Why it matters", "Most of what we know about {t} was learned the hard way; this page saves you the trouble."),
    ("Steps", "1. Read the basics of {t}.\n2. Try it on a small piece of real work.\n3. Ask for a review."),
    ("Checklist", "- [ ] Read the {t} notes\n- [ ] Pair with someone who has done it\n- [x] Join the space"),
    ("Who to ask", "| Question | Ask |\n|---|---|\n| {t} basics | the space's moderators |\n| Access | IT |"),
    ("Example", "```python\ndef shortest_first(items):\n    return sorted(items, key=len)\n```"),
    ("Open questions", "- What should we measure for {t}?\n- Who reviews this page each quarter?"),
]


@dataclass
class _LargePage:
    space: Space
    parent: _LargePage | None
    title: str
    slug: str
    history: list[tuple[int, datetime, str, str]]  # (author id, when, text, edit summary) per revision
    pk: int | None = None


def seed_large_pages(
    *, seed: int, now: datetime, spaces: list[Space], members_of: dict[int, list[int]], count: int = LARGE_PAGES
) -> int:
    """``count`` pages spread over the spaces (ten in each of the large organisation's), one to three
    revisions each, in bulk.

    The rows keep the services' invariants: an Item and a Page per page, revisions numbered from 1 with
    their attribution runs, ``current`` and ``revision_count`` in step, a ``PageLink`` for each
    ``[[link]]`` (to the parent page), each revision based on the one before, a created or updated
    activity per revision, the writers watching.
    """
    rng = random.Random(f"wiki-large-{seed}")
    per_space, extra = divmod(count, len(spaces))
    plans: list[_LargePage] = []
    for n, space in enumerate(spaces):
        members = members_of.get(space.pk) or [space.created_by_id]
        mine: list[_LargePage] = []
        for index in range(per_space + (1 if n < extra else 0)):
            topic = rng.choice(data.TOPICS)
            title = rng.choice(data.TITLE_PATTERNS).format(t=topic)
            if any(page.title == title for page in mine):
                title = f"{title} ({index + 1})"
            # A home page, three sections under it, the rest in those sections: three levels.
            parent = None if index == 0 else mine[0] if index < 4 else rng.choice(mine[1:4])
            history = _large_history(rng, now, space, members, topic, title, parent)
            page = _LargePage(space, parent, title, f"{slugify(title)[:180]}-{index + 1}", history)
            mine.append(page)
        plans += mine
    visibility = {True: Visibility.SPACE, False: Visibility.ORGANISATION}
    items = Item.objects.bulk_create(
        [
            Item(
                kind="page",
                title=plan.title,
                summary=markdown.plain_summary(plan.history[-1][2]),
                owner_id=plan.history[0][0],
                space_id=plan.space.pk,
                visibility=visibility[plan.space.visibility == "invite"],
                created=plan.history[0][1],
                updated=plan.history[-1][1],
            )
            for plan in plans
        ],
        batch_size=1000,
    )
    for plan, item in zip(plans, items, strict=True):
        plan.pk = item.pk
    positions: dict[tuple[int, int | None], int] = {}
    pages = []
    for plan in plans:
        parent_pk = plan.parent.pk if plan.parent else None
        position = positions[(plan.space.pk, parent_pk)] = positions.get((plan.space.pk, parent_pk), -1) + 1
        pages.append(
            Page(
                item_id=plan.pk,
                space_id=plan.space.pk,
                parent_id=parent_pk,
                slug=plan.slug,
                title_key=services.title_key(plan.title),
                position=position,
                revision_count=len(plan.history),
            )
        )
    Page.objects.bulk_create(pages, batch_size=1000)
    revisions = []
    for plan in plans:
        runs, previous = [], ""
        for number, (author, when, text, summary) in enumerate(plan.history, start=1):
            runs = diffing.attribute(runs, previous, text, number)
            revisions.append(
                Revision(
                    page_id=plan.pk,
                    number=number,
                    author_id=author,
                    created=when,
                    title=plan.title,
                    text=text,
                    summary=summary,
                    size=len(text),
                    attribution=runs,
                )
            )
            previous = text
    current: dict[int, int] = {}
    for revision in Revision.objects.bulk_create(revisions, batch_size=1000):
        revision.base_id = current.get(revision.page_id)  # each edit started from the revision before it
        current[revision.page_id] = revision.pk
    Revision.objects.bulk_update([r for r in revisions if r.base_id], ["base"], batch_size=500)
    for page in pages:
        page.current_id = current[page.item_id]
    Page.objects.bulk_update(pages, ["current"], batch_size=500)
    PageLink.objects.bulk_create(
        [
            PageLink(
                source_id=plan.pk,
                target_id=plan.parent.pk,
                target_space_id=plan.space.pk,
                target_title=plan.parent.title,
                target_key=services.title_key(plan.parent.title),
            )
            for plan in plans
            if plan.parent is not None
        ],
        batch_size=1000,
    )
    activities, watches = [], {}
    for plan in plans:
        for number, (author, when, _, summary) in enumerate(plan.history, start=1):
            verb, extra = Activity.Verb.CREATED, {"revision": number}
            if number > 1:
                verb, extra = Activity.Verb.UPDATED, {"revision": number, "summary": summary, "minor": False}
            activities.append(
                Activity(actor_id=author, verb=verb, item_id=plan.pk, space_id=plan.space.pk, created=when, extra=extra)
            )
            watches.setdefault((author, plan.pk), when)
    Activity.objects.bulk_create(activities, batch_size=1000)
    Watch.objects.bulk_create(
        [Watch(user_id=user, item_id=item, created=when) for (user, item), when in watches.items()], batch_size=1000
    )
    return len(plans)


def _large_history(rng, now, space, members, topic, title, parent) -> list[tuple[int, datetime, str, str]]:
    """One to three revisions: written, then a section added by someone (perhaps someone else) now and then."""
    sections = rng.sample(LARGE_SECTIONS, 4)
    body = "\n\n".join(f"## {heading}\n{text.format(t=topic)}" for heading, text in sections[:2])
    see_also = f"\n\nSee also [[{parent.title}]]." if parent else ""
    text = f"# {title}\n\nNotes on {topic} from the people who use it here.{see_also}\n\n{body}\n"
    when = space.created + (now - space.created) * rng.random()
    history = [(rng.choice(members), when, text, "Created the page")]
    for heading, addition in sections[2 : 2 + rng.choice([0, 1, 1, 2])]:
        when += (now - when) * rng.random() * 0.5
        text = f"{text}\n## {heading}\n{addition.format(t=topic)}\n"
        history.append((rng.choice(members), when, text, f"Add “{heading}”"))
    return history
