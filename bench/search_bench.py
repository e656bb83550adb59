"""Search benchmark: seed a scratch database with synthetic people, spaces and items, then time
varied searches by a signed-in member, access rule included, and print p50/p95.

It only ever writes to an empty database (or one it seeded itself before), so point it at a
scratch one:

    WATERCOOLER_VAR_DIR=/tmp/wc-bench .venv/bin/python bench/search_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wc_search .venv/bin/python bench/search_bench.py

The text is drawn from a vocabulary with a Zipf-like frequency (a few words are in a third of all
documents, most are rare), and the queries are drawn from the documents themselves, so frequent
words are searched for often, as people do. Times are for ``search.queries.search`` (match, rank,
highlight, access, loading the subjects), not for rendering the page.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import string
import sys
import time
from datetime import timedelta
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watercooler.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.models import Item, ItemKind, Tag, Visibility  # noqa: E402
from people.models import User  # noqa: E402
from search.queries import search  # noqa: E402
from search.services import rebuild_index  # noqa: E402
from spaces.models import Membership, Space  # noqa: E402

MARKER = "bench-member"
# An unusable password hash, so that nobody can sign in as the synthetic people.
NO_LOGIN = "!"
REAL_WORDS = [
    "mentor",
    "mentoring",
    "coaching",
    "onboarding",
    "python",
    "javascript",
    "kubernetes",
    "docker",
    "security",
    "privacy",
    "data",
    "science",
    "analytics",
    "dashboard",
    "leadership",
    "feedback",
    "review",
    "retrospective",
    "agile",
    "scrum",
    "kanban",
    "roadmap",
    "strategy",
    "budget",
    "finance",
    "accounting",
    "marketing",
    "sales",
    "customer",
    "support",
    "service",
    "design",
    "research",
    "interview",
    "hiring",
    "recruiting",
    "career",
    "growth",
    "learning",
    "training",
    "course",
    "workshop",
    "webinar",
    "slides",
    "handbook",
    "policy",
    "compliance",
    "audit",
    "risk",
    "incident",
    "postmortem",
    "architecture",
    "database",
    "postgres",
    "sqlite",
    "performance",
    "latency",
    "testing",
    "automation",
    "release",
    "deployment",
    "cloud",
    "network",
    "storage",
    "backup",
    "recovery",
    "migration",
    "integration",
    "api",
    "documentation",
    "wiki",
    "guide",
    "tutorial",
    "cheatsheet",
    "checklist",
    "template",
    "meeting",
    "agenda",
    "notes",
    "summary",
    "report",
    "quarterly",
    "annual",
    "planning",
    "goals",
    "objectives",
    "results",
    "metrics",
    "experiment",
    "prototype",
    "product",
    "manager",
    "engineer",
    "developer",
    "designer",
    "writer",
    "editor",
    "translation",
    "localisation",
    "accessibility",
    "inclusion",
    "diversity",
    "wellbeing",
    "health",
    "safety",
    "travel",
    "expenses",
    "payroll",
    "benefits",
    "pension",
    "holiday",
    "leave",
    "remote",
    "hybrid",
    "office",
    "london",
    "singapore",
    "berlin",
    "toronto",
    "sydney",
    "team",
    "community",
    "project",
    "programme",
    "portfolio",
    "badge",
    "certificate",
    "skill",
    "expertise",
    "question",
    "answer",
    "discussion",
    "presentation",
    "video",
    "podcast",
    "recording",
    "spreadsheet",
    "forecast",
    "pricing",
    "contract",
    "legal",
    "procurement",
    "vendor",
    "partner",
    "supplier",
    "logistics",
    "warehouse",
    "manufacturing",
    "quality",
    "lean",
    "sixsigma",
    "kaizen",
    "innovation",
    "hackathon",
    "demo",
    "showcase",
    "newsletter",
    "announcement",
]
FIRST = [
    "Ada",
    "Alan",
    "Alice",
    "Amir",
    "Ana",
    "Ben",
    "Bo",
    "Carla",
    "Chen",
    "Dana",
    "Dev",
    "Eli",
    "Emma",
    "Eva",
    "Farah",
    "Femi",
    "Gus",
    "Hana",
    "Ian",
    "Ines",
    "Jan",
    "Jo",
    "Kai",
    "Kim",
    "Lee",
    "Lena",
    "Li",
    "Luca",
    "Maya",
    "Mo",
    "Nia",
    "Noor",
    "Olly",
    "Omar",
    "Pia",
    "Raj",
    "Rosa",
    "Sam",
    "Sara",
    "Tariq",
    "Tom",
    "Uma",
    "Val",
    "Wen",
    "Yuki",
    "Zara",
]
LAST = [
    "Abara",
    "Berg",
    "Costa",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Khan",
    "Larsen",
    "Lopez",
    "Mensah",
    "Nakamura",
    "Novak",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Kowalski",
    "Murphy",
]
JOBS = [
    "Engineer",
    "Senior Engineer",
    "Product Manager",
    "Designer",
    "Data Scientist",
    "Analyst",
    "Recruiter",
    "Accountant",
    "Sales Lead",
    "Support Agent",
    "L&D Partner",
    "Architect",
]
DEPARTMENTS = [
    "Engineering",
    "Product",
    "Design",
    "Data",
    "People",
    "Finance",
    "Sales",
    "Support",
    "Legal",
    "Operations",
]
CITIES = ["London", "Singapore", "Berlin", "Toronto", "Sydney", "Lisbon", "Nairobi", "Austin"]


STOPWORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "for",
    "on",
    "with",
    "that",
    "this",
    "as",
    "by",
    "at",
    "from",
    "be",
    "are",
    "or",
    "an",
    "it",
    "we",
    "our",
    "your",
]


def vocabulary(rng: random.Random, size: int = 6000) -> tuple[list[str], list[float]]:
    """Words in order of frequency, and cumulative weights: English stop words first (about 40%
    of running text, as in English), then content words with a Zipf-like fall, the most common
    of them in about a fifth of all documents."""
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["an", "er", "in", "on", "or", "ul", "ex"]
    words = set(REAL_WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    words = sorted(words - set(STOPWORDS))
    rng.shuffle(words)
    content = [1 / (rank + 20) for rank in range(len(words))]
    stop = [0.4 * sum(content) / 0.6 / len(STOPWORDS)] * len(STOPWORDS)
    return STOPWORDS + words, list(accumulate(stop + content))


def text(rng, words, cum, low, high) -> str:
    return " ".join(rng.choices(words, cum_weights=cum, k=rng.randint(low, high)))


def seed(n_items: int, n_people: int, rng: random.Random) -> None:
    words, cum = vocabulary(rng)
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        member = User.objects.create(username=MARKER, display_name="Bench Member", password=NO_LOGIN)
        people = [
            User(
                username=f"{first.lower()}.{last.lower()}.{i}",
                display_name=f"{first} {last}",
                email=f"p{i}@example.com",
                password=NO_LOGIN,
                job_title=rng.choice(JOBS),
                department=rng.choice(DEPARTMENTS),
                location=rng.choice(CITIES),
                bio=text(rng, words, cum, 0, 30),
                role=User.Role.GUEST if i % 50 == 0 else User.Role.LEARNER,
            )
            for i, (first, last) in enumerate((rng.choice(FIRST), rng.choice(LAST)) for _ in range(n_people - 1))
        ]
        people = [member, *User.objects.bulk_create(people, batch_size=2000)]
        spaces = Space.objects.bulk_create(
            [
                Space(
                    name=text(rng, words, cum, 2, 3).title(),
                    slug=f"space-{i}",
                    description=text(rng, words, cum, 10, 40),
                    visibility=rng.choice(
                        [Space.Visibility.OPEN, Space.Visibility.ORGANISATION, Space.Visibility.INVITE_ONLY]
                    ),  # noqa: E501
                    created_by=rng.choice(people),
                )
                for i in range(max(10, n_items // 500))
            ]
        )
        memberships = {(member.pk, s.pk) for s in rng.sample(spaces, 5)}
        for person in people[1:]:
            memberships |= {(person.pk, s.pk) for s in rng.sample(spaces, rng.randint(0, 4))}
        Membership.objects.bulk_create([Membership(user_id=u, space_id=s) for u, s in memberships], batch_size=5000)
        tags = Tag.objects.bulk_create([Tag(name=w, slug=w) for w in rng.sample(REAL_WORDS, 150)])
        kinds = ItemKind.values
        items = []
        for _ in range(n_items):
            space = rng.choice(spaces) if rng.random() < 0.6 else None
            if space:
                visibility = rng.choices(["space", "organisation", "private", "people"], [40, 50, 5, 5])[0]
            else:
                visibility = rng.choices(["organisation", "private", "people", "public"], [80, 10, 5, 5])[0]
            items.append(
                Item(
                    kind=rng.choice(kinds),
                    title=text(rng, words, cum, 3, 8).capitalize(),
                    summary=text(rng, words, cum, 20, 120),
                    owner=rng.choice(people),
                    space=space,
                    visibility=visibility,
                    created=now - timedelta(minutes=rng.randint(0, 500_000)),
                    deleted_at=now if rng.random() < 0.02 else None,
                )
            )
        items = Item.objects.bulk_create(items, batch_size=5000)
        Item.tags.through.objects.bulk_create(
            [
                Item.tags.through(item_id=item.pk, tag_id=tag.pk)
                for item in items
                for tag in rng.sample(tags, rng.randint(0, 3))
            ],
            batch_size=5000,
        )
        shares = set()
        for item in items:
            if item.visibility == Visibility.PEOPLE:
                shares |= {(item.pk, p.pk) for p in rng.sample(people, 2)}
                if rng.random() < 0.2:
                    shares.add((item.pk, member.pk))
        Item.shared_with.through.objects.bulk_create(
            [Item.shared_with.through(item_id=i, user_id=u) for i, u in shares], batch_size=5000
        )
    print(f"seeded {n_items} items, {n_people} people, {len(spaces)} spaces in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    counts = rebuild_index()
    print(f"reindex: {counts} in {time.perf_counter() - started:.1f}s")


def doc_words(rng: random.Random, k: int) -> list[str]:
    """Words from a random document, so frequent words come up as often as they are written."""
    item = None
    while item is None:
        item = Item.objects.filter(
            pk=rng.randint(1, Item.objects.order_by("-pk").values_list("pk", flat=True)[0])
        ).first()
    words = [w for w in item.summary.split() if w not in STOPWORDS]
    start = rng.randrange(max(1, len(words) - k))
    return words[start : start + k] or ["mentor"]


def make_queries(rng: random.Random, member) -> list[tuple[str, str, dict]]:
    tags = list(Tag.objects.values_list("slug", flat=True))
    my_spaces = list(Space.objects.filter(memberships__user=member))
    queries = []
    for _ in range(70):
        queries.append(("one word", doc_words(rng, 1)[0], {}))
    for _ in range(30):
        queries.append(("two words", " ".join(doc_words(rng, 2)), {}))
    for _ in range(40):
        word = doc_words(rng, 1)[0]
        queries.append(("as you type", word[: rng.randint(2, min(5, len(word)))], {}))
    for _ in range(20):
        name = rng.choice([rng.choice(FIRST), rng.choice(LAST), f"{rng.choice(FIRST)} {rng.choice(LAST)}"])
        queries.append(("person name", name.lower(), {}))
    for _ in range(20):
        queries.append(("phrase", '"' + " ".join(doc_words(rng, 2)) + '"', {}))
    for i in range(20):
        word = doc_words(rng, 1)[0]
        filters = [
            {"item_kind": rng.choice(ItemKind.values)},
            {"tag": rng.choice(tags)},
            {"space": rng.choice(my_spaces)},
            {"kind": "person"},
        ][i % 4]
        queries.append(("filtered", word, filters))
    for _ in range(3):
        queries.append(("punctuation", rng.choice(string.punctuation) * 3, {}))
    return queries[:200]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def cpu_ms() -> float:
    """CPU time spent on searching so far: this process (SQLite works inside it) plus, with
    PostgreSQL on this machine, the server process serving this connection. Unlike elapsed time it
    does not grow while other programs have the CPU, so it is the search's own cost on a busy machine."""
    total = time.process_time() * 1000
    if connection.vendor == "postgresql":
        if not hasattr(cpu_ms, "backend"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                cpu_ms.backend = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
        if cpu_ms.backend.exists():
            total += int(cpu_ms.backend.read_text().split()[0]) / 1e6
    return total


def run(user, queries, *, label: str) -> None:
    for _, q, filters in queries[:20]:  # warm the page cache and the connection
        search(user, q, **filters)
    by_kind: dict[str, list[float]] = {}
    cpu = []
    found = []
    slowest = []
    for kind, q, filters in queries:
        # The median of three runs: this machine is shared, and one stall should not count as a slow query.
        runs, cpu_runs = [], []
        for _ in range(3):
            started, started_cpu = time.perf_counter(), cpu_ms()
            results = search(user, q, **filters)
            runs.append((time.perf_counter() - started) * 1000)
            cpu_runs.append(cpu_ms() - started_cpu)
        by_kind.setdefault(kind, []).append(statistics.median(runs))
        slowest.append((statistics.median(cpu_runs), q, filters))
        cpu.append(statistics.median(cpu_runs))
        found.append(len(results))
    times = [t for ts in by_kind.values() for t in ts]
    print(
        f"\n{label}: {len(times)} searches, p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
        f"max {max(times):.1f} ms, mean results per page {statistics.mean(found):.1f}"
    )
    print(f"  CPU time: p50 {percentile(cpu, 50):.1f} ms, p95 {percentile(cpu, 95):.1f} ms")
    for kind, ts in by_kind.items():
        print(f"  {kind:<12} n={len(ts):<3} p50 {percentile(ts, 50):6.1f} ms  p95 {percentile(ts, 95):6.1f} ms")
    print("  most CPU:", ", ".join(f"{q!r} {ms:.0f} ms" for ms, q, _ in sorted(slowest, key=lambda x: -x[0])[:6]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        # Parallel workers' CPU would escape the CPU-time figure, and on two cores they only
        # compete with the benchmark itself.
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
    if not User.objects.filter(username=MARKER).exists():
        if User.objects.exists():
            sys.exit("This database holds people the benchmark did not create; use an empty scratch database.")
        seed(args.items, args.people, rng)
    member = User.objects.get(username=MARKER)
    print(
        f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}, "  # noqa: E501
        f"{Item.objects.count()} items, {User.objects.count()} people, python {platform.python_version()}, "
        f"{os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f}"
    )
    queries = make_queries(rng, member)
    run(member, queries, label="member (learner in 5 spaces)")
    guest = User.objects.filter(role=User.Role.GUEST, memberships__isnull=False).first()
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": User.Role.ADMIN, "password": NO_LOGIN}
    )
    for label, user in (("guest", guest), ("site admin", admin)):
        if user is not None:
            run(user, queries, label=label)


if __name__ == "__main__":
    main()
