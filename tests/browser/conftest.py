"""Browser tests: real headless Chromium (Debian's ``chromium``) driven by Playwright.

They need a browser and a live server, and their database is flushed afterwards
(``transaction=True``), so they are skipped unless ``CMS_BROWSER_TESTS=1`` and
run in their own pytest invocation: ``make test-browser`` (``.ci/browser``).
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ENABLED = os.environ.get("CMS_BROWSER_TESTS") == "1"
#: Where screenshots go (git-ignored); CI keeps it as an artefact.
ARTIFACTS = Path(
    os.environ.get("BROWSER_ARTIFACTS", HERE.parent.parent / "test-artifacts" / "browser")
)
#: Screenshots of the visitor sites (``test_visitor_sites.py``), also a CI artefact.
VISITOR_ARTIFACTS = Path(
    os.environ.get("VISITOR_ARTIFACTS", HERE.parent.parent / "test-artifacts" / "visitor")
)
#: axe-core from npm, pinned in .ci/visitor/package-lock.json; ``.ci/browser`` runs ``npm ci``.
AXE_SCRIPT = HERE.parent.parent / ".ci" / "visitor" / "node_modules" / "axe-core" / "axe.min.js"
#: Flags that keep Chromium quiet on a closed network and working as root in a container.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests unless enabled; refuse to mix them with the rest of the suite.

    Their ``transaction=True`` flushes the database the session-wide demo content lives in,
    so any test running after them in the same session would see an empty network.
    """
    browser = [item for item in items if HERE in Path(str(item.path)).resolve().parents]
    if not browser:
        return
    if not ENABLED:
        skip = pytest.mark.skip(
            reason="browser test: run `make test-browser` (CMS_BROWSER_TESTS=1)"
        )
        for item in browser:
            item.add_marker(skip)
    elif len(browser) != len(items):
        raise pytest.UsageError("Run the browser tests on their own: pytest tests/browser")
    else:
        # The transactional ones (pytest-django's ``live_server``) last: their flush would
        # empty the demo network the others share (``demo_server``), which have no ``django_db``
        # mark and so would otherwise come after them in pytest-django's order.
        items.sort(key=lambda item: "live_server" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """A file for the SQLite test database instead of shared-cache memory.

    The live server answers the browser from several threads at once (the editor's form
    and Wagtail's editing-session pings); in-memory SQLite then fails at once with
    "database table is locked", a file database waits for the lock instead.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("browser-db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(scope="session")
def chromium_path():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("No Chromium: install Debian's `chromium` (.ci/browser does) or set CHROMIUM")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Headless Chromium; Playwright gives it a fresh temporary profile (user-data dir)."""
    from playwright import sync_api  # a dev extra: fail, not skip, when it is missing

    # Playwright's sync API keeps an asyncio loop in the test's thread, so Django would refuse
    # the test's own ORM calls as "async unsafe"; they are not run by that loop.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS, timeout=60_000
            )
            yield browser
            browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page()``: a page in a context of its own (own cookies: one per person)."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_script():
    """The path of axe.min.js, for ``page.add_script_tag(path=...)``; fails when not installed."""
    if not AXE_SCRIPT.is_file():
        pytest.fail(
            f"No axe-core at {AXE_SCRIPT}: run `npm ci --prefix .ci/visitor` (.ci/browser does)"
        )
    return AXE_SCRIPT


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker):
    """A live server over the demo network, shared by a module of tests that only read.

    pytest-django's ``live_server`` makes each test transactional, flushing the database
    after it; visitors change nothing, so one server and one demo network serve the whole
    module instead of loading the network again for each test. The demo is loaded here when
    a transactional test before this module (the editorial flow) flushed it. Django's live
    server thread serves ``/static/`` (the finders) and ``/media/`` itself.
    """
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    from cms.core.models import Country

    with django_db_blocker.unblock():
        if not Country.objects.exists():
            call_command("load_demo_content", stdout=io.StringIO())
        server = LiveServer("127.0.0.1")
        try:
            yield server
        finally:
            server.stop()
