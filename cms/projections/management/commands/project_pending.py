"""Render the items marked stale (what the task worker does after a big change)."""

from django.core.management.base import BaseCommand, CommandError

from cms.projections import writing


class Command(BaseCommand):
    help = "Render the projections of items marked stale (a cron fallback for the task worker)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many items.")

    def handle(self, *args, limit=None, **options):
        # 0 would mean no limit at all to writing.project_pending
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1")
        changed = writing.project_pending(limit)
        self.stdout.write(f"Wrote {changed} projection rows.")
