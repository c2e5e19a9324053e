from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cms.core.seed import SeedError, check_seed_directory, load_seed


class Command(BaseCommand):
    help = "Load the demo content (clusters, news, events, pages) from sites/seed/. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Directory of seed files")

    def handle(self, *args, dir=None, **options):
        directory = dir or settings.SITES_DIR / "seed"
        try:
            # Before the sites are synced: a mistyped --dir reset every site's port first.
            check_seed_directory(directory)
            call_command("sync_sites", stdout=self.stdout)
            report = load_seed(directory)
        except SeedError as error:
            raise CommandError(f"Invalid seed file {error}") from error
        call_command("optimize_search_index", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {report.summary()}."))
