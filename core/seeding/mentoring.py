"""The demo's mentoring: the always-open programme for informal mentoring, where mentees pick a mentor from
their suggestions, and a curator's cohort for the data teams, matched in one run; pairs across London, New
York, Singapore and São Paulo with their messages, agreements, goals, meetings and check-ins, a request
still waiting for an answer, and one pair that has gone quiet and is flagged at risk.

Everything goes through ``mentoring.services``, ``mentoring.runs``, ``mentoring.pairs`` and
``messaging.services`` on the demo's timeline. Services that take ``now`` are given the step's moment; what
the others stamp with the present is moved back to it afterwards (``STAMPED``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from mentoring import pairs, runs, services
from mentoring.models import Agreement, Application, CheckIn, Closing, Goal, Match, MatchRun, Meeting, MeetingNote
from messaging.models import Conversation, Message, Participant
from people.models import PersonSkill

if TYPE_CHECKING:
    from core.seeding.demo import Timeline
    from people.models import User
    from spaces.models import Space

MENTOR, MENTEE = "mentor", "mentee"

STAMPED = [
    (Application, ("created", "updated")),
    (Match, ("created", "responded_at", "started", "closed_at")),
    (MatchRun, ("created", "published_at")),
    (Agreement, ("updated",)),
    (Goal, ("created", "done_at")),
    (Meeting, ("created",)),
    (MeetingNote, ("updated",)),
    (Closing, ("created",)),
    (Conversation, ("created", "last_message_at")),
    (Participant, ("last_read_at", "last_message_at")),
    (Message, ("created",)),
]

# Weekly hours as [weekday, from, to] in minutes after midnight in the person's own zone.
OFFICE = [[day, 9 * 60, 17 * 60 + 30] for day in range(5)]
EARLY = [[day, 7 * 60, 15 * 60] for day in range(5)]  # starts early to overlap with Asia
LATE = [[day, 11 * 60, 19 * 60] for day in range(5)]  # stays late to overlap with the Americas


@dataclass(frozen=True)
class Apply:
    username: str
    side: str
    goals: str
    availability: list
    formats: tuple[str, ...] = ("video",)
    seniority: int = 2
    capacity: int = 2
    site_preference: str = "any"


OPEN_APPLICATIONS = [
    Apply(
        "mo", MENTOR,
        "Fifteen years of building web services. Happy to help with Python, code review, system design and "
        "finding your way as an engineer; I enjoy mentoring people who come to programming from analysis.",
        OFFICE, ("video", "in_person"), 4, 2,
    ),
    Apply(
        "kenji", MENTOR,
        "Platform engineering, Kubernetes, running on-call well, and moving from engineer to manager.",
        LATE, ("video", "chat"), 4, 2,
    ),
    Apply(
        "beatriz", MENTOR,
        "Customer research, turning interviews and survey data into decisions, presenting insights to leaders.",
        EARLY, ("video",), 4, 1,
    ),
    Apply(
        "rachel", MENTOR,
        "Marketing strategy, building a personal brand, negotiating budgets, speaking at conferences.",
        OFFICE, ("video", "chat"), 4, 2,
    ),
    Apply(
        "alice", MENTEE,
        "I want to learn Python properly for analysis — automating my reports instead of spreadsheets — and "
        "to get better at statistics and probability for survey work.",
        OFFICE, ("video", "in_person"), 1, 1, "same",
    ),
    Apply(
        "lucas", MENTEE,
        "Grow from backend engineer towards platform work: infrastructure as code, Kubernetes, on-call.",
        EARLY, ("video", "chat"), 2, 1, "other",
    ),
    Apply(
        "tyler", MENTEE,
        "Learn how marketing and sales work together, and get better at presenting to customers.",
        OFFICE, ("video",), 1, 1,
    ),
]  # fmt: skip

COHORT_APPLICATIONS = [
    Apply("priya", MENTOR, "Leading data teams, statistics, stakeholder management, data strategy.", OFFICE,
          ("video", "in_person"), 5, 2),
    Apply("grace", MENTOR, "Machine learning in production, Python, experiment design.", OFFICE, ("video",), 3, 1),
    Apply("weiling", MENTOR, "Data science, statistics, modelling customer behaviour, Python and SQL.", LATE,
          ("video", "chat"), 3, 2),
    Apply("chris", MENTOR, "Analytics engineering: SQL, dbt, data modelling, testing data pipelines.", OFFICE,
          ("video",), 3, 1),
    Apply("hana", MENTEE, "Move from BI dashboards to data science: statistics and Python modelling.", OFFICE,
          ("video",), 2, 1),
    Apply("leticia", MENTEE, "Get better at SQL and data modelling for product analytics.", EARLY, ("video",), 1, 1),
    Apply("juliana", MENTEE, "Experiment design and statistics for growth tests; presenting results.", EARLY,
          ("video", "chat"), 1, 1),
    Apply("ravi", MENTEE, "Learn Python and SQL to automate financial analysis.", OFFICE, ("video",), 2, 1),
    Apply("thiago", MENTEE, "Data pipelines, testing and data quality; leading a small team one day.", EARLY,
          ("video",), 2, 1),
]  # fmt: skip

# (days ago, sender, recipient, text)
MESSAGES = [
    (76.2, "alice", "mo", "Hi Mo! The suggestions put you first for Python. Would you have time for a mentee who "
     "mostly writes spreadsheets today? I'd like to automate my weekly survey reports."),
    (76.0, "mo", "alice", "Hi Alice, happily. Send me a request in the programme and bring one of those reports "
     "to our first chat — it'll make a good first project."),
    (69.9, "alice", "mo", "Thanks for today! I've put the report notebook in our shared folder."),
    (41.1, "mo", "alice", "Nice work on the pandas version — it runs in seconds now. Next time: tests."),
    (13.8, "alice", "mo", "I presented the automated report to Priya's team this morning. It went well!"),
    (13.6, "mo", "alice", "Brilliant. Write it up in your portfolio while it's fresh."),
    (66.3, "lucas", "kenji", "Hi Kenji — I'm in São Paulo, so our hours barely meet. Would early mornings my time "
     "work for you?"),
    (66.1, "kenji", "lucas", "Yes, your 7:00 is my 18:00. Let's try Tuesdays."),
    (30.2, "lucas", "kenji", "Sorry I missed the last two — release crunch. Can we find a new slot?"),
    (4.2, "tyler", "rachel", "Hello Rachel, I'd love to learn how marketing plans campaigns with sales. I've sent "
     "you a request in the informal mentoring programme."),
]  # fmt: skip

AGREEMENT_TEXTS = {
    "goals": "Automate the weekly survey report in Python; understand confidence intervals well enough to explain "
    "them; present one analysis to the data team.",
    "rhythm": "An hour every two weeks, Thursdays 14:00 in the London office or on video. Alice books; either of "
    "us may move a meeting with a day's notice.",
    "confidentiality": "What we talk about stays between us unless we both agree to share it.",
    "mentee_expectations": "Come with a topic and the code; try what we agreed before the next meeting.",
    "mentor_expectations": "Review code before we meet, share how I would approach it, be honest when it's not "
    "good yet.",
}


def schedule_mentoring(timeline: Timeline, staff: dict[str, User], spaces: dict[str, Space], *, seed: int) -> None:
    """Put both programmes, their applications, requests, the cohort's run and the pairs' lives on the timeline."""
    curator = staff.get("lee")
    if curator is None:
        return
    state: dict = {"apps": {}, "matches": {}}

    def add(days_ago: float, person: User, step: Callable[[datetime], None]) -> None:
        when = min(timeline.now - timedelta(days=days_ago), timeline.now - timedelta(minutes=5))
        timeline.add(when, lambda w: _stamped(step, w))

    add(80, curator, lambda w: state.update(open=services.get_or_create_open_programme()))
    add(62, curator, lambda w: state.update(cohort=_cohort(curator, w)))
    for n, spec in enumerate(OPEN_APPLICATIONS):
        if spec.username in staff:
            add(78 - n * 0.1, staff[spec.username], lambda w, s=spec: _apply(state, "open", staff[s.username], s))
    for n, spec in enumerate(COHORT_APPLICATIONS):
        if spec.username in staff:
            add(58 - n * 0.1, staff[spec.username], lambda w, s=spec: _apply(state, "cohort", staff[s.username], s))
    for days_ago, sender, recipient, text in MESSAGES:
        if sender in staff and recipient in staff:
            add(days_ago, staff[sender], lambda w, s=sender, r=recipient, t=text: _message(staff[s], staff[r], t))

    # The informal programme: alice and mo thrive; lucas and kenji went quiet; tyler waits for rachel's answer.
    add(75.5, curator, lambda w: _request(state, "alice", "mo", "Python for my survey reports, please!"))
    add(75.0, curator, lambda w: _respond(state, "alice", "mo", "Looking forward to it — see you Thursday.", w))
    add(74.8, curator, lambda w: _agree(state, "alice", "mo", w))
    add(74.7, curator, lambda w: _goals(state, "alice", "mo", w))
    for days_ago, notes in [
        (73, "Got to know each other. Picked the weekly survey report as the first project."),
        (59, "Walked through pandas basics; Alice rewrote the first half of the report."),
        (45, "Confidence intervals with the survey data; bootstrap as a way to see them."),
        (31, "Tests for the report code with pytest; how to structure a small project."),
        (17, "Rehearsed the presentation to the data team."),
    ]:
        add(days_ago, curator, lambda w, d=days_ago, n=notes: _held(state, "alice", "mo", w, n))
    add(44, curator, lambda w: _checkin(state, "alice", "mo", "alice", 5, "Exactly what I needed.", w))
    add(44, curator, lambda w: _checkin(state, "alice", "mo", "mo", 4, "Alice does the homework; good pace.", w))
    add(16, curator, lambda w: _progress(state, "alice", "mo", w))
    add(3, curator, lambda w: _book(state, "alice", "mo", w, days_ahead=4, agenda="Next project: a dashboard."))

    add(66, curator, lambda w: _request(state, "lucas", "kenji", "Platform engineering across time zones?"))
    add(65.5, curator, lambda w: _respond(state, "lucas", "kenji", "Happy to — early mornings for you work.", w))
    add(63, curator, lambda w: _held(state, "lucas", "kenji", w, "Mapped Lucas's path to platform work."))
    add(34, curator, lambda w: _checkin(state, "lucas", "kenji", "lucas", 2, "We keep missing each other.", w))

    add(4, curator, lambda w: _request(state, "tyler", "rachel", "Marketing and sales working together."))

    # The cohort: one run matches everyone it can; pairs meet, one a little less often.
    add(50, curator, lambda w: _run(state, curator, w))
    add(48, curator, lambda w: _hello_all(state))
    add(46, curator, lambda w: _held_all(state, w, "First meeting: goals and the agreement."))
    add(30, curator, lambda w: _held_all(state, w, "Worked on the first goal together.", skip=1))
    add(15, curator, lambda w: _cohort_checkins(state, w))
    add(0.05, curator, lambda w: _settle(w))


def _stamped(step: Callable[[datetime], None], when: datetime) -> None:
    began = timezone.now()
    step(when)
    for model, fields in STAMPED:
        for name in fields:
            model.objects.filter(**{f"{name}__gte": began}).update(**{name: when})


def _cohort(curator: User, when: datetime):
    return services.create_programme(
        actor=curator,
        title="Data & Analytics mentoring — autumn cohort",
        summary="Six months of mentoring for analysts and engineers growing into data science and analytics "
        "engineering, across all four offices.",
        purpose="Pair people who want to grow in statistics, Python, SQL and data modelling with the colleagues "
        "who use them every day. Curators match the cohort at once; pairs meet every two or three weeks.",
        starts=(when + timedelta(days=10)).date(),
        ends=(when + timedelta(days=190)).date(),
        tags=["mentoring", "data"],
        mode="both",
        weights={"skills": 5, "goals": 2, "hours": 3, "format": 1, "seniority": 1, "site": 0.5},
        default_capacity=1,
        max_capacity=3,
        length_weeks=26,
        checkin_every_days=21,
        at_risk_after_days=35,
    )


def _skills_for(person: User, side: str) -> list[tuple]:
    directions = ["teaches", "has"] if side == MENTOR else ["wants"]
    for direction in directions:
        rows = list(
            PersonSkill.objects.filter(person=person, direction=direction)
            .select_related("skill")
            .order_by("-level", "skill__name")[:5]
        )
        if rows:
            return [(row.skill, max(row.level, 3) if side == MENTOR else row.level) for row in rows]
    return []


def _apply(state: dict, programme: str, person: User, spec: Apply) -> None:
    target = state.get(programme)
    if target is None:
        return
    application = services.apply(
        programme=target,
        person=person,
        side=spec.side,
        goals=spec.goals,
        availability=spec.availability,
        formats=list(spec.formats),
        seniority=spec.seniority,
        capacity=spec.capacity if spec.side == MENTOR else 1,
        site_preference=spec.site_preference,
        skills=_skills_for(person, spec.side),
    )
    state["apps"][(programme, person.username, spec.side)] = application


def _message(sender: User, recipient: User, text: str) -> None:
    from messaging import services as messaging

    messaging.send_message(sender=sender, recipient=recipient, body=text)


def _request(state: dict, mentee: str, mentor: str, note: str) -> None:
    mentee_app = state["apps"].get(("open", mentee, MENTEE))
    mentor_app = state["apps"].get(("open", mentor, MENTOR))
    if mentee_app and mentor_app:
        match = services.request_mentor(
            mentee_application=mentee_app, mentor_application=mentor_app, note=note, by=mentee_app.person
        )
        state["matches"][(mentee, mentor)] = match


def _respond(state: dict, mentee: str, mentor: str, note: str, when: datetime) -> None:
    match = state["matches"].get((mentee, mentor))
    if match is None:
        return
    match = services.respond(match=match, by=match.mentor, accept=True, note=note)
    # Accepting starts the pair now; the demo's pair started at the step's moment, so its dates count from there.
    programme = match.programme
    Match.objects.filter(pk=match.pk).update(ends_on=(when + timedelta(weeks=programme.length_weeks)).date())
    CheckIn.objects.filter(match=match, answered_at__isnull=True).update(
        due=(when + timedelta(days=programme.checkin_every_days)).date()
    )
    state["matches"][(mentee, mentor)] = match


def _pair(state: dict, mentee: str, mentor: str) -> Match | None:
    match = state["matches"].get((mentee, mentor))
    if match is None:
        return None
    match.refresh_from_db()
    return match if match.state == Match.State.ACTIVE else None


def _agree(state: dict, mentee: str, mentor: str, when: datetime) -> None:
    match = _pair(state, mentee, mentor)
    if match is None:
        return
    pairs.edit_agreement(match=match, by=match.mentee, texts=AGREEMENT_TEXTS, now=when)
    pairs.sign_agreement(match=match, by=match.mentee, now=when)
    pairs.sign_agreement(match=match, by=match.mentor, now=when + timedelta(hours=2))


def _goals(state: dict, mentee: str, mentor: str, when: datetime) -> None:
    match = _pair(state, mentee, mentor)
    if match is None:
        return
    for title, progress in [
        ("Automate the weekly survey report in Python", 40),
        ("Explain confidence intervals to the team", 20),
        ("Present an analysis to the data team", 0),
    ]:
        pairs.add_goal(match=match, by=match.mentee, title=title, progress=progress, now=when)


def _progress(state: dict, mentee: str, mentor: str, when: datetime) -> None:
    match = _pair(state, mentee, mentor)
    if match is None:
        return
    for goal, progress in zip(match.goals.order_by("pk"), (100, 70, 90), strict=False):
        pairs.update_goal(goal=goal, by=match.mentee, progress=progress, done=progress == 100, now=when)


def _held(state: dict, mentee: str, mentor: str, when: datetime, notes: str) -> None:
    match = _pair(state, mentee, mentor)
    if match is None:
        return
    meeting = pairs.log_meeting(
        match=match, by=match.mentee, starts=when - timedelta(hours=1), shared_notes=notes, now=when
    )
    if mentee == "alice":
        pairs.save_private_note(
            meeting=meeting, by=match.mentor, text="Alice underrates herself; push her to present.", now=when
        )


def _book(state: dict, mentee: str, mentor: str, when: datetime, *, days_ahead: int, agenda: str) -> None:
    match = _pair(state, mentee, mentor)
    if match is None:
        return
    starts = (when + timedelta(days=days_ahead)).replace(minute=0, second=0)
    pairs.schedule_meeting(
        match=match, by=match.mentee, starts=starts, place="London office, room 4.2", agenda=agenda, now=when
    )


def _checkin(state: dict, mentee: str, mentor: str, who: str, score: int, comment: str, when: datetime) -> None:
    match = _pair(state, mentee, mentor)
    if match is None:
        return
    person = match.mentee if who == mentee else match.mentor
    checkin = pairs.due_checkin(match, person, today=when.date())
    if checkin is not None:
        pairs.answer_checkin(checkin=checkin, by=person, score=score, comment=comment, now=when)


def _run(state: dict, curator: User, when: datetime) -> None:
    cohort = state.get("cohort")
    if cohort is None:
        return
    run = runs.start_run(cohort, by=curator, now=when)
    published = runs.publish_run(run, by=curator, now=when + timedelta(minutes=20))
    state["cohort_pairs"] = [match.pk for match in published]


def _hello_all(state: dict) -> None:
    from messaging import services as messaging

    for pk in state.get("cohort_pairs", []):
        match = Match.objects.select_related("mentor", "mentee").get(pk=pk)
        mentor, mentee = match.mentor, match.mentee
        messaging.send_message(
            sender=mentee,
            recipient=mentor,
            body=f"Hello {mentor.first_name}, we were matched in the data cohort! Could we meet this week? "
            "I've put my goals in the agreement.",
        )
        messaging.send_message(
            sender=mentor, recipient=mentee, body=f"Hi {mentee.first_name}, welcome! I've sent you an invitation."
        )


def _held_all(state: dict, when: datetime, notes: str, *, skip: int | None = None) -> None:
    """Each cohort pair logs a meeting, but the one at position ``skip``, which has gone quiet."""
    for n, pk in enumerate(state.get("cohort_pairs", [])):
        if n == skip:
            continue
        match = Match.objects.select_related("mentor", "mentee", "programme").get(pk=pk)
        if match.state == Match.State.ACTIVE:
            pairs.log_meeting(
                match=match, by=match.mentor, starts=when - timedelta(hours=2), shared_notes=notes, now=when
            )


def _cohort_checkins(state: dict, when: datetime) -> None:
    for n, pk in enumerate(state.get("cohort_pairs", [])):
        match = Match.objects.select_related("mentor", "mentee", "programme").get(pk=pk)
        if match.state != Match.State.ACTIVE:
            continue
        for person, score in ((match.mentee, 4 + n % 2), (match.mentor, 4)):
            checkin = pairs.due_checkin(match, person, today=when.date())
            if checkin is not None:
                pairs.answer_checkin(checkin=checkin, by=person, score=score, comment="Going well.", now=when)


def _settle(when: datetime) -> None:
    """Bring check-ins up to date and flag the pairs that have gone quiet, as the hourly job would."""
    pairs.schedule_checkins(now=when)
    pairs.detect_at_risk(now=when)
