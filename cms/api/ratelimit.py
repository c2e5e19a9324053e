"""An optional fixed-window rate limit per API token or client address (README, "Rate limit").

A brake against a runaway script rather than precise fairness: django-ratelimit counts per
client and window in Django's cache. The client is a valid API token's id (never the raw
header: any string would be a fresh counter), else its address as ``cms.ops.addresses``
trusts it. With the cache down the limit lets requests through: refusing all of them would
turn an optimisation into an outage.
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
