"""Search answered from the database while the engine is down is served, never kept.

A degraded answer cached for the response cache's five minutes (or by a CDN)
would outlive the outage: after the engine returns, visitors would still get
the database's stopgap. The engine is OpenSearch at a local port where nothing
listens (a real refused connection).
"""

from __future__ import annotations

from django.core.cache import cache
from django.test import override_settings


def test_a_degraded_search_is_not_cached(api, dead_engine, response_cache):
    for _ in range(2):
        response = api("search/?q=cluster&lang=en")
        assert response.status_code == 200
        assert response.json()["degraded"] is True
        assert response.json()["items"]
        assert response["Cache-Control"] == "no-store"
        assert response["X-Cache"] == "MISS"


def test_a_degraded_autocomplete_is_not_cached(api, dead_engine, response_cache):
    for _ in range(2):
        response = api("search/autocomplete/?q=clust&lang=en")
        assert response.status_code == 200
        assert response.json()["items"]
        assert response["Cache-Control"] == "no-store"
        assert response["X-Cache"] == "MISS"


def test_a_degraded_search_page_is_kept_by_no_cache(site_client, dead_engine):
    """The visitor search page answered by the database: a CDN kept it for
    ``VISITOR_CACHE_S_MAXAGE`` (public, s-maxage=300), past the outage."""
    response = site_client("CZ").get("/en/search/?q=cluster")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


@override_settings(API_RESPONSE_CACHE_SECONDS=300)
def test_an_engines_answer_is_cached_as_usual(api):
    cache.clear()
    api("search/?q=cluster&lang=en")
    assert api("search/?q=cluster&lang=en")["X-Cache"] == "HIT"
