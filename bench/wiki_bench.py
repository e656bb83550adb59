"""The wiki's benchmark: a 200 KB page with 1,000 revisions from 30 authors, saved, served and imported.

    bench/wiki_bench.py [--work DIR] [--port 8151] [--duration 10s] [--scale small|large | --base URL]
                        [--results RESULTS.md]

1. Data. The demo organisation (``--scale large``: the large one) is seeded once into a base database
   under ``--work``, or ``--base`` names a seeded database (bench/run passes its own). Every run starts
   from a fresh copy of the base (SQLite: a file copy; PostgreSQL, with ``BENCH_DATABASE_URL`` or a
   PostgreSQL ``--base``: ``CREATE DATABASE <name>_wiki TEMPLATE …``), so whatever a run writes is
   committed like real work and gone by the next run; the base is only read.
2. Saves. The big page is written through ``wiki.services.create_page`` and 999 ``save_page`` calls by
   30 people (each save changes a line somewhere and adds a paragraph, so the page grows to 200 KB and
   its attribution is spread over hundreds of revisions), timed: saves per second, and the time of
   each save. Then 300 saves of a small page, for comparison.
3. Import. A zip of 2,000 Markdown pages in folders, three levels deep, with front matter and
   ``[[links]]``, is planned (``wiki.transfer.plan_import``) and applied (``apply_import``), timed.
4. Serving. gunicorn (2 sync workers, as bench/run) and wrk (2 threads, 8 connections) load the page
   view (its permalink ``/i/<id>/``), its history and its attribution view as the demo learner, with
   the minimal view ``/bench/minimal`` and the 50-row reference ``/bench/rows`` in the same run; then
   the three wiki pages again with the whole-page cache off (``WATERCOOLER_PAGE_CACHE=0``), which is
   what a page costs the first time after any change.

The figures replace the section between ``<!-- results:wiki -->`` markers in ``--results``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import report  # noqa: E402 - bench/report.py, next to this file

BIG_TEXT_CHARS = 200_000
BIG_REVISIONS = 1_000
AUTHORS = 30
SMALL_SAVES = 300
IMPORT_PAGES = 2_000
TARGET = 0.2  # a signed-in page view should serve at least this share of the minimal view's requests
BENCH_SPACE = "wiki-bench"
BIG_TITLE = "Engineering handbook (benchmark)"
SMALL_TITLE = "Team notes (benchmark)"
PY = str(ROOT / ".venv" / "bin" / "python")

_WORDS = (
    "the service deploy review queue release cache database index request response team owner runbook "
    "incident alert metric latency budget customer checkout payment account token session worker cluster "
    "node pipeline build test coverage branch merge rollback feature flag config secret policy access "
    "audit backup restore schema migration query table column report dashboard page section example "
    "step check reason decision context consequence option risk cost time week month quarter plan goal "
    "we you they should must can will never always first then after before when because so and or but "
    "with without from into over under about every each one two three new old small large fast slow safe"
)
WORDS = _WORDS.split()
TOPICS = (
    "Deploying",
    "On-call",
    "Code review",
    "Testing",
    "Databases",
    "Observability",
    "Security",
    "Releases",
    "Incidents",
    "Onboarding",
    "Architecture",
    "Performance",
)


# ------------------------------------------------------------------------------------------ setup


def databases(work: Path, *, scale: str, base: str | None, server: str | None) -> tuple[str, str]:
    """(the seeded base database's URL, this run's database URL).

    ``base`` is a seeded database to start from (bench/run passes its own); without it the base is this
    benchmark's own, seeded on first use. ``server`` (BENCH_DATABASE_URL) puts both on PostgreSQL. The
    run's database is always a name of its own, never the base's.
    """
    postgres = base or server
    if postgres and not postgres.startswith("sqlite"):
        parts = urlsplit(postgres)
        name = parts.path.lstrip("/")
        run = parts._replace(path=f"/{name}_wiki").geturl()
        return base or parts._replace(path=f"/{name}_wiki_base_{scale}").geturl(), run
    return base or f"sqlite:///{work / f'base-{scale}.sqlite3'}", f"sqlite:///{work / 'run.sqlite3'}"


def _environment(work: Path, port: int, database_url: str) -> dict[str, str]:
    """The variables every step runs with: bench/run's, with this run's own data directory and database."""
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        {
            "WATERCOOLER_VAR_DIR": str(work / "var"),
            "WATERCOOLER_BENCH": "1",
            "DEBUG": "",
            "PORT": str(port),
            "DJANGO_SETTINGS_MODULE": "watercooler.settings",
            "DATABASE_URL": database_url,
        }
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    # Checks are skipped: they import every URL conf, and the bench measures, it does not lint.
    subprocess.run([PY, "manage.py", *args, "--skip-checks"], cwd=ROOT, env=env, check=True)  # noqa: S603 - ours


def fresh_database(work: Path, env: dict[str, str], *, base: str, seed_as: str | None) -> None:
    """Make this run's database a copy of ``base``, seeding ``base`` first (``seed_as`` scale) if it is missing."""
    run = env["DATABASE_URL"]
    base_env = {**env, "DATABASE_URL": base}
    if run.startswith("sqlite"):
        run_file, base_file = Path(urlsplit(run).path), Path(urlsplit(base).path)
        if not base_file.exists():
            if seed_as is None:
                raise SystemExit(f"There is no database at {base_file}.")
            _seed(base_env, seed_as)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{run_file}{suffix}").unlink(missing_ok=True)
        # The file and its write-ahead log together are the database; SQLite folds the log in on opening.
        shutil.copyfile(base_file, run_file)
        if Path(f"{base_file}-wal").exists():
            shutil.copyfile(f"{base_file}-wal", f"{run_file}-wal")
    else:
        import psycopg

        admin = urlsplit(base)._replace(path="/postgres").geturl()
        base_name, run_name = urlsplit(base).path.lstrip("/"), urlsplit(run).path.lstrip("/")
        with psycopg.connect(admin, autocommit=True) as conn:
            missing = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [base_name]).fetchone() is None
            if missing and seed_as is None:
                raise SystemExit(f"There is no database {base_name}.")
            if missing:
                conn.execute(f'CREATE DATABASE "{base_name}"')
        if missing:
            _seed(base_env, seed_as)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{run_name}"')
            conn.execute(f'CREATE DATABASE "{run_name}" TEMPLATE "{base_name}"')
    # Pages cached by an earlier run would be served for this run's pages of the same id.
    shutil.rmtree(work / "var" / "cache", ignore_errors=True)


def _seed(env: dict[str, str], scale: str) -> None:
    print(f"Seeding the base database ({scale}) once; later runs copy it.", flush=True)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "seed", "--scale", scale)


# ------------------------------------------------------------------------------ the page and its saves


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random, chars: int) -> list[str]:
    text = ""
    while len(text) < chars:
        text = f"{text} {_sentence(rng, rng.randint(8, 16))}".strip()
    return [text]


def _block(rng: random.Random, n: int, chars: int) -> list[str]:
    """A paragraph mostly; sometimes a list, a table, a code block, or a paragraph with wiki links."""
    roll = rng.random()
    if roll < 0.1:
        return [f"- {_sentence(rng, rng.randint(4, 9))}" for _ in range(rng.randint(3, 5))]
    if roll < 0.14:
        rows = [f"| {rng.choice(WORDS)} | {rng.randint(1, 99)} | {_sentence(rng, 4)} |" for _ in range(4)]
        return ["| Name | Count | Note |", "|---|---:|---|", *rows]
    if roll < 0.18:
        name = f"step_{n}"
        return ["```python", f"def {name}(items):", "    return [item for item in items if item.ready]", "```"]
    if roll < 0.28:
        return [f"{_sentence(rng, 8)} See [[{rng.choice(TOPICS)}]] and [[{rng.choice(TOPICS)} checklist]]."]
    return _paragraph(rng, chars)


class Handbook:
    """The big page as blocks of lines, edited the way a long-lived page is: a line here, a paragraph there."""

    def __init__(self, rng: random.Random, *, start_chars: int):
        self.rng = rng
        self.blocks: list[list[str]] = [["# " + BIG_TITLE], ["How we build and run our services."]]
        n = 0
        while len(self.text) < start_chars:
            n += 1
            if n % 12 == 1:
                self.blocks.append([f"## {TOPICS[(n // 12) % len(TOPICS)]} {n // 12 + 1}"])
            self.blocks.append(_block(rng, n, 220))

    @property
    def text(self) -> str:
        return "\n\n".join("\n".join(block) for block in self.blocks) + "\n"

    def edit(self, *, grow_by: int) -> str:
        """Rewrite one sentence somewhere and add a block elsewhere; return an edit summary."""
        rng = self.rng
        paragraphs = [n for n, block in enumerate(self.blocks) if len(block) == 1 and not block[0].startswith("#")]
        changed = rng.choice(paragraphs)
        self.blocks[changed] = _paragraph(rng, max(40, len(self.blocks[changed][0]) - 20))
        place = rng.randrange(2, len(self.blocks) + 1)
        self.blocks.insert(place, _block(rng, place, max(40, grow_by)))
        return rng.choice(
            (
                "Clarify a step",
                "Add an example",
                "Update after the release",
                "Fix the order of steps",
                "Add what we learned in the last incident",
                "Reword for new joiners",
                "Add a note on permissions",
                "",
            )
        )


def build_pages(report_to: dict) -> dict:
    """Seeded space, 30 writers, the 1,000-revision page and the small page; timings into ``report_to``."""
    import django

    django.setup()
    from django.db.models import Count

    from core.access import forget_space_roles
    from people.models import User
    from spaces import services as spaces
    from spaces.models import Space
    from wiki import markdown, services

    rng = random.Random(3)
    owner = User.objects.get(username="mo")
    space = Space.objects.filter(slug=BENCH_SPACE).first() or spaces.create_space(
        creator=owner,
        name="Wiki benchmark",
        kind="team",
        visibility="open",
        slug=BENCH_SPACE,
        description="Pages the wiki benchmark writes.",
    )
    # The busiest writers of the organisation, so that attribution shows people with real profiles.
    people = list(
        User.objects.filter(is_active=True, role__in=["learner", "curator", "admin"])
        .exclude(username__in=["olly"])
        .annotate(n=Count("items"))
        .order_by("-n", "pk")[:AUTHORS]
    )
    for person in people:
        if not space.memberships.filter(user=person, state="active").exists():
            spaces.join_space(user=person, space=space)
        forget_space_roles(person)
    # A few people write most of a page, as everywhere: weights fall off with rank.
    weights = [1 / (n + 1) ** 0.8 for n in range(len(people))]
    start = datetime.now(UTC) - timedelta(days=400)

    handbook = Handbook(rng, start_chars=40_000)
    timings = []
    began = time.perf_counter()
    page = services.create_page(
        author=people[0], title=BIG_TITLE, text=handbook.text, space=space, created=start, summary="First version"
    )
    timings.append(time.perf_counter() - began)
    for number in range(2, BIG_REVISIONS + 1):
        left = BIG_REVISIONS - number + 1
        summary = handbook.edit(grow_by=(BIG_TEXT_CHARS - len(handbook.text)) // left)
        author = rng.choices(people, weights)[0]
        t = time.perf_counter()
        result = services.save_page(
            page=page,
            author=author,
            text=handbook.text,
            base_number=number - 1,
            summary=summary,
            minor=rng.random() < 0.1,
            created=start + timedelta(hours=9.6 * number),
        )
        timings.append(time.perf_counter() - t)
        assert result.revision is not None and result.revision.number == number, result
    total = time.perf_counter() - began
    page.refresh_from_db()
    authors = page.revisions.values("author").distinct().count()
    report_to["big"] = {
        "saves": len(timings),
        "seconds": total,
        "per_second": len(timings) / total,
        "p50_ms": statistics.median(timings) * 1000,
        "p99_ms": sorted(timings)[int(len(timings) * 0.99) - 1] * 1000,
        "chars": len(page.current.text),
        "lines": sum(count for _, count in page.current.attribution),
        "runs": len(page.current.attribution),
        "authors": authors,
        "revisions": page.revision_count,
    }
    t = time.perf_counter()
    markdown.render(page.current.text)
    report_to["big"]["render_ms"] = (time.perf_counter() - t) * 1000

    notes = ["# " + SMALL_TITLE, "", *(f"- {_sentence(rng, 8)}" for _ in range(30))]
    small = services.create_page(author=owner, title=SMALL_TITLE, text="\n".join(notes), space=space)
    timings = []
    began = time.perf_counter()
    for number in range(2, SMALL_SAVES + 2):
        notes[rng.randrange(2, len(notes))] = f"- {_sentence(rng, 8)}"
        t = time.perf_counter()
        services.save_page(
            page=small, author=rng.choice(people), text="\n".join(notes), base_number=number - 1, summary="Notes"
        )
        timings.append(time.perf_counter() - t)
    total = time.perf_counter() - began
    report_to["small"] = {
        "saves": len(timings),
        "seconds": total,
        "per_second": len(timings) / total,
        "p50_ms": statistics.median(timings) * 1000,
        "p99_ms": sorted(timings)[int(len(timings) * 0.99) - 1] * 1000,
        "chars": len("\n".join(notes)),
    }
    return {"page": page.pk, "small_page": small.pk, "space": space.slug}


# ---------------------------------------------------------------------------------------------- import


def import_zip(rng: random.Random, pages: int = IMPORT_PAGES) -> bytes:
    """An exported-wiki-like zip: top folders, each with a folder page and sub-folders of pages, three levels."""
    buffer = io.BytesIO()
    titles: list[str] = []
    written = 0

    def page_text(title: str, parent: str | None) -> str:
        links = rng.sample(titles, min(2, len(titles)))
        body = "\n\n".join("\n".join(_block(rng, n, rng.randint(150, 400))) for n in range(rng.randint(3, 8)))
        related = " ".join(f"[[{t}]]" for t in links)
        up = f"Part of [[{parent}]]. " if parent else ""
        tags = json.dumps([rng.choice(TOPICS).lower(), "imported"])
        return f'---\ntitle: "{title}"\ntags: {tags}\n---\n# {title}\n\n{up}Related: {related}\n\n{body}\n'

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        area = 0
        while written < pages:
            area += 1
            top = f"Area {area:02d} {rng.choice(TOPICS)}"
            archive.writestr(f"{top}/index.md", page_text(top, None))
            titles.append(top)
            written += 1
            for section in range(1, 5):
                if written >= pages:
                    break
                sub = f"{top} section {section}"
                archive.writestr(f"{top}/{sub}/README.md", page_text(sub, top))
                titles.append(sub)
                written += 1
                for n in range(1, 24):
                    if written >= pages:
                        break
                    title = f"{sub} page {n}"
                    archive.writestr(f"{top}/{sub}/{title}.md", page_text(title, sub))
                    titles.append(title)
                    written += 1
        archive.writestr(".obsidian/app.json", "{}")
    return buffer.getvalue()


def measure_import(report_to: dict) -> None:
    from people.models import User
    from spaces import services as spaces
    from wiki import transfer

    actor = User.objects.get(username="lee")
    space = spaces.create_space(
        creator=actor, name="Imported wiki", kind="community", visibility="open", description="A benchmark import."
    )
    data = import_zip(random.Random(7))
    t = time.perf_counter()
    plan = transfer.plan_import(io.BytesIO(data), space=space, actor=actor)
    planned = time.perf_counter() - t
    t = time.perf_counter()
    done = transfer.apply_import(plan, actor=actor)
    applied = time.perf_counter() - t
    report_to["import"] = {
        "zip_bytes": len(data),
        "pages": len(done.created),
        "refused": len(done.refused),
        "plan_s": planned,
        "apply_s": applied,
        "per_second": len(done.created) / (planned + applied),
    }


def data_step(out: Path) -> None:
    """Run in a child process with the run's environment: build, save, import; write the figures as JSON."""
    figures: dict = {}
    figures.update(build_pages(figures))
    measure_import(figures)
    from django.db import connection

    from core.models import Item
    from people.models import User
    from spaces.models import Space
    from wiki.models import Page, Revision

    if connection.vendor == "sqlite":
        import sqlite3

        engine = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            engine = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    figures["engine"] = engine
    figures["data"] = (
        f"{User.objects.count():,} people, {Space.objects.count():,} spaces, {Item.objects.count():,} items, "
        f"{Page.objects.count():,} wiki pages with {Revision.objects.count():,} revisions"
    )
    out.write_text(json.dumps(figures, indent=2))


# ------------------------------------------------------------------------------------------- serving


class Server:
    """gunicorn as bench/run starts it."""

    def __init__(self, env: dict[str, str], port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own server, no outside input
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "watercooler.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
                "--error-logfile",
                str(self.log),
            ],
            cwd=ROOT,
            env=self.env,
        )
        for _ in range(150):
            if _get(f"{self.base}/healthz") == 200:
                return self
            time.sleep(0.2)
        raise SystemExit(f"The server did not start; see {self.log}.")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def _get(url: str, timeout: float = 300) -> int:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own local server
            return response.status
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


def load(server: Server, pages: list[tuple[str, str]], run: Path, *, duration: str, tag: str) -> list[report.Run]:
    """Sign the learner in (bench/prepare.py checks each page answers 200 and warms it), then wrk each page."""
    listing = run / f"pages-{tag}.tsv"
    listing.write_text("".join(f"{name}\t{path}\tsession\n" for name, path in pages))
    session = subprocess.run(  # noqa: S603 - our own script
        [PY, "bench/prepare.py", "login", server.base, str(listing)],
        cwd=ROOT,
        env=server.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # prepare.py prints the cookies as a browser sends them (older versions: the session id alone).
    cookies = session if "=" in session else f"sessionid={session}"
    runs = []
    for n, (name, path) in enumerate(pages):
        print(f"  {name}: {path}", flush=True)
        output = subprocess.run(  # noqa: S603 - wrk on our own paths
            ["wrk", "-t2", "-c8", f"-d{duration}", "--timeout", "60s", "--latency"]
            + ["-H", f"Cookie: {cookies}", f"{server.base}{path}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (run / f"{tag}-{n}.txt").write_text(output)
        runs.append(report.parse_wrk(output, name=name, path=path))
        _get(f"{server.base}/healthz")  # let queued requests finish before the next page's time starts
    return runs


def wait_for_views(env: dict[str, str], page: int, *, minutes: float) -> None:
    """The views are written alongside this benchmark: wait until the page's URLs resolve."""
    code = (
        "import django; django.setup()\n"
        "from django.urls import resolve\n"
        f"[resolve(p) for p in ('/i/{page}/', '/wiki/{page}/history/', '/wiki/{page}/attribution/')]\n"
    )
    deadline = time.monotonic() + minutes * 60
    while True:
        done = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
        if done.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"The wiki's URLs do not resolve yet:\n{done.stderr[-2000:]}")
        print("  waiting for the wiki views…", flush=True)
        time.sleep(30)


# -------------------------------------------------------------------------------------------- report


def section(figures: dict, cached: list[report.Run], uncached: list[report.Run], *, load_avg: str) -> str:
    import django

    minimal = cached[0]
    big, small, imported = figures["big"], figures["small"], figures["import"]
    today = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "<!-- results:wiki -->",
        "## Wiki (`bench/wiki_bench.py`)",
        "",
        f"- Date: {today}",
        f"- Machine: {report.machine()}",
        f"- Stack: Python {platform.python_version()}, Django {django.get_version()}, {figures['engine']}, "
        "gunicorn with 2 sync workers, DEBUG off",
        "- Load: wrk, 2 threads, 8 connections, on the same machine as the server, signed in as the demo learner",
        f"- Machine load average before the run (1, 5, 15 min): {load_avg}",
        f"- Data: {figures['data']} (the seeded organisation and what this benchmark wrote)",
        f"- The page: {big['chars'] / 1000:.0f} KB of Markdown ({big['lines']:,} lines), {big['revisions']:,} "
        f"revisions by {big['authors']} people; its attribution is {big['runs']:,} runs. Rendering it "
        f"(Markdown, highlighting, sanitising) takes {big['render_ms']:.0f} ms, once per revision: the HTML is cached.",
        "",
        "### Saves (`wiki.services.save_page`, in-process, each save its own transaction)",
        "",
        "| Page | Saves | Saves/s | p50 | p99 |",
        "|---|---:|---:|---:|---:|",
        f"| {big['chars'] / 1000:.0f} KB page, revisions 1–{big['revisions']:,} (growing from 40 KB) | "
        f"{big['saves']:,} | {big['per_second']:.1f} | {report._ms(big['p50_ms'])} | {report._ms(big['p99_ms'])} |",
        f"| {small['chars'] / 1000:.1f} KB page | {small['saves']:,} | {small['per_second']:.1f} | "
        f"{report._ms(small['p50_ms'])} | {report._ms(small['p99_ms'])} |",
        "",
        "### Serving",
        "",
        "| Page | Path | Page cache | Requests/s | p50 | p99 | × minimal | Errors |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for runs, cache in ((cached, "on"), (uncached, "off")):
        for run in runs:
            cache_cell = "—" if run.path.startswith("/bench/") else cache
            ratio = run.rps / minimal.rps if minimal.rps else 0
            errors = "no response" if not run.requests else str(run.errors or "")
            p50, p99 = (report._ms(run.p50_ms), report._ms(run.p99_ms)) if run.requests else ("—", "—")
            lines.append(
                f"| {run.name} | `{run.path}` | {cache_cell} | {run.rps:,.1f} | {p50} | {p99} | {ratio:.3f}× "
                f"| {errors} |"
            )
    view = cached[2]
    fresh = uncached[0] if uncached else None
    verdict = "meets" if view.rps >= TARGET * minimal.rps else "does **not** meet"
    everyday = [run for run in cached if run.name.startswith("page view, ")]
    lines += [
        "",
        f"The 200 KB page's view serves {view.rps / minimal.rps:.3f}× the minimal view: it {verdict} the target "
        f"of {TARGET}×"
        + (f"; built afresh each time (page cache off) it serves {fresh.rps / minimal.rps:.3f}×." if fresh else "."),
        "",
        *(
            [
                f"An everyday page ({small['chars'] / 1000:.1f} KB) serves {everyday[0].rps / minimal.rps:.3f}× "
                f"({'meets' if everyday[0].rps >= TARGET * minimal.rps else 'does **not** meet'} the target).",
                "",
            ]
            if everyday
            else []
        ),
        "### Import (`wiki.transfer.plan_import` + `apply_import`, in-process)",
        "",
        "| Zip | Pages created | Refused | Plan | Apply | Pages/s |",
        "|---|---:|---:|---:|---:|---:|",
        f"| {imported['zip_bytes'] / 1024 / 1024:.1f} MB, Markdown in folders three deep | {imported['pages']:,} | "
        f"{imported['refused']} | {imported['plan_s']:.1f} s | {imported['apply_s']:.1f} s | "
        f"{imported['per_second']:.0f} |",
        "<!-- /results:wiki -->",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "wiki", help="data, logs, wrk outputs")
    parser.add_argument("--port", type=int, default=8151)
    parser.add_argument("--duration", default="10s", help="wrk's time per page")
    parser.add_argument("--scale", choices=("small", "large"), default="small", help="the organisation seeded")
    parser.add_argument("--base", help="a seeded database URL to copy instead of seeding one (bench/run's)")
    parser.add_argument("--results", type=Path, help="RESULTS.md to update; without it the section is printed")
    parser.add_argument("--wait-minutes", type=float, default=0, help="wait this long for the wiki's views")
    parser.add_argument("--data-only", action="store_true", help="build, save and import; serve nothing")
    parser.add_argument("--serve-only", action="store_true", help="serve the previous run's data again")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:  # the child process that writes the data, with the run's environment
        data_step(Path(args.step))
        return 0

    work = args.work.resolve()
    (work / "var").mkdir(parents=True, exist_ok=True)
    run = work / "out"
    base, database = databases(work, scale=args.scale, base=args.base, server=os.environ.get("BENCH_DATABASE_URL"))
    env = _environment(work, args.port, database)
    if not args.serve_only:
        shutil.rmtree(run, ignore_errors=True)
        run.mkdir()
        fresh_database(work, env, base=base, seed_as=None if args.base else args.scale)
        try:
            _manage(env, "migrate", "--noinput", "-v", "0")
        except subprocess.CalledProcessError:
            raise SystemExit(f"The base database no longer fits the migrations: remove {base} to seed it again.")
        print("Writing the 1,000-revision page, the small page's saves and the 2,000-page import…", flush=True)
        step = [PY, __file__, "--step", str(run / "figures.json")]
        subprocess.run(step, cwd=ROOT, env=env, check=True)  # noqa: S603 - this script
    figures = json.loads((run / "figures.json").read_text())
    print(json.dumps({k: figures[k] for k in ("big", "small", "import")}, indent=2), flush=True)
    if args.data_only:
        return 0

    page = figures["page"]
    wait_for_views(env, page, minutes=args.wait_minutes)
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    load_avg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    wiki_pages = [
        ("page view", f"/i/{page}/"),
        ("history", f"/wiki/{page}/history/"),
        ("attribution", f"/wiki/{page}/attribution/"),
    ]
    if "small_page" in figures:  # an everyday page, beside the 200 KB one
        wiki_pages.append(("page view, 1.6 KB page", f"/i/{figures['small_page']}/"))
    references = [("minimal view (reference)", "/bench/minimal"), ("50-row ORM page (reference)", "/bench/rows")]
    with Server(env, args.port, run / "server.log") as server:
        cached = load(server, references + wiki_pages, run, duration=args.duration, tag="cache")
    with Server({**env, "WATERCOOLER_PAGE_CACHE": "0"}, args.port, run / "server-nocache.log") as server:
        uncached = load(server, wiki_pages, run, duration=args.duration, tag="nocache")
    text = section(figures, cached, uncached, load_avg=load_avg)
    if args.results:
        report.update_results(args.results, "wiki", text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
