"""The demo's course catalogue: sixty-odd formal courses beside the informal material, with sessions in
the four offices' time zones, enrolments, waiting lists, attendance, completions and reviews.

Everything goes through ``catalog.services`` and ``reviews.services`` on the demo's timeline, with a
random stream of its own. Sessions that lie in the past were planned ahead: people enrol while they are
still upcoming (as the service requires), then the curator moves them to their real dates with
``update_session``, takes attendance and records completions. Invites are queued with the seed's other
tasks and never sent (``core.seeding.tasks_held``).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower

from catalog import services
from catalog.models import Course, Enrolment, Session
from core.access import can_view, forget_space_roles
from core.models import Item, Watch
from people.models import Skill
from reviews import services as reviews
from reviews.models import Review

if TYPE_CHECKING:
    from core.seeding.demo import Timeline
    from people.models import User
    from spaces.models import Space

F = Course.Format
L = Course.Level

# code, title, provider, format, minutes, level, language, skills (names in the demo's taxonomy), cost in EUR
# fmt: off
COURSES: list[tuple[str, str, str, str, int, str, str, tuple[str, ...], int]] = [
    ("ENG-101", "Python for everyday automation", "Watercooler Academy", F.CLASSROOM, 960, L.BEGINNER, "en",
     ("computer programming",), 0),
    ("ENG-102", "Testing Python code with pytest", "Watercooler Academy", F.LIVE_ONLINE, 360, L.INTERMEDIATE, "en",
     ("computer programming", "software and applications development and analysis"), 0),
    ("ENG-103", "Designing web APIs that last", "Pragmatic Workshops", F.CLASSROOM, 840, L.ADVANCED, "en",
     ("designing ict systems or applications",), 650),
    ("ENG-104", "SQL performance tuning", "Database Academy", F.LIVE_ONLINE, 480, L.ADVANCED, "en",
     ("database and network design and administration",), 420),
    ("ENG-105", "Git beyond the basics", "Watercooler Academy", F.ELEARNING, 120, L.INTERMEDIATE, "en",
     ("computer programming",), 0),
    ("ENG-106", "Secure coding fundamentals", "OWASP Foundation", F.ELEARNING, 240, L.ALL, "en",
     ("apply digital security measures",), 0),
    ("ENG-107", "Incident response for on-call engineers", "Watercooler Academy", F.CLASSROOM, 420, L.INTERMEDIATE,
     "en", ("solve technical problems", "resolving computer problems"), 0),
    ("ENG-108", "Writing design documents people read", "Watercooler Academy", F.LIVE_ONLINE, 180, L.ALL, "en",
     ("documenting technical designs, procedures, problems or activities",), 0),
    ("ENG-109", "Kubernetes in production", "Cloud Native Computing Foundation", F.EXTERNAL, 2400, L.ADVANCED, "en",
     ("setting up computer systems", "programming computer systems"), 395),
    ("ENG-110", "Clean Code (book club)", "Prentice Hall", F.BOOK, 900, L.INTERMEDIATE, "en",
     ("computer programming",), 35),
    ("ENG-111", "Domain-driven design distilled", "Addison-Wesley", F.BOOK, 600, L.ADVANCED, "en",
     ("designing ict systems or applications",), 40),
    ("ENG-112", "Accessible front ends", "Deque University", F.ELEARNING, 300, L.INTERMEDIATE, "en",
     ("software and applications development and analysis",), 150),
    ("ENG-113", "Programação Python para iniciantes", "Alura", F.VIDEO, 720, L.BEGINNER, "pt",
     ("computer programming",), 0),
    ("ENG-114", "Pair and mob programming", "Watercooler Academy", F.CLASSROOM, 240, L.ALL, "en",
     ("work in teams", "computer programming"), 0),
    ("DAT-101", "Statistics for analysts", "Watercooler Academy", F.CLASSROOM, 720, L.BEGINNER, "en",
     ("statistics", "calculate probabilities"), 0),
    ("DAT-102", "A/B testing done right", "Experimentation Guild", F.LIVE_ONLINE, 240, L.INTERMEDIATE, "en",
     ("statistics", "analysing and evaluating information and data"), 0),
    ("DAT-103", "Data visualisation that persuades", "Storytelling with Data", F.CLASSROOM, 420, L.ALL, "en",
     ("presenting research or technical information",), 480),
    ("DAT-104", "Pandas in a day", "Watercooler Academy", F.LIVE_ONLINE, 420, L.BEGINNER, "en",
     ("digital data processing", "computer programming"), 0),
    ("DAT-105", "Machine learning crash course", "Google", F.ELEARNING, 900, L.INTERMEDIATE, "en",
     ("mathematics", "computer programming"), 0),
    ("DAT-106", "Probability for data scientists", "Coursera", F.EXTERNAL, 1800, L.ADVANCED, "en",
     ("calculate probabilities", "interpret mathematical information"), 79),
    ("DAT-107", "Dashboards with Looker", "Looker", F.VIDEO, 180, L.BEGINNER, "en",
     ("manage data, information and digital content",), 0),
    ("DAT-108", "Thinking, fast and slow (reading group)", "Penguin", F.BOOK, 720, L.ALL, "en",
     ("think analytically", "make decisions"), 18),
    ("DAT-109", "Data modelling with dbt", "dbt Labs", F.ELEARNING, 300, L.INTERMEDIATE, "en",
     ("digital data processing",), 0),
    ("PRD-101", "Product discovery in practice", "Silicon Valley Product Group", F.CLASSROOM, 840, L.INTERMEDIATE,
     "en", ("engaging with others to identify needs", "identifying opportunities"), 900),
    ("PRD-102", "Writing good user stories", "Watercooler Academy", F.LIVE_ONLINE, 120, L.BEGINNER, "en",
     ("designing systems and products",), 0),
    ("PRD-103", "Roadmaps and prioritisation", "Mind the Product", F.VIDEO, 150, L.INTERMEDIATE, "en",
     ("make decisions", "directing, supervising and coordinating projects"), 0),
    ("PRD-104", "Customer interviews that work", "Watercooler Academy", F.CLASSROOM, 360, L.ALL, "en",
     ("interviewing", "conducting academic or market research"), 0),
    ("DES-101", "Design systems from scratch", "Figma", F.ELEARNING, 240, L.INTERMEDIATE, "en",
     ("creating artistic, visual or instructive materials",), 0),
    ("DES-102", "Usability testing on a budget", "Nielsen Norman Group", F.LIVE_ONLINE, 420, L.ALL, "en",
     ("conducting academic or market research",), 750),
    ("DES-103", "Sketching for non-designers", "Watercooler Academy", F.CLASSROOM, 180, L.BEGINNER, "en",
     ("think creatively",), 0),
    ("DES-104", "Design thinking", "IDEO U", F.EXTERNAL, 1200, L.ALL, "en",
     ("think creatively", "designing systems and products"), 399),
    ("SAL-101", "Consultative selling", "Sandler Training", F.CLASSROOM, 960, L.INTERMEDIATE, "en",
     ("selling products or services", "advising on products and services"), 1200),
    ("SAL-102", "Negotiation essentials", "Watercooler Academy", F.CLASSROOM, 420, L.ALL, "en",
     ("negotiating",), 0),
    ("SAL-103", "Networking for introverts", "Watercooler Academy", F.LIVE_ONLINE, 90, L.BEGINNER, "en",
     ("build networks", "developing professional relationships or networks"), 0),
    ("SAL-104", "Never split the difference", "Harper Business", F.BOOK, 540, L.ALL, "en",
     ("negotiating",), 22),
    ("SAL-105", "Vendas consultivas", "Watercooler Academy", F.LIVE_ONLINE, 240, L.INTERMEDIATE, "pt",
     ("selling products or services",), 0),
    ("CS-101", "Handling difficult conversations", "Watercooler Academy", F.CLASSROOM, 360, L.ALL, "en",
     ("responding to complaints", "resolve conflicts"), 0),
    ("CS-102", "Empathy in customer support", "Zendesk", F.VIDEO, 90, L.BEGINNER, "en",
     ("show empathy",), 0),
    ("CS-103", "Running customer workshops", "Watercooler Academy", F.LIVE_ONLINE, 240, L.INTERMEDIATE, "en",
     ("instruct others", "engaging with others to identify needs"), 0),
    ("MKT-101", "Content strategy", "Content Marketing Institute", F.ELEARNING, 360, L.INTERMEDIATE, "en",
     ("develop digital content", "marketing and advertising"), 249),
    ("MKT-102", "Copywriting that converts", "Copyhackers", F.VIDEO, 240, L.ALL, "en",
     ("artistic and creative writing",), 99),
    ("MKT-103", "Marketing plans that get funded", "Watercooler Academy", F.CLASSROOM, 360, L.ADVANCED, "en",
     ("developing financial, business or marketing plans",), 0),
    ("MKT-104", "SEO fundamentals", "Google", F.ELEARNING, 180, L.BEGINNER, "en",
     ("promoting products, services, or programs",), 0),
    ("FIN-101", "Finance for non-finance managers", "Watercooler Academy", F.CLASSROOM, 420, L.BEGINNER, "en",
     ("managing budgets or finances",), 0),
    ("FIN-102", "Financial modelling in spreadsheets", "Corporate Finance Institute", F.EXTERNAL, 1500,
     L.INTERMEDIATE, "en", ("analysing financial and economic data",), 497),
    ("FIN-103", "IFRS update", "ICAEW", F.LIVE_ONLINE, 240, L.ADVANCED, "en",
     ("accounting and taxation",), 180),
    ("FIN-104", "Risk management essentials", "Watercooler Academy", F.ELEARNING, 150, L.ALL, "en",
     ("performing risk analysis and management",), 0),
    ("PPL-101", "Coaching skills for managers", "Watercooler Academy", F.CLASSROOM, 840, L.INTERMEDIATE, "en",
     ("coaching and mentoring", "giving feedback"), 0),
    ("PPL-102", "Giving and receiving feedback", "Watercooler Academy", F.LIVE_ONLINE, 120, L.ALL, "en",
     ("giving feedback",), 0),
    ("PPL-103", "Structured interviewing", "Watercooler Academy", F.CLASSROOM, 240, L.INTERMEDIATE, "en",
     ("interviewing", "recruiting and hiring"), 0),
    ("PPL-104", "Facilitation skills", "Watercooler Academy", F.LIVE_ONLINE, 360, L.ALL, "en",
     ("moderate a discussion", "teaching and training"), 0),
    ("PPL-105", "Designing learning programmes", "Association for Talent Development", F.EXTERNAL, 1200,
     L.ADVANCED, "en", ("developing educational programmes",), 695),
    ("LDR-101", "First-time manager", "Watercooler Academy", F.CLASSROOM, 1440, L.BEGINNER, "en",
     ("lead others", "leading and motivating"), 0),
    ("LDR-102", "Leading through change", "Harvard ManageMentor", F.ELEARNING, 240, L.INTERMEDIATE, "en",
     ("adapt to change", "leading and motivating"), 0),
    ("LDR-103", "The Manager's Path", "O'Reilly", F.BOOK, 600, L.INTERMEDIATE, "en",
     ("lead others",), 30),
    ("LDR-104", "Liderança para novos gestores", "Watercooler Academy", F.CLASSROOM, 720, L.BEGINNER, "pt",
     ("lead others",), 0),
    ("GEN-101", "Presenting with confidence", "Watercooler Academy", F.CLASSROOM, 360, L.ALL, "en",
     ("address an audience",), 0),
    ("GEN-102", "Time management that sticks", "Watercooler Academy", F.VIDEO, 60, L.ALL, "en",
     ("manage time",), 0),
    ("GEN-103", "Critical thinking", "The Open University", F.ELEARNING, 480, L.ALL, "en",
     ("think critically",), 0),
    ("GEN-104", "Business English: writing e-mails", "British Council", F.LIVE_ONLINE, 480, L.INTERMEDIATE, "en",
     ("using foreign languages",), 0),
    ("GEN-105", "Mandarin for beginners", "Watercooler Academy", F.LIVE_ONLINE, 1200, L.BEGINNER, "zh",
     ("using foreign languages",), 0),
    ("GEN-106", "Learning how to learn", "Coursera", F.EXTERNAL, 900, L.ALL, "en",
     ("demonstrate willingness to learn",), 0),
    ("OPS-101", "Security awareness", "Watercooler Academy", F.ELEARNING, 45, L.ALL, "en",
     ("ICT safety", "protect ICT devices"), 0),
    ("OPS-102", "ITIL 4 Foundation", "Axelos", F.EXTERNAL, 1200, L.BEGINNER, "en",
     ("developing operational policies and procedures",), 450),
    ("LEG-101", "GDPR for everyone", "Watercooler Academy", F.ELEARNING, 60, L.ALL, "en",
     ("protect personal data and privacy",), 0),
    ("LEG-102", "Contract drafting workshop", "Law Society", F.CLASSROOM, 420, L.ADVANCED, "en",
     ("negotiating and managing contracts and agreements",), 550),
]
# fmt: on

# Where classroom sessions happen, by the office's site key.
ROOMS = {
    "london": "London office, King's Cross – Room Turing",
    "new-york": "New York office, Flatiron – Room Hopper",
    "singapore": "Singapore office, Tanjong Pagar – Room Raffles",
    "sao-paulo": "São Paulo office, Pinheiros – Sala Santos Dumont",
}
SITE_ZONES = {
    "london": "Europe/London",
    "new-york": "America/New_York",
    "singapore": "Asia/Singapore",
    "sao-paulo": "America/Sao_Paulo",
}

REVIEWS = {
    5: [
        "Excellent – practical from the first hour, and I used it at work the next day.",
        "The best course I have taken here. The exercises were spot on.",
        "Clear, well paced and the trainer knew the material inside out.",
    ],
    4: [
        "Very useful; a little long in the middle, but worth the time.",
        "Good material and good examples. I would like a follow-up session.",
        "Solid introduction. The hands-on part was the highlight.",
    ],
    3: [
        "Fine overall, but much of it I already knew.",
        "Decent, though the pace was uneven.",
        "",
    ],
    2: ["Too theoretical for what I needed.", "The material felt dated."],
    1: ["Not what the description promised."],
}


def schedule_catalog(timeline: Timeline, staff: dict[str, User], spaces: dict[str, Space], *, seed: int) -> None:
    """Put the catalogue's courses and each course's history on the demo's timeline."""
    curator = staff.get("lee")
    if curator is None:
        return
    from core.seeding.demo import Timeline

    # A stream (and a clock drawing from it) of its own, so the catalogue changes nothing else the demo draws.
    rng = random.Random(f"catalog-{seed}")
    clock = Timeline(now=timeline.now, rng=rng)
    skills = _skills()
    co_curators = [staff[u] for u in ("hannah", "lauren") if u in staff]
    for index, spec in enumerate(COURSES):
        created = clock.moment(58 - index * 0.4, curator)
        named = rng.choice(co_curators) if co_curators and rng.random() < 0.3 else None
        history = _History(
            spec=spec, staff=staff, curator=curator, named=named, skills=skills, rng=rng, now=timeline.now
        )
        timeline.add(created, history.create)
        timeline.add(created + timedelta(minutes=20), history.run)


def _skills() -> dict[str, Skill]:
    wanted = {name.lower() for spec in COURSES for name in spec[7]}
    found: dict[str, Skill] = {}
    named = Skill.objects.annotate(lowered=Lower("name")).filter(lowered__in=wanted)
    for skill in named.order_by("-depth", "-pk").only("pk", "name"):
        found[skill.name.lower()] = skill  # the shallowest of same-named skills wins
    return found


class _History:
    """One course: created by the curator, then its sessions, learners, completions and reviews."""

    def __init__(self, *, spec, staff, curator, named, skills, rng, now):
        self.spec, self.staff, self.curator, self.named = spec, staff, curator, named
        self.skills, self.rng, self.now = skills, rng, now
        self.course: Course | None = None
        self.created = now

    def create(self, when: datetime) -> None:
        self.created = when
        code, title, provider, format, minutes, level, language, skill_names, cost = self.spec
        summary = f"{title}, with {provider}. " + _blurb(format, minutes)
        self.course = services.create_course(
            actor=self.curator,
            title=title,
            summary=summary,
            format=format,
            code=code,
            provider=provider,
            duration_minutes=minutes,
            level=level,
            language=language,
            skills=[self.skills[n.lower()] for n in skill_names if n.lower() in self.skills],
            cost=cost,
            currency="EUR" if cost else "",
            prerequisites="" if level != L.ADVANCED else "Some hands-on experience of the subject.",
            launch_url=f"https://learning.example.com/{code.lower()}" if format == F.ELEARNING else "",
            curator=self.named,
            tags=[code.split("-")[0].lower(), "course"],
        )
        Item.objects.filter(pk=self.course.pk).update(created=when, updated=when)
        Watch.objects.filter(item_id=self.course.pk).update(created=when)

    def run(self, when: datetime) -> None:
        learners = self._audience()
        if self.course.self_paced:
            self._self_paced(learners)
        else:
            self._sessions(learners)
        self._reviews()

    def _audience(self) -> list[User]:
        # Curators do not confirm their own completions, so they are not learners of their own courses.
        curators = {self.curator.pk, self.named.pk if self.named else None}
        people = [p for p in self.staff.values() if p.pk not in curators and not p.is_guest]
        self.rng.shuffle(people)
        wanted = self.rng.randint(4, min(14, len(people)))
        return [p for p in people if can_view(p, self.course.item)][:wanted]

    def _self_paced(self, learners: list[User]) -> None:
        rng = self.rng
        for person in learners:
            enrolment = services.enrol(person=person, course=self.course)
            roll = rng.random()
            if roll < 0.35:
                enrolment = services.record_completion(actor=self._actor(), enrolment=enrolment)
            elif roll < 0.65:
                enrolment = services.self_report_completion(
                    person=person,
                    course=self.course,
                    evidence=rng.choice(
                        ["Finished every module.", "Passed the final quiz.", "Read it cover to cover."]
                    ),
                    evidence_url=f"https://learning.example.com/certificates/{self.course.code.lower()}-{person.pk}"
                    if rng.random() < 0.5
                    else "",
                )
                if rng.random() < 0.6:
                    enrolment = services.confirm_completion(actor=self._actor(), enrolment=enrolment)
            self._backdate(enrolment, days_ago=rng.uniform(2, 40))

    def _sessions(self, learners: list[User]) -> None:
        rng = self.rng
        sites = list(SITE_ZONES)
        count = rng.randint(2, 3)
        # The first session already ran; the others are coming up, a few of them full.
        for n in range(count):
            site = rng.choice(sites)
            zone = ZoneInfo(SITE_ZONES[site])
            days = -rng.randint(6, 35) if n == 0 else rng.randint(4, 50)
            local = (self.now + timedelta(days=abs(days))).astimezone(zone)
            starts = local.replace(hour=rng.choice([9, 10, 13, 14]), minute=0, second=0, microsecond=0)
            hours = min(max((self.course.duration_minutes or 180) // 60, 1), 7)
            online = self.course.format == F.LIVE_ONLINE
            session = services.add_session(
                actor=self._actor(),
                course=self.course,
                starts=starts,
                ends=starts + timedelta(hours=hours),
                time_zone=SITE_ZONES[site],
                place="" if online else ROOMS[site],
                online_url=f"https://meet.example.com/{self.course.code.lower()}-{n + 1}" if online else "",
                capacity=rng.choice([4, 6, 8, 12, 16, None]) if n else rng.choice([8, 12, 16]),
            )
            group = learners[n::count]
            if n and rng.random() < 0.35:
                session_full = max(len(group) - rng.randint(1, 3), 1)
                services.update_session(actor=self._actor(), session=session, capacity=session_full)
            for person in group:
                try:
                    services.enrol(person=person, session=session)
                except ValidationError:
                    continue  # already on another upcoming session of this course
            if n == 0:
                # A course added to the catalogue lately cannot have run that long ago: it ran since.
                ran = min(abs(days), int((self.now - self.created).total_seconds() // 86400) - 1)
                self._ran(session, starts - timedelta(days=abs(days) + ran))

    def _ran(self, session: Session, past_start: datetime) -> None:
        """Move the planned session to when it really took place, then take attendance and record completions."""
        rng = self.rng
        length = session.ends - session.starts
        session = services.update_session(
            actor=self._actor(), session=session, starts=past_start, ends=past_start + length
        )
        for enrolment in session.enrolments.filter(state=Enrolment.State.ENROLLED).select_related("person"):
            attended = rng.random() < 0.85
            enrolment = services.record_attendance(actor=self._actor(), enrolment=enrolment, attended=attended)
            if attended and rng.random() < 0.8:
                enrolment = services.record_completion(actor=self._actor(), enrolment=enrolment)
            days = (self.now - session.ends).total_seconds() / 86400
            self._backdate(enrolment, days_ago=max(days, 0.5))

    def _reviews(self) -> None:
        rng = self.rng
        completed = list(
            Enrolment.objects.filter(course=self.course, state=Enrolment.State.COMPLETED).select_related("person")
        )
        # How good the course is: most are liked, a few are not.
        quality = rng.choice([4.6, 4.3, 4.0, 3.6, 3.0, 2.4])
        written = []
        for enrolment in completed:
            if rng.random() > 0.7:
                continue
            stars = min(5, max(1, round(rng.gauss(quality, 0.8))))
            body = rng.choice(REVIEWS[stars]) if rng.random() < 0.75 else ""
            try:
                review = reviews.rate_item(item=self.course.item, author=enrolment.person, rating=stars, body=body)
            except (PermissionDenied, ValidationError):
                continue
            when = (enrolment.completed_at or self.now) + timedelta(hours=rng.uniform(2, 72))
            when = min(when, self.now - timedelta(hours=1))
            Review.objects.filter(pk=review.pk).update(created=when, updated=when)
            written.append(review)
        voters = [e.person for e in completed]
        for review in written:
            if review.body:
                for voter in rng.sample(voters, min(len(voters), rng.randint(0, 4))):
                    if voter.pk != review.author_id:
                        reviews.vote(review=review, voter=voter, helpful=rng.random() < 0.8)

    def _actor(self) -> User:
        forget_space_roles(self.curator)
        return self.named or self.curator

    def _backdate(self, enrolment: Enrolment, *, days_ago: float) -> None:
        # Nobody enrols on or completes a course before it is in the catalogue.
        when = max(self.now - timedelta(days=days_ago), self.created + timedelta(days=1))
        changes = {"created": max(when - timedelta(days=self.rng.uniform(1, 10)), self.created + timedelta(hours=1))}
        if enrolment.completed_at is not None:
            changes["completed_at"] = when
            if enrolment.confirmed_at is not None:
                changes["confirmed_at"] = when + timedelta(hours=self.rng.uniform(1, 48))
        Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
        enrolment.completed_at = changes.get("completed_at", enrolment.completed_at)


def _blurb(format: str, minutes: int) -> str:
    hours = minutes / 60
    length = f"{minutes} minutes" if minutes < 90 else f"about {round(hours)} hours"
    return {
        F.CLASSROOM: f"A hands-on classroom course of {length}, in small groups.",
        F.LIVE_ONLINE: f"Live online, {length} in all, with breakout exercises.",
        F.ELEARNING: f"Self-paced e-learning, {length}; start whenever you like.",
        F.VIDEO: f"A video course of {length}, to watch at your own pace.",
        F.BOOK: f"A book to read in your own time (roughly {length}), with a discussion thread.",
        F.EXTERNAL: f"An external course of {length}; ask your manager before you sign up.",
    }[format]
