"""What a webhook delivery says: one change of one item, as the JSON body a receiver gets.

``event_payload`` builds the body (documented in ``cms.webhooks.schema``) once per
event; every webhook that hears the event gets the same body, and every retry of a
delivery sends it again unchanged (same ``id``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse

from cms.core.languages import LANGUAGE_CODES


@dataclass
class Event:
    """One change of one item, to be told to the webhooks of its site (and the hub's)."""

    event: str
    object_type: str
    object_id: int
    #: Code of the country whose site the event concerns ("" for network-wide items).
    country: str
    languages: list[str] = field(default_factory=list)
    #: Visitor URL per language, for published items that have a page of their own.
    html_url: dict[str, str] | None = None
    #: ``moved`` only: the country it moved to.
    moved_to: str | None = None


def event_payload(
    item: Event, *, sequence: int, occurred_at: datetime, roots: dict[str, str] | None = None
) -> dict:
    """The JSON body of an event (``cms.webhooks.schema.payload_schema``)."""
    obj = {
        "type": item.object_type,
        "id": item.object_id,
        "site": item.country or None,
        "languages": sorted(item.languages, key=language_order),
        "api_url": api_url(
            item.object_type, item.object_id, item.country, site_roots() if roots is None else roots
        ),
        "html_url": item.html_url or None,
    }
    if item.event == "moved":
        obj["moved_to"] = item.moved_to or None
    return {
        "id": str(uuid.uuid4()),
        "event": item.event,
        "occurred_at": occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "sequence": sequence,
        "object": obj,
    }


def language_order(code: str) -> int:
    return LANGUAGE_CODES.index(code) if code in LANGUAGE_CODES else len(LANGUAGE_CODES)


def site_roots() -> dict[str, str]:
    """Each country's site root URL (``https://cz.example.org``), by country code."""
    from cms.core.models import Country

    return {
        country.code: country.site.root_url
        for country in Country.objects.filter(site__isnull=False).select_related("site")
    }


def api_url(object_type: str, object_id: int, country: str, roots: dict[str, str]) -> str | None:
    """The item's detail in the Delivery API, on its site's host (else the admin's)."""
    from cms.projections.registry import by_label

    served = by_label(object_type)
    if served is None:
        return None
    root = roots.get(country) or settings.WAGTAILADMIN_BASE_URL
    path = f"{reverse('delivery_api:api-root')}{served.representation.route}/{object_id}/"
    query = f"?site={country}" if country else ""
    return f"{root.rstrip('/')}{path}{query}"
