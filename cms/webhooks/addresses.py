"""Where webhooks may connect: public addresses only, unless the deployment says otherwise.

A webhook's URL is typed by an administrator, and the server POSTs to it: without a
limit, a URL such as ``http://169.254.169.254/…`` (cloud metadata) or
``http://127.0.0.1:6379/`` would make the server send requests inside its own network
(server-side request forgery). Only superusers and network administrators manage
webhooks, so this is defence in depth, applied twice: when a webhook is saved (an IP
literal, or ``localhost``, in the URL: ``Webhook.clean``) and when a delivery is sent
(every address the name resolves to then: ``cms.webhooks.transport``), since a public
name can point at a private address.

``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` (off by default; on in development and tests, whose
receivers listen on 127.0.0.1) lifts both checks.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def private_allowed() -> bool:
    """True where local receivers are wanted (``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``)."""
    return settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES


def is_public(address: Address) -> bool:
    """False for loopback, private, link-local, multicast, reserved and unspecified addresses.

    An IPv4 address written as IPv6 (``::ffff:127.0.0.1``, or 6to4's ``2002:7f00:1::1``) is
    judged as the IPv4 one (Python 3.11's ``ipaddress`` does not). Shared address space
    (100.64.0.0/10, carrier NAT) and the other ranges that are neither private nor global
    count as not public.
    """
    if isinstance(address, ipaddress.IPv6Address):
        # ``::ffff:127.0.0.1`` and 6to4's ``2002:7f00:1::1`` carry an IPv4 address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def literal_address(host: str | None) -> Address | None:
    """The address a URL's host names without asking DNS: an IP literal, or ``localhost``.

    ``host`` is ``urlsplit(url).hostname`` (lower case, IPv6 without brackets). ``localhost``
    and its subdomains are loopback by definition (RFC 6761), so they are judged as
    127.0.0.1. Any other name: None (it is checked when a delivery resolves it).
    """
    if not host:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return ipaddress.IPv4Address("127.0.0.1")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        # Not an IP literal; nor are ``2130706433``, ``127.1`` or ``0x7f.1``, which
        # Django's URLValidator refuses as URLs (and a delivery's lookup would judge).
        return None
