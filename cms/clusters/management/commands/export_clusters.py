from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.clusters.exporting import export_rows, write_csv, write_xlsx
from cms.clusters.importing import cluster_countries
from cms.clusters.models import ClusterProfile


class Command(BaseCommand):
    help = "Export cluster profiles to CSV or XLSX, in the format import_clusters reads."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Output file, .csv or .xlsx")
        parser.add_argument("--country", action="append", default=None)

    def handle(self, *args, path, country, **options):
        writers = {".csv": write_csv, ".xlsx": write_xlsx}
        if path.suffix.lower() not in writers:
            raise CommandError(f"{path.name}: use a .csv or .xlsx file name")
        try:
            codes = cluster_countries(country)
        except ValueError as error:
            raise CommandError(str(error)) from error
        clusters = ClusterProfile.objects.all()
        if codes:
            clusters = clusters.filter(country__code__in=codes)
        rows = export_rows(clusters)
        try:
            path.write_bytes(writers[path.suffix.lower()](rows))
        except OSError as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(f"Exported {len(rows) - 1} clusters to {path}.")
