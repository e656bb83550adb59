"""The catalogue benchmark: browsing 10,000 courses with 500,000 reviews, and 50 people rating one course at once.

    bench/catalog_bench.py [--work DIR] [--port 8191] [--duration 10s] [--base URL] [--results RESULTS.md]
                           [--raters 50] [--rounds 10] [--reseed] [--data-only | --serve-only]

1. Data. The large organisation (``manage.py seed --scale large``) is seeded once into a base database
   under ``--work``, or ``--base`` names a seeded one (bench/run passes its own). A copy of it gets the
   large catalogue (``core.seeding.large_catalog``: 10,000 courses with skills, sessions and about
   660,000 enrolments, and 500,000 reviews with their aggregates) once; that catalogue base is kept
   (``--reseed`` makes it again), and every run starts from a fresh copy of it (SQLite: a file copy;
   PostgreSQL, with ``BENCH_DATABASE_URL`` or a PostgreSQL ``--base``: ``CREATE DATABASE … TEMPLATE``).
   The run first checks that every course's ``rating_count``, ``rating_sum`` and histogram equal its
   visible reviews.
2. Browsing. gunicorn (2 sync workers, as bench/run) and wrk (2 threads, 8 connections) load, signed in
   as the demo learner, ``/catalog/`` with each sort (best rated, the default; most enrolled; newest; a
   search by relevance), with each facet chosen alone (the most common skill, a format, a level, a
   duration, a language, a minimum rating, upcoming sessions), with all facets at once, and the JSON
   API's course list by rating, with the minimal view and the 50-row reference ``/bench/rows`` in the
   same run; then everything again with the whole-page cache off (``WATERCOOLER_PAGE_CACHE=0``), which
   is what a page costs the first time after any change, and the last rating changed it.
3. Concurrent rating. ``--raters`` people rate the same course at the same moment (they wait at a
   barrier, then all go), one course per round, ``--rounds`` rounds; the first round's course has no
   rating yet, so the raters also race to create its histogram. First through the service: one process
   per rater calling ``reviews.services.rate_item``. Then through the HTTP API, against gunicorn as
   deployed (2 sync workers, page cache on): one thread per rater sending ``PUT
   /api/reviews/items/<id>/review`` with the rater's API token, once to rate (201) and once more to
   change the rating (200). Each call's time is measured from the barrier; after each phase the
   courses' aggregates are compared with their review rows and with what the callers were told.

Target: every rating counted exactly (aggregates equal to the rows and to the successful calls), no
call refused, p99 under a second with 50 raters; and the catalogue page, with each sort and each
facet, at least 0.6× the 50-row reference's requests per second (the target of bench/links_bench.py).
The figures replace the engine's part of the section between ``<!-- results:catalog -->`` markers in
``--results``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import report  # noqa: E402 - bench/report.py, next to this file
from links_bench import environment, manage  # noqa: E402 - the same run environment
from wiki_bench import Server, fresh_database, load  # noqa: E402 - the same server, copy and wrk steps

TARGET = 0.6  # catalogue pages: at least this share of the 50-row reference's requests per second
P99_TARGET_MS = 1000  # a rating under 50 concurrent raters
LEARNER = "alice"  # bench/prepare.py signs her in
SEARCH = "python"
PY = str(ROOT / ".venv" / "bin" / "python")
SOLO = 20  # ratings by one person alone, for comparison


# ------------------------------------------------------------------------------------------ setup


def databases(work: Path, *, base: str | None, server: str | None) -> tuple[str, str, str]:
    """(the large organisation's base, the catalogue base made from it, this run's database)."""
    postgres = base or server
    if postgres and not postgres.startswith("sqlite"):
        parts = urlsplit(postgres)
        name = parts.path.lstrip("/")
        large = base or parts._replace(path=f"/{name}_catalog_large").geturl()
        catalog = parts._replace(path=f"/{name}_catalog_base").geturl()
        return large, catalog, parts._replace(path=f"/{name}_catalog").geturl()
    large = base or f"sqlite:///{work / 'base-large.sqlite3'}"
    return large, f"sqlite:///{work / 'base-catalog.sqlite3'}", f"sqlite:///{work / 'run.sqlite3'}"


def _exists(url: str) -> bool:
    if url.startswith("sqlite"):
        return Path(urlsplit(url).path).exists()
    import psycopg

    admin = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        name = urlsplit(url).path.lstrip("/")
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def catalogue_base(work: Path, env: dict[str, str], *, large: str, catalog: str, reseed: bool, seeded: bool) -> None:
    """Make the catalogue base (a copy of the large organisation with the large catalogue) unless it is there."""
    catalog_env = {**env, "DATABASE_URL": catalog}
    if reseed or not _exists(catalog):
        fresh_database(work, catalog_env, base=large, seed_as=None if seeded else "large")
    manage(catalog_env, "migrate", "--noinput", "-v", "0")
    # The seed does nothing when the catalogue is there already.
    subprocess.run([PY, __file__, "--step", "seed"], cwd=ROOT, env=catalog_env, check=True)  # noqa: S603 - ours


class _Out:
    def write(self, text: str) -> None:
        print(text, flush=True)


def seed_step() -> None:
    import django

    django.setup()
    from core.seeding import large_catalog
    from core.seeding.demo import SEED

    if large_catalog.already_seeded():
        print("The large catalogue is there already.", flush=True)
        return
    large_catalog.seed_large_catalog(seed=SEED, out=_Out())


# ---------------------------------------------------------------------------------- aggregates


def check_aggregates(item_pks: list[int] | None = None) -> dict:
    """Compare course items' rating_count, rating_sum and histograms with their visible review rows."""
    from django.db.models import Count, F, Q, Sum
    from django.db.models.functions import Coalesce

    from core.models import Item
    from reviews.models import RatingHistogram

    items = Item.objects.filter(kind="course")
    histograms = RatingHistogram.objects.filter(item__kind="course")
    if item_pks is not None:
        items, histograms = items.filter(pk__in=item_pks), histograms.filter(item_id__in=item_pks)
    shown = Q(reviews__hidden_at__isnull=True)
    counted = items.annotate(n=Count("reviews", filter=shown), s=Coalesce(Sum("reviews__rating", filter=shown), 0))
    shown = Q(item__reviews__hidden_at__isnull=True)
    per_star = {f"c{k}": Count("item__reviews", filter=shown & Q(item__reviews__rating=k)) for k in range(1, 6)}
    bars = histograms.annotate(**per_star).exclude(**{f"n{k}": F(f"c{k}") for k in range(1, 6)})
    return {
        "items": items.count(),
        "aggregates_off": counted.exclude(rating_count=F("n"), rating_sum=F("s")).count(),
        "histograms_off": bars.count(),
        "histograms_missing": items.filter(rating_count__gt=0, histogram__isnull=True).count(),
    }


def aggregates_of(item_pks: list[int]) -> dict[str, dict]:
    """Each item's (count, sum, histogram n1…n5) as the item and its histogram row hold them."""
    from core.models import Item
    from reviews.models import RatingHistogram

    bars = {h.item_id: [h.n1, h.n2, h.n3, h.n4, h.n5] for h in RatingHistogram.objects.filter(item_id__in=item_pks)}
    return {
        str(pk): {"count": n, "sum": s, "bars": bars.get(pk, [0] * 5)}
        for pk, n, s in Item.objects.filter(pk__in=item_pks).values_list("pk", "rating_count", "rating_sum")
    }


def exact(before: dict, after: dict, calls: list[dict], check: dict) -> tuple[bool, str]:
    """Whether every course moved by exactly what the successful calls wrote, and agrees with its rows."""
    expected = {pk: {"count": v["count"], "sum": v["sum"], "bars": list(v["bars"])} for pk, v in before.items()}
    for call in calls:
        if call["applied"]:
            moved = expected[str(call["item"])]
            if call.get("was") is None:
                moved["count"] += 1
            else:
                moved["sum"] -= call["was"]
                moved["bars"][call["was"] - 1] -= 1
            moved["sum"] += call["stars"]
            moved["bars"][call["stars"] - 1] += 1
    wrong = [pk for pk in expected if expected[pk] != after[pk]]
    problems = []
    if wrong:
        problems.append(f"{len(wrong)} courses differ from the calls that succeeded")
    for key, label in (("aggregates_off", "counts or sums"), ("histograms_off", "histograms")):
        if check[key]:
            problems.append(f"{check[key]} {label} differ from the review rows")
    return not problems, "; ".join(problems)


# ---------------------------------------------------------------------------------------- data step


def data_step(out: Path, *, raters: int, rounds: int) -> None:
    """Run with the run's environment: check the seeded aggregates, choose pages, raters, courses; describe."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Exists, OuterRef

    from api.services import create_token
    from catalog.forms import CatalogForm
    from catalog.models import Course, Enrolment, Session
    from core.models import Item
    from core.seeding.large_catalog import CODE
    from people.models import User
    from reviews.models import Review

    figures: dict = {"seeded": check_aggregates()}
    learner = User.objects.get(username=LEARNER)
    courses = Item.objects.visible_to(learner).filter(kind="course")
    skill = (
        Course.skills.through.objects.filter(course_id__in=courses.values("pk"))
        .values("skill__slug")
        .annotate(n=Count("course_id"))
        .order_by("-n", "skill__slug")
        .first()
    )["skill__slug"]
    facets = [
        ("skill", skill),
        ("format", "classroom"),
        ("level", "beginner"),
        ("duration", "half_day"),
        ("language", "de"),
        ("rating", "4"),
        ("upcoming", "on"),
    ]
    # All facets at once: the combination of the first ones that still leaves courses, with every facet named.
    together = dict(facets)
    for loosen in ("language", "duration", "level", "rating"):
        form = CatalogForm(together)
        assert form.is_valid(), form.errors
        if form.narrow(courses).exists():
            break
        together[loosen] = {"language": "en", "duration": "long", "level": "all", "rating": "3"}[loosen]
    pages = [
        ("catalogue, best rated (default)", "/catalog/"),
        ("sort: most enrolled", "/catalog/?sort=popularity"),
        ("sort: newest", "/catalog/?sort=newest"),
        (f"search “{SEARCH}”, by relevance", f"/catalog/?q={SEARCH}&sort=relevance"),
        *((f"facet: {name}", f"/catalog/?{urlencode({name: value})}") for name, value in facets),
        ("all seven facets", f"/catalog/?{urlencode(together)}"),
        ("API course list, best rated", "/api/catalog/courses?sort=rating&limit=20"),
    ]
    figures["pages"] = pages

    # Raters: the large organisation's first learners; courses of the large catalogue none of them reviewed.
    people = list(
        User.objects.filter(is_active=True, role=User.Role.LEARNER, username__contains=".")
        .order_by("pk")
        .values_list("pk", flat=True)[:raters]
    )
    reviewed = Review.objects.filter(item_id=OuterRef("pk"), author_id__in=people)
    fresh = (
        Item.objects.filter(kind="course", visibility="organisation", course__code__startswith=f"{CODE}-")
        .exclude(Exists(reviewed))
        .exclude(owner_id__in=people)
    )
    unrated = list(fresh.filter(rating_count=0).order_by("pk").values_list("pk", flat=True)[:2])
    rated = list(fresh.filter(rating_count__gt=0).order_by("-rating_count", "pk").values_list("pk", flat=True))
    service_items = unrated[:1] + rated[: rounds - 1]
    http_items = unrated[1:2] + rated[rounds - 1 : 2 * rounds - 2]
    solo_items = rated[2 * rounds - 2 : 2 * rounds - 2 + SOLO]
    tokens = [create_token(user=User.objects.get(pk=pk), name="catalog benchmark")[1] for pk in people]
    figures["rating"] = {
        "raters": people,
        "tokens": tokens,
        "service_items": service_items,
        "http_items": http_items,
        "solo_items": solo_items,
        "before": aggregates_of(service_items + http_items + solo_items),
    }
    if connection.vendor == "sqlite":
        import sqlite3

        figures["engine"] = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            figures["engine"] = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    figures["vendor"] = connection.vendor
    large = Item.objects.filter(kind="course", course__code__startswith=f"{CODE}-").count()
    figures["data"] = (
        f"{User.objects.count():,} people, {Item.objects.count():,} items of which "
        f"{Item.objects.filter(kind='course').count():,} courses ({large:,} of the large catalogue), "
        f"{Session.objects.count():,} sessions, {Enrolment.objects.count():,} enrolments, "
        f"{Review.objects.count():,} reviews"
    )
    figures["visible"] = courses.count()
    out.write_text(json.dumps(figures, indent=2))


# ------------------------------------------------------------------------------ rating: the service


def _stars(rater: int, round_: int, *, change: bool = False) -> int:
    return (rater + 2 * round_ + (2 if change else 0)) % 5 + 1


def _rater(index: int, user_pk: int, items: list[int], barrier, queue) -> None:
    """One rater's process: for each round, wait for everyone, then rate the round's course."""
    from django.db import connections

    from core.models import Item
    from people.models import User
    from reviews import services

    calls = []
    try:
        user = User.objects.get(pk=user_pk)
        for round_, item_pk in enumerate(items):
            item = Item.objects.get(pk=item_pk)
            stars = _stars(index, round_)
            barrier.wait(timeout=300)
            began = time.monotonic()
            error = ""
            try:
                services.rate_item(item=item, author=user, rating=stars)
            except Exception as exc:  # noqa: BLE001 - every failure is a figure of the benchmark
                error = f"{type(exc).__name__}: {exc}"[:200]
            call = {"item": item_pk, "stars": stars, "began": began, "ended": time.monotonic()}
            calls.append({**call, "ok": not error, "applied": not error, "was": None, "error": error})
    finally:
        connections.close_all()
        queue.put(calls)


def service_step(out: Path, plan: Path) -> None:
    """Run with the run's environment: one process per rater through ``reviews.services.rate_item``."""
    import multiprocessing

    import django

    django.setup()
    from django.db import connections

    from core.models import Item
    from people.models import User
    from reviews import services

    rating = json.loads(plan.read_text())["rating"]
    items = rating["service_items"]
    # What a rating costs with nobody else writing: the first rater, on courses of their own, one after the other.
    solo = []
    user = User.objects.get(pk=rating["raters"][0])
    for item_pk in rating["solo_items"]:
        item = Item.objects.get(pk=item_pk)
        began = time.monotonic()
        services.rate_item(item=item, author=user, rating=4)
        solo.append({"item": item_pk, "stars": 4, "began": began, "ended": time.monotonic()})
        solo[-1].update(ok=True, applied=True, was=None, error="")
    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    barrier, queue = context.Barrier(len(rating["raters"])), context.Queue()
    processes = [
        context.Process(target=_rater, args=(n, pk, items, barrier, queue)) for n, pk in enumerate(rating["raters"])
    ]
    for process in processes:
        process.start()
    calls = [call for _ in processes for call in queue.get(timeout=1800)]
    for process in processes:
        process.join()
    touched = items + rating["solo_items"]
    done = {"calls": calls, "solo": solo, "after": aggregates_of(touched), "check": check_aggregates(touched)}
    out.write_text(json.dumps(done, indent=2))


# ---------------------------------------------------------------------------------- rating: HTTP


def http_rounds(server: Server, tokens: list[str], items: list[int], *, change: bool) -> list[dict]:
    """One thread per rater: at each round's barrier, PUT the rater's review of the round's course.

    A new rating answers 201 and a changed one 200; a call answers the other way round only if the
    rater's earlier call failed, and is then counted as refused but as written for the aggregates."""
    barrier = threading.Barrier(len(tokens))
    calls: list[dict] = []
    lock = threading.Lock()
    host, port = "127.0.0.1", server.port

    def rater(index: int, token: str) -> None:
        for round_, item_pk in enumerate(items):
            stars = _stars(index, round_, change=change)
            body = json.dumps({"rating": stars, "body": ""})
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            barrier.wait(timeout=300)
            began = time.monotonic()
            error, status = "", 0
            try:
                conn = http.client.HTTPConnection(host, port, timeout=120)
                conn.request("PUT", f"/api/reviews/items/{item_pk}/review", body=body, headers=headers)
                response = conn.getresponse()
                status, text = response.status, response.read()
                conn.close()
                if status != (200 if change else 201):
                    error = f"{status}: {text[:150]!r}"
            except OSError as exc:
                error = f"{type(exc).__name__}: {exc}"
            call = {"item": item_pk, "stars": stars, "began": began, "ended": time.monotonic(), "status": status}
            call.update(ok=not error, applied=status in (200, 201), error=error)
            call["was"] = _stars(index, round_) if status == 200 else None
            with lock:
                calls.append(call)

    threads = [threading.Thread(target=rater, args=(n, token)) for n, token in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return calls


def check_step(out: Path, plan: Path) -> None:
    """Run with the run's environment after the HTTP rounds: the courses' aggregates, and all courses again."""
    import django

    django.setup()
    items = json.loads(plan.read_text())["rating"]["http_items"]
    out.write_text(
        json.dumps({"after": aggregates_of(items), "check": check_aggregates(items), "all": check_aggregates()})
    )


def summary(calls: list[dict]) -> dict:
    """Ratings per second over the rounds' wall time (first start to last end of each round), and latencies."""
    rounds: dict[int, list[dict]] = {}
    for call in calls:
        rounds.setdefault(call["item"], []).append(call)
    wall = sum(max(c["ended"] for c in cs) - min(c["began"] for c in cs) for cs in rounds.values())
    times = sorted((c["ended"] - c["began"]) * 1000 for c in calls)
    ok = sum(1 for c in calls if c["ok"])
    errors: dict[str, int] = {}
    for call in calls:
        if not call["ok"]:
            kind = re.sub(r"\d+(\.\d+)?", "N", call["error"])[:90]
            errors[kind] = errors.get(kind, 0) + 1
    return {
        "calls": len(calls),
        "ok": ok,
        "rounds": len(rounds),
        "per_second": ok / wall if wall else 0,
        "wall_s": wall,
        "p50_ms": statistics.median(times),
        "p99_ms": times[max(0, int(len(times) * 0.99) - 1)],
        "max_ms": times[-1],
        "errors": errors,
    }


# -------------------------------------------------------------------------------------------- report


def _page_row(run: report.Run, rows: report.Run, cache: str, *, target: bool) -> str:
    ratio = run.rps / rows.rps if rows.rps else 0
    meets = ("yes" if ratio >= TARGET else "**no**") if target else "—"
    errors = "no response" if not run.requests else str(run.errors or "")
    p50, p99 = (report._ms(run.p50_ms), report._ms(run.p99_ms)) if run.requests else ("—", "—")
    return (
        f"| {run.name} | `{run.path}` | {cache} | {run.rps:,.1f} | {p50} | {p99} | {ratio:.2f}× | {meets} | {errors} |"
    )


def _rating_row(label: str, result: dict, verdict: tuple[bool, str]) -> str:
    s = result
    errors = ", ".join(f"{n} × {kind}" for kind, n in s["errors"].items()) or "none"
    good, why = verdict
    return (
        f"| {label} | {s['rounds']} × {s['calls'] // max(s['rounds'], 1)} | {s['ok']:,} of {s['calls']:,} | "
        f"{s['per_second']:,.1f} | {report._ms(s['p50_ms'])} | {report._ms(s['p99_ms'])} | "
        f"{report._ms(s['max_ms'])} | {errors} | {'yes' if good else '**no**: ' + why} |"
    )


SQLITE_WRITERS = (
    "SQLite lets one writer in at a time. Watercooler opens every write transaction with `BEGIN "
    "IMMEDIATE` (WAL journal, so readers never wait), so the raters queue for the database's write lock: "
    "each waits in SQLite's busy handler, which sleeps and retries, for up to `busy_timeout` (5 s); a "
    "writer still waiting then gets `database is locked` and its rating is not written (the transaction "
    "rolls back whole, so the aggregates stay exact). The handler is not a queue: a writer that has "
    "waited long may lose to one that just arrived, which is what stretches p99 and max."
)
POSTGRES_WRITERS = (
    "PostgreSQL runs the raters' transactions side by side; they meet at the course's row, which "
    "`rate_item` updates with `rating_count = rating_count + 1` (an `F()` expression): each waits for "
    "the one before to commit and then adds to the committed value, so none is lost. The histogram row "
    "is created with `INSERT … ON CONFLICT DO NOTHING` and updated the same way."
)


def section(figures: dict, cached, uncached, rating: dict, *, load_avg: str) -> str:
    import django

    today = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    seeded = figures["seeded"]
    seeded_ok = not (seeded["aggregates_off"] or seeded["histograms_off"] or seeded["histograms_missing"])
    lines = [
        f"<!-- results:catalog-{figures['vendor']} -->",
        f"### {figures['engine']}",
        "",
        f"- Date: {today}",
        f"- Machine: {report.machine()}",
        f"- Stack: Python {platform.python_version()}, Django {django.get_version()}, {figures['engine']}, "
        "gunicorn with 2 sync workers, DEBUG off",
        f"- Load: wrk, 2 threads, 8 connections, {figures['duration']} per page, on the same machine as the "
        f"server, signed in as the demo learner (who may see {figures['visible']:,} courses)",
        f"- Machine load average before the run (1, 5, 15 min): {load_avg}",
        f"- Data: {figures['data']} (`seed --scale large` and `core.seeding.large_catalog`)",
        f"- Seeded aggregates: {seeded['items']:,} courses checked against their reviews: "
        + (
            "every count, sum and histogram exact."
            if seeded_ok
            else f"**{seeded['aggregates_off']} counts or sums, {seeded['histograms_off']} histograms off, "
            f"{seeded['histograms_missing']} histograms missing**."
        ),
        "",
        "#### Browsing",
        "",
        f"| Page | Path | Page cache | Requests/s | p50 | p99 | × 50-row | ≥ {TARGET}× | Errors |",
        "|---|---|---|---:|---:|---:|---:|:---:|---:|",
    ]
    for runs, cache in ((cached, "on"), (uncached, "off")):
        if not runs:
            continue
        rows = runs[1]
        for n, run in enumerate(runs):
            lines.append(
                _page_row(run, rows, "—" if n < 2 else cache, target=n >= 2 and run.path.startswith("/catalog/"))
            )
    missed = [
        f"{run.name} (cache {cache})"
        for runs, cache in ((cached, "on"), (uncached, "off"))
        for run in runs[2:]
        if run.path.startswith("/catalog/") and runs[1].rps and run.rps / runs[1].rps < TARGET
    ]
    lines += ["", f"Below the target: {', '.join(missed) if missed else 'none'}."]
    if rating:
        lines += [
            "",
            f"#### {len(figures['rating']['raters'])} people rating one course at the same moment",
            "",
            "| Through | Rounds × raters | Written | Ratings/s | p50 | p99 | max | Refused | Aggregates exact |",
            "|---|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for label, key in (
            ("`reviews.services.rate_item`, one person alone, one course after another", "solo"),
            ("`reviews.services.rate_item`, one process per rater", "service"),
            ("HTTP `PUT /api/reviews/items/<id>/review`, new ratings (201)", "http_new"),
            ("HTTP, each rater changing their rating (200)", "http_change"),
        ):
            if key in rating:
                lines.append(_rating_row(label, rating[key]["summary"], rating[key]["verdict"]))
        concurrent = [rating[key] for key in ("service", "http_new", "http_change") if key in rating]
        met = all(r["verdict"][0] and not r["summary"]["errors"] for r in concurrent)
        fast = all(r["summary"]["p99_ms"] < P99_TARGET_MS for r in concurrent)
        everything = rating.get("all", {})
        lines += [
            "",
            f"Rating target: every rating counted exactly and none refused — {'met' if met else '**not met**'}; "
            f"p99 under {P99_TARGET_MS / 1000:.0f} s with {len(figures['rating']['raters'])} raters at once — "
            f"{'met' if fast else '**not met**'}."
            + (
                f" After the run all {everything['items']:,} courses were checked against their reviews again: "
                + ("exact." if not (everything["aggregates_off"] or everything["histograms_off"]) else "**off**.")
                if everything
                else ""
            ),
            "",
            "Ratings/s count the ratings written over each round's wall time (the first call's start to the "
            "last one's end); each call's time runs from the barrier, so it includes waiting for the others. "
            "The HTTP rounds go through gunicorn's 2 sync workers: at most two ratings are written at once "
            "and the other calls wait in the listen queue. The first round's course had no rating yet.",
            "",
            SQLITE_WRITERS if figures["vendor"] == "sqlite" else POSTGRES_WRITERS,
        ]
    lines.append(f"<!-- /results:catalog-{figures['vendor']} -->")
    return "\n".join(lines)


INTRO = """## Catalogue and reviews (`bench/catalog_bench.py`)

10,000 courses and 500,000 reviews (`core.seeding.large_catalog`) on a copy of the large organisation:
the catalogue page `/catalog/` with each sort and each facet, and 50 people rating one course at the
same moment through the service and through the HTTP API, with the aggregates checked afterwards.
Target: every rating counted exactly, none refused, p99 under 1 s with 50 raters at once; each catalogue
page at least 0.6× the 50-row reference's requests per second. Each engine's latest run is below."""


def update_results(path: Path, vendor: str, text: str) -> None:
    """Replace this engine's part of the catalogue section, keeping the other engine's."""
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    outer = re.compile(r"<!-- results:catalog -->.*?<!-- /results:catalog -->", re.S)
    found = outer.search(current)
    block = found.group(0) if found else f"<!-- results:catalog -->\n{INTRO}\n<!-- /results:catalog -->"
    inner = re.compile(rf"<!-- results:catalog-{vendor} -->.*?<!-- /results:catalog-{vendor} -->", re.S)
    if inner.search(block):
        block = inner.sub(lambda _: text, block)
    else:
        block = block.replace("<!-- /results:catalog -->", f"\n{text}\n<!-- /results:catalog -->")
    if found:
        current = current[: found.start()] + block + current[found.end() :]
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(current)


# ---------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "catalog", help="data, logs, outputs")
    parser.add_argument("--port", type=int, default=8191)
    parser.add_argument("--duration", default="10s", help="wrk's time per page")
    parser.add_argument("--base", help="a seeded database URL to copy instead of seeding one (bench/run's)")
    parser.add_argument("--results", type=Path, help="RESULTS.md to update; without it the section is printed")
    parser.add_argument("--raters", type=int, default=50, help="people rating the same course at once")
    parser.add_argument("--rounds", type=int, default=10, help="courses rated, one after the other, per phase")
    parser.add_argument("--reseed", action="store_true", help="make the catalogue base again")
    parser.add_argument("--data-only", action="store_true", help="copy the data and check it; serve nothing")
    parser.add_argument("--serve-only", action="store_true", help="serve the previous run's data again")
    parser.add_argument("--no-rating", action="store_true", help="skip the concurrent rating")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--plan", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "seed":
        seed_step()
        return 0
    if args.step == "data":
        data_step(args.plan, raters=args.raters, rounds=args.rounds)
        return 0
    if args.step == "service":
        service_step(args.plan.with_name("service.json"), args.plan)
        return 0
    if args.step == "check":
        check_step(args.plan.with_name("check.json"), args.plan)
        return 0

    work = args.work.resolve()
    (work / "var").mkdir(parents=True, exist_ok=True)
    run = work / "out"
    large, catalog, database = databases(work, base=args.base, server=os.environ.get("BENCH_DATABASE_URL"))
    env = environment(work, args.port, database)
    plan = run / "figures.json"
    if not args.serve_only:
        run.mkdir(exist_ok=True)
        for old in run.iterdir():
            old.unlink()
        began = time.perf_counter()
        catalogue_base(work, env, large=large, catalog=catalog, reseed=args.reseed, seeded=bool(args.base))
        print(f"The catalogue base is ready ({time.perf_counter() - began:.0f} s).", flush=True)
        fresh_database(work, env, base=catalog, seed_as=None)
        manage(env, "migrate", "--noinput", "-v", "0")
        step = [PY, __file__, "--step", "data", "--plan", str(plan), "--raters", str(args.raters)]
        subprocess.run([*step, "--rounds", str(args.rounds)], cwd=ROOT, env=env, check=True)  # noqa: S603
    figures = json.loads(plan.read_text())
    figures["duration"] = args.duration
    print(json.dumps({k: figures[k] for k in ("seeded", "data", "engine", "visible")}, indent=2), flush=True)
    if args.data_only:
        return 0

    manage(env, "collectstatic", "--noinput", "-v", "0")
    load_avg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    pages = [tuple(page) for page in figures["pages"]]
    references = [("minimal view (reference)", "/bench/minimal"), ("50-row ORM page (reference)", "/bench/rows")]
    with Server(env, args.port, run / "server.log") as server:
        cached = load(server, references + pages, run, duration=args.duration, tag="cache")
    with Server({**env, "WATERCOOLER_PAGE_CACHE": "0"}, args.port, run / "server-nocache.log") as server:
        uncached = load(server, references + pages, run, duration=args.duration, tag="nocache")

    rating: dict = {}
    if not (args.no_rating or args.serve_only):  # the raters of a previous run have rated already
        rating = measure_rating(env, args.port, run, plan, figures["rating"])
    text = section(figures, cached, uncached, rating, load_avg=load_avg)
    if args.results:
        update_results(args.results, figures["vendor"], text)
    print(text)
    return 0


def measure_rating(env: dict[str, str], port: int, run: Path, plan: Path, chosen: dict) -> dict:
    """The service's rounds in a child process, then the HTTP rounds against a fresh server; checked after each."""
    rating: dict = {}
    before = chosen["before"]
    raters = len(chosen["raters"])
    print(f"Rating: {raters} processes × {len(chosen['service_items'])} courses through the service…", flush=True)
    step = [PY, __file__, "--step", "service", "--plan", str(plan)]
    subprocess.run(step, cwd=ROOT, env=env, check=True)  # noqa: S603 - this script
    done = json.loads((run / "service.json").read_text())
    verdict = exact({k: before[k] for k in done["after"]}, done["after"], done["calls"] + done["solo"], done["check"])
    rating["solo"] = {"summary": summary(done["solo"]), "verdict": verdict}
    rating["service"] = {"summary": summary(done["calls"]), "verdict": verdict}
    items = chosen["http_items"]
    print(f"Rating: {raters} threads × {len(items)} courses through the HTTP API, then changing them…", flush=True)
    with Server(env, port, run / "server-rating.log") as server:
        new = http_rounds(server, chosen["tokens"], items, change=False)
        changed = http_rounds(server, chosen["tokens"], items, change=True)
    subprocess.run([PY, __file__, "--step", "check", "--plan", str(plan)], cwd=ROOT, env=env, check=True)  # noqa: S603
    checked = json.loads((run / "check.json").read_text())
    http_before = {k: before[k] for k in checked["after"]}
    verdict = exact(http_before, checked["after"], new + changed, checked["check"])
    rating["http_new"] = {"summary": summary(new), "verdict": verdict}
    rating["http_change"] = {"summary": summary(changed), "verdict": verdict}
    rating["all"] = checked["all"]
    (run / "rating.json").write_text(json.dumps(rating, indent=2, default=str))
    return rating


if __name__ == "__main__":
    sys.exit(main())
