"""A dead cache server is a slower site, never a broken one (issue 10, "Holes and faults").

These tests point the cache at a real Redis address where nothing listens
(connections are refused, as with a stopped Redis), configured exactly as
``CACHE_URL=redis://…`` configures it. Every read is then served uncached, an
editor's save succeeds, and the response cache catches up by itself: its
generation lives in the database, the cache only keeps a short-lived copy.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from wagtail.models import Page

from cms.ops.cache import PAUSES
from cms.ops.logs import OncePerInterval
from cms.projections import generation
from cms.projections.models import ContentGeneration
from cms.settings.base import cache_from_url
from tests.api.conftest import published_news
from tests.factories import standard_section, superuser
from tests.ports import SilentServer, unused_port


@pytest.fixture
def dead_redis():
    """The default cache is a Redis server that refuses every connection."""
    caches = {"default": cache_from_url(f"redis://127.0.0.1:{unused_port()}/0")}
    with override_settings(CACHES=caches, API_RESPONSE_CACHE_SECONDS=300, API_RATE_LIMIT=5):
        yield


@pytest.fixture
def editor_client(client, db):
    from tests.factories import country_user

    client.force_login(country_user("CZ", username="cz-outage-editor"))
    return client


def test_api_reads_are_served_uncached(api, dead_redis):
    for _ in range(2):
        response = api("news/?lang=en")
        assert response.status_code == 200
        assert response["X-Cache"] == "MISS"
        assert response.json()["items"]


def test_the_rate_limit_lets_requests_through_when_it_cannot_count(api, dead_redis):
    assert {api("sectors/").status_code for _ in range(8)} == {200}  # limit 5, fails open


def test_visitor_pages_are_served(site_client, dead_redis):
    assert site_client("CZ").get("/cs/").status_code == 200
    assert site_client("CZ").get("/cs/search/?q=klastr").status_code == 200


def test_an_editors_save_and_publish_succeed(editor_client, api, country, dead_redis):
    page = published_news(country("CZ"), title={"en": "Before the outage"})
    edit_url = f"/admin/pages/{page.pk}/edit/"
    assert editor_client.get(edit_url, HTTP_HOST="localhost").status_code == 200
    page.title_en = "Saved while Redis was down"
    revision = page.save_revision()
    revision.publish()
    assert api(f"pages/{page.pk}/?lang=en").json()["title"] == "Saved while Redis was down"
    assert ContentGeneration.objects.get().value >= 1


def test_the_cache_catches_up_after_an_outage_without_a_restart(api, country):
    """The cache keeps its entries through an outage (a network blip, say) in which a
    change is saved: the change is served once the cache's copy of the generation
    expires (``API_CACHE_GENERATION_SECONDS``), without anyone emptying the cache."""
    page = published_news(country("CZ"), title={"en": "Old title"})
    with override_settings(API_RESPONSE_CACHE_SECONDS=300, API_CACHE_GENERATION_SECONDS=5):
        cache.clear()
        url = f"pages/{page.pk}/?lang=en"
        assert api(url)["X-Cache"] == "MISS"
        assert api(url)["X-Cache"] == "HIT"

        caches = {"default": cache_from_url(f"redis://127.0.0.1:{unused_port()}/0")}
        with override_settings(CACHES=caches):
            page.title_en = "New title"
            page.save_revision().publish()  # the cache cannot hear of it

        # Back on the cache that still holds the old entry and the old generation.
        assert (
            api(url).json()["title"] == "Old title"
        )  # stale, but for at most 5 s (the publish must fit in them, on a busy machine too)
        time.sleep(5.1)
        fresh = api(url)
        assert fresh["X-Cache"] == "MISS"
        assert fresh.json()["title"] == "New title"


def test_a_bump_forgets_the_copy_at_once_while_the_cache_is_up(api, country):
    with override_settings(API_RESPONSE_CACHE_SECONDS=300):
        cache.clear()
        before = generation.current()
        generation.bump()
        assert generation.current() == before + 1


def test_a_dead_cache_is_logged_once_a_minute_not_per_operation(api, dead_redis, caplog):
    """A line per failure would be one per pause (``CACHE_RETRY_SECONDS``); LOGGING lets one
    through a minute."""
    logger = logging.getLogger("cms.ops.cache")
    throttles = [f for f in logger.filters if isinstance(f, OncePerInterval)]
    assert throttles, "settings.LOGGING puts OncePerInterval on cms.ops.cache"
    for throttle in throttles:  # as if no earlier test had met a dead cache this minute
        throttle.next_at, throttle.held_back = 0, 0
    for _ in range(3):
        assert api("news/?lang=en").status_code == 200
        PAUSES.clear()  # each request finds Redis dead anew
    assert len([r for r in caplog.records if r.name == "cms.ops.cache"]) == 1


@pytest.fixture
def hung_redis(monkeypatch):
    server = SilentServer()
    monkeypatch.setenv("CACHE_TIMEOUT", "0.2")
    caches = {"default": cache_from_url(f"redis://127.0.0.1:{server.port}/0")}
    with override_settings(CACHES=caches, API_RESPONSE_CACHE_SECONDS=300, CACHE_RETRY_SECONDS=60):
        yield server
    server.close()
    PAUSES.clear()


def test_a_hung_cache_costs_one_timeout_then_is_left_alone(
    api, site_client, editor_client, country, hung_redis
):
    """Each cache operation waited ``CACHE_TIMEOUT`` for a server that never answers: a
    visitor page made 8-18 of them, an editor's save 42 (21.6 s). Now the first timeout
    pauses the cache's reads and fills for the process: one connection to the hung server
    for all the reading below. (A save's invalidations are still tried: ``cms.ops.cache``.)"""
    assert site_client("CZ").get("/cs/").status_code == 200
    assert api("news/?lang=en").status_code == 200
    assert site_client("CZ").get("/cs/aktuality/").status_code == 200
    assert len(hung_redis.connections) == 1
    page = published_news(country("CZ"), title={"en": "Saved while Redis hung"})
    assert editor_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert api(f"pages/{page.pk}/?lang=en").json()["title"] == "Saved while Redis hung"
    reading = len(hung_redis.connections)
    with override_settings(CACHE_RETRY_SECONDS=0):  # the pause is over: asked again
        api("sectors/?lang=en")
    assert len(hung_redis.connections) > reading


def test_a_hung_cache_costs_a_deleted_section_two_timeouts_at_most(client, country, hung_redis):
    """Each deleted page bumps the generation about three times, and each bump forgot its
    cached copy twice: invalidations, always tried, waited a ``CACHE_TIMEOUT`` each (122 s
    for a section of 38 pages, past gunicorn's timeout: the deletion rolled back). Now a
    failed invalidation pauses the invalidations too."""
    section = standard_section(country("CZ"), children=6)
    client.force_login(superuser())  # deleting a page with others below it: bulk_delete
    asked = len(hung_redis.connections)
    response = client.post(f"/admin/pages/{section.pk}/delete/")
    assert response.status_code == 302
    assert not Page.objects.filter(pk=section.pk).exists()
    assert len(hung_redis.connections) - asked <= 2
