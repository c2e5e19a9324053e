"""Builders and a client for the Delivery API tests."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import APIToken
from wagtail.rich_text import RichText

from cms.core.models import CustomImage, Sector
from tests.factories import country_user, news_page, translated

_images = itertools.count(1)


@pytest.fixture
def api_token(db) -> str:
    """The plaintext token of the Czech partner's front end, acting for a Czech editor."""
    user = country_user("CZ", username="cz-frontend")
    _instance, plaintext = APIToken.create_token(user=user, name="cz front end")
    return plaintext


def make_image(size=(800, 600), **alt_texts) -> CustomImage:
    number = next(_images)
    return CustomImage.objects.create(
        title=f"Photo {number}",
        file=get_test_image_file(filename=f"api-{number}.png", size=size),
        **translated("alt_text", alt_texts),
    )


def published_news(
    country,
    *,
    title: dict[str, str],
    lead: dict[str, str] | None = None,
    sectors=(),
    clusters=(),
    body: dict[str, list[str]] | None = None,
    **fields,
):
    """A news item published through a revision, as editors do (so it has dates)."""
    page = news_page(country, title=title, lead=lead, **fields)
    for code, paragraphs in (body or {}).items():
        setattr(page, f"body_{code}", [("paragraph", RichText(html)) for html in paragraphs])
    if body:
        page.save()
    page.sectors.set(sectors)
    page.related_clusters.set(clusters)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def sectors(*slugs: str) -> list[Sector]:
    return list(Sector.objects.filter(slug__in=slugs))


@pytest.fixture
def clock(monkeypatch):
    """django-ratelimit's clock, stopped half-way through a second; move it with ``+=``.

    Each client's window ends at its own second (the library staggers them), so a test
    that counts requests against a limit stops the clock: a window ending while it sends
    them would reset the counter half-way (a flaky failure).
    ``tick`` seconds pass after each reading (none unless a test sets it).
    """
    clock = SimpleNamespace(now=1_800_000_000.5, tick=0)

    def read() -> float:
        now = clock.now
        clock.now += clock.tick
        return now

    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=read))
    return clock
