from django.core.management.base import BaseCommand

from cms.search.maintenance import optimize_full_text_index


class Command(BaseCommand):
    help = (
        "Merge the SQLite full-text search index into one segment (FTS5 'optimize'): after bulk "
        "loads, and from time to time on a busy site. Nothing to do on other databases."
    )

    def handle(self, *args, **options):
        if optimize_full_text_index():
            self.stdout.write("Full-text index merged into one segment.")
        else:
            self.stdout.write("No SQLite full-text index here: nothing to do.")
