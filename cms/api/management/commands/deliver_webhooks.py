"""Retry webhook deliveries that are due (run from cron, e.g. every minute).

Safe beside the task workers and other runs of itself: each delivery is claimed
before it is sent (``cms.api.webhooks.claim``), so none goes out twice.
"""

from django.core.management.base import BaseCommand

from cms.api.webhooks import deliver


class Command(BaseCommand):
    help = "Send pending webhook deliveries whose next attempt is due."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many sends.")

    def handle(self, *args, limit, **options):
        counts = deliver(limit=limit)
        self.stdout.write(f"delivered {counts['delivered']}, failed {counts['failed']}")
