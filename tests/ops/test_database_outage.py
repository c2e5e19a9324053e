"""While the database is unreachable, the app answers 503 with ``Retry-After``, never 500.

``make chaos`` restarts PostgreSQL under load (issue 13): the requests of that second
were answered 500, and HAProxy does not send a request that got an answer again. With
503 (``cms/ops/outage.py``) it sends GET/HEAD to the other app server, and visitors and
API consumers are told to come back, not that something broke.

A real gunicorn with the production settings, its database really unreachable: a port
nothing listens on, and (when the tests run on PostgreSQL, as in CI) the test database
behind a TCP relay that this test cuts and restores, so the app server loses the
persistent connection it held and later gets it back without a restart.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connections

from tests.ports import unused_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-production-secret-key-for-the-outage-tests-" + "x" * 30


class AppServer:
    """gunicorn (one sync worker) with ``cms.settings.production`` on DATABASE_URL."""

    def __init__(self, database_url: str, directory: Path):
        self.port = unused_port()
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY"))}
        for name in ("CACHE_URL", "SEARCH_URL", "TASKS_BACKEND"):
            environ.pop(name, None)
        environ.update(
            DJANGO_SETTINGS_MODULE="cms.settings.production",
            SECRET_KEY=SECRET,
            SECURE_SSL_REDIRECT="false",
            ALLOWED_HOSTS=".localhost,127.0.0.1",
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(directory / "media"),
            STATIC_ROOT=str(directory / "static"),
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY="1",
            LOG_FORMAT="text",
            PYTHONPATH=str(ROOT),
        )
        self.log = directory / "gunicorn.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (the project's gunicorn, our arguments)
                [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "python:cms.gunicorn_conf"]
                + ["cms.wsgi"],
                cwd=ROOT,
                env=environ,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if self.get("/health/", host="127.0.0.1").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def get(self, path: str, *, method: str = "GET", host: str = "cz.localhost", **headers):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, headers={"Host": host, **headers})
            response = connection.getresponse()
            response.body = response.read()
            return response
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Relay:
    """A TCP relay to the database that can be cut (connections reset, port refused) and
    restored on the same port: PostgreSQL going away and coming back, as the app sees it."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = unused_port()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.listener = listener
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            try:
                self.listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.listener.close()
            self.listener = None
        for end in self.sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()
        self.sockets = []


def assert_unavailable(app: AppServer) -> None:
    """Visitor pages (GET and HEAD) and API reads: 503, Retry-After, no-store, and a body
    that says what happened, in the page's language or as problem details."""
    page = app.get("/cs/")
    assert page.status == 503, app.log.read_text()[-3000:]
    assert page.getheader("Retry-After") == "5"
    assert page.getheader("Cache-Control") == "no-store"
    assert page.getheader("Content-Type").startswith("text/html")
    text = page.body.decode()
    assert '<html lang="cs">' in text
    assert "Web je na chvíli nedostupný" in text

    german = app.get("/de/", method="HEAD", host="at.localhost")
    assert german.status == 503
    assert german.getheader("Retry-After") == "5"

    # Reads the API's response cache does not hold (it may answer those without the database).
    for path in ("/api/v3/news/?limit=3", "/api/v3/pages/3/"):
        api = app.get(path, Accept="application/json")
        assert api.status == 503, (path, api.body[:500])
        assert api.getheader("Retry-After") == "5"
        assert api.getheader("Content-Type") == "application/problem+json"
        problem = json.loads(api.body)
        assert problem["status"] == 503
        assert problem["title"] == "Service Unavailable"
        assert "database" in problem["error"]

    # Liveness never asks the database: the server is not restarted for an outage.
    assert app.get("/health/", host="127.0.0.1").status == 200


def test_a_refused_database_port_answers_503_with_retry_after(tmp_path):
    app = AppServer(f"postgres://cms:cms@127.0.0.1:{unused_port()}/cms", tmp_path)
    try:
        assert_unavailable(app)
    finally:
        app.stop()
    log = app.log.read_text()
    # The start went on without the vocabularies (cms.gunicorn_conf.when_ready); each
    # request's outage is logged, with its cause.
    assert "could not build the search vocabularies at start" in log
    assert "Database unreachable on GET" in log and "Traceback" in log


@pytest.mark.django_db  # the test database with the demo content (committed; the app reads it)
def test_postgresql_going_away_answers_503_then_serves_again(tmp_path):
    database = connections["default"].settings_dict
    if connections["default"].vendor != "postgresql":
        pytest.skip("needs the tests on PostgreSQL (DATABASE_URL), as in CI")
    relay = Relay((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    relay.start()
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@127.0.0.1:{relay.port}/"
        f"{database['NAME']}"
    )
    app = AppServer(url, tmp_path)
    try:
        # Built by the master before it forked the worker (cms.gunicorn_conf.when_ready).
        assert "search vocabularies built for en, cs, de, it, pl, sk, sl" in app.log.read_text()
        # Served, with a persistent connection held (production's CONN_MAX_AGE).
        assert app.get("/api/v3/news/?limit=2").status == 200
        relay.cut()
        assert_unavailable(app)
        relay.start()
        # Back without restarting anything.
        served = app.get("/api/v3/news/?limit=2")
        assert served.status == 200, served.body[:500]
        assert json.loads(served.body)["items"]
    finally:
        app.stop()
        relay.cut()
