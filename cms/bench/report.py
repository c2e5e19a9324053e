"""All backends of one ``make bench-search`` run side by side, against issue 12's targets.

``.ci/bench-search`` runs ``manage.py bench_search`` once per backend with ``--json``,
then ``python -m cms.bench.report DIR ...``: this prints one table (search p50/p95/p99,
autocomplete p50/p95, the ORM primary-key lookup of the same run, the ratios, SQL statements
and engine requests per search, rebuild time, load) with each target met or missed, and
writes it into ``docs/benchmarks.md`` as the section for that number of items (a later
run at the same size replaces it; other sizes and the rest of the file stay).

Targets (issue 12), as multiples of the ORM primary-key lookup's p50 measured in the same
run, interleaved with the searches:

- SQLite and PostgreSQL: search p95 <= 100x and p50 <= 30x;
- OpenSearch: search p95 <= 25x, one engine request per search;
- autocomplete p95 <= 20x on every backend.

Pure Python (no Django): it only reads the JSON the command wrote.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BACKENDS = {
    "sqlite": "SQLite",
    "postgres": "PostgreSQL",
    "opensearch": "OpenSearch",
}


@dataclass(frozen=True)
class Target:
    what: str  # "search" or "autocomplete"
    percentile: str  # "p50", "p95"
    at_most: float  # times the ORM p50


DATABASE_TARGETS = (Target("search", "p95", 100), Target("search", "p50", 30))
TARGETS = {
    "sqlite": (*DATABASE_TARGETS, Target("autocomplete", "p95", 20)),
    "postgres": (*DATABASE_TARGETS, Target("autocomplete", "p95", 20)),
    "opensearch": (Target("search", "p95", 25), Target("autocomplete", "p95", 20)),
}
#: Engine requests per search on an engine (the page, total and every facet in one).
ENGINE_REQUESTS = 1


def number(value: float, digits: int = 1) -> str:
    if value is None:
        return "-"
    if value == math.inf:
        return "timeout"
    return f"{value:,.{digits}f}"


def ratio(value: float | None, baseline: float) -> float | None:
    if value is None:
        return None
    return math.inf if value == math.inf else value / baseline


def times(value: float | None) -> str:
    if value is None:
        return "-"
    if value == math.inf:
        return "∞"
    return f"{value:,.1f}×" if value < 100 else f"{value:,.0f}×"


def counts(row: dict) -> str:
    if not row or not row.get("n"):
        return "-"
    if row["min"] == row["max"]:
        return f"{row['min']}"
    return f"{row['min']}–{row['max']} (median {row['median']})"


def checks(name: str, r: dict) -> list[tuple[str, bool]]:
    """(description, met) for every target of backend ``name`` in result ``r``."""
    orm = r["baseline_orm_pk"]["p50"]
    out = []
    for target in TARGETS.get(name, ()):
        row = r[target.what]
        value = ratio(row.get(target.percentile), orm) if row.get("n") else None
        met = value is not None and value <= target.at_most
        out.append(
            (
                f"{target.what} {target.percentile} {times(value)} ≤ {target.at_most:g}×",
                met,
            )
        )
    if name == "opensearch":
        engine = r.get("search_requests", {}).get("engine_requests", {})
        met = bool(engine.get("n")) and engine["max"] <= ENGINE_REQUESTS
        out.append((f"engine requests per search {counts(engine)} ≤ {ENGINE_REQUESTS}", met))
    if r["search"].get("timeouts") or r["search"].get("failures"):
        out.append(
            (
                f"every search answered ({r['search']['timeouts']} timeouts, "
                f"{r['search']['failures']} failures)",
                False,
            )
        )
    return out


def git_state(root: Path) -> str:
    """The commit checked out, and whether tracked files differ from it."""

    def git(*args: str) -> str:
        try:
            # git from PATH with fixed arguments: a developer's tool, as `make` runs it.
            return subprocess.run(  # noqa: S603
                ["git", *args],  # noqa: S607
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = [line for line in git("status", "--porcelain", "--untracked-files=no").splitlines()]
    if changed:
        return f"{commit} (with uncommitted changes in {len(changed)} tracked files)"
    return commit


def section(
    results: dict[str, dict],
    command: str,
    load_before: str,
    load_after: str,
    commit: str | None = None,
) -> str:
    """The Markdown section for one run: results of each backend that ran, by name.
    ``commit``: the code the run started with (default: the checkout's now)."""
    any_result = next(iter(results.values()))
    started = min(r.get("started", "") for r in results.values()) or time.strftime(
        "%Y-%m-%d %H:%M:%S UTC", time.gmtime()
    )
    items = any_result["items"]
    lines = [
        f"<!-- bench-search {items} items: begin (written by cms/bench/report.py) -->",
        f"## `make bench-search` at {items:,} documents",
        "",
        f"Run started {started}, commit "
        f"{commit or git_state(Path(__file__).resolve().parents[2])}; "
        f"{any_result['queries']} queries "
        f"and prefixes per backend (seed {any_result['seed']}); load average (1/5/15 min) "
        f"{load_before} before the run, {load_after} after it:",
        "",
        "```sh",
        command,
        "```",
        "",
        "Latencies in ms through the real service; ratios are to the ORM primary-key lookup "
        "(p50) measured in the same process, interleaved with the searches. Rebuild: "
        "analysing, writing and indexing every document (`analysis + row write + indexing`).",
        "",
        "| backend | search p50 / p95 / p99 | ÷ ORM (p50 / p95) | autocomplete p50 / p95 "
        "| ÷ ORM (p95) | ORM pk p50 | SQL statements per search | engine requests per search "
        "| rebuild s (docs/s) | timeouts | load start → end |",
        "| --- | --- | --- | --- | --- | ---: | --- | --- | --- | --- | --- |",
    ]
    verdicts = []
    for name, r in results.items():
        s, ac, orm = r["search"], r["autocomplete"], r["baseline_orm_pk"]["p50"]
        requests = r.get("search_requests", {})
        engine = requests.get("engine_requests", {})
        lines.append(
            "| {label} | {s} | {sr} | {ac} | {acr} | {orm:.2f} | {sql} | {engine} | {rebuild} "
            "| {timeouts} | {load} |".format(
                label=BACKENDS.get(name, name),
                s=" / ".join(number(s.get(p)) for p in ("p50", "p95", "p99"))
                if s.get("n")
                else "-",
                sr=f"{times(ratio(s.get('p50'), orm))} / {times(ratio(s.get('p95'), orm))}",
                ac=" / ".join(number(ac.get(p)) for p in ("p50", "p95")) if ac.get("n") else "-",
                acr=times(ratio(ac.get("p95"), orm)),
                orm=orm,
                sql=counts(requests.get("sql_statements", {})),
                engine=counts(engine) if engine.get("n") and engine["max"] else "-",
                rebuild=f"{r['total_s']:,.0f} ({r['total_items_per_s']:,.0f})",
                timeouts=f"{s.get('timeouts', 0)} of {s.get('n', 0)}",
                load=f"{r['load_start']} → {r['load_end']}",
            )
        )
        endpoints = requests.get("engine_endpoints")
        if endpoints:
            verdicts.append(
                f"- {BACKENDS.get(name, name)} engine requests during the searches: "
                + ", ".join(f"`{k}` × {v}" for k, v in endpoints.items())
            )
        for example in requests.get("several_engine_requests", []):
            verdicts.append(
                f"- {BACKENDS.get(name, name)}: {example['query']!r} [{example['language']}] "
                f"({example['category']}, {example['total']} hits) sent "
                + ", ".join(f"`{k}` × {v}" for k, v in example["requests"].items())
            )
        for text, met in checks(name, r):
            verdicts.append(f"- {BACKENDS.get(name, name)}: {text}: {'met' if met else 'MISSED'}")
    lines += ["", "Targets (issue 12):", "", *verdicts, ""]
    lines.append(f"<!-- bench-search {items} items: end -->")
    return "\n".join(lines) + "\n"


SECTION = re.compile(
    r"<!-- bench-search (\d+) items: begin[^>]*-->.*?<!-- bench-search \1 items: end -->\n",
    re.DOTALL,
)
INSERT_BEFORE = "## What is measured, and how"


def update_docs(path: Path, text: str, items: int) -> None:
    """Replace the section for ``items`` documents in ``path``, or add it before the
    description of the method (the results first; everything else stays)."""
    doc = path.read_text(encoding="utf-8")
    for match in SECTION.finditer(doc):
        if int(match.group(1)) == items:
            doc = doc[: match.start()] + text + doc[match.end() :]
            break
    else:
        at = doc.find(INSERT_BEFORE)
        doc = doc + "\n" + text if at < 0 else doc[:at] + text + "\n" + doc[at:]
    path.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, help="folder with <backend>.json of one run")
    parser.add_argument("--command", required=True, help="the command that ran, to print")
    parser.add_argument("--load-before", default="?")
    parser.add_argument("--load-after", default="?")
    parser.add_argument("--docs", type=Path, default=None, help="update this Markdown file")
    parser.add_argument("--commit", default=None, help="the code the run started with")
    args = parser.parse_args(argv)
    results = {}
    for name in BACKENDS:
        path = args.results / f"{name}.json"
        if path.exists():
            results[name] = json.loads(path.read_text(encoding="utf-8"))
    if not results:
        sys.stderr.write(f"{args.results}: no results (sqlite, postgres, opensearch .json)\n")
        return 1
    if len({r["items"] for r in results.values()}) > 1:
        sys.stderr.write("the backends ran with different --items; not comparable\n")
        return 1
    text = section(results, args.command, args.load_before, args.load_after, args.commit)
    sys.stdout.write(text)
    if args.docs:
        update_docs(args.docs, text, next(iter(results.values()))["items"])
        sys.stdout.write(f"written into {args.docs}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
