"""The benchmark's report: each backend against issue 12's targets, in docs/benchmarks.md.

Nothing here measures time: the results are made up, the report's arithmetic is checked.
"""

import json
import math

from cms.bench import report


def result(items=10_000, search=(10.0, 50.0, 90.0), autocomplete=(1.0, 5.0), orm=1.0, engine=0):
    p = ("p50", "p95", "p99")
    return {
        "items": items,
        "queries": 100,
        "seed": 1,
        "search": {"n": 100, **dict(zip(p, search, strict=True)), "timeouts": 0, "failures": 0},
        "autocomplete": {"n": 100, **dict(zip(p, autocomplete, strict=False))},
        "baseline_orm_pk": {"p50": orm},
        "search_requests": {
            "sql_statements": {"n": 100, "min": 3, "median": 3, "max": 4, "mean": 3.1},
            "engine_requests": {"n": 100, "min": engine, "median": engine, "max": engine},
            "engine_endpoints": {"POST _search": 100 * engine} if engine else {},
        },
        "total_s": 100.0,
        "total_items_per_s": items / 100,
        "load_start": "1.00/1.00",
        "load_end": "2.00/1.50",
    }


def test_each_target_is_a_multiple_of_the_orm_lookup_of_the_same_run():
    assert report.checks("postgres", result(search=(29, 100, 200), autocomplete=(5, 20))) == [
        ("search p95 100× ≤ 100×", True),
        ("search p50 29.0× ≤ 30×", True),
        ("autocomplete p95 20.0× ≤ 20×", True),
    ]
    slow = report.checks("sqlite", result(search=(62, 202, 400), autocomplete=(5, 42), orm=2))
    assert [met for _, met in slow] == [False, False, False]
    engine = report.checks("opensearch", result(search=(10, 26, 30), engine=2))
    assert engine == [
        ("search p95 26.0× ≤ 25×", False),
        ("autocomplete p95 5.0× ≤ 20×", True),
        ("engine requests per search 2 ≤ 1", False),
    ]


def test_a_timed_out_search_misses_the_target():
    r = result(search=(10, math.inf, math.inf))
    r["search"]["timeouts"] = 7
    checks = report.checks("sqlite", r)
    assert ("search p95 ∞ ≤ 100×", False) in checks
    assert ("every search answered (7 timeouts, 0 failures)", False) in checks


def test_the_section_of_a_size_is_replaced_and_everything_else_kept(tmp_path):
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Search benchmarks\n\nIntro.\n\n## What is measured, and how\n\nOld.\n")
    for items, p50 in ((10_000, 11.0), (100_000, 22.0), (10_000, 33.0)):
        results = {"sqlite": result(items=items, search=(p50, 50, 90))}
        text = report.section(results, ".ci/bench-search --items 10000", "0.5 0.4 0.3", "1 1 1")
        report.update_docs(docs, text, items)
    out = docs.read_text()
    assert out.startswith("# Search benchmarks\n\nIntro.\n\n<!-- bench-search 10000 items")
    assert out.count("## `make bench-search` at 10,000 documents") == 1
    assert "| SQLite | 33.0 / 50.0 / 90.0 |" in out and "| SQLite | 11.0 " not in out
    assert "| SQLite | 22.0 / 50.0 / 90.0 |" in out  # the 100,000 section stays
    assert out.endswith("## What is measured, and how\n\nOld.\n")
    assert "0.5 0.4 0.3 before the run, 1 1 1 after it" in out
    assert "```sh\n.ci/bench-search --items 10000\n```" in out


def test_the_command_line_reads_the_run_folder(tmp_path, capsys):
    (tmp_path / "opensearch.json").write_text(json.dumps(result(engine=1)))
    assert report.main([str(tmp_path), "--command", "make bench-search"]) == 0
    out = capsys.readouterr().out
    assert "| OpenSearch | 10.0 / 50.0 / 90.0 | 10.0× / 50.0× |" in out
    assert "- OpenSearch: engine requests per search 1 ≤ 1: met" in out
    assert "`POST _search` × 100" in out
    (tmp_path / "sqlite.json").write_text(json.dumps(result(items=5)))
    assert report.main([str(tmp_path), "--command", "x"]) == 1
