"""``make chaos``'s table: one row per phase (requests, errors by fault window, latency,
search, edits, CPU)."""

from __future__ import annotations

from collections import Counter

from measure import cpu_used, percentile
from stack import Phase, Run

LEGEND = """
fail@fault: 5xx or no answer / requests, while a part was broken or mended and 5 s after;
fail else: the same at any other moment; degr/srch: search API answers from the database /
all; probes ok: fixed searches with the same results as before the run, not degraded;
edits ok: confirmed / attempted (an edit whose post failed is posted again, up to 30 s);
cpu ms/req: CPU of both app servers (masters and workers) / requests of the phase, where
neither was restarted (editors' posts included; the machine's other load is not)."""


def phase_row(run: Run, phase: Phase) -> dict:
    seconds = max(phase.end - phase.start, 0.001)
    statuses = Counter()
    five_in, five_out = 0, 0
    for moment, _, status, _ in phase.results:
        statuses[status // 100 if status else 0] += 1
        if status >= 500 or status == 0:
            if run.in_window(moment):
                five_in += 1
            else:
                five_out += 1
    in_window = sum(1 for moment, *_ in phase.results if run.in_window(moment))
    latencies = [s for _, _, status, s in phase.results if status and status < 500]
    cpu = cpu_used(phase)
    app_cpu = [cpu[name] for name in ("app-1", "app-2") if name in cpu]
    # CPU per request only where both app servers ran the whole phase (no kill)
    cpu_ms = (
        1000 * sum(app_cpu) / len(phase.results) if len(app_cpu) == 2 and phase.results else None
    )
    return {
        "phase": phase.name,
        "what": phase.what,
        "seconds": round(seconds, 1),
        "requests": len(phase.results),
        "rps": round(len(phase.results) / seconds, 1),
        "2xx": statuses[2],
        "3xx": statuses[3],
        "4xx": statuses[4],
        "5xx": statuses[5],
        "no_answer": statuses[0],
        "failed_in_fault_window": five_in,
        "requests_in_fault_window": in_window,
        "failed_outside_window": five_out,
        "p50_ms": round(percentile(latencies, 50) * 1000),
        "p99_ms": round(percentile(latencies, 99) * 1000),
        "search_answers": phase.search_answers,
        "search_degraded": phase.degraded,
        "probes_complete": f"{sum(phase.probes)}/{len(phase.probes)}",
        "probes_wrong": phase.probes_wrong,
        "edits": f"{phase.edits_confirmed}/{phase.edits_attempted}",
        "edit_posts": phase.edit_posts,
        "app_cpu_ms_per_request": round(cpu_ms, 1) if cpu_ms is not None else None,
        "cpu_seconds": {name: round(value, 1) for name, value in cpu.items()},
        "by_kind": dict(
            Counter(f"{kind} {status}" for _, kind, status, _ in phase.results if status != 200)
        ),
        "notes": phase.notes,
    }


HEADER = (
    f"{'phase':<20} {'s':>5} {'req':>6} {'req/s':>6} {'2xx':>6} {'3xx':>4} {'4xx':>4} {'5xx':>4} "
    f"{'none':>4} {'fail@fault':>10} {'fail else':>9} {'p50ms':>6} {'p99ms':>6} "
    f"{'degr/srch':>9} {'probes ok':>9} {'edits ok':>8} {'cpu ms/req':>10}"
)


def format_row(row: dict) -> str:
    fault = f"{row['failed_in_fault_window']}/{row['requests_in_fault_window']}"
    return (
        f"{row['phase']:<20} {row['seconds']:>5} {row['requests']:>6} {row['rps']:>6} "
        f"{row['2xx']:>6} {row['3xx']:>4} {row['4xx']:>4} {row['5xx']:>4} {row['no_answer']:>4} "
        f"{fault:>10} {row['failed_outside_window']:>9} {row['p50_ms']:>6} {row['p99_ms']:>6} "
        f"{str(row['search_degraded']) + '/' + str(row['search_answers']):>9} "
        f"{row['probes_complete']:>9} {row['edits']:>8} "
        f"{'' if row['app_cpu_ms_per_request'] is None else row['app_cpu_ms_per_request']:>10}"
    )
