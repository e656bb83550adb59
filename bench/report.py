"""Turn wrk outputs into the markdown table of bench/RESULTS.md.

    report.py --engine sqlite --label "SQLite 3.40.1" --pages out/pages.tsv --dir out/sqlite --results RESULTS.md

Each page's figures are reported with their ratio to the two references measured in the same run (the
minimal view and the bare 50-row ORM page), since machines differ. The engine's section of RESULTS.md,
between ``<!-- results:ENGINE -->`` markers, is replaced; everything else in the file is kept.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import sys
from dataclasses import dataclass
from pathlib import Path

TARGET = 0.7  # each page should serve at least this share of the 50-row reference's requests per second
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Run:
    name: str
    path: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * UNITS[match[2]]


def parse_wrk(text: str, *, name: str = "", path: str = "") -> Run:
    """Read requests/s, the 50th and 99th latency percentiles and any errors from ``wrk --latency`` output."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    total = re.search(r"^\s+(\d+) requests in", text, re.M)
    if not (rps and p50 and p99 and total):
        raise ValueError(f"{name or 'this'} is not the output of wrk --latency")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors += int(bad[1]) if bad else 0
    return Run(name, path, float(rps[1]), _duration_ms(p50[1]), _duration_ms(p99[1]), int(total[1]), errors)


def _ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"


def table(runs: list[Run]) -> str:
    """The markdown table; the first two runs are the references."""
    minimal, rows = runs[0], runs[1]
    lines = [
        f"| Page | Path | Requests/s | p50 | p99 | × minimal | × 50-row | ≥ {TARGET}× 50-row | Errors |",
        "|---|---|---:|---:|---:|---:|---:|:---:|---:|",
    ]
    for n, run in enumerate(runs):
        vs_min = run.rps / minimal.rps if minimal.rps else 0
        vs_rows = run.rps / rows.rps if rows.rps else 0
        meets = "—" if n < 2 else ("yes" if vs_rows >= TARGET else "**no**")
        # wrk reports no latency when not one response came back within the run.
        errors = "no response" if not run.requests else str(run.errors or "")
        p50, p99 = (_ms(run.p50_ms), _ms(run.p99_ms)) if run.requests else ("—", "—")
        lines.append(
            f"| {run.name} | `{run.path}` | {run.rps:,.1f} | {p50} | {p99} | "
            f"{vs_min:.3f}× | {vs_rows:.2f}× | {meets} | {errors} |"
        )
    return "\n".join(lines)


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return f"{os.cpu_count()} CPUs ({model or 'unknown model'}), {platform.system()} {platform.release()}"


def section(engine: str, label: str, runs: list[Run], notes: str, load: str = "") -> str:
    import django

    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    met = sum(1 for run in runs[2:] if rows_ratio(runs, run) >= TARGET)
    body = [
        f"<!-- results:{engine} -->",
        f"## {label}",
        "",
        f"- Date: {today}",
        f"- Machine: {machine()}",
        f"- Stack: Python {platform.python_version()}, Django {django.get_version()}, "
        "gunicorn with 2 sync workers, DEBUG off",
        "- Load: wrk, 2 threads, 8 connections, 10 s per page, on the same machine as the server",
    ]
    if load:
        body.append(f"- Machine load average before the run (1, 5, 15 min): {load}")
    if notes:
        body.append(f"- Data: {notes}")
    body += [
        "",
        table(runs),
        "",
        f"{met} of {len(runs) - 2} pages meet the target of {TARGET}× the 50-row reference.",
        f"<!-- /results:{engine} -->",
    ]
    return "\n".join(body)


def rows_ratio(runs: list[Run], run: Run) -> float:
    return run.rps / runs[1].rps if runs[1].rps else 0


def update_results(path: Path, engine: str, text: str) -> None:
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"<!-- results:{engine} -->.*?<!-- /results:{engine} -->", re.S)
    if pattern.search(current):
        current = pattern.sub(lambda _: text, current)
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(current)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", required=True, help="sqlite or postgresql: names the section")
    parser.add_argument("--label", required=True, help="the section's heading, e.g. 'SQLite 3.40.1'")
    parser.add_argument("--pages", required=True, type=Path, help="name<TAB>path<TAB>auth per line, references first")
    parser.add_argument("--dir", required=True, type=Path, help="where the wrk outputs are, one <n>.txt per page")
    parser.add_argument("--results", type=Path, help="RESULTS.md to update; without it the table is printed")
    parser.add_argument("--notes", default="", help="what the database held")
    parser.add_argument("--load", default="", help="the load average before the run (other work on the machine)")
    args = parser.parse_args(argv)
    runs = []
    for n, line in enumerate(args.pages.read_text().splitlines()):
        name, path, _ = line.split("\t")
        runs.append(parse_wrk((args.dir / f"{n}.txt").read_text(), name=name, path=path))
    if len(runs) < 3:
        print("Need the two references and at least one page.", file=sys.stderr)
        return 2
    text = section(args.engine, args.label, runs, args.notes, args.load)
    if args.results:
        update_results(args.results, args.engine, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
