"""What a listing filters and orders by, read off a row's JSON when the row is written.

A listing whose filters and order these columns (and the row's country and
``updated_at``) hold is one query over the projection table
(``cms.projections.rows``); any other is narrowed or ordered by the models. The values are
the row's own: its title as this row shows it (after fallback), so ordering
by title sorts exactly what readers see, as ordering the models along the
language's fallback chain does; and it is kept as the title's collation key in
the row's language (``cms.core.collation``), so the order is that language's
alphabetical order on every database.
"""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_date, parse_datetime

from cms.core.collation import sort_key
from cms.core.languages import COMMON_LANGUAGE

#: The keys of a row's JSON the columns come from.
TITLE_KEYS = ("title", "name")
DATE_KEYS = ("date", "start")


def columns_of(data: dict, language: str) -> dict:
    """``title_key``, ``date`` and ``sector_ids`` of a row in ``language`` whose JSON is
    ``data`` (``lang=all`` rows are ordered as the common language)."""
    return {
        "title_key": sort_key(title_of(data), language),
        "date": date_of(data),
        "sector_ids": sector_ids_of(data),
    }


def title_of(data: dict) -> str | None:
    for key in TITLE_KEYS:
        if key in data:
            value = data[key]
            if isinstance(value, dict):  # lang=all: ordered as the common language
                value = value.get(COMMON_LANGUAGE)
            return value or None
    return None


def date_of(data: dict) -> dt.datetime | None:
    for key in DATE_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value:
            moment = parse_datetime(value) if "T" in value else None
            if moment is not None:
                return moment
            day = parse_date(value)
            if day is not None:
                return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    return None


def sector_ids_of(data: dict) -> str:
    sectors = data.get("sectors")
    if not isinstance(sectors, list):
        return ""
    ids = sorted(
        {sector["id"] for sector in sectors if isinstance(sector, dict) and "id" in sector}
    )
    return f" {' '.join(map(str, ids))} " if ids else ""
