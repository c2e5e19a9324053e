"""``make chaos``: load and faults against the ``make serve-prod`` stack (issue 13).

Sixteen connections of mixed traffic (visitor pages, API listings and details, search,
autocomplete) go to HAProxy on 127.0.0.1:18080 while editors (country moderators, logged in
through the admin's login form) save and publish a known sequence of title changes through
the admin's page edit form, as a browser posts it (``tests/test_outages.py`` drives the same
form in process). Phase by phase a part of the stack is broken and mended through
``.ci/prod/ctl``: Redis stopped, one OpenSearch node killed, one app server killed,
PostgreSQL restarted, the whole search cluster stopped. Each phase prints a row (requests,
errors by status, p50/p99, search answers, edits attempted/confirmed). At the end every
confirmed edit is checked in the database (a published revision), the last one of each page
in the API (through the balancer and on each app server directly) and, once the worker has
caught up, in search; and the worker's memory is read from /proc.

The load generator is this script: threads on the standard library's ``http.client``
(keep-alive, one connection per thread), not wrk or a PyPI tool, because it must also log
in, post admin forms, read JSON answers (``degraded`` of search) and file every request
under the phase and fault window it fell into. On 2 cores it can send several thousand
requests a second, well above what the app servers answer, so it is not the bottleneck.

The parts beside this script: ``stack.py`` (addresses, connections, phases, the run),
``editors.py``, ``checks.py`` (probes and the final verification), ``measure.py``
(/proc) and ``phase_report.py`` (the table).

Run by ``.ci/prod/chaos`` with the stack's environment (``$PROD_DIR/env``). Exit status 1
when an edit was lost or a check failed (the list says which).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from checks import cluster_status, memory_after_idle, prober, search_ids, verify, wait_until
from editors import LETTERS, Edit, Editor, editor_loop, make_editors, word
from measure import cpu_snapshot, process_memory, worker_exits
from phase_report import HEADER, LEGEND, format_row, phase_row
from stack import LB, Connection, Phase, Run, say

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


PHASES = [
    Phase("baseline", what="everything up"),
    Phase("redis-down", ["redis stop"], ["redis start"], "Redis stopped"),
    Phase(
        "search-node-killed", ["os-node kill 2"], ["os-node start 2"], "OpenSearch prod-2 SIGKILL"
    ),
    Phase("app-server-killed", ["app kill 1"], ["app start 1"], "gunicorn app-1 SIGKILL"),
    Phase("postgres-restart", ["pg restart"], [], "PostgreSQL restarted (fast)"),
    Phase("search-cluster-down", ["os-cluster stop"], ["os-cluster start"], "all 3 nodes stopped"),
    Phase("recovered", what="everything back"),
]


# --- the content the traffic asks for ---------------------------------------------------------


def targets():
    """Paths of the demo content, read from the database the stack serves."""
    from django.utils import translation

    from cms.clusters.models import ClusterProfile
    from cms.core.models import Country
    from cms.events.models import EventIndexPage
    from cms.news.models import NewsIndexPage, NewsPage

    sites = []
    for country in Country.objects.select_related("site").exclude(site=None).order_by("code"):
        home = country.home_page
        if home is None:
            continue
        language = country.default_language
        with translation.override(language):
            paths = [f"/{language}/"]
            for index_model in (NewsIndexPage, EventIndexPage):
                index = index_model.objects.live().descendant_of(home).first()
                if index:
                    paths.append(index.get_url_parts()[2])
            items = list(NewsPage.objects.live().descendant_of(home).specific()[:6])
            paths += [item.get_url_parts()[2] for item in items]
            names = [c.name for c in ClusterProfile.objects.filter(country=country)[:8] if c.name]
        sites.append(
            {
                "code": country.code,
                "host": country.site.hostname,
                "language": language,
                "paths": paths,
                "page_ids": [item.pk for item in items] + [home.pk],
                "words": sorted({w for name in names for w in name.split() if len(w) > 4}),
            }
        )
    return [site for site in sites if site["words"] and site["page_ids"]]


def pick_request(rng: random.Random, sites):
    """One request of the mix: (kind, host, path)."""
    site = rng.choice(sites)
    host, language = site["host"], site["language"]
    roll = rng.random()
    if roll < 0.30:
        return "page", host, rng.choice(site["paths"])
    if roll < 0.35:
        query = urlencode({"q": rng.choice(site["words"])})
        return "page", host, f"/{language}/search/?{query}"
    if roll < 0.55:
        listing = rng.choice(["news", "events", "pages", "clusters"])
        query = urlencode({"lang": language, "limit": rng.choice([10, 20])})
        return "api-list", host, f"/api/v3/{listing}/?{query}"
    if roll < 0.75:
        return "api-detail", host, f"/api/v3/pages/{rng.choice(site['page_ids'])}/?lang={language}"
    if roll < 0.90:
        query = urlencode({"q": rng.choice(site["words"]), "lang": language})
        return "search", host, f"/api/v3/search/?{query}"
    typed = rng.choice(site["words"])[: rng.randint(2, 5)]
    return (
        "autocomplete",
        host,
        f"/api/v3/search/autocomplete/?{urlencode({'q': typed, 'lang': language})}",
    )


def visitor(run: Run, sites, seed: int):
    rng = random.Random(seed)  # noqa: S311 - a load mix, not a secret
    conn = Connection()
    sent = 0
    while not run.stop.is_set() and sent < run.args.max_requests_per_connection:
        kind, host, path = pick_request(rng, sites)
        started = time.monotonic()
        status, body, _ = conn.request("GET", path, host=host)
        payload = None
        if kind == "search" and status == 200:
            try:
                payload = json.loads(body)
            except ValueError:
                status = 599  # a 200 that is not JSON: counted as an error
        run.record(kind, status, time.monotonic() - started, payload)
        sent += 1
        if status == 0:
            time.sleep(0.05)  # refused at once: do not spin
    conn.close()


# --- the run -------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="CI form: 12 s phases")
    parser.add_argument("--phase-seconds", type=float, default=None, help="default 60 (short: 12)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--editors", type=int, default=2)
    parser.add_argument("--edit-interval", type=float, default=None, help="seconds between edits")
    parser.add_argument("--max-requests-per-connection", type=int, default=200_000)
    parser.add_argument("--strict", action="store_true", help="fail on missed targets too")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args()
    seconds = args.phase_seconds or (12 if args.short else 60)
    interval = args.edit_interval or (1.5 if args.short else 3.0)
    prod_dir = Path(os.environ.get("PROD_DIR", "/tmp/cms-prod"))  # noqa: S108 - serve-prod's

    import django

    django.setup()
    from tests.factories import page_form_data

    run = Run(args)
    if not Connection().request("GET", "/ready/", host="localhost")[0] == 200:
        say("the stack does not answer on 127.0.0.1:18080/ready/: make serve-prod first")
        return 2
    sites = targets()
    token = "".join(random.SystemRandom().choice(LETTERS) for _ in range(3))

    # The known sequence: each editor changes its pages' titles in turn, one new word each.
    editors, plans = [], []
    words = random.Random(token)  # noqa: S311 - made-up words, not secrets
    per_editor = int(len(PHASES) * seconds / interval) + 2
    for username, password, pages in make_editors(args.editors):
        editor = Editor(run, username, password)
        if not editor.login():
            say(f"{username} could not log in")
            return 1
        plan = []
        for i in range(per_editor):
            page = pages[i % len(pages)]
            w = f"zq{token}{word(words)}"
            plan.append(Edit(username, page.pk, "news", page.slug, f"Chaos {w}", w))
        editors.append(editor)
        plans.append(plan)

    from wagtail.models import Page

    from cms.core.languages import LANGUAGE_CODES

    def page_fields(page_id: int) -> dict:
        """The page's own slugs, lead and date, as they are (visitors' addresses stay)."""
        page = Page.objects.get(pk=page_id).specific
        data = {"date": page.date.isoformat()}
        for code in LANGUAGE_CODES:
            data[f"slug_{code}"] = getattr(page, f"slug_{code}", None) or page.slug
            data[f"lead_{code}"] = getattr(page, f"lead_{code}", None) or "A lead"
        return data

    kept = {edit.page_id: page_fields(edit.page_id) for plan in plans for edit in plan}

    def forms(edit: Edit):
        """The admin form with the new title in every language and an empty body (read in
        the editor's thread without the database, which is restarted during the run)."""
        return page_form_data(edit.kind, title=edit.title, slug=edit.slug) | kept[edit.page_id]

    edited = {edit.page_id for plan in plans for edit in plan}
    # Search probes: words of cluster names (never edited here), answered by the engine.
    probe_conn = Connection()
    probes = [(s["host"], s["words"][0], s["language"]) for s in sites[:4]]
    baseline = {}
    for host, query, language in probes:
        status, ids, degraded = search_ids(probe_conn, host, query, language)
        if status != 200 or degraded or not ids:
            say(f"search probe {query!r} on {host}: {status} {ids} degraded={degraded}")
            return 1
        baseline[query] = ids
    probe_conn.close()

    load_before = os.getloadavg()
    exits_before = worker_exits(prod_dir)
    say(
        f"chaos: {len(PHASES)} phases of {seconds:g} s, {args.connections} connections to "
        f"127.0.0.1:{LB[1]}, {len(editors)} editors publishing every {interval:g} s; "
        f"{len(sites)} sites; run {token}"
    )
    run.phase = PHASES[0]
    PHASES[0].start = time.monotonic()
    threads = [
        threading.Thread(target=visitor, args=(run, sites, 1000 + i), daemon=True)
        for i in range(args.connections)
    ]
    threads += [
        threading.Thread(target=editor_loop, args=(run, e, p, forms, interval), daemon=True)
        for e, p in zip(editors, plans, strict=True)
    ]
    threads.append(
        threading.Thread(target=prober, args=(run, probes, baseline, edited), daemon=True)
    )
    for thread in threads:
        thread.start()

    rows = []
    say(HEADER)
    for index, phase in enumerate(PHASES):
        with run.lock:
            if index:
                run.phase = phase
                phase.start = time.monotonic()
        phase.cpu_start = cpu_snapshot(prod_dir)
        for action in phase.breaks:
            run.ctl(action)
        if phase.name == "search-node-killed":
            time.sleep(3)
            phase.notes.append(f"cluster with a node killed: {cluster_status()}")
        remaining = phase.start + seconds - time.monotonic()
        if remaining > 0:
            time.sleep(remaining)
        for action in phase.mends:
            run.ctl(action)
        if phase.name in ("search-node-killed", "search-cluster-down"):
            green = wait_until(lambda: cluster_status() == "green", 120)
            phase.notes.append(f"cluster after the restart: {cluster_status()}")
            if not green:
                say("  cluster not green after 120 s")
        with run.lock:
            phase.end = time.monotonic()
        phase.cpu_end = cpu_snapshot(prod_dir)
        rows.append(phase_row(run, phase))
        say(format_row(rows[-1]))
    run.stop.set()
    for thread in threads:
        thread.join(timeout=60)

    # Late results (requests that ended after the last phase) are not counted.
    problems: list[str] = []
    say("\nverifying (database, API through the balancer and each app server, search) ...")
    all_edits = [edit for plan in plans for edit in plan]
    summary = verify(run, all_edits, problems)
    memory = process_memory(prod_dir)
    idle = memory_after_idle(prod_dir)

    rows = [phase_row(run, phase) for phase in PHASES]  # with edits confirmed after a row
    say("\n" + HEADER)
    for row in rows:
        say(format_row(row))
    say(LEGEND)
    for row in rows:
        extra = "; ".join(row["notes"])
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(row["by_kind"].items()))
        if extra or errors:
            say(f"  {row['phase']}: {extra}{' | ' if extra and errors else ''}{errors}")
    total = sum(r["requests"] for r in rows)
    say(
        f"\nedits: {summary['edits_confirmed']} confirmed of {summary['edits_attempted']} "
        f"attempted, {summary['pages_checked']} pages checked; the worker caught up "
        f"{summary['worker_catch_up_seconds']} s after the run; {total} requests"
    )
    load_after = os.getloadavg()
    loads = [" ".join(f"{x:.2f}" for x in load) for load in (load_before, load_after)]
    say(f"load average (1, 5, 15 min) on this machine: before {loads[0]}, after {loads[1]}")
    exits = {k: v - exits_before[k] for k, v in worker_exits(prod_dir).items()}
    say(
        "worker exits during the run (each started again after 1 s by its loop): "
        + ", ".join(f"{k} {v}" for k, v in exits.items())
    )
    say("memory (RSS, MB): " + ", ".join(f"{k} {v}" for k, v in memory.items()))
    if idle:
        say(
            f"task workers after {idle[0]:g} s without a task (RSS, MB): "
            + ", ".join(f"{k} {v}" for k, v in idle[1].items())
        )

    failed_in = sum(r["failed_in_fault_window"] for r in rows)
    requests_in = sum(r["requests_in_fault_window"] for r in rows)
    failed_out = sum(r["failed_outside_window"] for r in rows)
    if failed_out:
        problems.append(
            f"{failed_out} request(s) failed outside the moments a part was broken or mended"
        )
    node_killed = next(r for r in rows if r["phase"] == "search-node-killed")
    if node_killed["probes_wrong"]:
        problems.append(
            f"search results wrong or missing with one node killed: "
            f"{node_killed['probes_wrong']} probes"
        )
    # The issue's targets beyond "nothing lost, nothing wrong, nothing failed outside the
    # moments of a fault": reported, and fatal only with --strict.
    missed: list[str] = []
    ok, total_probes = map(int, node_killed["probes_complete"].split("/"))
    if ok != total_probes or node_killed["search_degraded"]:
        # Complete, but from the database: a request that the killed node was answering
        # (about 1 search in 150 in two short runs, HAProxy retrying searches or not; 8 in
        # 118 once, one 502 having paused the engine for an app worker: since then the
        # client sends a request that failed fast once more, cms/settings/search.py).
        missed.append(
            f"search answered from the database with one node killed: "
            f"{total_probes - ok} of {total_probes} probes, "
            f"{node_killed['search_degraded']} visitor searches (results complete)"
        )
    if requests_in and failed_in / requests_in > 0.01:
        missed.append(
            f"{failed_in}/{requests_in} requests ({100 * failed_in / requests_in:.1f} %) failed "
            "while parts were broken or mended (target <= 1 %)"
        )
    # "Worker RSS after the run": once the run is over and the worker has been idle for
    # its release period (just after the catch-up it may still hold the analysis tables).
    after_run = idle[1] if idle else memory
    for name in ("db_worker", "search_index_worker"):
        if after_run.get(name, 0) > 200:
            missed.append(f"{name} RSS {after_run[name]} MB after the run (target <= 200 MB)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "phase_seconds": seconds,
                    "connections": args.connections,
                    "rows": rows,
                    "summary": summary,
                    "memory_mb": memory,
                    "memory_after_idle_mb": idle[1] if idle else None,
                    "worker_release_after_idle_seconds": idle[0] if idle else None,
                    "load_average": {"before": load_before, "after": load_after},
                    "worker_exits": exits,
                    "problems": problems,
                    "targets_missed": missed,
                    "edits": [e.__dict__ for e in all_edits if e.posts],
                },
                indent=2,
            )
        )
    if missed:
        say("\nTARGETS MISSED:")
        for target in missed:
            say(f"  - {target}")
    if args.strict:
        problems += missed
    if problems:
        say("\nPROBLEMS:")
        for problem in problems:
            say(f"  - {problem}")
        return 1
    say("\nchaos: no edit lost, nothing inconsistent, no failure outside the moments of a fault")
    return 0


if __name__ == "__main__":
    sys.exit(main())
