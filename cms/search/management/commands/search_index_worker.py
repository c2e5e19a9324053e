import math
import time

from django.core.management.base import BaseCommand, CommandError

from cms.ops.task_memory import release_after, release_tables
from cms.search.engine_retries import send_missed
from cms.search.indexing import process_pending_updates
from cms.search.models import PendingEngineObject, PendingIndexUpdate


class Command(BaseCommand):
    help = (
        "Send pending search-index updates to the engine (the visitors' documents, and "
        "the admin's index entries it missed while down), retrying with backoff until it "
        "accepts them. Run it beside the app servers; --once processes what is due and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Process what is due, then exit")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between rounds")
        parser.add_argument(
            "--max-rounds", type=int, default=None, help="Stop after this many rounds (tests, cron)"
        )
        parser.add_argument(
            "--drain", action="store_true", help="Exit as soon as nothing is pending any more"
        )

    def handle(self, *args, once=False, interval=2.0, max_rounds=None, drain=False, **options):
        if not math.isfinite(interval) or interval < 0:  # nan, inf: time.sleep refuses them
            raise CommandError("--interval must be a number of seconds, 0 or more")
        if max_rounds is not None and max_rounds < 1:
            raise CommandError("--max-rounds must be at least 1")
        rounds = 0
        last_work = time.monotonic()
        while True:
            counts = process_pending_updates()
            for name, count in send_missed().items():
                counts[name] = counts.get(name, 0) + count
            rounds += 1
            if any(counts.values()):
                last_work = time.monotonic()
            else:
                release_if_idle(time.monotonic() - last_work)
            if counts["sent"] or counts["failed"] or once:
                pending = PendingIndexUpdate.objects.count() + PendingEngineObject.objects.count()
                self.stdout.write(
                    f"sent {counts['sent']}, failed {counts['failed']}, still pending {pending}"
                )
            if once or (max_rounds is not None and rounds >= max_rounds):
                return
            if drain and not (
                PendingIndexUpdate.objects.exists() or PendingEngineObject.objects.exists()
            ):
                return
            time.sleep(interval)


def release_if_idle(idle_seconds: float) -> None:
    """Give back the analysis tables a resend loaded, as an idle ``db_worker`` does.

    Sending the admin's missed index entries analyses their text in every language
    (``cms.ops.task_memory``): ~90 MB of tables a worker that waits for the next outage
    has no use for. The same setting, ``TASK_WORKER_RELEASE_AFTER_IDLE``, says when.
    """
    seconds = release_after()
    if seconds is not None and idle_seconds >= seconds:
        release_tables()
