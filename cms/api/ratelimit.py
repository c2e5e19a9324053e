"""An optional fixed-window rate limit per API token or client address (off by default).

A public API shared by many partner sites needs a brake against a runaway
script more than precise fairness, so: one counter per client and window,
counted by django-ratelimit in Django's cache (shared by all workers with
Redis) and reset when the window ends. Each client's windows are staggered
(their ends are offset by a hash of the client) so that not every counter
resets in the same second (settings and behaviour: README, "Rate limit").

The client is the API token the request presents once ``cms.api.auth`` has
found it valid (its id, never the raw header: any string would otherwise be
a fresh counter), else the client's address (``cms.ops.addresses``: taken from
``X-Forwarded-For`` only as far as ``TRUSTED_PROXIES`` vouch for it).

The limit fails open (``RATELIMIT_FAIL_OPEN``): if the cache is down there is
nothing to count with, and refusing every request would turn an optimisation
into an outage.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage

from cms.api.auth import CHECKED
from cms.api.errors import error_response
from cms.ops.addresses import client_address


def client_identity(request: HttpRequest) -> str:
    """``token:<id>`` for a request with a valid API token, else ``ip:<address>``."""
    api_token = getattr(request, CHECKED, None)
    if api_token is not None:
        return f"token:{api_token.pk}"
    return "ip:" + client_address(request)


def check(request: HttpRequest) -> HttpResponse | None:
    """None if the request may go on, else the 429 to answer."""
    limit, window = settings.API_RATE_LIMIT, settings.API_RATE_LIMIT_WINDOW
    if limit <= 0:
        return None
    usage = get_usage(
        request,
        group="api",
        key=lambda _group, request: client_identity(request),
        rate=(limit, window),
        increment=True,
    )
    if usage is None or not usage["should_limit"]:  # None: the cache is down (fails open)
        return None
    # time_left is until the window's last whole second; the counter resets a second later.
    # It is -1 when the window ended between the library's two readings of the clock:
    # a client told to wait 0 s would retry at once, so the least wait said is 1 s.
    retry_after = max(usage["time_left"] + 1, 1)
    response = error_response(
        status=429,
        error=f"rate limit of {limit} requests per {window} s exceeded; retry in {retry_after} s",
    )
    response["Retry-After"] = str(retry_after)
    return response
