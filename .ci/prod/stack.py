"""What ``make chaos`` (``chaos.py``) runs against: the stack's addresses, its HTTP
connections, the phases and the run that records every request."""

from __future__ import annotations

import http.client
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CTL = [str(REPO / ".ci" / "prod" / "ctl")]


LB = ("127.0.0.1", 18080)


APP_SERVERS = [("127.0.0.1", 18081), ("127.0.0.1", 18082)]


SEARCH_LB = "http://127.0.0.1:9219"


ADMIN_HOST = "localhost"


#: After a part is broken or mended, this long counts as "the moment it is being killed"
#: (HAProxy's checks need 2 x 1 s to take a server out or back in).
GRACE_SECONDS = 5.0


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
