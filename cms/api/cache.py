"""Server-side cache of Delivery API responses (README, "Response cache").

The key is everything that picks the answer: the full URL (host and query: site and
language) and the servable languages of ``Accept-Language``, in order. It embeds the
generation of what readers see (``cms.projections.generation``), so any change invalidates
every entry at once. A checked API token cannot change a public answer, so its requests
share entries; operations that need a token (previews) are never cached.
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
