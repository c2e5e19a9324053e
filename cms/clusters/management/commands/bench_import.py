import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cms.clusters.exporting import write_xlsx
from cms.clusters.importing import apply_import, preview_import
from cms.clusters.models import ClusterProfile
from cms.clusters.reading import read_table
from cms.clusters.spreadsheet import COLUMNS, MAX_ROWS, ImportFileError
from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country, Sector

WORDS = {
    "en": "cluster regional food energy tourism software robots network innovation export",
    "cs": "klastr regionální potraviny energetika cestovní ruch software inovace síť vývoz",
    "de": "Cluster regionale Lebensmittel Energie Tourismus Software Netzwerk Innovation",
    "it": "cluster regionale alimentare energia turismo software rete innovazione export",
    "pl": "klaster regionalna żywność energia turystyka oprogramowanie sieć innowacje",
    "sk": "klaster regionálne potraviny energetika cestovný ruch softvér sieť inovácie",
    "sl": "grozd regionalna hrana energija turizem programska oprema mreža inovacije",
}


class Command(BaseCommand):
    help = (
        "Benchmark: import a generated XLSX of N cluster rows (all 7 languages), then re-import "
        "it; prints seconds per phase. Runs in a transaction that is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, rows, seed, **options):
        if not 1 <= rows <= MAX_ROWS:
            raise CommandError(f"--rows must be between 1 and {MAX_ROWS} (what an import takes)")
        rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data
        countries = [c.code for c in Country.objects.filter(is_hub=False)]
        sectors = list(Sector.objects.values_list("slug", flat=True))
        table = [list(COLUMNS)]
        for number in range(rows):
            values = {
                "slug": f"bench-{number:05d}",
                "country": rng.choice(countries),
                "sectors": ";".join(rng.sample(sectors, k=rng.randint(1, 2))),
                "members": str(rng.randint(5, 400)),
                "founded": str(rng.randint(1990, 2011)),
                "website": f"https://example.org/cluster/{number}",
            }
            for code in LANGUAGE_CODES:
                words = WORDS[code].split()
                values[f"name_{code}"] = " ".join(rng.sample(words, 3)).capitalize() + f" {number}"
                values[f"description_{code}"] = " ".join(rng.choices(words, k=40))
                values[f"city_{code}"] = rng.choice(words).capitalize()
            values["ready_languages"] = " ".join(LANGUAGE_CODES)  # every language checked
            table.append([values.get(column, "") for column in COLUMNS])
        content = write_xlsx(table)
        self.stdout.write(f"Generated {rows} rows, {len(content) / 1024:.0f} KiB XLSX")
        timings = {}
        with transaction.atomic():
            start = time.perf_counter()
            try:
                parsed = read_table(content, "bench.xlsx")
            except ImportFileError as error:  # larger than an import takes (MAX_BYTES)
                raise CommandError(f"--rows {rows}: {error}") from error
            timings["read xlsx"] = time.perf_counter() - start
            start = time.perf_counter()
            preview = preview_import(parsed)
            timings["preview"] = time.perf_counter() - start
            start = time.perf_counter()
            first = apply_import(preview)
            timings["apply (create)"] = time.perf_counter() - start
            start = time.perf_counter()
            again = preview_import(read_table(content, "bench.xlsx"))
            second = apply_import(again)
            timings["re-import (read+preview+apply)"] = time.perf_counter() - start
            created = ClusterProfile.objects.filter(slug__startswith="bench-").count()
            transaction.set_rollback(True)
        total = timings["read xlsx"] + timings["preview"] + timings["apply (create)"]
        for name, seconds in timings.items():
            self.stdout.write(f"{name:34} {seconds:8.2f} s")
        self.stdout.write(f"{'first import total':34} {total:8.2f} s  ({rows / total:.0f} rows/s)")
        self.stdout.write(f"first import: {first}; re-import: {second}; rows in DB: {created}")
