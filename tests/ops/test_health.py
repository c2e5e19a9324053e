"""``/health/`` and ``/ready/``: what a load balancer sees when a service is down."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, Revision

from cms.clusters.models import ClusterProfile
from cms.ops.health import (
    PendingWorkCheck,
    ScheduledPublishingCheck,
    TaskBacklogCheck,
    is_essential,
)
from cms.ops.logs import OncePerIntervalEachMessage
from cms.projections.models import StaleProjection
from cms.search.backends import engine_outage
from cms.search.models import PendingEngineObject
from cms.settings.search import search_backends_from_url
from cms.settings.tasks import tasks_from_name
from cms.webhooks.delivery import deliver_webhooks_task
from cms.webhooks.models import Webhook, WebhookDelivery
from tests.factories import news_page

#: A Redis URL where nothing listens: connections are refused at once, for real.
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}
#: A search engine where nothing listens (the database backend stays beside it).
DEAD_ENGINE = search_backends_from_url("opensearch2://127.0.0.1:1")


def ready(client):
    """``GET /ready/`` as a probe sends it: to the server's IP, which is no allowed host."""
    with override_settings(ALLOWED_HOSTS=["example.org"]):
        response = client.get("/ready/", HTTP_ACCEPT="application/json", HTTP_HOST="10.1.2.3")
    return response, response.json()


def statuses(body) -> dict[str, str]:
    return {name.split("(")[0]: check["status"] for name, check in body["checks"].items()}


def test_liveness_answers_without_host_check_or_database(client):
    """No ``db`` fixture: any database access would fail the test; the host is not allowed."""
    with override_settings(ALLOWED_HOSTS=["example.org"]):
        response = client.get("/health/", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["X-Request-ID"]


def test_ready_when_everything_answers(client, db):
    response, body = ready(client)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert statuses(body) == {
        "Database": "ok",
        "Storage": "ok",
        "CacheCheck": "ok",
        "SearchEngineCheck": "ok",
        "TaskBacklogCheck": "ok",
        "PendingWorkCheck": "ok",
        "ScheduledPublishingCheck": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


@override_settings(CACHES=DEAD_REDIS)
def test_a_dead_cache_is_degraded_not_down(client, db):
    response, body = ready(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert statuses(body)["CacheCheck"] == "degraded"
    assert statuses(body)["Database"] == "ok"


@override_settings(WAGTAILSEARCH_BACKENDS=DEAD_ENGINE)
def test_a_dead_search_engine_is_degraded_not_down(client, db):
    response, body = ready(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    error = body["checks"]["SearchEngineCheck(alias='default')"]["error"]
    assert "unreachable" in error


def test_a_hung_search_engine_is_asked_once_per_pause(client, db, hung_engine):
    """Every probe waited ``SEARCH_TIMEOUT`` for a hung engine, and probes come every two
    seconds. Now the first one's timeout pauses the engine (for visitor search too), and
    the probes after it report it degraded without asking it again."""
    for _ in range(3):
        response, body = ready(client)
        assert response.status_code == 200
        assert statuses(body)["SearchEngineCheck"] == "degraded"
        assert engine_outage.ongoing()
    assert len(hung_engine.connections) == 1


@override_settings(CACHES=DEAD_REDIS, WAGTAILSEARCH_BACKENDS=DEAD_ENGINE)
def test_a_failing_check_is_logged_once_a_minute_not_per_probe(client, db, caplog):
    """Each probe logged each failing check with its traceback (KBs every two seconds).
    Now each check has its line a minute, the cache's failure not hiding the engine's."""
    logger = logging.getLogger("health_check")
    throttles = [f for f in logger.filters if isinstance(f, OncePerIntervalEachMessage)]
    assert throttles, "settings.LOGGING puts OncePerIntervalEachMessage on health_check"
    for throttle in throttles:  # as if no earlier test had failed a check this minute
        throttle.throttles.clear()
    for _ in range(3):
        ready(client)
    failed = [r.getMessage() for r in caplog.records if r.name == "health_check"]
    assert sorted(failed) == [
        "Health check CacheCheck(alias='default') failed",
        "Health check SearchEngineCheck(alias='default') failed",
    ]


@pytest.mark.parametrize("engine", ["opensearch2", "elasticsearch9"])
def test_a_probe_gives_up_on_a_hung_engine_before_search_timeout(
    client, db, hung_engine, monkeypatch, engine
):
    """Searches may wait ``SEARCH_TIMEOUT`` for the engine, a probe ``PROBE_TIMEOUT_SECONDS``
    (each process has its pause, and the balancer's probes spread over the workers). With
    SEARCH_TIMEOUT at 8 s the check's own client gave up first: not django-health-check's
    budget of 5 s, which used to end the probe ("Timed out after 5 seconds")."""
    monkeypatch.setenv("SEARCH_TIMEOUT", "8")
    backends = search_backends_from_url(f"{engine}://127.0.0.1:{hung_engine.port}")
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        _, body = ready(client)
    error = body["checks"]["SearchEngineCheck(alias='default')"]["error"]
    assert error.endswith("search engine unreachable (ConnectionTimeout)")


def test_a_broken_media_storage_makes_the_server_unready(client, db, tmp_path):
    """Storage is essential: media that cannot be written answers 503."""
    not_a_directory = tmp_path / "media"
    not_a_directory.write_text("a file where the media directory should be")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(not_a_directory)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        response, body = ready(client)
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert statuses(body)["Storage"] == "down"
    assert statuses(body)["Database"] == "ok"


def test_the_html_page_follows_the_same_status(client, db):
    with override_settings(CACHES=DEAD_REDIS):
        response = client.get("/ready/", HTTP_ACCEPT="text/html", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert b"Connection Error" in response.content


def test_task_backlog_counts_only_tasks_waiting_too_long(db):
    check = TaskBacklogCheck(max_wait=datetime.timedelta(minutes=10))
    with override_settings(TASKS=tasks_from_name("database")):
        result = deliver_webhooks_task.enqueue([])
        check.run()  # enqueued just now: not late
        DBTaskResult.objects.filter(id=result.id).update(
            enqueued_at=timezone.now() - datetime.timedelta(minutes=11)
        )
        with pytest.raises(Exception, match="1 task"):
            check.run()
    # Without the database backend there is no backlog to watch.
    check.run()


def test_scheduled_publishing_is_late_only_past_the_wait(db, country):
    """A page approved to go live, or past its expiry, for over ten minutes: the cron job
    running ``publish_scheduled`` is missing. The site is degraded, not down."""
    page = news_page(country("CZ"), title={"en": "Scheduled"})
    check = ScheduledPublishingCheck(max_wait=datetime.timedelta(minutes=10))
    page.go_live_at = timezone.now() + datetime.timedelta(minutes=1)
    revision = page.save_revision()
    revision.publish()  # approved to go live in a minute
    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    check.run()  # neither is late yet

    Revision.objects.filter(pk=revision.pk).update(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    Page.objects.filter(pk=page.pk).update(
        live=True, expire_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    with pytest.raises(Exception, match="2 scheduled publication"):
        check.run()
    assert not is_essential(check)  # /ready/ says "degraded", and stays 200


def test_marks_left_by_a_killed_worker_are_reported(db):
    """A worker killed in its task leaves the task "running" and the marks in place: no task
    waits, but the items do, until the cron jobs come. Degraded, not down."""
    check = PendingWorkCheck(max_wait=datetime.timedelta(minutes=10))
    mark = StaleProjection.objects.create(object_type="news.NewsPage", object_id=1)
    check.run()  # marked just now: not late
    StaleProjection.objects.filter(pk=mark.pk).update(
        marked_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    with pytest.raises(Exception, match="1 item"):
        check.run()


def engine_misses(*, backing_off: int) -> None:
    """Two clusters the engine missed 11 minutes ago; the first ``backing_off`` of them
    tried since and put off (as the worker does with the first it tries in an outage)."""
    long_ago = timezone.now() - datetime.timedelta(minutes=11)
    for number, cluster in enumerate(ClusterProfile.objects.all()[:2]):
        tried = number < backing_off
        PendingEngineObject.objects.create(
            content_type=ContentType.objects.get_for_model(cluster),
            object_id=str(cluster.pk),
            missed_at=long_ago,
            attempts=1 if tried else 0,
            next_attempt_at=timezone.now() + datetime.timedelta(minutes=5) if tried else long_ago,
        )


def test_engine_updates_no_process_sends_are_reported(dead_engine):
    """``search_index_worker`` is a process of its own: without it, updates the engine
    missed stay due for ever."""
    engine_misses(backing_off=0)
    with pytest.raises(Exception, match="2 search engine update.*search_index_worker"):
        PendingWorkCheck(max_wait=datetime.timedelta(minutes=10)).run()


def test_engine_updates_waiting_out_an_outage_are_not_late(dead_engine):
    """The worker puts off the first it tries while the engine is down; the rest keep
    their old times behind it: the worker is there."""
    engine_misses(backing_off=1)
    PendingWorkCheck(max_wait=datetime.timedelta(minutes=10)).run()


def test_engine_updates_left_from_a_removed_engine_are_not_late(db):
    """Database search only (the test settings): nothing would send them."""
    engine_misses(backing_off=0)
    PendingWorkCheck(max_wait=datetime.timedelta(minutes=10)).run()


def test_webhook_deliveries_no_one_sends_are_reported(db, country):
    """Only the first delivery about an item counts: the next waits for it, not for a
    process."""
    check = PendingWorkCheck(max_wait=datetime.timedelta(minutes=10))
    webhook = Webhook.objects.create(
        country=country("AT"), url="https://receiver.example.org/hook", secret="s" * 32
    )
    long_ago = timezone.now() - datetime.timedelta(minutes=11)
    for sequence in (1, 2):
        WebhookDelivery.objects.create(
            webhook=webhook,
            event="published",
            payload={},
            object_type="news.NewsPage",
            object_id=1,
            sequence=sequence,
            next_attempt_at=long_ago,
        )
    with pytest.raises(Exception, match="1 webhook delivery.*deliver_webhooks"):
        check.run()
    WebhookDelivery.objects.update(status=WebhookDelivery.Status.DELIVERED)
    check.run()
