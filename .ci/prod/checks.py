"""``make chaos``'s checks: search probes during the run, and at the end every confirmed
edit in the database, the API and search, and the task workers' memory."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from editors import Edit
from measure import rss_mb
from stack import APP_SERVERS, LB, SEARCH_LB, Connection, Run, say


def search_ids(conn: Connection, host: str, query: str, language: str):
    status, body, _ = conn.request(
        "GET",
        f"/api/v3/search/?{urlencode({'q': query, 'lang': language, 'limit': 50})}",
        host=host,
    )
    if status != 200:
        return status, None, None
    data = json.loads(body)
    return status, sorted(hit["id"] for hit in data["items"]), data["degraded"]


def prober(run: Run, probes, baseline, edited: set[int]):
    """Every 2 s, the same searches: does the engine answer them completely (as at the start)?
    The pages the editors change are left out of the comparison."""
    conn = Connection()
    while not run.stop.wait(2):
        for host, query, language in probes:
            status, ids, degraded = search_ids(conn, host, query, language)
            same = status == 200 and set(ids) - edited == set(baseline[query]) - edited
            complete = same and not degraded
            with run.lock:
                if run.phase is not None:
                    run.phase.probes.append(complete)
                    run.phase.probes_wrong += not same
                    note = f"probe {query!r}: {status} degraded={degraded}"
                    if not complete and note not in run.phase.notes:
                        run.phase.notes.append(note)
    conn.close()


def engine_refresh():
    request = urllib.request.Request(f"{SEARCH_LB}/prod_*/_refresh", method="POST")  # noqa: S310
    try:
        urllib.request.urlopen(request, timeout=30).close()  # noqa: S310 - our own address
    except OSError as error:
        say(f"refresh failed: {error}")


def cluster_status() -> str:
    try:
        with urllib.request.urlopen(f"{SEARCH_LB}/_cat/health?h=status", timeout=3) as r:  # noqa: S310
            return r.read().decode().strip()
    except OSError:
        return "unreachable"


def memory_after_idle(prod_dir: Path) -> tuple[float, dict] | None:
    """The task workers' RSS once ``db_worker`` has run no task for its release period.

    A worker idle for ``TASK_WORKER_RELEASE_AFTER_IDLE`` seconds (60 unless the stack's
    environment says otherwise; negative: never) gives back the analysis tables its
    indexing loaded (``cms/ops/task_memory.py``): wait for that since its last task (+5 s),
    then measure. None when the release is off.
    """
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    seconds = float(os.environ.get("TASK_WORKER_RELEASE_AFTER_IDLE", "60"))
    if seconds < 0:
        return None
    last = (
        DBTaskResult.objects.exclude(finished_at=None)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    wait = seconds + 5 - (timezone.now() - last).total_seconds() if last else 0
    if wait > 0:
        say(f"waiting {wait:.0f} s for the task worker's idle period ({seconds:g} s) ...")
        time.sleep(wait)
    memory = {}
    for name in ("db_worker", "search_index_worker"):
        pid_file = prod_dir / f"{name}.child"
        if pid_file.exists():
            memory[name] = round(rss_mb(int(pid_file.read_text())), 1)
    return seconds, memory


def wait_until(check, seconds: float, interval: float = 1.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return check()


def verify(run: Run, edits: list[Edit], problems: list[str]) -> dict:
    """Every confirmed edit is a published revision; the last of each page is live, served by
    the API (through the balancer and by each app server) and, after the worker, found."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult
    from wagtail.models import Page, PageLogEntry, Revision

    from cms.search.models import PendingIndexUpdate

    connection.close()  # PostgreSQL was restarted: a fresh connection
    confirmed = [e for e in edits if e.confirmed]
    for edit in confirmed:
        revisions = Revision.objects.filter(
            object_id=str(edit.page_id), content__title_en=edit.title
        ).values_list("pk", flat=True)
        published = PageLogEntry.objects.filter(
            page_id=edit.page_id, action="wagtail.publish", revision_id__in=list(revisions)
        ).exists()
        if not published:
            problems.append(
                f"lost: edit {edit.title!r} of page {edit.page_id} has no published revision"
            )
    last: dict[int, Edit] = {}
    for edit in edits:
        if edit.posts:
            last[edit.page_id] = edit
    later_unconfirmed = {pid: e for pid, e in last.items() if not e.confirmed}
    if later_unconfirmed:
        problems.append(f"{len(later_unconfirmed)} page(s) end on an unconfirmed edit")

    def catch_up():
        return not PendingIndexUpdate.objects.exists() and not DBTaskResult.objects.ready().exists()

    started = time.monotonic()
    caught_up = wait_until(catch_up, 180, 2)
    catch_up_seconds = round(time.monotonic() - started, 1)
    if not caught_up:
        problems.append(
            f"worker did not catch up in 180 s: {PendingIndexUpdate.objects.count()} pending index "
            f"updates, {DBTaskResult.objects.ready().count()} tasks"
        )
    engine_refresh()

    conns = {"balancer": Connection(LB)} | {
        f"app-{i}": Connection(a) for i, a in enumerate(APP_SERVERS, 1)
    }
    for page_id, edit in last.items():
        if not edit.confirmed:
            continue
        page = Page.objects.get(pk=page_id).specific
        if page.title_en != edit.title or not page.live:
            problems.append(f"database: page {page_id} is {page.title_en!r}, not {edit.title!r}")
        host = page.get_site().hostname
        for name, conn in conns.items():

            def api_ok(conn=conn, page_id=page_id, host=host, title=edit.title):
                status, body, _ = conn.request(
                    "GET", f"/api/v3/pages/{page_id}/?lang=en", host=host
                )
                return status == 200 and json.loads(body)["title"] == title

            if not wait_until(api_ok, 15):
                problems.append(f"API ({name}): page {page_id} does not serve {edit.title!r}")
        status, ids, degraded = search_ids(conns["balancer"], host, edit.word, "en")
        if status != 200 or page_id not in (ids or []) or degraded:
            problems.append(
                f"search: {edit.word!r} -> {status} {ids} degraded={degraded}, "
                f"expected page {page_id}"
            )
    superseded = [e for e in confirmed if last.get(e.page_id) is not e][:20]
    for edit in superseded:
        host = Page.objects.get(pk=edit.page_id).get_site().hostname
        status, ids, _ = search_ids(conns["balancer"], host, edit.word, "en")
        if ids and edit.page_id in ids:
            problems.append(
                f"search: the old title word {edit.word!r} still finds page {edit.page_id}"
            )
    for conn in conns.values():
        conn.close()
    return {
        "edits_confirmed": len(confirmed),
        "edits_attempted": sum(1 for e in edits if e.posts),
        "pages_checked": len(last),
        "worker_catch_up_seconds": catch_up_seconds,
    }
