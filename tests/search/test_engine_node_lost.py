"""A node dying under one search: the search is sent again at once, the engine answers it,
and nothing is paused.

Behind a balancer (``.ci/prod``: HAProxy in front of three nodes), a search in flight on a
node that dies comes back as the balancer's 502 ("invalid or incomplete response"). Counted
as an outage, that one answer paused the engine for ``SEARCH_ENGINE_RETRY_SECONDS``, and
every search of that app worker for the next 10 s came from the database (``make chaos``:
8 of 118 visitor searches with one node killed). The client now sends a request that failed
fast (refused, reset, 502-504) once more (``cms.settings.search``); a timeout is still not
repeated, so a hung engine costs one timeout, as before.

A real node, behind a relay that answers the first search with the balancer's 502.
"""

import http.client
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import override_settings

from cms.search.backends import engine_outage
from cms.search.service import SearchRequest, search
from cms.settings.search import search_backends_from_url
from tests.search.conftest import ENGINE

pytestmark = pytest.mark.skipif(not ENGINE, reason="needs a real engine (SEARCH_URL)")

BALANCER_502 = (
    b"<html><body><h1>502 Bad Gateway</h1>\n"
    b"The server returned an invalid or incomplete response.\n</body></html>\n"
)


class LosingANode(ThreadingHTTPServer):
    """Relays every request to the engine, except the first search: a 502, as a balancer
    answers for the node that died under it. ``searches``: the searches that came."""

    daemon_threads = True

    def __init__(self, engine: tuple[str, int]):
        self.engine = engine
        self.searches: list[int] = []  # the status each got
        super().__init__(("127.0.0.1", 0), Relay)


class Relay(BaseHTTPRequestHandler):
    server: LosingANode

    def relay(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.split("?")[0].endswith("/_search") and not self.server.searches:
            self.server.searches.append(502)
            self.answer(502, {"Content-Type": "text/html"}, BALANCER_502)
            return
        engine = http.client.HTTPConnection(*self.server.engine, timeout=30)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            engine.request(self.command, self.path, body=body or None, headers=headers)
            response = engine.getresponse()
            content = response.read()
        finally:
            engine.close()
        if self.path.split("?")[0].endswith("/_search"):
            self.server.searches.append(response.status)
        self.answer(response.status, {"Content-Type": response.getheader("Content-Type")}, content)

    def answer(self, status: int, headers: dict, content: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if value:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = relay

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def balancer_losing_a_node():
    engine = urlsplit(settings.WAGTAILSEARCH_BACKENDS["default"]["URLS"][0])
    relay = LosingANode((engine.hostname, engine.port))
    Thread(target=relay.serve_forever, daemon=True).start()
    url = urlsplit(settings.SEARCH_URL)._replace(netloc=f"127.0.0.1:{relay.server_port}")
    engine_outage.end()
    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends_from_url(url.geturl())):
        yield relay
    engine_outage.end()
    relay.shutdown()
    relay.server_close()


def test_a_search_the_dying_node_dropped_is_answered_by_the_engine(db, balancer_losing_a_node):
    found = search(SearchRequest(query="cluster", language="en"))
    assert balancer_losing_a_node.searches[:2] == [502, 200]
    assert not found.degraded
    assert found.total > 0
    assert not engine_outage.ongoing()  # the other searches of this process ask the engine
