from argparse import ArgumentTypeError
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.core.services import check_against_database, sync_network
from cms.core.site_files import SiteFileError, load_network


class Command(BaseCommand):
    help = (
        "Create or update the partner-country sites, home pages, sections, editor groups "
        "and partners from the files in sites/. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Directory of site files")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only validate the files (and that the database can take them); write nothing",
        )
        parser.add_argument(
            "--port",
            type=port_number,
            metavar="PORT",
            help="Serve every site on this port instead of its file's (the demo: make run PORT=…)",
        )

    def handle(self, *args, dir=None, check=False, port=None, **options):
        directory = dir or settings.SITES_DIR
        try:
            network = load_network(directory, port=port)
            if check:  # the sync runs the same check itself, inside its transaction
                check_against_database(network)
        except SiteFileError as error:
            raise CommandError(f"Invalid site file {error}") from error
        if check:
            self.stdout.write(self.style.SUCCESS(f"{len(network.sites)} site files are valid."))
            return
        try:
            report = sync_network(network)
        except SiteFileError as error:  # refused inside the transaction, rolled back
            raise CommandError(f"Invalid site file {error} (nothing was synced)") from error
        self.stdout.write(self.style.SUCCESS(f"Sites synced: {report.summary()}."))


def port_number(value: str) -> int:
    """``--port``: 1 to 65535 (``choices=range(...)`` listed all 65,535 in its error)."""
    try:
        port = int(value)
    except ValueError:
        raise ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise ArgumentTypeError(f"{port} is not a port: use 1 to 65535")
    return port
