"""Give the CZ site enough news for ``make bench-api`` (``cms.bench.api.add_bench_news``)."""

from django.core.management.base import BaseCommand

from cms.bench.api import add_bench_news


class Command(BaseCommand):
    help = "Add generated Czech/English news items with images to the CZ site (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=40, help="News items to have (40).")
        parser.add_argument("--country", default="CZ", help="Country site to fill (CZ).")

    def handle(self, *args, count: int, country: str, **options):
        self.stdout.write(add_bench_news(count, country))
