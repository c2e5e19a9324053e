from django.core.management.base import BaseCommand

from cms.search.indexing import sync_pending_sections
from cms.search.models import PendingSection, PendingSector


class Command(BaseCommand):
    help = (
        "Write again the search documents of the sections and sectors marked for the task "
        "worker (a view restriction lifted over a large section, a large section moved, a "
        "sector in many items renamed) that it has not done: the safety net for a dead "
        "worker, run by cron."
    )

    def handle(self, *args, **options):
        sections = PendingSection.objects.count()
        sectors = PendingSector.objects.count()
        changed = sync_pending_sections()
        self.stdout.write(
            f"Search: {sections} section(s) and {sectors} sector(s) indexed again, "
            f"{changed} documents changed."
        )
