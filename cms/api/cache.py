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
it, so the next request misses and old entries simply expire.

The cache is an optimisation, never a dependency. The generation lives in the
database (``ResponseCacheGeneration``), bumped in the editor's own transaction,
so a save never waits for or fails on the cache server. The cache keeps a copy
of it for ``API_CACHE_GENERATION_SECONDS``; a bump also forgets that copy (now
and after commit), so everyone sees a change at once while the cache is up.
When the cache is down (``CACHE_URL``'s backend ignores connection errors, see
``cms.settings.base.cache_from_url``) every read is served uncached; a change
made meanwhile is served at most ``API_CACHE_GENERATION_SECONDS`` after the
cache returns, even if it kept its old entries, without restarting anything.
Requests with an ``Authorization`` header are cached like any other once
``cms.api.auth`` has checked the token (it cannot change a public answer);
operations that need a token (previews) are never cached.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils.translation.trans_real import parse_accept_lang_header

from cms.api.models import ResponseCacheGeneration
from cms.core.languages import LANGUAGE_CODES

logger = logging.getLogger(__name__)

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


def stored_generation() -> int:
    """The generation as the database has it (0 before the first change)."""
    value = ResponseCacheGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
    return value or 0


def generation() -> int:
    """The current generation: the cache's short-lived copy, else the database's."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = stored_generation()
        cache.set(GENERATION_KEY, value, timeout=settings.API_CACHE_GENERATION_SECONDS)
    return value


def forget_generation() -> None:
    """Drop the cache's copy of the generation, so the next read asks the database.

    Never raises: a dead cache server has nothing to forget, and its copy
    expires on its own when it returns.
    """
    try:
        cache.delete(GENERATION_KEY)
    except Exception:  # any backend's connection error: the cache is an optimisation
        logger.warning("response cache: could not forget the generation", exc_info=True)


def invalidate() -> None:
    """Forget every cached response: bump the stored generation in this transaction.

    The bump commits or rolls back with the change that caused it. The
    cache's copy is forgotten now, so this process stops serving the old
    content at once, and again after commit, in case another request copied
    the old generation in between.
    """
    row = ResponseCacheGeneration.objects.filter(pk=1)
    if not row.update(value=F("value") + 1):
        # The first change ever (or after a flush); a concurrent first change may race.
        ResponseCacheGeneration.objects.bulk_create(
            [ResponseCacheGeneration(pk=1)], ignore_conflicts=True
        )
        row.update(value=F("value") + 1)
    forget_generation()
    transaction.on_commit(forget_generation, robust=True)


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
    """The cache key of this (public) request, or None if it must not be cached."""
    if not enabled() or request.method != "GET":
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
