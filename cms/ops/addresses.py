"""Who sent a request: its client's address, seen through the trusted proxies only.

The API's rate limit (``cms.api.ratelimit``) counts by it, and the sign-in throttle
(django-axes, ``AXES_CLIENT_IP_CALLABLE``) locks a user name at it. Behind a load
balancer every request comes from the balancer, so the client is read from
``X-Forwarded-For``, but only as far as ``TRUSTED_PROXIES`` vouch for each hop, right
to left, as nginx's ``real_ip_recursive`` does: anyone can send the header, and a
throttle that believed it could be dodged by sending a new address each time.
Written here (a dozen lines on the standard library) because django-ipware trusts the
header's chain without checking who connected.
"""

from __future__ import annotations

import ipaddress
from functools import cache as memoize

from django.conf import settings
from django.http import HttpRequest


@memoize
def trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request, seen through the trusted proxies only."""
    address = request.META.get("REMOTE_ADDR", "")
    if not is_trusted(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        address = hop
        if not is_trusted(hop):
            break
    return address
