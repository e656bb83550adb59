"""``manage.py seed --scale large``: a big organisation for benchmarks, added on top of the demo one.

10,000 people, about 200 spaces and 50,000 memberships, 100,000 file items, 2,000 wiki pages (see
``core.seeding.wiki``), 100,000 saved links (``core.seeding.links``) and a million activities,
written with ``bulk_create`` in batches inside one transaction (so an interrupted run leaves nothing
and the next run starts again). The services would take hours at this size and would fan out
notifications for every row; the rows written here keep the same invariants instead: each active
member watches the space, ``member_count`` counts active members, every item has its ``File``,
owners add items only to spaces they belong to. The file items share a handful of real stored files.
A fixed random seed makes runs reproducible, and every read is in primary-key order so that the same
seed gives the same data on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import random
import time
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import datetime, timedelta
from itertools import accumulate, islice

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.models import Activity, Item, Notification, Tag, Visibility, Watch
from core.seeding import data, media, tasks_held
from core.seeding.demo import pick_location
from core.seeding.links import LARGE_LINKS, seed_large_links
from core.seeding.wiki import LARGE_PAGES, seed_large_pages
from files.models import File
from lib.uploads import inspect_upload
from people.models import PersonSkill, Site, Skill, User
from search.services import rebuild_index
from spaces.models import Membership, Space

PEOPLE = 10_000
SPACES = 200
MEMBERSHIPS = 50_000
ITEMS = 100_000
ACTIVITIES = 1_000_000
TAGS = 300
BATCH = 5_000
HISTORY_DAYS = 730

Verb = Activity.Verb


def _ascii(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if ch.isascii() and ch.isalnum()).lower()


def _people_rows(seed: int) -> list[tuple[str, str, str]]:
    """(username, first, last) for every person, the same for the same seed."""
    rng = random.Random(seed)
    firsts = sorted({row[1] for row in data.PEOPLE} | set(data.EXTRA_FIRST))
    lasts = sorted({row[2] for row in data.PEOPLE} | set(data.EXTRA_LAST))
    rows = []
    for n in range(1, PEOPLE + 1):
        first, last = rng.choice(firsts), rng.choice(lasts)
        rows.append((f"{_ascii(first)}.{_ascii(last)}.{n}", first, last))
    return rows


def already_seeded(*, seed: int) -> bool:
    return User.objects.filter(username=_people_rows(seed)[-1][0]).exists()


class _Timer:
    def __init__(self, out):
        self.out = out
        self.started = time.perf_counter()

    @contextmanager
    def __call__(self, label: str):
        start = time.perf_counter()
        yield
        self.out.write(f"  {label:<34} {time.perf_counter() - start:7.1f}s")

    def total(self) -> float:
        return time.perf_counter() - self.started


def _bulk(model, rows, *, batch_size: int = BATCH):
    """Rows whose primary keys later steps need."""
    return model.objects.bulk_create(rows, batch_size=batch_size)


def _batched(rows, size: int):
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def _insert(model, fields: tuple[str, ...], rows) -> int:
    """INSERT rows (tuples in ``fields`` order) with one prepared statement.

    For the million activities ``bulk_create`` spends most of its time building model instances and
    SQL text, and SQLite caps it at 999 parameters a statement; this is several times faster. Values
    are put in database form the way Django would (datetimes, JSON).
    """
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    adapters = []
    for field in columns:
        if field.get_internal_type() == "DateTimeField":
            adapters.append(connection.ops.adapt_datetimefield_value)
        elif field.get_internal_type() == "JSONField":
            adapters.append(json.dumps)
        else:
            adapters.append(None)
    table, names = quote(meta.db_table), ", ".join(quote(f.column) for f in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model; values are parameters
    count = 0
    with connection.cursor() as cursor:
        for batch in _batched(rows, BATCH):
            values = [
                tuple(v if adapt is None or v is None else adapt(v) for v, adapt in zip(row, adapters, strict=True))
                for row in batch
            ]
            cursor.executemany(sql, values)
            count += len(values)
    return count


@contextmanager
def _bulk_load():
    """On SQLite, a page cache big enough for the indexes being filled: the default 2 MB makes every
    insert into a large index re-read pages from disk, which multiplies the run time."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -524288")  # KiB: 512 MB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def seed_large(*, seed: int, out) -> None:
    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    timer = _Timer(out)
    out.write(f"Seeding the large organisation (seed {seed}):")
    with tasks_held(), _bulk_load(), transaction.atomic():
        with timer(f"{PEOPLE:,} people"):
            people = _people(rng, now, seed)
        with timer("skills on profiles"):
            n_skills = _person_skills(rng, people)
        with timer(f"{SPACES} spaces, memberships, watches"):
            spaces, members_of = _spaces(rng, now, people)
        with timer(f"{TAGS} tags"):
            tags = _tags()
        with timer(f"{ITEMS:,} items and files"):
            items = _items(rng, now, people, spaces, members_of, tags)
        with timer(f"{ACTIVITIES:,} activities"):
            n_activities = _activities(rng, now, people, spaces, items)
        with timer(f"{LARGE_PAGES:,} wiki pages"):
            seed_large_pages(seed=seed, now=now, spaces=spaces, members_of=members_of)
        with timer(f"{LARGE_LINKS:,} saved links"):
            seed_large_links(seed=seed, now=now, people=people, spaces=spaces, members_of=members_of, tags=tags)
        with timer("watches and notifications"):
            n_notes = _notifications(rng, now, people, spaces, items)
        with timer("search index"):
            rebuild_index()
    # Fresh statistics, or the planners guess: PostgreSQL estimated 3 rows where 54,000 matched and sorted
    # them all for the browse page (210 ms instead of 6 ms); SQLite without sqlite_stat1 did the same.
    with timer("planner statistics (ANALYZE)"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    out.write(
        f"Seeded {len(people):,} people ({n_skills:,} skills), {len(spaces)} spaces, {len(items):,} items, "
        f"{n_activities:,} activities, {n_notes:,} notifications in {timer.total():.1f}s."
    )


# People


class Person:
    """What later steps need to know about a person, without holding 10,000 model instances."""

    __slots__ = ("pk", "department", "guest", "site")

    def __init__(self, pk, department, guest, site):
        self.pk, self.department, self.guest, self.site = pk, department, guest, site


def _people(rng: random.Random, now: datetime, seed: int) -> list[Person]:
    sites = list(Site.objects.filter(name__in=[name for name, _, _ in data.SITES.values()]).order_by("pk"))
    site_keys = {name: key for key, (name, _, _) in data.SITES.items()}
    password = make_password(settings.WATERCOOLER_DEMO_PASSWORD)
    titles = defaultdict(list)
    for row in data.PEOPLE:
        titles[row[4]].append(row[5])
    departments = sorted(titles)
    rows = []
    for username, first, last in _people_rows(seed):
        site = rng.choice(sites)
        department = rng.choice(departments)
        interests = rng.sample(data.INTERESTS, 2)
        guest = rng.random() < 0.01
        title = rng.choice(titles[department])
        rows.append(
            User(
                username=username,
                email=f"{username}@example.com",
                password=password,
                first_name=first,
                last_name=last,
                display_name=f"{first} {last}",
                role=User.Role.GUEST if guest else User.Role.LEARNER,
                job_title=f"Contract {title}" if guest else title,
                department=department,
                site=site,
                location=pick_location(rng, site_keys[site.name]),
                time_zone=site.time_zone,
                languages=rng.sample(data.SITE_LANGUAGES.get(site.name, ["en"]), 2),
                bio=f"{title} in {site.name}. {rng.choice(data.BACKGROUNDS)}. "
                f"Outside work: {interests[0]} and {interests[1]}.",
                interests=", ".join(interests),
                date_joined=now - timedelta(days=rng.randint(30, 2500)),
                last_active=now - timedelta(hours=rng.uniform(1, 24 * 60)),
            )
        )
    created = _bulk(User, rows, batch_size=1000)
    return [Person(u.pk, u.department, u.role == User.Role.GUEST, u.site_id) for u in created]


def _person_skills(rng: random.Random, people: list[Person]) -> int:
    by_name = {}
    for skill_id, name in Skill.objects.order_by("-depth", "-pk").values_list("pk", "name"):
        by_name[name.lower()] = skill_id  # the shallowest of same-named skills wins
    pools = {
        dept: [by_name[n.lower()] for n in names if n.lower() in by_name]
        for dept, names in data.DEPARTMENT_SKILLS.items()
    }
    common = [by_name[n.lower()] for n in data.COMMON_SKILLS if n.lower() in by_name]
    everything = list(Skill.objects.filter(depth__gte=2).order_by("pk").values_list("pk", flat=True))
    rows = []
    for person in people:
        chosen: set[tuple[int, str]] = set()
        pool = pools.get(person.department) or common
        for skill_id in rng.sample(pool, min(len(pool), rng.randint(2, 4))):
            chosen.add((skill_id, PersonSkill.Direction.HAS))
            if rng.random() < 0.15:
                chosen.add((skill_id, PersonSkill.Direction.TEACHES))
        chosen.add((rng.choice(common), PersonSkill.Direction.WANTS))
        chosen.add((rng.choice(everything), rng.choice(PersonSkill.Direction.values)))
        for skill_id, direction in sorted(chosen):
            level = rng.randint(1, 2) if direction == PersonSkill.Direction.WANTS else rng.randint(2, 4)
            rows.append(PersonSkill(person_id=person.pk, skill_id=skill_id, direction=direction, level=level))
    _bulk(PersonSkill, rows)
    return len(rows)


# Spaces, memberships and the watches that come with them


def _spaces(rng: random.Random, now: datetime, people: list[Person]) -> tuple[list[Space], dict[int, list[int]]]:
    members_pool = [p.pk for p in people if not p.guest]
    guests = [p.pk for p in people if p.guest]
    taken = set(Space.objects.values_list("slug", flat=True))
    covers = list(Space.objects.exclude(cover="").order_by("pk").values_list("cover", flat=True))
    kinds = ["community"] * 5 + ["team"] * 3 + ["project"] * 2
    visibilities = ["open"] * 5 + ["organisation"] * 3 + ["invite"] * 2
    rows = []
    while len(rows) < SPACES:
        kind = rng.choice(kinds)
        topic = rng.choice(data.TOPICS)
        name = rng.choice(data.SPACE_PATTERNS[kind]).format(t=topic)
        slug = slugify(name)
        if slug in taken:
            continue
        taken.add(slug)
        rows.append(
            Space(
                name=name,
                slug=slug,
                kind=kind,
                visibility=rng.choice(visibilities),
                description=f"For everyone working on or curious about {topic}: questions, notes and events.",
                cover=rng.choice(covers) if covers and rng.random() < 0.5 else "",
                created_by_id=rng.choice(members_pool),
                created=now - timedelta(days=rng.uniform(30, HISTORY_DAYS)),
            )
        )
    spaces = _bulk(Space, rows)
    # Sizes fall off like real communities: a few large ones, many small ones.
    weights = [1 / (n + 1) ** 0.7 for n in range(len(spaces))]
    scale = MEMBERSHIPS / sum(weights)
    # The demo's learners and staff join some of the big spaces, so their pages show the large organisation;
    # the guest and the outsider keep to their one space.
    personas = list(
        User.objects.filter(username__in=["alice", "mo", "lee", "ada"]).order_by("pk").values_list("pk", flat=True)
    )
    memberships, watches = [], []
    members_of: dict[int, list[int]] = defaultdict(list)
    for space, weight in zip(spaces, weights, strict=True):
        size = max(4, min(len(members_pool) - 1, round(weight * scale)))
        chosen = [space.created_by_id, *[pk for pk in rng.sample(members_pool, size) if pk != space.created_by_id]]
        if space.visibility != "invite" and rng.random() < 0.08:
            chosen += [pk for pk in personas if pk not in chosen]
        if space.visibility == "invite" and guests and rng.random() < 0.5:
            chosen += rng.sample(guests, min(len(guests), 3))
        active = 0
        for n, pk in enumerate(chosen):
            state = Membership.State.ACTIVE
            if n > 3 and space.visibility == "organisation" and rng.random() < 0.04:
                state = Membership.State.REQUESTED
            elif n > 3 and space.visibility == "invite" and rng.random() < 0.03:
                state = Membership.State.INVITED
            role = Membership.Role.OWNER if n == 0 else Membership.Role.MODERATOR if n <= 2 else Membership.Role.MEMBER
            joined = (
                space.created + timedelta(days=(now - space.created).days * rng.random() ** 2) if n else space.created
            )
            memberships.append(
                Membership(
                    space_id=space.pk,
                    user_id=pk,
                    role=role if state == Membership.State.ACTIVE else Membership.Role.MEMBER,
                    state=state,
                    invited_by_id=space.created_by_id if state == Membership.State.INVITED else None,
                    created=joined,
                )
            )
            if state == Membership.State.ACTIVE:
                active += 1
                members_of[space.pk].append(pk)
                watches.append(Watch(user_id=pk, space_id=space.pk, created=joined))
        space.member_count = active
    _bulk(Membership, memberships)
    _bulk(Watch, watches)
    Space.objects.bulk_update(spaces, ["member_count"], batch_size=500)
    return spaces, members_of


def _tags() -> list[int]:
    taken = set(Tag.objects.values_list("slug", flat=True))
    words = ["basics", "advanced", "howto", "slides", "notes", "2024", "2025", "q1", "q2", "q3", "q4", "team"]
    names = list(data.TOPICS) + [f"{t} {w}" for t in data.TOPICS for w in words]
    rows = []
    for name in names:
        slug = slugify(name)[:60]
        if slug not in taken and len(rows) < TAGS:
            taken.add(slug)
            rows.append(Tag(name=name, slug=slug))
    _bulk(Tag, rows)
    return list(Tag.objects.order_by("pk").values_list("pk", flat=True))


# Items and their files


def _blobs() -> list[dict]:
    """A handful of real files, stored once; every file item points at one of them."""
    samples = [
        ("chart.png", media.bar_chart("Learning hours by quarter", ["Q1", "Q2", "Q3", "Q4"], [120, 180, 150, 210])),
        (
            "diagram.png",
            media.diagram("How it fits together", ["Web", "API", "Queue", "Workers"], [(0, 1), (1, 2), (2, 3)]),
        ),
        ("notes.md", b"# Notes\n\n- What we tried\n- What worked\n- What we will do next\n"),
        ("table.csv", b"topic,hours,people\nPython,120,14\nSQL,80,9\nStatistics,60,7\n"),
        ("summary.txt", b"Summary\n=======\n\nThree things we learned and two we will try next.\n"),
        ("guide.pdf", media.pdf("Guide", ["One page that says what to do, and why."])),
        ("episode.wav", media.podcast_wav(3.0, seed=1)),
    ]
    blobs = []
    for name, content in samples:
        inspection = inspect_upload(ContentFile(content, name=name), max_bytes=10 * 1024 * 1024)
        blob = default_storage.save(f"files/bench/{name}", ContentFile(content))
        thumb = ""
        if inspection.thumbnail:
            thumb = default_storage.save(f"files/bench/thumbs/{name}.jpg", ContentFile(inspection.thumbnail))
        blobs.append(
            {
                "blob": blob,
                "thumbnail": thumb,
                "extension": inspection.extension,
                "content_type": inspection.content_type,
                "family": inspection.family,
                "size": inspection.size,
                "sha256": inspection.sha256,
                "width": inspection.width,
                "height": inspection.height,
            }
        )
    return blobs


class ItemRow:
    """What later steps need to know about an item."""

    __slots__ = ("pk", "owner", "space", "visibility", "created")

    def __init__(self, pk, owner, space, visibility, created):
        self.pk, self.owner, self.space, self.visibility, self.created = pk, owner, space, visibility, created


def _items(rng, now, people, spaces, members_of, tags) -> list[ItemRow]:
    blobs = _blobs()
    spaces_of: dict[int, list[int]] = defaultdict(list)
    for space_pk, pks in members_of.items():
        for pk in pks:
            spaces_of[pk].append(space_pk)
    invite_only = {s.pk for s in spaces if s.visibility == "invite"}
    # A few people write most of what is shared, as everywhere.
    owners = [p.pk for p in people]
    cum = list(accumulate(1 / (n + 1) ** 0.6 for n in range(len(owners))))
    rng.shuffle(owners)
    everyone = [p.pk for p in people if not p.guest]
    result: list[ItemRow] = []
    for start in range(0, ITEMS, 20_000):
        items, details, specs = [], [], []
        for _ in range(min(20_000, ITEMS - start)):
            owner = owners[bisect_right(cum, rng.random() * cum[-1])]
            topic = rng.choice(data.TOPICS)
            my_spaces = spaces_of.get(owner)
            space = rng.choice(my_spaces) if my_spaces and rng.random() < 0.65 else None
            roll = rng.random()
            if space is None:
                visibility = "organisation" if roll < 0.75 else "private" if roll < 0.9 else "people"
            elif space in invite_only:
                visibility = "space" if roll < 0.9 else "private"
            else:
                visibility = "organisation" if roll < 0.55 else "space" if roll < 0.95 else "private"
            created = now - timedelta(days=HISTORY_DAYS * rng.random() ** 2, seconds=rng.randint(0, 86_399))
            items.append(
                Item(
                    kind="file",
                    title=rng.choice(data.TITLE_PATTERNS).format(t=topic),
                    summary=rng.choice(data.SUMMARY_PATTERNS).format(t=topic),
                    owner_id=owner,
                    space_id=space,
                    visibility=visibility,
                    created=created,
                    updated=created,
                )
            )
            specs.append(rng.choice(blobs))
        _bulk(Item, items)
        tag_rows, shared_rows = [], []
        for item, blob in zip(items, specs, strict=True):
            details.append(
                (
                    item.pk,
                    blob["blob"],
                    blob["thumbnail"],
                    f"{slugify(item.title)[:80]}.{blob['extension']}",
                    blob["content_type"],
                    blob["family"],
                    blob["size"],
                    blob["sha256"],
                    blob["width"],
                    blob["height"],
                )
            )
            tag_rows += [(item.pk, tag) for tag in rng.sample(tags, rng.randint(0, 3))]
            if item.visibility == "people":
                shared_rows += [(item.pk, pk) for pk in set(rng.sample(everyone, rng.randint(1, 3))) - {item.owner_id}]
            result.append(ItemRow(item.pk, item.owner_id, item.space_id, item.visibility, item.created))
        file_fields = ("item", "blob", "thumbnail", "original_name", "content_type", "family", "size", "sha256")
        _insert(File, (*file_fields, "width", "height"), details)
        _insert(Item.tags.through, ("item", "tag"), tag_rows)
        _insert(Item.shared_with.through, ("item", "user"), shared_rows)
    return result


# Activities


def _activities(rng, now, people, spaces, items: list[ItemRow]) -> int:
    """Created (one per item), joined (one per membership), requests and invitations, shares, edits, downloads."""
    fields = ("actor", "verb", "item", "space", "target", "created", "extra")
    rows: list[tuple] = []
    total = 0
    recent = now - timedelta(days=30)
    scores: Counter[int] = Counter()

    def add(*, actor_id, verb, created, item_id=None, space_id=None, target_id=None):
        rows.append((actor_id, verb, item_id, space_id, target_id, created, {}))
        if created >= recent:
            scores[actor_id] += 1
        if len(rows) >= 50_000:
            flush()

    def flush():
        nonlocal total, rows
        total += _insert(Activity, fields, rows)
        rows = []

    def after(moment: datetime) -> datetime:
        return moment + (now - moment) * rng.random()

    for space in spaces:
        add(actor_id=space.created_by_id, verb=Verb.CREATED, space_id=space.pk, created=space.created)
    memberships = Membership.objects.filter(space__in=spaces).exclude(role=Membership.Role.OWNER).order_by("pk")
    for user_id, space_id, state, invited_by, created in memberships.values_list(
        "user_id", "space_id", "state", "invited_by_id", "created"
    ):
        if state == Membership.State.ACTIVE:
            add(actor_id=user_id, verb=Verb.JOINED, space_id=space_id, created=created)
        elif state == Membership.State.REQUESTED:
            add(actor_id=user_id, verb=Verb.REQUESTED, space_id=space_id, created=created)
        else:
            add(actor_id=invited_by, verb=Verb.INVITED, space_id=space_id, target_id=user_id, created=created)
    for item in items:
        add(actor_id=item.owner, verb=Verb.CREATED, item_id=item.pk, space_id=item.space, created=item.created)
    for item in rng.sample(items, len(items) // 3):
        add(actor_id=item.owner, verb=Verb.UPDATED, item_id=item.pk, space_id=item.space, created=after(item.created))
    shared = Item.shared_with.through.objects.filter(item_id__in=[i.pk for i in items if i.visibility == "people"])
    by_pk = {i.pk: i for i in items if i.visibility == "people"}
    for item_id, user_id in shared.order_by("pk").values_list("item_id", "user_id"):
        item = by_pk[item_id]
        add(actor_id=item.owner, verb=Verb.SHARED, item_id=item_id, target_id=user_id, created=item.created)
    # Downloads of organisation-wide items, which anyone but a guest may open, fill up to the million.
    readable = [i for i in items if i.visibility == "organisation"]
    readers = [p.pk for p in people if not p.guest]
    while total + len(rows) < ACTIVITIES:
        item = rng.choice(readable)
        add(
            actor_id=rng.choice(readers),
            verb=Verb.DOWNLOADED,
            item_id=item.pk,
            space_id=item.space,
            created=after(item.created),
        )
    flush()
    User.objects.bulk_update(
        [User(pk=pk, activity_score=n) for pk, n in scores.items()], ["activity_score"], batch_size=1000
    )
    return total


# Item watches and notifications


def _notifications(rng, now, people, spaces, items: list[ItemRow]) -> int:
    """What watchers would have been told: new items in their spaces and people joining the spaces they run."""
    watches = set()
    pool = [p.pk for p in people if not p.guest]
    readable = [i for i in items if i.visibility == "organisation"]
    for _ in range(20_000):
        item = rng.choice(readable)
        watches.add((rng.choice(pool), item.pk, item.created))
    _insert(Watch, ("user", "item", "created"), sorted(watches))

    members: dict[int, list[int]] = defaultdict(list)
    admins: dict[int, list[int]] = defaultdict(list)
    rows = Membership.objects.filter(space__in=spaces, state=Membership.State.ACTIVE).order_by("pk")
    for user_id, space_id, role in rows.values_list("user_id", "space_id", "role"):
        members[space_id].append(user_id)
        if role != Membership.Role.MEMBER:
            admins[space_id].append(user_id)
    notes: list[tuple] = []
    seen = set()
    window = now - timedelta(days=90)
    recent = (
        Activity.objects.filter(created__gte=window, verb__in=[Verb.CREATED, Verb.JOINED], space__in=spaces)
        .order_by("pk")
        .values_list("pk", "actor_id", "verb", "space_id", "item_id", "created", "item__visibility")
    )
    for pk, actor, verb, space_id, item_id, created, visibility in recent.iterator(chunk_size=10_000):
        if verb == Verb.JOINED:
            recipients = admins[space_id]
            kind = "member_joined"
        elif item_id and visibility in (Visibility.ORGANISATION, Visibility.SPACE):
            recipients = rng.sample(members[space_id], min(3, len(members[space_id])))
            kind = "new_in_space"
        else:
            continue
        for user_id in recipients:
            if user_id != actor and (user_id, pk) not in seen:
                seen.add((user_id, pk))
                read = created + timedelta(hours=rng.uniform(1, 72)) if created < now - timedelta(days=5) else None
                notes.append((user_id, pk, kind, created, read, False))
    return _insert(Notification, ("recipient", "activity", "kind", "created", "read_at", "digest_pending"), notes)
