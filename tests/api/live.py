"""A real HTTP server for the API, in a thread, inside the test's own transaction.

The consumer's day and the guide's curl examples talk HTTP to a listening
socket, as a partner's sync client does. The server answers from a thread of
this process through the test's database connection (shared on purpose,
one request at a time), so it sees the session's demo content and the test's
changes, and everything is rolled back afterwards like any other test: no
scratch database to build (migrating and loading the demo takes ~40 s) and
no flush that would empty the session's content (what pytest-django's
``live_server`` does).

Django's own server classes (``runserver``'s) answer; it is not threaded, so
each request runs in the serving thread, on the shared connection, and closes
its connection (no keep-alive). Django closes "old" connections at the start
and end of every request, which inside a test's transaction would close the
test's; while the server runs those receivers are disconnected, as the test
client does.
"""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test.testcases import QuietWSGIRequestHandler


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)

    def __getitem__(self, name: str) -> str | None:
        return self.headers.get(name)


class LiveServer:
    """``with LiveServer() as server: server.get("/api/v3/news/", host="cz.localhost")``."""

    def __init__(self, alias: str = "default"):
        self.connection = connections[alias]
        self.alias = alias
        self.httpd = WSGIServer(("127.0.0.1", 0), QuietWSGIRequestHandler)
        self.httpd.set_app(WSGIHandler())
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self) -> None:
        # This thread's connection is the test's (connections are per thread).
        connections[self.alias] = self.connection
        self.httpd.serve_forever(poll_interval=0.05)

    def __enter__(self) -> LiveServer:
        self.connection.ensure_connection()
        self.connection.inc_thread_sharing()
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        self.connection.dec_thread_sharing()

    def get(self, path: str, *, host: str = "cz.localhost", **headers: str) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", path, headers={"Host": host, **headers})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
