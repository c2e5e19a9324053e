import json
import math
import os
import platform
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.bench.search import Benchmark, BenchmarkError
from cms.search.backends import engine_errors, engine_failure


def redacted(url: str) -> str:
    """A URL without its password, to print."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def ms(value) -> str:
    """A latency in ms; a timed-out request is slower than any other: "timeout"."""
    if value is None:
        return "-"
    return "timeout" if value == math.inf else f"{value:.1f}"


def fmt_latency(row: dict, keys=("p50", "p95", "p99")) -> str:
    return " / ".join(ms(row[key]) for key in keys) if row.get("n") else "-"


class Command(BaseCommand):
    help = (
        "Benchmark search on one backend: generate items, measure analysis, row-write and "
        "indexing throughput, then query and autocomplete latency through the search service. "
        "Needs a scratch database (see .ci/bench-search); not a test."
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=100_000, help="Items to index (100000)")
        parser.add_argument(
            "--queries", type=int, default=500, help="Search and autocomplete requests (500)"
        )
        parser.add_argument("--backend", default="default", help="A WAGTAILSEARCH_BACKENDS name")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--query-timeout",
            type=float,
            default=30.0,
            help="A request slower than this (seconds) counts as timed out and is aborted (30)",
        )
        parser.add_argument(
            "--budget",
            type=float,
            default=600.0,
            help="Stop issuing search (and autocomplete) requests after this many seconds (600)",
        )
        parser.add_argument(
            "--keep", action="store_true", help="Leave the rows in the database afterwards"
        )
        parser.add_argument(
            "--json", dest="json_path", type=Path, default=None, help="Also write results here"
        )

    def handle(
        self,
        *args,
        items,
        queries,
        backend,
        seed,
        batch_size,
        keep,
        json_path,
        query_timeout,
        budget,
        **options,
    ):
        if backend not in settings.WAGTAILSEARCH_BACKENDS:
            raise CommandError(
                f"--backend: unknown backend {backend!r}; configured: "
                f"{', '.join(settings.WAGTAILSEARCH_BACKENDS)}"
            )
        if items < 1 or queries < 1 or batch_size < 1:
            raise CommandError("--items, --queries and --batch-size must be 1 or more")
        if query_timeout <= 0 or budget <= 0:
            raise CommandError("--query-timeout and --budget must be more than 0 seconds")
        if json_path is not None and not json_path.parent.is_dir():
            raise CommandError(f"--json {json_path}: no such directory {json_path.parent}")
        if settings.DEBUG:
            self.stderr.write("warning: DEBUG is on; Django logs every query and runs slower")
        write = self.stdout.write
        env = " ".join(
            f"{name}={shlex.quote(redacted(os.environ[name]))}"
            for name in ("DATABASE_URL", "SEARCH_URL", "SEARCH_INDEX_PREFIX")
            if os.environ.get(name)
        )
        write(f"command: {env} {' '.join(shlex.quote(a) for a in sys.argv)}".replace("  ", " "))
        write(
            f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"{platform.platform()}"
        )
        benchmark = Benchmark(
            items=items,
            queries=queries,
            backend_name=backend,
            seed=seed,
            batch_size=batch_size,
            keep=keep,
            query_timeout=query_timeout,
            budget=budget,
            log=lambda line: self.stderr.write(line),
        )
        try:
            r = benchmark.run()
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
        except engine_errors(backend) as error:
            raise CommandError(f"--backend {backend}: {engine_failure(error, backend)}") from error
        self.report(r)
        if json_path is not None:
            try:
                json_path.write_text(json.dumps(r, indent=2, default=str), encoding="utf-8")
            except OSError as error:
                raise CommandError(f"--json {json_path}: {error}") from error

    def report(self, r: dict) -> None:
        write = self.stdout.write
        write(f"backend {r['backend']!r}: {r['label']} (index: {r['index']})")
        write(
            f"started {r['started']}; load average (1/5 min) {r['load_start']} at start, "
            f"{r['load_end']} at end"
        )
        write(
            f"{r['items']} items (half news, half cluster profiles; seed {r['seed']}), generated "
            f"in {r['generate_s']:.1f} s; words > 3 letters in the source texts + lexicon forms: "
            + ", ".join(f"{k} {v[0]}+{v[1]}" for k, v in r["vocabulary"].items())
        )
        a, w, i = r["analysis"], r["row_write"], r["indexing"]
        write(
            f"analysis:  {a['seconds']:8.1f} s  {a['items_per_s']:9.0f} items/s  "
            f"({a['tokens_per_s']:.0f} tokens/s, {a['mb_per_s']:.2f} MB text/s, "
            f"{a['tokens_per_item']:.0f} tokens/item)"
        )
        write(
            f"row write: {w['seconds']:8.1f} s  {w['items_per_s']:9.0f} items/s  "
            f"(bulk_create, batches of {r['batch_size']})"
        )
        write(
            f"indexing:  {i['seconds']:8.1f} s  {i['items_per_s']:9.0f} items/s  "
            f"(of which reading batches back {i['read_seconds']:.1f} s, index creation "
            f"{i['setup_seconds']:.1f} s, refresh {i['refresh_seconds']:.1f} s)"
        )
        write(
            f"total:     {r['total_s']:8.1f} s  {r['total_items_per_s']:9.0f} items/s  "
            f"(clean-up afterwards {r['cleanup_s']:.1f} s, not counted)"
        )
        s, hits, ac = r["search"], r["search_hits"], r["autocomplete"]
        write(
            f"search, {s['n']} of {s['planned']} queries run, ms p50/p95/p99: {fmt_latency(s)} "
            f"(mean of finished {ms(s.get('mean_finished'))}, max {ms(s.get('max_finished'))}); "
            f"timeouts (> {r['query_timeout']:g} s) {s['timeouts']}, failures {s['failures']}; "
            f"zero-hit queries {hits['zero_hit_queries']}, median total hits {hits['median_total']}"
        )
        for category, row in r["search_by_category"].items():
            write(f"  {category:7} {row['n']:4} queries, ms p50/p95/p99: {fmt_latency(row)}")
        write(
            f"autocomplete, {ac['n']} of {ac['planned']} prefixes run, ms p50/p95/p99: "
            f"{fmt_latency(ac)}; timeouts {ac['timeouts']}, failures {ac['failures']}, "
            f"{ac['empty']} without suggestions"
        )
        for name, row in (("search", r["search_requests"]), ("autocomplete", ac)):
            sql, engine = row["sql_statements"], row["engine_requests"]
            if sql.get("n"):
                line = (
                    f"per {name} request: SQL statements {sql['min']}-{sql['max']} "
                    f"(median {sql['median']})"
                )
                if engine["max"]:
                    line += (
                        f", engine requests {engine['min']}-{engine['max']} "
                        f"(median {engine['median']})"
                    )
                write(line)
        if r["search_requests"].get("engine_endpoints"):
            write(
                "engine requests during the searches: "
                + ", ".join(
                    f"{k} x{v}" for k, v in r["search_requests"]["engine_endpoints"].items()
                )
            )
        write(
            f"rebuild of {r['items']} search documents (analysis + row write + indexing): "
            f"{r['total_s']:.1f} s"
        )
        for row in (s, ac):
            if row.get("first_error"):
                write(f"  first failure: {row['first_error']}")
        orm, qa, bc = (
            r["baseline_orm_pk"],
            r["baseline_query_analysis"],
            r["baseline_backend_construction"],
        )
        write(
            f"baseline, same process, interleaved with the queries: ORM pk lookup p50 "
            f"{orm['p50']:.3f} ms (p95 {orm['p95']:.3f}); query analysis p50 {qa['p50']:.3f} ms; "
            f"get_search_backend() p50 {bc['p50']:.3f} ms"
        )
        ratios = [
            f"analysis items/s / indexing items/s = {a['items_per_s'] / i['items_per_s']:.1f}"
        ]
        for name, row in (("search", s), ("autocomplete", ac)):
            for key in ("p50", "p95"):
                if row.get("n") and row[key] != math.inf:
                    ratios.append(f"{name} {key} = {row[key] / orm['p50']:.0f}x ORM pk lookup p50")
        write("ratios: " + "; ".join(ratios))
        write(
            "| backend | items | analysis items/s | row write items/s | index items/s | total s "
            "| search p50/p95/p99 ms | timeouts | autocomplete p50/p95 ms | ORM pk p50 ms |"
        )
        write(
            "| {label} | {items} | {a:.0f} | {w:.0f} | {i:.0f} | {t:.0f} | {s} | {to} | {ac} "
            "| {orm:.2f} |".format(
                label=r["label"],
                items=r["items"],
                to=f"{s['timeouts']}/{s['n']}",
                a=a["items_per_s"],
                w=w["items_per_s"],
                i=i["items_per_s"],
                t=r["total_s"],
                s=fmt_latency(s),
                ac=fmt_latency(ac, ("p50", "p95")),
                orm=orm["p50"],
            )
        )
