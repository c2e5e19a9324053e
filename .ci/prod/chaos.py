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

Run by ``.ci/prod/chaos`` with the stack's environment (``$PROD_DIR/env``). Exit status 1
when an edit was lost or a check failed (the list says which).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
CTL = [str(REPO / ".ci" / "prod" / "ctl")]
LB = ("127.0.0.1", 18080)
APP_SERVERS = [("127.0.0.1", 18081), ("127.0.0.1", 18082)]
SEARCH_LB = "http://127.0.0.1:9219"
ADMIN_HOST = "localhost"
#: After a part is broken or mended, this long counts as "the moment it is being killed"
#: (HAProxy's checks need 2 x 1 s to take a server out or back in).
GRACE_SECONDS = 5.0
#: Letters no stemmer or lemmatiser trims (no vowels, no s): each edit's word stays whole.
LETTERS = "bcdfghjklmnpqrtvwxz"


def word(rng: random.Random, width: int = 7) -> str:
    """A made-up word; two of them differ in most letters, beyond the typo tolerance of
    search (a word one letter off an old title's would still find the page)."""
    return "".join(rng.choice(LETTERS) for _ in range(width))


# --- HTTP ------------------------------------------------------------------------------------


class Connection:
    """One keep-alive connection; reopened after any error."""

    def __init__(self, address=LB, timeout: float = 40):
        self.address, self.timeout = address, timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method, path, *, host, body=None, headers=None):
        """(status, body bytes, headers); status 0 when no answer came (refused, reset, timeout)."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(*self.address, timeout=self.timeout)
        all_headers = {"Host": host, **(headers or {})}
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, b"", None
        if response.will_close:
            self.close()
        return response.status, data, response.msg

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# --- what happens when -------------------------------------------------------------------------


@dataclass
class Window:
    start: float
    end: float | None = None

    def covers(self, moment: float) -> bool:
        return self.start <= moment <= (self.end if self.end is not None else float("inf"))


@dataclass
class Phase:
    name: str
    breaks: list[str] = field(default_factory=list)  # ctl arguments, at the start
    mends: list[str] = field(default_factory=list)  # ctl arguments, at the end
    what: str = ""
    start: float = 0.0
    end: float = 0.0
    # (end time, kind, status, seconds)
    results: list[tuple[float, str, int, float]] = field(default_factory=list)
    degraded: int = 0
    search_answers: int = 0
    probes: list[bool] = field(default_factory=list)  # search probe matched the baseline
    #: Probes whose results were wrong or missing (not merely answered from the database).
    probes_wrong: int = 0
    edits_attempted: int = 0
    edits_confirmed: int = 0
    edit_posts: int = 0
    notes: list[str] = field(default_factory=list)
    cpu_start: dict = field(default_factory=dict)
    cpu_end: dict = field(default_factory=dict)


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


class Run:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.phase: Phase | None = None
        self.windows: list[Window] = []
        self.records: list[tuple[float, str, int, float]] = []

    def record(self, kind, status, seconds, payload=None):
        now = time.monotonic()
        with self.lock:
            phase = self.phase
            if phase is None:
                return
            phase.results.append((now, kind, status, seconds))
            if payload is not None:
                phase.search_answers += 1
                phase.degraded += bool(payload.get("degraded"))

    def in_window(self, moment: float) -> bool:
        return any(window.covers(moment) for window in self.windows)

    def ctl(self, action: str):
        window = Window(time.monotonic())
        self.windows.append(window)
        started = time.monotonic()
        result = subprocess.run(  # noqa: S603 - our own script
            [*CTL, *action.split()], capture_output=True, text=True, timeout=300
        )
        window.end = time.monotonic() + GRACE_SECONDS
        took = time.monotonic() - started
        status = "ok" if result.returncode == 0 else f"FAILED ({result.returncode})"
        say(f"  ctl {action}: {status} in {took:.1f} s")
        if result.returncode:
            say(result.stderr[-2000:])
        return result.returncode == 0


def say(text: str):
    print(text, flush=True)  # noqa: T201 - a command-line report


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


# --- editors -------------------------------------------------------------------------------------


@dataclass
class Edit:
    editor: str
    page_id: int
    kind: str
    slug: str
    title: str
    word: str
    phase: str = ""
    posts: int = 0
    confirmed: bool = False
    failure: str = ""


class Editor:
    """A moderator in the admin: logs in through the form, posts the page edit form."""

    def __init__(self, run: Run, username: str, password: str):
        self.run, self.username, self.password = run, username, password
        self.conn = Connection()
        self.cookies: dict[str, str] = {}

    def send(self, method, path, fields=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # As a browser sends it; Django's CSRF check compares it with the host.
            headers["Origin"] = f"http://{ADMIN_HOST}:{LB[1]}"
        status, data, msg = self.conn.request(
            method, path, host=f"{ADMIN_HOST}:{LB[1]}", body=body, headers=headers
        )
        if msg is not None:
            # The session and CSRF cookies are Secure (production): a browser on plain HTTP
            # would drop them, so this client keeps them itself.
            for header in msg.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
        return status, data, msg

    def login(self) -> bool:
        for _ in range(30):
            status, _, _ = self.send("GET", "/admin/login/")
            if status == 200 and "csrftoken" in self.cookies:
                status, _, msg = self.send(
                    "POST", "/admin/login/", {"username": self.username, "password": self.password}
                )
                if status == 302 and "sessionid" in self.cookies:
                    return True
            time.sleep(1)
        return False

    def publish(self, edit: Edit, form: dict) -> tuple[int, bytes]:
        data = {**form, "action-publish": "action-publish"}
        status, body, _ = self.send("POST", f"/admin/pages/{edit.page_id}/edit/", data)
        return status, body


def editor_loop(run: Run, editor: Editor, edits: list[Edit], forms, interval: float):
    """Edits in their order, one every ``interval`` seconds; an edit whose post failed is
    posted again (as an editor would press Publish again) until it is confirmed or 30 s pass."""
    for edit in edits:
        if run.stop.is_set():
            break
        phase = run.phase
        edit.phase = phase.name
        with run.lock:
            phase.edits_attempted += 1
        deadline = time.monotonic() + 30
        while True:
            edit.posts += 1
            with run.lock:
                run.phase.edit_posts += 1
            status, body = editor.publish(edit, forms(edit))
            if status == 302:
                edit.confirmed = True
                with run.lock:
                    phase.edits_confirmed += 1
                break
            if status == 200:  # the form came back: a validation error, not an outage
                edit.failure = f"form refused: {body[:300]!r}"
                break
            edit.failure = f"HTTP {status or 'no answer'}"
            if time.monotonic() >= deadline:
                break
            time.sleep(1)
        run.stop.wait(interval)


# --- checks ------------------------------------------------------------------------------------


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


LEGEND = """
fail@fault: 5xx or no answer / requests, while a part was broken or mended and 5 s after;
fail else: the same at any other moment; degr/srch: search API answers from the database /
all; probes ok: fixed searches with the same results as before the run, not degraded;
edits ok: confirmed / attempted (an edit whose post failed is posted again, up to 30 s);
cpu ms/req: CPU of both app servers (masters and workers) / requests of the phase, where
neither was restarted (editors' posts included; the machine's other load is not)."""


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


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


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


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU of a process (and of its children it has waited for)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    used = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        used += int(fields[13]) + int(fields[14])  # cutime, cstime
    return used / TICKS


def cpu_snapshot(prod_dir: Path) -> dict:
    """CPU seconds so far of each app server (master, its reaped and its live workers) and
    of the workers, keyed by name and pid (a restarted process does not compare)."""
    snapshot = {}
    try:
        for n in (1, 2):
            master = int((prod_dir / f"app-{n}.pid").read_text())
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
            snapshot[f"app-{n}", master] = cpu_seconds(master, children=True) + sum(
                cpu_seconds(int(child)) for child in children
            )
        for name in ("db_worker", "search_index_worker"):
            pid = int((prod_dir / f"{name}.child").read_text())
            snapshot[name, pid] = cpu_seconds(pid)
    except (OSError, ValueError):
        pass  # a part that is down at this moment
    return snapshot


def cpu_used(phase: Phase) -> dict:
    return {
        name: phase.cpu_end[name, pid] - used
        for (name, pid), used in phase.cpu_start.items()
        if (name, pid) in phase.cpu_end
    }


def pss_mb(pid: int) -> float:
    """The process's share of its pages: what it adds to the machine (the app servers'
    workers share what the master loaded before forking)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def process_memory(prod_dir: Path) -> dict:
    memory = {}
    for name in ("db_worker", "search_index_worker"):
        pid_file = prod_dir / f"{name}.child"
        if pid_file.exists():
            memory[name] = round(rss_mb(int(pid_file.read_text())), 1)
    for n in (1, 2):
        pid_file = prod_dir / f"app-{n}.pid"
        if not pid_file.exists():
            continue
        master = int(pid_file.read_text())
        memory[f"app-{n} master"] = round(rss_mb(master), 1)
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        for i, child in enumerate(children, 1):
            memory[f"app-{n} worker {i}"] = round(rss_mb(int(child)), 1)
            memory[f"app-{n} worker {i} PSS"] = round(pss_mb(int(child)), 1)
    return memory


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


def worker_exits(prod_dir: Path) -> dict:
    """How often each worker has exited (and been started again by its loop, lib.sh)."""
    counts = {}
    for name in ("db_worker", "search_index_worker"):
        log = prod_dir / f"{name}.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        counts[name] = text.count(f"prod: {name} exited")
    return counts


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


# --- the run -------------------------------------------------------------------------------


def make_editors(count: int):
    """Moderators of countries with news (they may publish; editors only submit)."""
    from django.contrib.auth import get_user_model

    from cms.core.models import Country
    from cms.news.models import NewsPage

    people = []
    for country in Country.objects.exclude(site=None).order_by("code"):
        if len(people) == count:
            break
        pages = list(NewsPage.objects.live().descendant_of(country.home_page).order_by("pk")[:3])
        if not pages:
            continue
        password = secrets.token_urlsafe(16)
        user, _ = get_user_model().objects.get_or_create(username=f"chaos-{country.code.lower()}")
        user.set_password(password)
        user.is_active = True
        user.save()
        user.groups.set([country.moderators_group])
        people.append((user.username, password, pages))
    return people


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
        # (about 1 search in 150 in two short runs, HAProxy retrying searches or not).
        missed.append(
            f"search answered from the database with one node killed: "
            f"{total_probes - ok}/{total_probes} probes, "
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
