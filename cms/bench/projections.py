"""How long until projections are current after a publish and after a widely used change.

``manage.py bench_projections --items 1000`` (dev only, on a scratch database
with the demo content): adds ``--items`` Czech news items in one sector
(through the demo's own loader, so each is published and projected as an
editor's would be), then measures, each in the same process:

- publishing one of them (the editor's request: rendering its eight
  variants happens inside it);
- renaming the sector: the save (which marks every item showing the sector
  stale, beyond ``PROJECTION_INLINE_LIMIT``, and enqueues a task in the
  database as production does) and the worker's pass (``project_pending``,
  what the task runs) until every affected projection shows the new name;
- re-rendering all of them (``project_ids``), the rebuild rate.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import translation

from cms.core.languages import COMMON_LANGUAGE
from cms.core.models import Country, Sector
from cms.core.seed import SeedReport, load_news
from cms.news.models import NewsPage
from cms.projections import writing
from cms.projections.models import Projection, StaleProjection
from cms.settings.tasks import tasks_from_name

SLUG_PREFIX = "bench-projection-"
SECTOR = "food"


def add_items(count: int) -> float:
    """``count`` published news items in the CZ site, all in ``SECTOR``; seconds taken.

    Items a previous run added are kept (a run on the same database adds none).
    """
    home = Country.objects.get(code="CZ").home_page
    existing = set(
        NewsPage.objects.filter(slug_en__startswith=SLUG_PREFIX).values_list("slug_en", flat=True)
    )
    report = SeedReport()
    started = time.perf_counter()
    with translation.override(COMMON_LANGUAGE):
        for number in range(1, count + 1):
            if f"{SLUG_PREFIX}{number}" not in existing:
                load_news(home, item(number), report)
    return time.perf_counter() - started


def item(number: int) -> dict:
    day = date(2026, 11, 30) - timedelta(days=number)
    return {
        "slug": {"en": f"{SLUG_PREFIX}{number}", "cs": f"{SLUG_PREFIX}{number}"},
        "title": {"en": f"Regional food day {number}", "cs": f"Den regionálních potravin {number}"},
        "lead": {"en": "Producers meet buyers.", "cs": "Výrobci se setkají s odběrateli."},
        "date": day.isoformat(),
        "sectors": [SECTOR],
    }


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run(count: int) -> dict:
    setup = add_items(count)
    ids = list(
        NewsPage.objects.filter(slug_en__startswith=SLUG_PREFIX).values_list("pk", flat=True)
    )
    page = NewsPage.objects.get(pk=ids[0])

    def publish():
        page.title_en = f"{page.title_en} (edited)"
        page.save_revision().publish()

    publish_seconds = timed(publish)

    sector = Sector.objects.get(slug=SECTOR)
    sector.name_en = f"{sector.name_en} (renamed)"
    # As in production: the save enqueues a task in the database (dev's immediate backend
    # would render everything inside the save); project_pending is the worker's pass.
    with override_settings(TASKS=tasks_from_name("database")):
        save_seconds = timed(sector.save)
    marked = StaleProjection.objects.count()
    worker_seconds = timed(writing.project_pending)
    label = NewsPage._meta.label
    current = sum(
        1
        for sectors in Projection.objects.filter(
            object_type=label, object_id__in=ids, language="en"
        ).values_list("data__sectors", flat=True)
        if any(s["name"] == sector.name_en for s in sectors)
    )
    Projection.objects.filter(object_type=label, object_id__in=ids).update(digest="")
    rebuild_seconds = timed(lambda: writing.project_ids(label, ids))  # every row rewritten
    return {
        "items": len(ids),
        "database": connection.vendor,
        "inline_limit": settings.PROJECTION_INLINE_LIMIT,
        "setup_s": setup,
        "publish_ms": publish_seconds * 1000,
        "rename_save_ms": save_seconds * 1000,
        "marked_stale": marked,
        "worker_s": worker_seconds,
        "current_after": current,
        "rename_total_s": save_seconds + worker_seconds,
        "rebuild_s": rebuild_seconds,
        "rebuild_items_per_s": len(ids) / rebuild_seconds if rebuild_seconds else 0.0,
    }
