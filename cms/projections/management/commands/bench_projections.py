"""Time until projections are current after a publish and a rename (cms.bench.projections)."""

from django.core.management.base import BaseCommand, CommandError

from cms.bench.projections import run


class Command(BaseCommand):
    help = (
        "Benchmark (scratch database with the demo content only): add --items news items in one "
        "sector, then time a publish, a sector rename until every projection is current, a rebuild."
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=1000, help="News items to add (1000).")

    def handle(self, *args, items: int, **options):
        if items < 1:
            raise CommandError("--items must be at least 1")
        figures = run(items)
        for name, value in figures.items():
            shown = f"{value:,.1f}" if isinstance(value, float) else str(value)
            self.stdout.write(f"{name:>20}: {shown}")
