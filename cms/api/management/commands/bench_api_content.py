"""Give the CZ site enough news for ``make bench-api``: at least N items with images.

The demo content has two Czech news items, so a "20-item listing" on it
would list two. This adds generated items, through the same loader as the
demo content (``cms.core.seed.load_news``), made from the real press release:
Czech and English text, every sector, related clusters, a contact and an
image of its own (as real news has, so a listing loads twenty images'
renditions, not one image's): a listing exercises everything a real one
loads. Meant for the scratch databases of ``.ci/bench-api`` and
``.ci/bench-api-ab``; run twice, it changes nothing.
"""

from __future__ import annotations

import io
import json
from copy import deepcopy
from datetime import date, timedelta

from django.conf import settings
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from PIL import Image

from cms.core.languages import COMMON_LANGUAGE
from cms.core.models import Country, CustomImage
from cms.core.seed import SeedReport, load_news
from cms.news.models import NewsPage
from cms.search.maintenance import optimize_full_text_index

IMAGE_TITLE = "Benchmark image"
SLUG_PREFIX = "bench-news-"


class Command(BaseCommand):
    help = "Add generated Czech/English news items with images to the CZ site (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=40, help="News items to have (40).")
        parser.add_argument("--country", default="CZ", help="Country site to fill (CZ).")

    @transaction.atomic
    def handle(self, *args, count: int, country: str, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        home_country = Country.objects.filter(code=country.upper()).first()
        if home_country is None or home_country.home_page is None:
            raise CommandError(f"--country {country}: no such country site (run sync_sites)")
        seed_file = settings.BASE_DIR / "sites" / "seed" / f"{home_country.code.lower()}.json"
        template = json.loads(seed_file.read_text(encoding="utf-8"))["news"][0]
        report = SeedReport()
        with translation.override(COMMON_LANGUAGE):
            for number in range(1, count + 1):
                load_news(home_country.home_page, generated_item(template, number), report)
        changed = 0
        for number in range(1, count + 1):
            page = NewsPage.objects.get(slug_en=f"{SLUG_PREFIX}{number}")
            image = bench_image(number)
            if page.image_id != image.pk:
                page.image = image
                page.save_revision().publish()
                changed += 1
        optimize_full_text_index()  # as after any bulk load (cms.search.maintenance)
        self.stdout.write(f"{report.summary()}; images set on {changed} items")


def generated_item(template: dict, number: int) -> dict:
    """Item ``number``: the template's text, numbered, one day earlier per number."""
    item = deepcopy(template)
    item["slug"] = {code: f"{SLUG_PREFIX}{number}" for code in item["slug"]}
    item["title"] = {code: f"{title} ({number})" for code, title in item["title"].items()}
    item["date"] = (date.fromisoformat(template["date"]) - timedelta(days=number)).isoformat()
    return item


def bench_image(number: int) -> CustomImage:
    """Item ``number``'s image (a plain 1200×800 PNG of a colour of its own)."""
    title = f"{IMAGE_TITLE} {number}"
    image = CustomImage.objects.filter(title=title).first()
    if image is None:
        buffer = io.BytesIO()
        colour = (40 + number * 5 % 200, 90, 160)
        Image.new("RGB", (1200, 800), colour).save(buffer, format="PNG")
        # In the Czech collection, as a Czech editor's upload would be (the root
        # collection is network administrators' only).
        image = CustomImage(title=title, alt_text="Cluster meeting")
        czech = Country.objects.get(code="CZ").collection
        if czech is not None:
            image.collection = czech
        image.file = ImageFile(buffer, name=f"bench-{number}.png")
        image.save()
    return image
