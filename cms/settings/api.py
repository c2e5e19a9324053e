"""Delivery API settings (imported by base.py): paging, caching, images, CORS.

Everything a deployment may want to tune comes from the environment; the
defaults suit the demo and the tests.
"""

import ipaddress

from django.core.exceptions import ImproperlyConfigured

from cms.settings.environment import (
    env_bool,
    env_count,
    env_duration,
    env_list,
    env_seconds,
    env_str,
)

#: Wagtail's v3 API reads these two: the page size cap (also ours) and how
#: rich text is rendered. Consumers are websites and apps, so they get display
#: HTML with resolved links, not Wagtail's internal ``<a linktype="page">``.
WAGTAILAPI_LIMIT_MAX = env_count("API_LIMIT_MAX", 100, minimum=1)
WAGTAILAPI_RICH_TEXT_FORMAT = "html"

#: ``max-age`` of every successful read. Short, because editors expect their
#: changes to show up soon; ETags make revalidation after expiry cheap.
API_CACHE_MAX_AGE = env_seconds("API_CACHE_MAX_AGE", 60)

#: Seconds a successful read stays in the server-side cache (``cms.api.cache``);
#: publishing anything empties it. 0 switches the cache off.
API_RESPONSE_CACHE_SECONDS = env_seconds("API_RESPONSE_CACHE_SECONDS", 300)

#: Seconds the cache keeps its copy of the response cache's generation (the database
#: has the real one): the longest a change saved while the cache was down stays unseen
#: after it returns; meanwhile one small query per this many seconds reads it.
API_CACHE_GENERATION_SECONDS = env_seconds("API_CACHE_GENERATION_SECONDS", 5)

#: Seconds a change waits before ``/api/v3/sync/`` hands it out: a change is stamped when
#: it is rendered, inside its transaction, so a long transaction (the task worker
#: rendering a batch of dependents, at most ``cms.projections.writing.BATCH`` items) can
#: commit after a shorter, later one whose stamp a cursor has already passed. Holding
#: back the last few seconds keeps every cursor behind what may still commit. It must
#: exceed the longest such transaction (a few seconds); 0 serves changes at once.
SYNC_SETTLE_SECONDS = env_seconds("SYNC_SETTLE_SECONDS", 30)

#: Optional rate limit (``cms.api.ratelimit``): requests per window per API
#: token or client IP, then 429. 0 (the default) switches it off.
API_RATE_LIMIT = env_count("API_RATE_LIMIT", 0)
API_RATE_LIMIT_WINDOW = env_count("API_RATE_LIMIT_WINDOW", 60, minimum=1, unit="seconds")
#: django-ratelimit counts them in the default cache (Redis with ``CACHE_URL=redis://``)
#: and lets requests through when it cannot count (the cache is down). It is not in
#: INSTALLED_APPS: its only use there, a system check, rejects the local-memory cache.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
RATELIMIT_CACHE_PREFIX = "api:rate:"


def trusted_proxies(entries: list[str]) -> list[str]:
    """``TRUSTED_PROXIES`` as given, once each entry is checked to be an address or a network
    (else every API request would fail when the rate limit first reads them)."""
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network (10.0.0.0/8)"
            ) from None
    return entries


#: The proxies (addresses or networks, e.g. ``10.0.0.0/8,127.0.0.1``) whose
#: ``X-Forwarded-For`` is believed. A request from one of them is counted for the
#: address its proxy chain names, right to left, skipping trusted proxies; from
#: anywhere else, for its own address, whatever it sends. Empty: no proxy trusted.
TRUSTED_PROXIES = trusted_proxies(env_list("TRUSTED_PROXIES"))

#: BENCH=1 mounts a bare JSON view at /api/v3/_ping, the baseline of ``make bench-api``.
API_BENCH = env_str("BENCH") == "1"

#: The renditions every image in the API comes with, by name. ``large`` is the
#: same filter the body's image block uses, so both share one rendition file.
API_IMAGE_RENDITIONS = {
    "thumbnail": "fill-480x320",
    "large": "max-1200x1200",
}

# CORS: read-only, for the origins of the partner websites and apps that call
# the API from a browser. Nothing outside /api/ is ever shared cross-origin.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
# Besides the validators: when to retry after a 429, and the request's id to report a
# problem with (neither is CORS-safelisted, so a script could not read them otherwise).
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Content-Language", "Retry-After", "X-Request-ID")

#: Webhooks (``cms.webhooks``): seconds an endpoint may take to answer (short: with
#: ``TASKS_BACKEND=immediate`` the first attempt runs in the editor's request), attempts
#: before giving up, and the first retry delay (doubled after each failure).
WEBHOOK_TIMEOUT = env_duration("WEBHOOK_TIMEOUT", 3, minimum=0.001)
WEBHOOK_MAX_ATTEMPTS = env_count("WEBHOOK_MAX_ATTEMPTS", 6, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = env_seconds("WEBHOOK_RETRY_BASE_SECONDS", 60)
#: Off: a webhook URL must not name, nor a delivery connect to, a loopback, private,
#: link-local, multicast or reserved address (``cms.webhooks.addresses``: no requests into
#: the server's own network). On in development and tests, whose receivers are local.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)

#: Items re-rendered in the editor's transaction when something they embed changes;
#: more than this many are marked stale and rendered by the task worker (cms.projections).
PROJECTION_INLINE_LIMIT = env_count("PROJECTION_INLINE_LIMIT", 50)
