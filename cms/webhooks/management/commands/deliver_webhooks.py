"""Send webhook deliveries that are due: the safety net of the worker's retries (cron).

With ``TASKS_BACKEND=database`` the task worker retries each failed delivery at
its backoff time by itself; this command sends what is overdue anyway (the worker
was down, a task was lost) and is the only retry with ``TASKS_BACKEND=immediate``.
Safe beside the task workers and other runs of itself: each delivery is claimed
before it is sent (``cms.webhooks.delivery.claim``), so none goes out twice, and
deliveries about one item still go out in order.
"""

from django.core.management.base import BaseCommand, CommandError

from cms.webhooks.delivery import deliver


class Command(BaseCommand):
    help = "Send pending webhook deliveries whose next attempt is due."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many sends.")

    def handle(self, *args, limit, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        counts = deliver(limit=limit)
        self.stdout.write(f"delivered {counts['delivered']}, failed {counts['failed']}")
