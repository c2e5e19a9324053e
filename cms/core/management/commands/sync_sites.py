from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.core.services import sync_network
from cms.core.site_files import SiteFileError, load_network


class Command(BaseCommand):
    help = (
        "Create or update the partner-country sites, home pages, sections, editor groups "
        "and partners from the files in sites/. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Directory of site files")
        parser.add_argument(
            "--check", action="store_true", help="Only validate the files; write nothing"
        )

    def handle(self, *args, dir=None, check=False, **options):
        directory = dir or settings.SITES_DIR
        try:
            network = load_network(directory)
        except SiteFileError as error:
            raise CommandError(f"Invalid site file {error}") from error
        if check:
            self.stdout.write(self.style.SUCCESS(f"{len(network.sites)} site files are valid."))
            return
        report = sync_network(network)
        self.stdout.write(self.style.SUCCESS(f"Sites synced: {report.summary()}."))
