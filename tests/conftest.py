"""Shared fixtures: the whole network (sites + demo content) is built once per session.

Every test then runs inside a transaction that is rolled back, so tests can
change content freely without seeing each other's changes.
"""

import io
import logging
import signal

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import translation
from django_tasks_db.management.commands import db_worker
from wagtail.models import Site

from cms.core.models import Country
from cms.projections import generation
from cms.search.backends import engine_outage
from cms.settings.search import search_backends_from_url
from cms.settings.tasks import tasks_from_name
from tests.ports import SilentServer, unused_port


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo_content", stdout=io.StringIO())


@pytest.fixture
def country(db):
    """Look up a synced country by code: ``country("CZ")``."""
    return lambda code: Country.objects.get(code=code)


@pytest.fixture
def dead_engine(db):
    """The settings of ``SEARCH_URL=opensearch2://127.0.0.1:<a port nothing listens on>``:
    a real refused connection, as when the node is stopped."""
    backends = search_backends_from_url(f"opensearch2://127.0.0.1:{unused_port()}")
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        yield backends["default"]["URLS"][0]


@pytest.fixture
def hung_engine(monkeypatch):
    """``SEARCH_URL`` names an engine that takes connections and never answers, with the
    production pause after a failure, from no failure noted (an earlier test's would count)."""
    server = SilentServer()
    monkeypatch.setenv("SEARCH_TIMEOUT", "0.2")
    backends = search_backends_from_url(f"opensearch2://127.0.0.1:{server.port}")
    engine_outage.end()
    with override_settings(WAGTAILSEARCH_BACKENDS=backends, SEARCH_ENGINE_RETRY_SECONDS=60):
        yield server
    engine_outage.end()
    server.close()


@pytest.fixture
def site_client(client, db):
    """A test client that talks to a country's site: ``site_client("CZ").get("/cs/")``."""

    def for_country(code: str):
        site = Site.objects.get(country__code=code)
        client.defaults["HTTP_HOST"] = site.hostname
        return client

    return for_country


class NulQueries(list):
    """``connection.execute_wrapper`` noting (the start of) each query given a NUL byte in a
    parameter: PostgreSQL refuses one with an error (a 500), where SQLite finds nothing."""

    def __call__(self, execute, sql, params, many, context):
        rows = params if many else [params]
        for row in rows or ():
            values = row.values() if isinstance(row, dict) else (row or ())
            if any(isinstance(value, str) and "\x00" in value for value in values):
                self.append(sql[:120])
        return execute(sql, params, many, context)


@pytest.fixture
def nul_queries(db):
    """The queries of this test given a NUL byte (a visitor's input must never be one)."""
    queries = NulQueries()
    with connection.execute_wrapper(queries):
        yield queries


@pytest.fixture(autouse=True)
def no_language_left_active():
    """A request through the test client leaves its language active in this thread;
    reset it, so that no test depends on which test ran before it."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def no_site_root_paths_left_cached():
    """Wagtail caches the sites' root paths in Django's cache and forgets them when a site is
    saved; a test's changes to a site are rolled back, the cached paths are not. Anything a
    test renders after changing a site (a projection, a visitor page) would leave the next
    tests its ports and hostnames, so each test starts from the database."""
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture(autouse=True)
def no_sites_left_cached():
    """The API keeps the sites per generation (``cms.projections.generation.current_sites``);
    a rolled-back test's generation number comes back in the next test with other sites."""
    yield
    generation.SITES.clear()


@pytest.fixture(autouse=True)
def no_renditions_left_cached():
    """Wagtail caches renditions by image id; a rolled-back test's image id is the next
    test's, so a rendition cached by one test would be served to the next as its own."""
    yield
    caches["renditions" if "renditions" in settings.CACHES else "default"].clear()


@pytest.fixture
def database_tasks(db, monkeypatch):
    """The production task backend (django-tasks-db) for one test; returns ``run_worker()``,
    which runs ``manage.py db_worker --batch`` (every ready task, then exit).

    ``override_settings(TASKS=…)`` makes django-tasks drop its cached backends (its
    ``setting_changed`` receiver), so tasks enqueued inside the test reach the database
    backend and tasks enqueued after it the immediate one again. The worker installs
    its own signal handlers and logger levels; they are put back afterwards. Here the
    worker shares the test's connection and open transaction (rolled back at the end),
    so it must not close "old" connections between tasks as the real process does.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    handled = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {signum: signal.getsignal(signum) for signum in handled}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]

    def run_worker() -> str:
        out = io.StringIO()
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, stdout=out
        )
        return out.getvalue()

    with override_settings(TASKS=tasks_from_name("database")):
        yield run_worker
    for signum, handler in handlers.items():
        signal.signal(signum, handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def api(client, db):
    """``api("news/?lang=en", host="cz.localhost", HTTP_ACCEPT_LANGUAGE=...)`` -> response."""

    def get(path: str, *, host: str = "cz.localhost", **headers):
        return client.get(f"/api/v3/{path}", HTTP_HOST=host, **headers)

    return get


@pytest.fixture
def response_cache():
    """The API's server-side response cache on (tests run with it off), empty before and after."""
    with override_settings(API_RESPONSE_CACHE_SECONDS=300):
        caches["default"].clear()
        yield
        caches["default"].clear()
