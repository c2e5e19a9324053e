"""CPU time per Delivery API request, in process (``cms.bench.api.cpu_per_request``)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http.request import validate_host

from cms.bench.api import DEFAULT_PATHS, cpu_per_request


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
        if requests < 1 or rounds < 1:
            raise CommandError("--requests and --rounds must be at least 1")
        if not validate_host(host, settings.ALLOWED_HOSTS):
            raise CommandError(f"--host {host}: not in ALLOWED_HOSTS")
        for line in cpu_per_request(paths, host, requests, rounds):
            self.stdout.write(line)
