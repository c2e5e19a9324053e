"""The optional rate limit: a fixed window per token or IP, answered with a JSON 429.

django-ratelimit counts; each client's windows end at their own second of the minute
(offset by a hash of the client), so every test stops its clock (a window ending during a
test would reset its counter), and those that need to know when a window ends move it by
hand.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

#: Every test on a stopped clock (``clock``, tests/api/conftest.py): a window ending during
#: a test would reset its counter half-way.
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_off_by_default(api):
    assert all(api("sectors/").status_code == 200 for _ in range(30))


@override_settings(API_RATE_LIMIT=3, API_RATE_LIMIT_WINDOW=60)
def test_the_fourth_request_in_a_window_is_refused(api, client, api_token):
    assert [api("sectors/").status_code for _ in range(3)] == [200, 200, 200]
    refused = api("sectors/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert "rate limit of 3 requests per 60 s" in refused.json()["error"]
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another client (IP) has its own counter, and so has a valid token's holder.
    other = client.get("/api/v3/sectors/", HTTP_HOST="cz.localhost", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200
    assert api("sectors/", HTTP_AUTHORIZATION=f"Bearer {api_token}").status_code == 200


@override_settings(API_RATE_LIMIT=20, API_RATE_LIMIT_WINDOW=60)
def test_made_up_tokens_share_their_address_counter_and_get_401s(api):
    """25 requests, each with a new junk token: 20 refused as unauthorised, then 429s."""
    statuses = [
        api("news/", HTTP_AUTHORIZATION=f"Bearer junk{number}").status_code for number in range(25)
    ]
    assert statuses == [401] * 20 + [429] * 5
    assert api("news/").status_code == 429  # the same address, token or not


@override_settings(API_RATE_LIMIT=2, API_RATE_LIMIT_WINDOW=60)
def test_a_valid_token_is_counted_as_itself_wherever_it_comes_from(client, api_token):
    def read(address: str):
        return client.get(
            "/api/v3/sectors/",
            HTTP_HOST="cz.localhost",
            REMOTE_ADDR=address,
            HTTP_AUTHORIZATION=f"Bearer {api_token}",
        ).status_code

    assert [read("10.0.0.1"), read("10.0.0.2"), read("10.0.0.3")] == [200, 200, 429]


@override_settings(API_RATE_LIMIT=2, API_RATE_LIMIT_WINDOW=60)
def test_retry_after_is_the_wait_until_the_counter_resets(api, clock):
    assert [api("sectors/").status_code for _ in range(3)] == [200, 200, 429]
    wait = int(api("sectors/")["Retry-After"])
    assert 0 < wait <= 60
    clock.now += wait - 1
    refused = api("sectors/")  # a second early: still the same window…
    assert (refused.status_code, refused["Retry-After"]) == (429, "1")
    assert "retry in 1 s" in refused.json()["error"]
    clock.now += 1
    assert [api("sectors/").status_code for _ in range(3)] == [200, 200, 429]  # …then afresh


@override_settings(API_RATE_LIMIT=1, API_RATE_LIMIT_WINDOW=60)
def test_retry_after_is_never_zero_when_the_window_ends_during_the_request(api, clock):
    """django-ratelimit reads its clock twice (the window, then the time left): when the
    window ends between the two readings the time left is -1 s, yet a client told to retry
    in 0 s would retry at once, so the answer is still 1 s."""
    assert [api("sectors/").status_code for _ in range(2)] == [200, 429]
    clock.now += int(api("sectors/")["Retry-After"]) - 1  # the window's last second
    clock.tick = 1  # …and the second reading falls in the next one
    refused = api("sectors/")
    assert (refused.status_code, refused["Retry-After"]) == (429, "1")


@override_settings(API_RATE_LIMIT=1, API_RATE_LIMIT_WINDOW=60)
def test_each_clients_window_ends_at_its_own_time(client, clock, db):
    """The windows are staggered, so the counters of all clients do not reset at once."""

    def retry_after(address: str) -> int:
        for _ in range(2):
            response = client.get("/api/v3/sectors/", HTTP_HOST="cz.localhost", REMOTE_ADDR=address)
        assert response.status_code == 429
        return int(response["Retry-After"])

    waits = [retry_after(f"198.51.100.{n}") for n in range(1, 6)]
    assert all(0 < wait <= 60 for wait in waits)
    assert len(set(waits)) > 1, waits


def forwarded(client, remote: str, chain: str):
    return client.get(
        "/api/v3/sectors/", HTTP_HOST="cz.localhost", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=chain
    ).status_code


@override_settings(API_RATE_LIMIT=2, API_RATE_LIMIT_WINDOW=60, TRUSTED_PROXIES=[])
def test_x_forwarded_for_is_ignored_from_untrusted_peers(client, db):
    """Without trusted proxies a client cannot buy a fresh counter with a made-up header."""
    codes = [forwarded(client, "203.0.113.9", f"198.51.100.{n}") for n in range(3)]
    assert codes == [200, 200, 429]


@override_settings(
    API_RATE_LIMIT=2, API_RATE_LIMIT_WINDOW=60, TRUSTED_PROXIES=["10.0.0.0/8", "127.0.0.1"]
)
def test_behind_trusted_proxies_each_client_has_its_own_counter(client, db):
    # Two clients behind one load balancer (10.0.0.5) are counted apart…
    assert [forwarded(client, "10.0.0.5", "198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert forwarded(client, "10.0.0.5", "198.51.100.2") == 200
    # …the hop the trusted proxies saw counts, not what the client wrote to the left of it…
    assert forwarded(client, "10.0.0.5", "6.6.6.6, 198.51.100.1, 10.1.2.3") == 429
    # …and a chain of trusted proxies only is counted for the leftmost.
    assert forwarded(client, "127.0.0.1", "10.9.9.9, 10.0.0.5") == 200


@override_settings(
    API_RATE_LIMIT=1, API_RATE_LIMIT_WINDOW=60, CORS_ALLOWED_ORIGINS=["https://partner.example"]
)
def test_a_partners_browser_script_may_read_when_to_retry(api):
    """A 429 is answered to a partner's page as to anyone, and its script may read
    ``Retry-After`` (not a CORS-safelisted header) and the ``X-Request-ID`` to report."""
    partner = {"HTTP_ORIGIN": "https://partner.example"}
    assert api("sectors/", **partner).status_code == 200
    refused = api("sectors/", **partner)
    assert refused.status_code == 429
    assert refused["Access-Control-Allow-Origin"] == "https://partner.example"
    exposed = {name.strip().lower() for name in refused["Access-Control-Expose-Headers"].split(",")}
    assert {"retry-after", "x-request-id", "etag", "last-modified"} <= exposed
