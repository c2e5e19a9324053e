"""Render the items marked stale (what the task worker does after a big change)."""

from django.core.management.base import BaseCommand

from cms.projections import writing


class Command(BaseCommand):
    help = "Render the projections of items marked stale (a cron fallback for the task worker)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many items.")

    def handle(self, *args, limit=None, **options):
        changed = writing.project_pending(limit)
        self.stdout.write(f"Wrote {changed} projection rows.")
