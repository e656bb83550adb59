"""The portfolio page benchmark (issue 6): a 40-block showcase page, against the 50-row reference page.

    bench/portfolio_page_bench.py [--work DIR] [--port 8195] [--duration 10s] [--results RESULTS.md]

1. Data. A fresh SQLite database under ``--work``: ``migrate`` and the normal demo (``manage.py seed``).
   Through ``portfolios.services`` the demo learner gets a showcase portfolio, shared with the
   organisation, with one page of 40 blocks of mixed kinds: text with Markdown, artefacts pointing at
   her files and at wiki pages, embeds, a gallery of her images, reflections, a skills block and a
   timeline.
2. Serving. gunicorn (2 sync workers, ``WATERCOOLER_BENCH=1`` as bench/run sets it, which serves
   ``/bench/rows``) and wrk (2 threads, 8 connections) load the page signed in as another demo person
   (mo, the mentor), with the 50-row reference ``/bench/rows`` in the same run; then both again with the
   whole-page cache off (``WATERCOOLER_PAGE_CACHE=0``), which is what the page costs the first time
   after any change.

Target: the page at least 0.5× the 50-row reference's requests per second. The figures replace the
section between ``<!-- results:portfolio-page -->`` markers in ``--results``.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import report  # noqa: E402 - bench/report.py, next to this file
from links_bench import environment, manage  # noqa: E402 - the same run environment
from wiki_bench import Server, _get  # noqa: E402 - the same server step

TARGET = 0.5  # the portfolio page: at least this share of the 50-row reference's requests per second
OWNER = "alice"  # the demo learner: the portfolio is hers
VIEWER = "mo"  # another demo person reads it
BLOCKS = 40
MARK = "portfolio-page"
PY = str(ROOT / ".venv" / "bin" / "python")

MARKDOWN = """## {title}

What I did in **week {n}**, and why it mattered:

- planned the work with the team and wrote down the *risks*;
- ran the [checklist](https://example.com/checklist) and fixed what it found;
- shared what I learned in the `#learning` channel.

> Next time I would start the review earlier.
"""


# ---------------------------------------------------------------------------------------- data step


def data_step(out: Path) -> None:
    """Run with the run's environment: build the 40-block page through the services; describe it."""
    import django

    django.setup()
    from django.urls import reverse

    from core.models import Item, ItemKind, Visibility
    from people.models import User
    from portfolios import services
    from portfolios.models import Block, Layout

    owner = User.objects.get(username=OWNER)
    files = list(Item.objects.filter(owner=owner, kind=ItemKind.FILE, deleted_at__isnull=True).select_related("file"))
    # Her own images first, then others she may see (the demo gives a learner few photos of her own).
    visible_images = Item.objects.visible_to(owner).filter(
        kind=ItemKind.FILE, deleted_at__isnull=True, file__family="image"
    )
    images = [item for item in files if item.file.family == "image"]
    images += [item for item in visible_images.order_by("pk")[:6] if item not in images]
    others = [item for item in files if item.file.family != "image"] or files
    wiki = list(Item.objects.visible_to(owner).filter(kind=ItemKind.PAGE).order_by("pk")[:20])
    if not files or not wiki:
        raise SystemExit(f"The demo gives {OWNER} {len(files)} files and {len(wiki)} wiki pages to show; need both.")

    portfolio = services.create_portfolio(
        owner=owner,
        title="Showcase (benchmark)",
        summary="Forty blocks of what I did this year.",
        visibility=Visibility.ORGANISATION,
        guided=False,
    )
    page = portfolio.pages.get()
    services.update_page(actor=owner, page=page, title="My year", layout=Layout.WIDE_LEFT)
    page.refresh_from_db()
    kinds = (
        [Block.Kind.TEXT] * 10
        + [Block.Kind.ARTEFACT] * 12
        + [Block.Kind.EMBED] * 6
        + [Block.Kind.REFLECTION] * 6
        + [Block.Kind.GALLERY] * 2
        + [Block.Kind.SKILLS] * 2
        + [Block.Kind.TIMELINE] * 2
    )
    assert len(kinds) == BLOCKS
    counts: dict[str, int] = {}
    start = date(2026, 1, 5)
    for n, kind in enumerate(kinds):
        column = 1 if n % 4 == 3 else 0
        counts[kind] = counts.get(kind, 0) + 1
        args: dict = {"actor": owner, "page": page, "kind": kind, "column": column, "title": f"Block {n + 1}"}
        if kind == Block.Kind.TEXT:
            args["body"] = MARKDOWN.format(title=f"Week {n + 1}", n=n + 1)
        elif kind == Block.Kind.ARTEFACT:
            # Half files, half wiki pages.
            args["item"] = others[n % len(others)] if n % 2 else wiki[n % len(wiki)]
        elif kind == Block.Kind.EMBED:
            args["item"] = wiki[(n + 7) % len(wiki)] if n % 2 else others[(n + 3) % len(others)]
        elif kind == Block.Kind.GALLERY:
            args["images"] = [(image, f"Photo {k + 1}") for k, image in enumerate(images[:6])]
        elif kind == Block.Kind.REFLECTION:
            args["answers"] = [
                {"prompt": "What?", "answer": f"I led the retrospective in sprint {n}."},
                {"prompt": "So what?", "answer": "The team agreed on *two* changes and kept them."},
                {"prompt": "Now what?", "answer": "Run the next one with a new facilitator."},
            ]
        elif kind == Block.Kind.TIMELINE:
            args["events"] = [
                {"date": (start + timedelta(days=30 * k)).isoformat(), "title": f"Milestone {k + 1}", "text": "Done."}
                for k in range(8)
            ]
        services.add_block(**args)

    figures = {
        "portfolio": portfolio.pk,
        "path": reverse("portfolios:page", args=[portfolio.pk, page.slug]),
        "blocks": page.blocks.count(),
        "kinds": counts,
        "images": min(6, len(images)),
        "people": User.objects.count(),
        "items": Item.objects.count(),
    }
    out.write_text(json.dumps(figures, indent=2))


# ------------------------------------------------------------------------------------------- serving


def sign_in(base: str, env: dict[str, str], pages: list[tuple[str, str]]) -> str:
    """Sign the viewer in (as bench/prepare.py signs in the learner), check every page answers 200 and
    warm both workers; return the cookies as a browser sends them."""
    code = (
        "import re, sys, requests, django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "base, user, *paths = sys.argv[1:]\n"
        "s = requests.Session()\n"
        "form = s.get(f'{base}/accounts/login/', timeout=30)\n"
        'token = re.search(r\'name="csrfmiddlewaretoken" value="([^"]+)"\', form.text)[1]\n'
        "r = s.post(f'{base}/accounts/login/', data={'login': user, 'password': settings.WATERCOOLER_DEMO_PASSWORD,\n"
        "    'csrfmiddlewaretoken': token}, headers={'Referer': f'{base}/accounts/login/'}, timeout=30)\n"
        "if r.status_code >= 400 or not s.cookies.get('sessionid'): sys.exit(f'Signing in as {user} failed')\n"
        "for path in paths:\n"
        "    for _ in range(3):\n"
        "        code = s.get(f'{base}{path}', allow_redirects=False, timeout=60).status_code\n"
        "        if code != 200: sys.exit(f'{path} answered {code}, not 200.')\n"
        "print('; '.join(f'{k}={v}' for k, v in s.cookies.items()))\n"
    )
    done = subprocess.run(  # noqa: S603 - our own code
        [PY, "-c", code, base, VIEWER, *(path for _, path in pages)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def load_as(server: Server, pages: list[tuple[str, str]], run: Path, *, duration: str, tag: str) -> list[report.Run]:
    """wrk each page signed in as the viewer (wiki_bench.load's steps, with another person)."""
    cookies = sign_in(server.base, server.env, pages)
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


# -------------------------------------------------------------------------------------------- report


def _ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"


def _row(run: report.Run, rows: report.Run, cache: str, *, target: bool) -> str:
    ratio = run.rps / rows.rps if rows.rps else 0
    meets = ("yes" if ratio >= TARGET else "**no**") if target else "—"
    p50, p99 = (_ms(run.p50_ms), _ms(run.p99_ms)) if run.requests else ("—", "—")
    errors = "no response" if not run.requests else str(run.errors or "")
    return (
        f"| {run.name} | `{run.path}` | {cache} | {run.rps:,.1f} | {p50} | {p99} | {ratio:.2f}× | {meets} | {errors} |"
    )


def section(figures: dict, cached: list[report.Run], uncached: list[report.Run], *, load_avg: str) -> str:
    import django

    kinds = ", ".join(f"{n} {kind}" for kind, n in figures["kinds"].items())
    lines = [
        f"<!-- results:{MARK} -->",
        "## Portfolio page (`bench/portfolio_page_bench.py`)",
        "",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {report.machine()}",
        f"- Stack: Python {platform.python_version()}, Django {django.get_version()}, SQLite, "
        "gunicorn with 2 sync workers, DEBUG off",
        f"- Load: wrk, 2 threads, 8 connections, {figures['duration']} per page, on the same machine as the "
        f"server, signed in as {VIEWER} (the demo mentor), who is not the owner",
        f"- Machine load average before the run (1, 5, 15 min): {load_avg}",
        f"- Data: the demo organisation (`manage.py seed`: {figures['people']:,} people, {figures['items']:,} "
        f"items); {OWNER}'s showcase portfolio, shared with the organisation, one page (wide and narrow "
        f"columns) of {figures['blocks']} blocks: {kinds}; artefacts and embeds point at her files and at "
        f"wiki pages, the galleries hold {figures['images']} images each (hers first, then others' she may see)",
        "",
        "Measured: one portfolio page with 40 blocks of every kind, rendered for a viewer other than its owner, "
        f"against the 50-row reference of the same run. Target (issue 6): at least {TARGET}× the reference.",
        "",
        f"| Page | Path | Page cache | Requests/s | p50 | p99 | × 50-row | ≥ {TARGET}× | Errors |",
        "|---|---|---|---:|---:|---:|---:|:---:|---:|",
    ]
    for runs, cache in ((cached, "on"), (uncached, "off")):
        rows = runs[0]
        lines.append(_row(rows, rows, "—", target=False))
        lines += [_row(run, rows, cache, target=True) for run in runs[1:]]
    missed = [
        f"{run.name} (cache {cache})"
        for runs, cache in ((cached, "on"), (uncached, "off"))
        for run in runs[1:]
        if run.rps < TARGET * runs[0].rps
    ]
    lines += ["", f"Below the target: {', '.join(missed)}." if missed else "Every row meets the target."]
    if figures.get("notes"):
        lines += ["", figures["notes"]]
    lines.append(f"<!-- /results:{MARK} -->")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "portfolio-page", help="data, logs")
    parser.add_argument("--port", type=int, default=8195)
    parser.add_argument("--duration", default="10s", help="wrk's time per page")
    parser.add_argument("--results", type=Path, help="RESULTS.md to update; without it the section is printed")
    parser.add_argument("--notes", default="", help="a paragraph to add under the table (findings)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:  # the child process that writes the data, with the run's environment
        data_step(Path(args.step))
        return 0

    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    (work / "var").mkdir(parents=True)
    run = work / "out"
    run.mkdir()
    env = environment(work, args.port, f"sqlite:///{work / 'run.sqlite3'}")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed")
    subprocess.run([PY, __file__, "--step", str(run / "figures.json")], cwd=ROOT, env=env, check=True)  # noqa: S603
    figures = json.loads((run / "figures.json").read_text())
    figures["duration"] = args.duration
    figures["notes"] = args.notes
    print(json.dumps(figures, indent=2), flush=True)
    manage(env, "collectstatic", "--noinput", "-v", "0")

    load_avg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    pages = [
        ("50-row ORM page (reference)", "/bench/rows"),
        (f"portfolio page, {figures['blocks']} blocks", figures["path"]),
    ]
    with Server(env, args.port, run / "server.log") as server:
        cached = load_as(server, pages, run, duration=args.duration, tag="cache")
    with Server({**env, "WATERCOOLER_PAGE_CACHE": "0"}, args.port, run / "server-nocache.log") as server:
        uncached = load_as(server, pages, run, duration=args.duration, tag="nocache")
    text = section(figures, cached, uncached, load_avg=load_avg)
    if args.results:
        report.update_results(args.results, MARK, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
