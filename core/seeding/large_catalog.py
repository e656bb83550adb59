"""The large course catalogue: 10,000 courses and 500,000 reviews on top of the large organisation.

``bench/catalog_bench.py`` adds it to its own copy of the large organisation (``seed --scale large``),
so the other benchmarks keep their data as it was. ``seed_large_catalog`` writes, in bulk inside one
transaction:

- 10,000 course items (kind ``course``) with their ``Course`` rows: a code ``LC-00001``…, a provider,
  format, duration, level, language, cost, one to three skills from the taxonomy, two tags; owned by
  the demo's curator (most) or administrator, some with a named co-curator; one in twenty limited to a
  space the owner belongs to. The owner watches each course, and each has its created activity and
  search document.
- Sessions for the classroom and live-online courses: some that ran, some coming up (a few cancelled,
  a few full with a waiting list), in the four offices' time zones.
- About 660,000 enrolments: every reviewer took the course (completed, mostly, or attended), and a
  quarter as many again enrolled without reviewing (enrolled, waiting, withdrawn, attended, did not
  attend, completed). One enrolment per person per course, seats within capacity, waiting positions
  1, 2, 3… per session, completions confirmed by a curator unless self-reported and not yet confirmed.
- 500,000 reviews: a course's share falls off with its rank (a few have thousands, most a few dozen;
  the newest ones none yet), its stars scatter around the course's quality, seven in ten have a body,
  one in two hundred is hidden by a moderator who does not own the course, a few have the owner's
  reply, ``verified`` says whether the reviewer's completion counts; each has its reviewed activity.
- ``rating_count`` / ``rating_sum`` on every course item and a ``RatingHistogram`` per reviewed
  course, counting the visible reviews only, exactly as ``reviews.services`` keeps them.

Reviewers and enrolled people are the large organisation's people who may see the course (members of
its space when it has one; never a guest, never its owner). Helpful votes and reports are left out
(their counts stay zero, matching no rows). A fixed random seed makes runs reproducible, and rows are
read back in primary-key order, so the same seed gives the same data on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import Course, Enrolment, Session
from core.models import Activity, Item, ItemKind, Tag, Visibility, Watch
from core.seeding import tasks_held
from core.seeding.catalog import REVIEWS as REVIEW_TEXTS
from core.seeding.catalog import ROOMS, SITE_ZONES, _blurb
from core.seeding.data import TOPICS
from core.seeding.large import _bulk_load, _insert, _Timer
from people.models import Skill, User
from reviews.models import RatingHistogram, Review
from search.index import item_fields
from search.models import SearchDocument
from spaces.models import Membership

COURSES = 10_000
REVIEWS = 500_000
CODE = "LC"
UNRATED = 0.03  # the newest courses, which nobody has rated yet
SPACE_COURSES = 0.05
HIDDEN = 0.005
HISTORY_DAYS = 730
FALL_OFF = 0.6  # a course's share of the reviews goes as 1 / rank ** FALL_OFF

F = Course.Format
L = Course.Level
State = Enrolment.State

PATTERNS = [
    "{t} fundamentals", "Introduction to {t}", "Practical {t}", "{t} for managers", "{t} for beginners",
    "Advanced {t}", "{t} masterclass", "{t} in a day", "{t} bootcamp", "{t}: from zero to production",
    "{t} certification preparation", "Hands-on {t}", "{t} deep dive", "{t} essentials", "Applied {t}",
]  # fmt: skip
PROVIDERS = [
    "Watercooler Academy", "Coursera", "edX", "LinkedIn Learning", "Pluralsight", "O'Reilly", "Udemy Business",
    "FutureLearn", "The Open University", "Harvard ManageMentor", "General Assembly", "Skillsoft", "Google",
    "Microsoft Learn", "AWS Training", "Database Academy", "Pragmatic Workshops", "Deque University",
]  # fmt: skip
# (format, weight, shortest and longest in minutes)
FORMATS = [
    (F.CLASSROOM, 20, 120, 1440),
    (F.LIVE_ONLINE, 15, 60, 480),
    (F.ELEARNING, 30, 15, 300),
    (F.VIDEO, 15, 20, 600),
    (F.BOOK, 5, 300, 1200),
    (F.EXTERNAL, 15, 600, 3000),
]
LANGUAGES = ["en"] * 70 + ["es"] * 6 + ["pt"] * 6 + ["de"] * 5 + ["fr"] * 5 + ["ja"] * 3 + ["zh"] * 3 + ["pt-BR"] * 2
LEVELS = [L.ALL, L.BEGINNER, L.BEGINNER, L.INTERMEDIATE, L.INTERMEDIATE, L.ADVANCED]
QUALITIES = [4.6, 4.4, 4.2, 4.0, 3.8, 3.5, 3.1, 2.6]
REPLIES = [
    "Thank you – we have passed this on to the trainer.",
    "Thanks for the detail; the next run has a longer hands-on part.",
    "Sorry it missed the mark. The advanced course may suit you better.",
]


def last_code(count: int = COURSES) -> str:
    return f"{CODE}-{count:05d}"


def already_seeded(*, count: int = COURSES) -> bool:
    return Course.objects.filter(code=last_code(count)).exists()


@dataclass
class _Plan:
    """One course as planned in memory, before any row is written."""

    code: str
    title: str
    topic: str
    format: str
    minutes: int | None
    level: str
    language: str
    provider: str
    cost: int
    owner: int
    curator: int
    space: int | None
    created: datetime
    skills: list[int]
    quality: float
    pool: list[int]
    # (label, starts, ends, zone, place, online url, capacity, cancelled at)
    sessions: list[list] = field(default_factory=list)
    # (session index or None, person, state, waiting position, created, completed at, self-reported, confirmed at)
    enrolments: list[tuple] = field(default_factory=list)
    # (person, stars, body, created, hidden, verified, reply, reply at)
    reviews: list[tuple] = field(default_factory=list)

    @property
    def self_paced(self) -> bool:
        return self.format in Course.SELF_PACED


def seed_large_catalog(*, seed: int, out, courses: int = COURSES, reviews: int = REVIEWS) -> dict[str, int]:
    """Write the catalogue (see the module's docstring); returns the counts of what it wrote."""
    people = list(
        User.objects.filter(is_active=True).exclude(role=User.Role.GUEST).order_by("pk").values_list("pk", flat=True)
    )
    staff = dict(User.objects.filter(username__in=["lee", "ada", "hannah", "lauren"]).values_list("username", "pk"))
    if "lee" not in staff or "ada" not in staff:
        raise RuntimeError("The large catalogue needs the demo's curator lee and administrator ada.")
    rng = random.Random(f"catalog-large-{seed}")
    now = timezone.now().replace(microsecond=0)
    timer = _Timer(out)
    counts: dict[str, int] = {}
    out.write(f"Seeding the large catalogue (seed {seed}):")
    with tasks_held(), _bulk_load(), transaction.atomic():
        with timer(f"plan {courses:,} courses, {reviews:,} reviews"):
            plans = _plan(rng, now, people, staff, courses=courses, reviews=reviews)
        with timer("course items, courses, skills, tags"):
            item_pks = _courses(plans)
        with timer("sessions and enrolments"):
            counts["sessions"], counts["enrolments"] = _enrolments(rng, plans, item_pks)
        with timer("reviews, histograms, activities"):
            counts["reviews"] = _reviews(now, plans, item_pks, moderators=(staff["lee"], staff["ada"]))
        with timer("search documents"):
            _documents(item_pks)
    tables = [
        model._meta.db_table
        for model in (Item, Course, Course.skills.through, Session, Enrolment, Review, RatingHistogram, Activity)
    ]
    with timer("planner statistics (ANALYZE)"), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    counts["courses"] = len(item_pks)
    out.write(
        f"Seeded {counts['courses']:,} courses, {counts['sessions']:,} sessions, {counts['enrolments']:,} "
        f"enrolments, {counts['reviews']:,} reviews in {timer.total():.1f}s."
    )
    return counts


# Planning


def _skill_pools(rng: random.Random) -> dict[str, list[int]]:
    """Six skills per topic, drawn from the taxonomy's specific skills; some topics share some."""
    specific = list(Skill.objects.filter(depth__gte=2).order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(specific, min(len(specific), 240))
    return {topic: rng.sample(chosen, 6) for topic in TOPICS}


def _review_counts(rng: random.Random, now: datetime, plans: list[_Plan], total: int) -> list[int]:
    """How many reviews each course gets: falling off with a random rank, within who may review it,
    adding up to ``total`` exactly."""
    newest = sorted(range(len(plans)), key=lambda n: plans[n].created, reverse=True)
    unrated = set(newest[: int(len(plans) * UNRATED)])
    rated = [n for n in range(len(plans)) if n not in unrated]
    rng.shuffle(rated)
    weights = [1 / (rank + 1) ** FALL_OFF for rank in range(len(rated))]
    scale = total / sum(weights)
    counts = [0] * len(plans)
    caps = [_capacity(plan, now) for plan in plans]
    for n, weight in zip(rated, weights, strict=True):
        counts[n] = min(caps[n], int(weight * scale))
    short = total - sum(counts)
    while short > 0:
        before = short
        for n in rated:  # the best-ranked first, one more each until the total is met
            if counts[n] < caps[n]:
                counts[n] += 1
                short -= 1
                if not short:
                    break
        if short == before:
            raise RuntimeError(
                f"Not enough people to write {total:,} reviews: the large catalogue goes on the large organisation "
                "(`manage.py seed --scale large`)."
            )
    return counts


def _capacity(plan: _Plan, now: datetime) -> int:
    """At most this many reviewers: four in five of those who may see the course (the others may enrol without
    reviewing); none for a scheduled course that has not run yet."""
    if not plan.self_paced and not any(session[1] < now for session in plan.sessions):
        return 0
    return int(len(plan.pool) * 0.8)


def _plan(rng, now, people, staff, *, courses, reviews) -> list[_Plan]:
    skill_pools = _skill_pools(rng)
    moderators = (staff["lee"], staff["ada"])
    reviewers = [pk for pk in people if pk not in moderators]
    co_curators = [staff[u] for u in ("hannah", "lauren") if u in staff]
    # A space course is seen by the members of its space, one its owner belongs to.
    owner_spaces: dict[int, list[int]] = {}
    for owner in moderators:
        owner_spaces[owner] = list(
            Membership.objects.filter(user_id=owner, state=Membership.State.ACTIVE)
            .order_by("space_id")
            .values_list("space_id", flat=True)
        )
    members: dict[int, list[int]] = {}
    allowed = set(reviewers)
    in_spaces = Membership.objects.filter(
        space_id__in={s for spaces in owner_spaces.values() for s in spaces}, state=Membership.State.ACTIVE
    )
    for space_id, user_id in in_spaces.order_by("pk").values_list("space_id", "user_id"):
        if user_id in allowed:
            members.setdefault(space_id, []).append(user_id)
    format_weights = list(accumulate(w for _, w, _, _ in FORMATS))
    plans = []
    for n in range(1, courses + 1):
        topic = rng.choice(TOPICS)
        format, _, shortest, longest = FORMATS[bisect_right(format_weights, rng.random() * format_weights[-1])]
        owner = staff["lee"] if rng.random() < 0.85 else staff["ada"]
        space = None
        if rng.random() < SPACE_COURSES and owner_spaces[owner]:
            space = rng.choice(owner_spaces[owner])
        created = now - timedelta(days=HISTORY_DAYS * rng.random() ** 1.5, seconds=rng.randint(0, 86_399))
        plan = _Plan(
            code=f"{CODE}-{n:05d}",
            title=rng.choice(PATTERNS).format(t=topic),
            topic=topic,
            format=format,
            minutes=None if rng.random() < 0.05 else rng.randrange(shortest, longest + 1, 15),
            level=rng.choice(LEVELS),
            language=rng.choice(LANGUAGES),
            provider=rng.choice(PROVIDERS),
            cost=0 if rng.random() < 0.6 else rng.randrange(20, 2000, 5),
            owner=owner,
            curator=rng.choice(co_curators) if co_curators and rng.random() < 0.3 else owner,
            space=space,
            created=created,
            skills=rng.sample(skill_pools[topic], rng.choice([1, 1, 2, 2, 2, 3])),
            quality=rng.choice(QUALITIES),
            pool=members.get(space, []) if space else reviewers,
        )
        if not plan.self_paced:
            _plan_sessions(rng, now, plan)
        plans.append(plan)
    for plan, count in zip(plans, _review_counts(rng, now, plans, reviews), strict=True):
        _plan_people(rng, now, plan, count)
    return plans


def _plan_sessions(rng: random.Random, now: datetime, plan: _Plan) -> None:
    """Runs that took place since the course was created (none to three), and up to three coming up."""
    age = (now - plan.created).days
    past = 0 if age < 14 else rng.choice([1, 1, 2, 2, 3])
    coming = rng.choice([0, 1, 1, 2, 2, 3])
    hours = min(max((plan.minutes or 180) // 60, 1), 7)
    online = plan.format == F.LIVE_ONLINE
    starts_at = sorted(plan.created + timedelta(days=rng.uniform(7, age - 1)) for _ in range(past))
    starts_at += sorted(now + timedelta(days=rng.uniform(3, 120)) for _ in range(coming))
    for number, start in enumerate(starts_at, start=1):
        site = rng.choice(list(SITE_ZONES))
        start = start.replace(minute=0, second=0, microsecond=0)
        cancelled = None
        if start > now and rng.random() < 0.05:
            cancelled = now - timedelta(days=rng.uniform(0, min(5, age)))
        place = "" if online else ROOMS[site]
        url = f"https://meet.example.com/{plan.code.lower()}-{number}" if online else ""
        label = f"Run {number}" if len(starts_at) > 1 else ""
        # The capacity is set once the seats are known.
        plan.sessions.append(
            [label, start, start + timedelta(hours=hours), SITE_ZONES[site], place, url, None, cancelled]
        )


def _plan_people(rng: random.Random, now: datetime, plan: _Plan, reviews: int) -> None:
    """The course's learners: ``reviews`` reviewers who took it, and about a quarter as many again who did
    not review it (yet)."""
    extra = max(0, min(len(plan.pool) - reviews, reviews // 4 + rng.randint(0, 8)))
    past = [n for n, s in enumerate(plan.sessions) if s[1] < now]
    coming = [n for n, s in enumerate(plan.sessions) if s[1] >= now and s[7] is None]
    cancelled = [n for n, s in enumerate(plan.sessions) if s[7] is not None]
    if not plan.self_paced and not past and not coming:
        extra = 0  # nothing to enrol on (and no reviewers: see _capacity)
    for position, person in enumerate(rng.sample(plan.pool, reviews + extra)):
        reviewer = position < reviews
        completed = confirmed = None
        self_reported = False
        roll = rng.random()
        if plan.self_paced:
            session = None
            enrolled = plan.created + (now - plan.created) * rng.random() * 0.9
            finished = enrolled
            if reviewer:
                state = State.COMPLETED if roll < 0.9 else State.ENROLLED  # some review while still at it
            else:
                state = State.COMPLETED if roll < 0.3 else State.ENROLLED if roll < 0.85 else State.WITHDRAWN
            if state == State.COMPLETED:
                completed = finished = enrolled + (now - enrolled) * rng.random()
                self_reported = rng.random() < 0.5
                if not self_reported or rng.random() < 0.7:
                    confirmed = min(completed + timedelta(hours=6), now)
        elif past and (reviewer or not coming or rng.random() < 0.4):
            session = rng.choice(past)  # reviewers took a run that took place
            start, finished = plan.sessions[session][1], plan.sessions[session][2]
            enrolled = plan.created + (start - plan.created) * rng.random()
            if reviewer:
                state = State.COMPLETED if roll < 0.88 else State.ATTENDED
            else:
                state = [State.COMPLETED, State.ATTENDED, State.NO_SHOW, State.WITHDRAWN][min(int(roll * 4), 3)]
            if state == State.COMPLETED:
                completed, confirmed = finished, min(finished + timedelta(hours=6), now)
        else:
            session = rng.choice(coming)
            enrolled = plan.created + (now - plan.created) * rng.random()
            state = State.ENROLLED if roll < 0.8 else State.WITHDRAWN if roll < 0.9 else State.WAITING
        plan.enrolments.append([session, person, state, None, enrolled, completed, self_reported, confirmed])
        if reviewer:
            verified = state == State.COMPLETED and (not self_reported or confirmed is not None)
            stars = min(5, max(1, round(rng.gauss(plan.quality, 0.9))))
            written = finished + (now - finished) * rng.random() ** 2
            body = rng.choice(REVIEW_TEXTS[stars]) if rng.random() < 0.7 else ""
            reply = rng.choice(REPLIES) if body and rng.random() < 0.02 else ""
            reply_at = written + (now - written) * rng.random() if reply else None
            plan.reviews.append((person, stars, body, written, rng.random() < HIDDEN, verified, reply, reply_at))
    # The learners of a cancelled run were withdrawn when it was called off.
    taken = {e[1] for e in plan.enrolments}
    for session in cancelled:
        for person in rng.sample(plan.pool, min(len(plan.pool), rng.randint(0, 3))):
            if person not in taken:
                taken.add(person)
                when = plan.created + (plan.sessions[session][7] - plan.created) * rng.random()
                plan.enrolments.append([session, person, State.WITHDRAWN, None, when, None, False, None])
    for n, session in enumerate(plan.sessions):
        mine = [e for e in plan.enrolments if e[0] == n]
        seated = sum(1 for e in mine if e[2] in Enrolment.SEATED)
        queue = [e for e in mine if e[2] == State.WAITING]
        if queue and not seated:  # nobody waits for a run with free seats
            for e in queue:
                e[2] = State.ENROLLED
            seated, queue = len(queue), []
        for number, e in enumerate(queue, start=1):
            e[3] = number
        if queue:
            session[6] = seated  # full: that is why people wait
        elif seated <= 40 and rng.random() < 0.7:
            session[6] = max(seated + rng.randint(0, 12), 4)


# Writing


def _courses(plans: list[_Plan]) -> list[int]:
    """The items (with their rating aggregates), Course rows, skills, tags, watches and created activities."""
    fields = ("kind", "title", "summary", "owner", "space", "visibility", "created", "updated")
    fields += ("rating_count", "rating_sum")
    last_item = Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rows = []
    for plan in plans:
        shown = [stars for _, stars, _, _, hidden, *_ in plan.reviews if not hidden]
        summary = f"{plan.title}, with {plan.provider}. " + _blurb(plan.format, plan.minutes or 180)
        visibility = Visibility.SPACE if plan.space else Visibility.ORGANISATION
        row = (ItemKind.COURSE, plan.title, summary, plan.owner, plan.space, visibility, plan.created, plan.created)
        rows.append((*row, len(shown), sum(shown)))
    _insert(Item, fields, rows)
    item_pks = list(Item.objects.filter(pk__gt=last_item).order_by("pk").values_list("pk", flat=True))
    assert len(item_pks) == len(plans), "another writer added items meanwhile"
    course_fields = ("item", "code", "provider", "format", "duration_minutes", "level", "language", "cost")
    course_fields += ("currency", "prerequisites", "launch_url", "curator")
    _insert(
        Course,
        course_fields,
        (
            (
                pk,
                plan.code,
                plan.provider,
                plan.format,
                plan.minutes,
                plan.level,
                plan.language,
                plan.cost,
                "EUR" if plan.cost else "",
                "Some hands-on experience of the subject." if plan.level == L.ADVANCED else "",
                f"https://learning.example.com/{plan.code.lower()}" if plan.format == F.ELEARNING else "",
                plan.curator,
            )
            for pk, plan in zip(item_pks, plans, strict=True)
        ),
    )
    _insert(
        Course.skills.through,
        ("course", "skill"),
        ((pk, skill) for pk, plan in zip(item_pks, plans, strict=True) for skill in plan.skills),
    )
    tags = _tags(["course", *TOPICS])
    _insert(
        Item.tags.through,
        ("item", "tag"),
        ((pk, tag) for pk, plan in zip(item_pks, plans, strict=True) for tag in (tags["course"], tags[plan.topic])),
    )
    _insert(
        Watch, ("user", "item", "created"), ((p.owner, pk, p.created) for pk, p in zip(item_pks, plans, strict=True))
    )
    _insert(
        Activity,
        ("actor", "verb", "item", "space", "created", "extra"),
        ((p.owner, Activity.Verb.CREATED, pk, p.space, p.created, {}) for pk, p in zip(item_pks, plans, strict=True)),
    )
    return item_pks


def _tags(names: list[str]) -> dict[str, int]:
    slugs = {name: slugify(name)[:60] for name in names}
    existing = set(Tag.objects.filter(slug__in=slugs.values()).values_list("slug", flat=True))
    Tag.objects.bulk_create([Tag(name=name, slug=slug) for name, slug in slugs.items() if slug not in existing])
    by_slug = dict(Tag.objects.filter(slug__in=slugs.values()).values_list("slug", "pk"))
    return {name: by_slug[slug] for name, slug in slugs.items()}


def _enrolments(rng: random.Random, plans: list[_Plan], item_pks: list[int]) -> tuple[int, int]:
    last_session = Session.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    fields = ("course", "label", "starts", "ends", "time_zone", "place", "online_url", "capacity", "cancelled_at")
    fields += ("ics_uid", "sequence", "source_uid", "all_day", "created")
    _insert(
        Session,
        fields,
        (
            (pk, *session, f"session-{uuid.UUID(int=rng.getrandbits(128))}@watercooler", 0, "", False, plan.created)
            for pk, plan in zip(item_pks, plans, strict=True)
            for session in plan.sessions
        ),
    )
    session_pks = iter(Session.objects.filter(pk__gt=last_session).order_by("pk").values_list("pk", flat=True))
    sessions = 0
    rows = []
    for pk, plan in zip(item_pks, plans, strict=True):
        mine = [next(session_pks) for _ in plan.sessions]
        sessions += len(mine)
        for session, person, state, waiting, created, completed, self_reported, confirmed in plan.enrolments:
            confirmer = plan.curator if confirmed else None
            updated = confirmed or completed or created
            rows.append(
                (
                    pk,
                    None if session is None else mine[session],
                    person,
                    state,
                    waiting,
                    created,
                    updated,
                    completed,
                    self_reported,
                    "Finished every module." if self_reported else "",
                    "",
                    confirmer,
                    confirmed,
                )
            )
    fields = ("course", "session", "person", "state", "waiting_position", "created", "updated", "completed_at")
    fields += ("self_reported", "evidence", "evidence_url", "confirmed_by", "confirmed_at")
    return sessions, _insert(Enrolment, fields, rows)


def _reviews(now: datetime, plans: list[_Plan], item_pks: list[int], *, moderators: tuple[int, int]) -> int:
    """The reviews, the histogram of each reviewed course (visible reviews only) and each review's activity."""
    fields = ("item", "author", "rating", "body", "created", "updated", "hidden_at", "hidden_by", "verified")
    fields += ("helpful_count", "unhelpful_count", "helpful_score", "reply", "reply_by", "reply_at")
    histograms, activities = [], []

    def rows():
        for pk, plan in zip(item_pks, plans, strict=True):
            # A moderator hides a review, never the course's owner (that would be editing one's reputation).
            hider = moderators[1] if plan.owner == moderators[0] else moderators[0]
            bars = [0] * 6
            for person, stars, body, written, hidden, verified, reply, reply_at in plan.reviews:
                hidden_at = min(written + timedelta(days=1), now) if hidden else None
                if not hidden:
                    bars[stars] += 1
                activities.append((person, Activity.Verb.REVIEWED, pk, plan.space, written, {"rating": stars}))
                yield (
                    pk, person, stars, body, written, written, hidden_at, hider if hidden else None, verified,
                    0, 0, 0.0, reply, plan.owner if reply else None, reply_at,
                )  # fmt: skip
            if plan.reviews:
                histograms.append((pk, *bars[1:]))

    written = _insert(Review, fields, rows())
    _insert(RatingHistogram, ("item", "n1", "n2", "n3", "n4", "n5"), histograms)
    _insert(Activity, ("actor", "verb", "item", "space", "created", "extra"), activities)
    return written


def _documents(item_pks: list[int]) -> None:
    """Each course's search document, built as ``manage.py reindex`` builds it."""
    from core.kinds import detail_relations

    for start in range(0, len(item_pks), 2000):
        batch = (
            Item.objects.filter(pk__in=item_pks[start : start + 2000])
            .select_related(*detail_relations)
            .prefetch_related("tags", "course__skills")
            .order_by("pk")
        )
        SearchDocument.objects.bulk_create([SearchDocument(item_id=item.pk, **item_fields(item)) for item in batch])
