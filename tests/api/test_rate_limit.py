"""The optional rate limit: a fixed window per token or IP, answered with a JSON 429."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_off_by_default(api):
    assert all(api("sectors/").status_code == 200 for _ in range(30))


@override_settings(API_RATE_LIMIT=3, API_RATE_LIMIT_WINDOW=60)
def test_the_fourth_request_in_a_window_is_refused(api, client):
    assert [api("sectors/").status_code for _ in range(3)] == [200, 200, 200]
    refused = api("sectors/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert "rate limit of 3 requests per 60 s" in refused.json()["error"]
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another client (IP) has its own counter, and so has a token holder.
    other = client.get("/api/v3/sectors/", HTTP_HOST="cz.localhost", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200
    assert api("sectors/", HTTP_AUTHORIZATION="Bearer some-token").status_code == 200
