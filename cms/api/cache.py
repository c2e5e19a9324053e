"""Server-side cache of Delivery API responses, per URL, language and site.

Reads vastly outnumber edits, and one listing costs a dozen queries; so a
successful GET is kept in Django's cache (``CACHES["default"]``: local memory
by default, Redis with ``CACHE_URL=redis://…``; with several processes only a
shared cache such as Redis sees every invalidation). The key is the full URL
(host, so the site, and query, so ``?site=``/``?lang=``) plus the languages of
``Accept-Language`` that the API can serve, in order: everything language
negotiation reads, so one key always negotiates the same language and site.

Invalidation is wholesale and O(1): every key embeds the generation of what
readers see (``cms.projections.generation``), which every change bumps, so the next
request misses and old entries simply expire. The cache is an optimisation, never a
dependency: when it is down every read is served uncached.

Requests with an ``Authorization`` header are cached like any other once
``cms.api.auth`` has checked the token (it cannot change a public answer);
operations that need a token (previews) are never cached.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from cms.core.languages import accepted_languages
from cms.projections import generation

#: Headers a cached response is served with (the rest are recomputed).
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Cache-Control",
    "ETag",
    "Last-Modified",
)


def key_for(request: HttpRequest) -> str | None:
    """The cache key of this (public) request, or None if it must not be cached."""
    if settings.API_RESPONSE_CACHE_SECONDS <= 0 or request.method != "GET":
        return None
    raw = "\n".join((request.build_absolute_uri(), ",".join(accepted_languages(request))))
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"api:response:{generation.current()}:{digest}"


def load(key: str) -> HttpResponse | None:
    stored = cache.get(key)
    if stored is None:
        return None
    content, headers = stored
    return HttpResponse(content, headers=headers)


def store(key: str, response: HttpResponse) -> None:
    """Keep a finished 200 (with its validators) for the next identical request."""
    cache_control = response.get("Cache-Control", "")
    if response.status_code != 200 or "no-store" in cache_control or "private" in cache_control:
        return
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    cache.set(key, (response.content, headers), timeout=settings.API_RESPONSE_CACHE_SECONDS)
