"""A caching proxy's purge endpoint for tests: a real local HTTP server recording each PURGE."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import override_settings


class PurgeRecorder(BaseHTTPRequestHandler):
    """Remembers each PURGE (host and path with its query)."""

    received: list[tuple[str, str]] = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.received.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@contextmanager
def recording_purges() -> Iterator[ThreadingHTTPServer]:
    PurgeRecorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def purging_to(location: str, timeout: float = 2):
    return override_settings(
        WAGTAILFRONTENDCACHE={
            "http": {
                "BACKEND": "cms.core.frontend_cache.HTTPPurgeBackend",
                "LOCATION": location,
                "TIMEOUT": timeout,
            }
        }
    )


def purging_to_server(server):
    host, port = server.server_address
    return purging_to(f"http://{host}:{port}")
