"""A real webhook endpoint on 127.0.0.1 and the helpers the webhook tests share."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cms.webhooks.delivery import SIGNATURE_HEADER, TIMESTAMP_HEADER
from cms.webhooks.models import Webhook
from tests.ports import unused_port

#: How django-tasks-db names the delivery task in its rows.
TASK_PATH = "cms.webhooks.delivery.deliver_webhooks_task"


class Receiver:
    """A tiny webhook endpoint: records every POST (and GET), answers ``status``.

    ``script`` lists the answers to the next requests (``[500]``: the next one
    fails, then ``status`` again); ``headers`` are sent with every answer (a
    ``Location`` with a 302).
    """

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 200
        self.script: list[int] = []
        self.headers: dict[str, str] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.script.pop(0) if receiver.script else receiver.status
                self.send_response(status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.end_headers()

            # A followed redirect may arrive as a GET (urllib turns a POST into one).
            do_GET = do_POST  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Dribbler:
    """An endpoint that answers ``200 OK`` and then one header line every ``every`` seconds,
    ``lines`` of them: each read is quick, the answer takes ``lines * every`` seconds.
    ``sent``: the lines it got out before the sender hung up (or all of them). ``tls``: the
    server's TLS context (``https://localhost``), else plain HTTP."""

    def __init__(self, *, lines: int = 100, every: float = 0.1, tls: ssl.SSLContext | None = None):
        self.lines, self.every, self.sent, self.tls = lines, every, None, tls
        self.listener = socket.create_server(("127.0.0.1", 0))
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://localhost:{self.listener.getsockname()[1]}/hook"
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        connection, _ = self.listener.accept()
        if self.tls is not None:
            connection = self.tls.wrap_socket(connection, server_side=True)
        with connection:
            connection.recv(65536)
            sent = 0
            try:
                connection.sendall(b"HTTP/1.1 200 OK\r\n")
                for sent in range(1, self.lines + 1):  # noqa: B007 - kept as the count
                    time.sleep(self.every)
                    connection.sendall(b"X-Still-Thinking: yes\r\n")
                connection.sendall(b"Content-Length: 0\r\n\r\n")
            except OSError:  # the sender hung up
                sent -= 1
            self.sent = sent

    def close(self) -> None:
        self.listener.close()


def closed_port_url() -> str:
    """A URL nobody listens on (connection refused)."""
    return f"http://127.0.0.1:{unused_port()}/hook"


def hook(country, url, **fields) -> Webhook:
    return Webhook.objects.create(country=country, name="front end", url=url, **fields)


def edit(page, title: str):
    """An editor changes the English title and publishes: one change of what the page shows."""
    page.title_en = title
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def events(receiver: Receiver) -> list[dict]:
    return [json.loads(body) for _headers, body in receiver.requests]


def verify(headers: dict, body: bytes, secret: str) -> bool:
    """What a receiver does: recompute the signature over timestamp + body."""
    timestamp = headers[TIMESTAMP_HEADER]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(headers[SIGNATURE_HEADER], f"sha256={expected.hexdigest()}")


def self_signed_tls(directory) -> tuple[ssl.SSLContext, str]:
    """A server TLS context for ``localhost`` with a certificate made here by ``openssl``,
    and the certificate's file: what a client must trust (``SSL_CERT_FILE``)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context, str(cert)
