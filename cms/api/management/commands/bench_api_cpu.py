"""CPU time per Delivery API request, in process: the benchmark a noisy machine can't spoil.

``.ci/bench-api`` measures throughput over HTTP (gunicorn + wrk), which on a
shared 2-core machine swings with whatever else runs. This runs the same
requests through Django's test client and counts the process's own CPU time
(``time.process_time``), beside a bare JSON view as the baseline, in rounds
interleaved so that a burst of load hits every path alike. Run it on the
database ``bench_api_content`` prepared; with ``BENCH=1`` for the baseline view.
"""

from __future__ import annotations

import os
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.test import Client

DEFAULT_PATHS = (
    "/api/v3/_ping",
    "/api/v3/news/?limit=20",
    "/api/v3/news/?limit=1",
    "/api/v3/clusters/?limit=20",
)


class Command(BaseCommand):
    help = "CPU ms per API request (in process, best and median of interleaved rounds)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help=f"Paths (default: {' '.join(DEFAULT_PATHS)})")
        parser.add_argument("--host", default="cz.localhost")
        parser.add_argument("--requests", type=int, default=30, help="Per path and round (30).")
        parser.add_argument("--rounds", type=int, default=3)

    def handle(self, *args, paths, host, requests, rounds, **options):
        if os.environ.get("BENCH") != "1":
            raise CommandError("run with BENCH=1 (mounts the baseline view /api/v3/_ping)")
        client = Client(HTTP_HOST=host)
        paths = paths or list(DEFAULT_PATHS)
        for path in paths:
            response = client.get(path)  # warm up: renditions, Wagtail's site cache
            if response.status_code != 200:
                raise CommandError(f"{path}: HTTP {response.status_code}")
        samples: dict[str, list[float]] = {path: [] for path in paths}
        for _round in range(rounds):
            for path in paths:
                start = time.process_time()
                for _ in range(requests):
                    client.get(path)
                samples[path].append((time.process_time() - start) / requests * 1000)
        for path, values in samples.items():
            self.stdout.write(
                f"{path:40s} best {min(values):7.2f} ms  median {statistics.median(values):7.2f} ms"
                f"  (CPU per request, {rounds}×{requests})"
            )
