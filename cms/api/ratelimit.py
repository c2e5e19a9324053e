"""An optional fixed-window rate limit per API token or client IP (off by default).

A public API shared by many partner sites needs a brake against a runaway
script more than precise fairness, so: one counter per client and window in
Django's cache (shared by all workers with Redis), reset when the window
ends. ``API_RATE_LIMIT`` requests per ``API_RATE_LIMIT_WINDOW`` seconds;
0 switches it off. Behind a proxy, Django's ``REMOTE_ADDR`` must be the
client's (set by the proxy middleware of the deployment), or everyone
shares the proxy's counter.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from cms.api.errors import error_response


def client_identity(request: HttpRequest) -> str:
    """The token (hashed: the key must not hold it) if one is presented, else the IP."""
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]
    return "ip:" + request.META.get("REMOTE_ADDR", "")


def check(request: HttpRequest) -> HttpResponse | None:
    """None if the request may go on, else the 429 to answer."""
    limit, window = settings.API_RATE_LIMIT, settings.API_RATE_LIMIT_WINDOW
    if limit <= 0:
        return None
    now = int(time.time())
    current = now // window
    key = f"api:rate:{client_identity(request)}:{current}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this one only
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return None
    retry_after = (current + 1) * window - now
    response = error_response(
        status=429,
        error=f"rate limit of {limit} requests per {window} s exceeded; retry in {retry_after} s",
    )
    response["Retry-After"] = str(retry_after)
    return response
