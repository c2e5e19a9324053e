"""CPU per Delivery API request, two checkouts against one database, in lockstep.

``driver BASE NEW ROUNDS PATH...`` starts one long-lived worker per checkout
(``worker PATH...``, run with the checkout as its working directory, so it
imports that checkout's code) and has them take turns: 25 requests each per
path and round, the order flipping every round. Slow drifts of a shared
machine then hit both alike. Prints per path the new checkout's CPU time over
the base's, in total and as the median of the per-block ratios.

Requests go through the WSGI handler (not the test client), with
``cms/wsgi.py``'s collector settings. Environment: as ``.ci/bench-api-ab`` sets it.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import time

BLOCK = 25


def say(line: object) -> None:
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


def worker(paths: list[str]) -> None:
    sys.path.insert(0, os.getcwd())
    import warnings

    warnings.simplefilter("ignore")
    from cms.wsgi import application  # noqa: PLC0415 (after the path is set)

    def call(path: str) -> None:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "HTTP_HOST": "cz.localhost",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        status = []
        response = application(environ, lambda s, headers, *rest: status.append(s))
        b"".join(response)
        response.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: {status[0]}")

    for path in paths:
        for _ in range(30):  # warm: compiled listings, renditions, caches
            call(path)
    say("ready")
    for line in sys.stdin:
        path, count = line.split()
        start = time.process_time()
        for _ in range(int(count)):
            call(path)
        say((time.process_time() - start) / int(count) * 1000)


def driver(base: str, new: str, rounds: int, paths: list[str]) -> None:
    workers = {}
    for name, tree in (("base", base), ("new", new)):
        process = subprocess.Popen(  # noqa: S603 (this very script, with the paths given)
            [sys.executable, os.path.abspath(__file__), "worker", *paths],
            cwd=tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if process.stdout.readline().strip() != "ready":
            raise SystemExit(f"the {name} worker did not start")
        workers[name] = process
    ms = {(path, name): [] for path in paths for name in workers}
    for number in range(rounds):
        for path in paths:
            for name in ("base", "new") if number % 2 == 0 else ("new", "base"):
                process = workers[name]
                process.stdin.write(f"{path} {BLOCK}\n")
                process.stdin.flush()
                ms[(path, name)].append(float(process.stdout.readline()))
    for path in paths:
        old, now = ms[(path, "base")], ms[(path, "new")]
        ratio = statistics.median([b / a for a, b in zip(old, now, strict=True)])
        say(
            f"{path:36s} base {statistics.median(old):6.3f} ms"
            f"  new {statistics.median(now):6.3f} ms  (medians of {rounds} blocks of {BLOCK})"
            f"  new/base: total {sum(now) / sum(old):.3f}, median block {ratio:.3f}"
        )
    for process in workers.values():
        process.stdin.close()
        process.wait()


if __name__ == "__main__":
    if sys.argv[1] == "worker":
        worker(sys.argv[2:])
    else:
        driver(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:])
