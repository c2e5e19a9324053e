"""One webhook POST: to a checked public address, never following a redirect.

The host is resolved once, every address it resolves to is checked
(``cms.webhooks.addresses``: a public name can point at 127.0.0.1), and the connection
goes to those very addresses: a second lookup at connect time could answer differently
(DNS rebinding). The request still names the host (``Host``, TLS server name and
certificate check), so for the endpoint nothing changes. A redirect is not followed:
it could lead anywhere, and the endpoint should be registered at its final URL.

Standard library only (``http.client``): the connection classes below differ from
``http.client``'s only in :meth:`connect`, the documented step that opens the socket.
Proxy variables (``HTTPS_PROXY``…) are not used: a proxy would resolve the name itself.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
from urllib.parse import urlsplit

from cms.webhooks.addresses import Address, is_public, private_allowed


class Refused(Exception):
    """The URL leads to an address webhooks may not connect to."""


class Redirected(Refused):
    """The endpoint answered 3xx: not followed."""

    def __init__(self, status: int, location: str):
        super().__init__(
            f"HTTP {status}: redirected to {location}; webhooks do not follow redirects"
        )
        self.status = status


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> tuple[int, str]:
    """POST ``body`` to ``url``; the response's status and reason (2xx or not, but not 3xx),
    whose head must have come within ``timeout`` seconds (``TimeoutError`` otherwise).

    Raises :class:`Refused` for an address that is not public (unless
    ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``), :class:`Redirected` for a 3xx; ``OSError`` and
    ``http.client.HTTPException`` for DNS, connection, TLS and protocol failures, and
    ``TimeoutError`` for an answer still incomplete at the deadline.
    """
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host, port = parts.hostname or "", parts.port or (443 if https else 80)
    addresses = resolve(host, port)
    if not private_allowed():
        refused = [str(address) for address in addresses if not is_public(address)]
        if refused:
            raise Refused(
                f"{host} resolves to {', '.join(refused)}, not a public address "
                "(webhooks connect to public addresses only: WEBHOOK_ALLOW_PRIVATE_ADDRESSES)"
            )
    connection_class = PinnedHTTPSConnection if https else PinnedHTTPConnection
    connection = connection_class(host, port, addresses=addresses, timeout=timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    cutoff = threading.Timer(timeout, connection.cut)
    cutoff.start()
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
    except (OSError, http.client.HTTPException) as error:
        if connection.was_cut:
            raise TimeoutError(f"no complete answer within {timeout:g} s") from error
        raise
    finally:
        cutoff.cancel()
        connection.close()
    if connection.was_cut:  # the cut ended the head early: ``http.client`` took it as whole
        raise TimeoutError(f"no complete answer within {timeout:g} s")
    if 300 <= response.status < 400:
        raise Redirected(response.status, (response.getheader("Location") or "?")[:300])
    return response.status, response.reason


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to, in the resolver's order (an IP literal: itself)."""
    if not host:
        raise Refused("the URL has no host")
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[Address] = []
    for *_, sockaddr in found:
        # An IPv6 sockaddr may carry a zone (``fe80::1%eth0``): the address is before it.
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def open_socket(addresses: list[Address], port: int, timeout: float) -> socket.socket:
    """A connection to the first of ``addresses`` that answers (as ``create_connection`` tries
    each address of a name in turn)."""
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), timeout=timeout)
        except OSError as exc:
            error = exc
    raise error or OSError("no address to connect to")


class CutOff:
    """A connection that can be cut from another thread (``post``'s deadline).

    The socket's timeout bounds each read, not the answer: an endpoint sending one header
    line every two seconds held a send for 80 s with ``WEBHOOK_TIMEOUT`` at 3 (the worker
    tied up, the claim's lease run out and the delivery sent twice). Shutting the socket
    down wakes the read blocked on it. Under TLS it is the TLS socket, shut as a plain
    socket (``socket.socket.shutdown``): wrapping detaches the plain one (shutting that
    failed, and the send ran on), and the TLS socket's own shutdown would pull its TLS
    state from under the reading thread.
    """

    socket_to_cut: socket.socket | None = None
    was_cut = False

    def cut(self) -> None:
        self.was_cut = True
        if self.socket_to_cut is not None:
            try:
                socket.socket.shutdown(self.socket_to_cut, socket.SHUT_RDWR)
            except OSError:  # already closed
                pass

    def opened(self, sock: socket.socket) -> socket.socket:
        """``sock``, to be cut at the deadline (at once if it passed while connecting)."""
        self.socket_to_cut = sock
        if self.was_cut:
            self.cut()
        return sock


class PinnedHTTPConnection(CutOff, http.client.HTTPConnection):
    """``http.client``'s connection to ``host``, opened to the addresses checked for it."""

    def __init__(self, host: str, port: int, *, addresses: list[Address], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self):
        self.sock = self.opened(open_socket(self.addresses, self.port, self.timeout))


class PinnedHTTPSConnection(CutOff, http.client.HTTPSConnection):
    """As :class:`PinnedHTTPConnection`, with TLS for ``host``: its name is sent (SNI) and
    its certificate verified against it, as for any HTTPS request."""

    def __init__(self, host: str, port: int, *, addresses: list[Address], timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.addresses = addresses

    def connect(self):
        sock = open_socket(self.addresses, self.port, self.timeout)
        self.sock = self.opened(
            self.tls.wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
        )
        self.sock.do_handshake()  # after ``opened``: a hung handshake is cut too
