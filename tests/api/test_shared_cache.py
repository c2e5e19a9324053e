"""With ``CACHE_URL=redis://…`` every process shares the response cache and rate limits.

Several gunicorn workers each keep their own local-memory cache, so a publish
seen by one worker would leave the others serving the old listing. These
tests run another Python process next to the test's own and check that what
one process does, the other sees. They need a real Redis server (``.ci/run``
starts Debian's ``redis-server``) and are skipped without one.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.test import override_settings

from cms.projections.models import ContentGeneration

pytestmark = pytest.mark.skipif(
    not os.environ.get("CACHE_URL", "").startswith(("redis://", "rediss://", "unix://")),
    reason="needs CACHE_URL=redis://… (a real Redis server; .ci/run starts one)",
)


def in_another_process(code: str) -> str:
    """Run ``code`` in a fresh Django process with the same settings; its stdout."""
    script = f"import django; django.setup()\n{code}"
    result = subprocess.run(  # noqa: S603 (our own code, run with this Python)
        [sys.executable, "-c", script],
        # The cache settings of this process; no database (the test's own is not
        # committed, and outside the test run the configured one may not exist).
        env={
            **os.environ,
            "API_RESPONSE_CACHE_SECONDS": "300",
            "DATABASE_URL": "sqlite://:memory:",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_backend_is_redis():
    assert settings.CACHES["default"]["BACKEND"] == "cms.ops.cache.ResilientRedisCache"


@override_settings(API_RESPONSE_CACHE_SECONDS=300)
def test_an_invalidation_in_another_process_empties_this_ones_cache(api):
    ContentGeneration.objects.get_or_create(pk=1)
    assert api("news/")["X-Cache"] == "MISS"
    assert api("news/")["X-Cache"] == "HIT"
    # Another process publishes: its bump reaches the database (here, this test's
    # transaction stands in for it) and its forgetting of the cached copy, Redis.
    ContentGeneration.objects.filter(pk=1).update(value=F("value") + 1)
    assert api("news/")["X-Cache"] == "HIT"  # this process still reads the copy…
    in_another_process("from cms.projections import generation\ngeneration.forget_copy()")
    assert api("news/")["X-Cache"] == "MISS"  # …until the other process drops it


@override_settings(API_RESPONSE_CACHE_SECONDS=300)
def test_a_response_cached_by_one_process_is_served_by_another(api):
    first = api("news/")
    assert first["X-Cache"] == "MISS"
    # The other process finds this process's entry under the same key.
    found = in_another_process(
        "from django.test import RequestFactory\n"
        "from cms.api import cache\n"
        "request = RequestFactory().get('/api/v3/news/', HTTP_HOST='cz.localhost')\n"
        "print(cache.load(cache.key_for(request)) is not None)"
    )
    assert found == "True"


@override_settings(API_RATE_LIMIT=3, API_RATE_LIMIT_WINDOW=60)
def test_requests_in_other_processes_count_against_the_same_limit(api, clock):
    """The other process stops its clock at the same moment (``clock``): a window ending
    between the two processes' requests would reset the counter they share."""
    code = (
        "from types import SimpleNamespace\n"
        "import django_ratelimit.core\n"
        "from django.test import RequestFactory, override_settings\n"
        "from cms.api import ratelimit\n"
        f"django_ratelimit.core.time = SimpleNamespace(time=lambda: {clock.now})\n"
        "with override_settings(API_RATE_LIMIT=3, API_RATE_LIMIT_WINDOW=60):\n"
        "    request = RequestFactory().get('/api/v3/sectors/', REMOTE_ADDR='127.0.0.1')\n"
        "    print([ratelimit.check(request) is None for _ in range(2)])"
    )
    assert in_another_process(code) == "[True, True]"
    assert api("sectors/").status_code == 200  # the third in this window
    assert api("sectors/").status_code == 429


def test_an_invalidation_reaches_redis_during_this_process_pause():
    """The pause is one process's (a blip here): a deletion it skipped left every other
    process reading the stale entry until it expired."""
    cache.set("shared-cache-probe", "stale")
    cache.pause.note()
    try:
        assert cache.get("shared-cache-probe") is None  # reads are paused: a miss
        cache.delete("shared-cache-probe")
    finally:
        cache.pause.end()
    assert cache.get("shared-cache-probe") is None


def test_a_deletion_skipped_while_invalidations_were_paused_is_made_after():
    """A failed invalidation pauses the invalidations (a hung Redis cost each a timeout);
    what they skipped meanwhile is owed, and made by the first operation Redis answers."""
    read_elsewhere = "from django.core.cache import cache\nprint(cache.get('owed-probe'))"
    cache.set("owed-probe", "stale")
    cache.invalidations_pause.note()
    try:
        cache.delete("owed-probe")  # skipped, owed
        assert in_another_process(read_elsewhere) == "stale"
    finally:
        cache.invalidations_pause.end()
    cache.get("any-key")  # Redis answers: the owed deletion is made
    assert in_another_process(read_elsewhere) == "None"
