from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.clusters.exporting import export_rows, write_csv, write_xlsx
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
        clusters = ClusterProfile.objects.all()
        if country:
            clusters = clusters.filter(country__code__in=[code.upper() for code in country])
        rows = export_rows(clusters)
        path.write_bytes(writers[path.suffix.lower()](rows))
        self.stdout.write(f"Exported {len(rows) - 1} clusters to {path}.")
