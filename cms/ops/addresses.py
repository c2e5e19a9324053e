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
    """The address of whoever sent the request, seen through the trusted proxies only.

    A hop that is no address (``unknown``, junk) ends the walk at the last trusted proxy,
    whose address then stands for the client: a header that could name a new "client"
    per request would give each its own counter."""
    address = request.META.get("REMOTE_ADDR", "")
    if not is_trusted(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        ip = ip_of(hop)
        if ip is None:
            break
        address = ip
        if not is_trusted(ip):
            break
    return address


def ip_of(hop: str) -> str | None:
    """The IP address a forwarded hop names, without the port some proxies add
    (``203.0.113.9:4000``, ``[2001:db8::1]:4000``); None if it names none."""
    if hop.startswith("["):
        hop = hop[1:].partition("]")[0]
    elif hop.count(":") == 1:  # IPv4 with a port (an IPv6 address has several colons)
        hop = hop.partition(":")[0]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return None
