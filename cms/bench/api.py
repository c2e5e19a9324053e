"""What the Delivery API's benchmarks need: content, a baseline view, CPU per request.

``make bench-api`` (``.ci/bench-api``) and ``make bench-api-ab`` use these
through the ``bench_api_content`` and ``bench_api_cpu`` commands and the
baseline view (mounted only with ``BENCH=1``). Kept out of ``cms/api``: none
of it serves a request in a deployment.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from copy import deepcopy
from datetime import date, timedelta

from django.conf import settings
from django.core.files.images import ImageFile
from django.core.management.base import CommandError
from django.db import transaction
from django.http import JsonResponse
from django.test import Client
from django.utils import translation
from PIL import Image

from cms.core.languages import COMMON_LANGUAGE
from cms.core.models import Country, CustomImage
from cms.core.seed import SeedReport, load_news
from cms.news.models import NewsPage
from cms.search.maintenance import optimize_full_text_index

IMAGE_TITLE = "Benchmark image"
SLUG_PREFIX = "bench-news-"


def ping(request):
    """The baseline: a bare Django JSON view behind the same middleware as the API.

    ``?bytes=N`` pads its JSON to N bytes: the same view sending as much as a listing,
    to tell what the bytes cost from what the API does (``.ci/bench-api``).
    """
    asked = request.GET.get("bytes", "")
    size = min(int(asked), 10**7) if asked.isdigit() else 0
    body = {"ok": True}
    if size >= len(b'{"ok": true, "pad": ""}'):  # smaller sizes cannot be padded to
        body["pad"] = "x" * (size - len(b'{"ok": true, "pad": ""}'))
    return JsonResponse(body)


# --- content ------------------------------------------------------------------


@transaction.atomic
def add_bench_news(count: int, country: str) -> str:
    """At least ``count`` generated news items with images on ``country``'s site; a summary."""
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
    return f"{report.summary()}; images set on {changed} items"


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


# --- CPU per request -------------------------------------------------------------

DEFAULT_PATHS = (
    "/api/v3/_ping",
    "/api/v3/news/?limit=20",
    "/api/v3/news/?limit=1",
    "/api/v3/clusters/?limit=20",
)


def cpu_per_request(paths, host: str, requests: int, rounds: int) -> list[str]:
    """CPU ms per request of each path, in rounds interleaved so load hits every path alike.

    Django's test client in this process, counted with ``time.process_time``: the
    benchmark a noisy shared machine can't spoil (``.ci/bench-api`` measures HTTP).
    """
    client = Client(HTTP_HOST=host)
    paths = list(paths) or list(DEFAULT_PATHS)
    for path in paths:
        response = client.get(path)  # warm up: renditions, Wagtail's site cache
        if response.status_code != 200:
            raise CommandError(f"{path}: HTTP {response.status_code}")
    samples: dict[str, list[float]] = {path: [] for path in paths}
    for _round in range(rounds):
        for path in paths:
            start = time.process_time()
            for _ in range(requests):
                client.get(path)
            samples[path].append((time.process_time() - start) / requests * 1000)
    return [
        f"{path:40s} best {min(values):7.2f} ms  median {statistics.median(values):7.2f} ms"
        f"  (CPU per request, {rounds}×{requests})"
        for path, values in samples.items()
    ]
