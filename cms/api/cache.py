"""Server-side cache of Delivery API responses, per URL, language and site.

Reads vastly outnumber edits, and one listing costs a dozen queries; so a
successful GET is kept in Django's cache (``CACHES["default"]``: local memory
by default, Redis with ``CACHE_URL=redis://…``; with several processes only a
shared cache such as Redis sees every invalidation). The key is the full URL
(host, so the site, and query, so ``?site=``/``?lang=``) plus the languages of
``Accept-Language`` that the API can serve, in order: everything language
negotiation reads, so one key always negotiates the same language and site.

Invalidation is wholesale and O(1): every key embeds a generation number,
and publishing, unpublishing or deleting anything (or syncing the sites) bumps
it, so the next request misses and old entries simply expire. Previews (any
``Authorization`` header) are never cached.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation.trans_real import parse_accept_lang_header

from cms.core.languages import LANGUAGE_CODES

GENERATION_KEY = "api:generation"
#: Headers a cached response is served with (the rest are recomputed).
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Cache-Control",
    "ETag",
    "Last-Modified",
)


def enabled() -> bool:
    return settings.API_RESPONSE_CACHE_SECONDS > 0


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any new number will do
        cache.set(GENERATION_KEY, generation() + 1, timeout=None)


def invalidate() -> None:
    """Forget every cached response: now, and again when the transaction commits.

    Now, so this process stops serving the old content at once; after commit,
    so a request that cached the old content meanwhile is forgotten too.
    """
    _bump()
    transaction.on_commit(_bump, robust=True)


def served_languages(request: HttpRequest) -> str:
    """The ``Accept-Language`` languages the API knows, in order of preference."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    codes = []
    for accepted, _quality in parse_accept_lang_header(header):
        code = accepted.split("-")[0].lower()
        if code in LANGUAGE_CODES and code not in codes:
            codes.append(code)
    return ",".join(codes)


def key_for(request: HttpRequest) -> str | None:
    """The cache key of this request, or None if it must not be cached."""
    if not enabled() or request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return None
    raw = "\n".join((request.build_absolute_uri(), served_languages(request)))
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"api:response:{generation()}:{digest}"


def load(key: str) -> HttpResponse | None:
    stored = cache.get(key)
    if stored is None:
        return None
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


def store(key: str, response: HttpResponse) -> None:
    """Keep a finished 200 (with its validators) for the next identical request."""
    if response.status_code != 200 or getattr(response, "streaming", False):
        return
    if "no-store" in response.get("Cache-Control", "") or "private" in response.get(
        "Cache-Control", ""
    ):
        return
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    cache.set(key, (response.content, headers), timeout=settings.API_RESPONSE_CACHE_SECONDS)
