"""Liveness (``/health/``) and readiness (``/ready/``) for load balancers and orchestrators.

- ``/health/``: the process answers. Nothing else is asked (no database), so a
  database outage never gets healthy app servers restarted.
- ``/ready/``: may this app server get traffic? django-health-check's view runs the
  checks below. The database and the media storage are *essential*: without them
  nothing can be served, so a failure answers 503. The cache, the search engine, the
  task backlog and scheduled publishing are *side services*: the site works without
  them (reads go uncached, search answers from the database, tasks wait in their table,
  scheduled pages are late), so their failure only marks the answer ``degraded`` and
  it stays 200. Taking every app server out of the load balancer because Redis or the
  worker is down would turn a slower site into none.

JSON (``Accept: application/json`` or ``?format=json``)::

    {"status": "ok" | "degraded" | "unavailable",
     "checks": {"Database(alias='default')": {"status": "ok"},
                "Cache(alias='default')": {"status": "degraded", "error": "…"}}}
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
from typing import ClassVar

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connections
from django.db.models import Exists
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from health_check import Cache, Database, HealthCheck, Storage
from health_check.exceptions import ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView

#: The longest ``/ready/`` waits for the search engine's cluster health: a healthy engine
#: answers in milliseconds, and each second a probe waits holds an app server's thread.
PROBE_TIMEOUT_SECONDS = 1.0


class ProbeMiddleware:
    """Answers ``/health/`` and ``/ready/`` before the rest of the middleware.

    Probes address an app server by its IP and speak plain HTTP inside the network, so
    they come before the host check (``ALLOWED_HOSTS``) and the HTTPS redirect; and
    before ``SiteLanguageMiddleware``, which looks the site up in the database (a
    liveness probe must not depend on the database, and the readiness probe reports it
    rather than failing on it).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.readiness = async_to_sync(ReadinessView.as_view())

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path_info == "/health/":
            return liveness()
        if request.path_info == "/ready/":
            response = self.readiness(request)
            # The HTML page is a TemplateResponse, which Django renders only for URL views.
            return response.render() if hasattr(response, "render") else response
        return self.get_response(request)


def liveness() -> JsonResponse:
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


class SideService:
    """Mixin for a check of a service the site works without: failing it only degrades."""

    essential: ClassVar[bool] = False


@dataclasses.dataclass
class CacheCheck(SideService, Cache):
    """The shared cache (``CACHE_URL``) can store and return a value."""


@dataclasses.dataclass
class SearchEngineCheck(SideService, HealthCheck):
    """The search engine of ``SEARCH_URL`` answers and its cluster is not red.

    With the database backend alone there is nothing to ask beyond the database check.

    A hung engine answers nothing until ``SEARCH_TIMEOUT`` (5 s): asked by every probe
    (one every 2 s), it kept an app server's thread waiting most of the time. So the
    check follows visitor search's pause (``engine_outage``, ``cms.ops.pause``): while
    the engine is left alone it is reported degraded without being asked, and a failure
    seen here starts that pause, for the probes and the visitors alike. The pause is each
    process's, and a balancer's probes spread over the workers may each find it over, so
    the probe also waits ``PROBE_TIMEOUT_SECONDS`` at most.
    """

    alias: str = "default"

    def run(self) -> None:
        from wagtail.search.backends import get_search_backend  # noqa: PLC0415 - needs apps

        from cms.search.backends import engine_errors, engine_outage, is_outage  # noqa: PLC0415

        # Engine backends (Elasticsearch, OpenSearch) hold their client as ``es``.
        client = getattr(get_search_backend(self.alias), "es", None)
        if client is None:
            return
        if engine_outage.ongoing():
            raise ServiceUnavailable(
                "search engine unreachable a moment ago; "
                "not asked again until SEARCH_ENGINE_RETRY_SECONDS have passed"
            )
        try:
            health = cluster_health(client, probe_timeout(self.alias))
        except Exception as error:  # noqa: BLE001 - any client or transport failure
            if is_outage(error, engine_errors(self.alias)):
                engine_outage.note()
            raise ServiceUnavailable(
                f"search engine unreachable ({type(error).__name__})"
            ) from error
        if health.get("status") == "red":
            raise ServiceWarning("search engine cluster is red")


def probe_timeout(alias: str) -> float:
    """Seconds the probe waits for the engine: ``SEARCH_TIMEOUT`` if shorter."""
    search_timeout = settings.WAGTAILSEARCH_BACKENDS[alias].get("TIMEOUT", PROBE_TIMEOUT_SECONDS)
    return min(PROBE_TIMEOUT_SECONDS, search_timeout)


def cluster_health(client, timeout: float):
    """The engine's ``_cluster/health``, given up after ``timeout`` seconds."""
    if hasattr(client, "options"):  # elasticsearch-py 8+: options per request
        return client.options(request_timeout=timeout).cluster.health()
    return client.cluster.health(request_timeout=timeout)  # opensearch-py


@dataclasses.dataclass
class TaskBacklogCheck(SideService, HealthCheck):
    """No background task has waited for a worker longer than ``max_wait``.

    Only with the database task backend (``TASKS_BACKEND=database``): tasks that pile
    up mean ``manage.py db_worker`` is down or too slow; webhooks and search-engine
    updates are late, not lost.
    """

    max_wait: datetime.timedelta = dataclasses.field(
        default_factory=lambda: datetime.timedelta(minutes=settings.TASK_BACKLOG_MAX_MINUTES)
    )

    def run(self) -> None:
        if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
            return
        from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - needs apps

        cutoff = timezone.now() - self.max_wait
        with closed_after(DBTaskResult):
            waiting = DBTaskResult.objects.ready().filter(enqueued_at__lt=cutoff).count()
        if waiting:
            minutes = self.max_wait.total_seconds() / 60
            raise ServiceUnavailable(f"{waiting} task(s) waiting for a worker over {minutes:g} min")


@dataclasses.dataclass
class PendingWorkCheck(SideService, HealthCheck):
    """Nothing left for a background process has waited over ``max_wait``.

    Large changes mark their items in the editor's transaction (``StaleProjection``,
    ``PendingSection``, ``PendingSector``, ``PendingItem``) and enqueue a task after the
    commit. A worker killed in the middle of that task leaves it "running" and the marks
    in place, and no task waits (``TaskBacklogCheck`` sees nothing): only the cron jobs
    ``manage.py project_pending`` and ``search_pending`` pick them up. Updates the
    search engine missed are due for ``search_index_worker``, a process of its own, and
    webhook deliveries for the worker or ``deliver_webhooks``: each counts once it is
    due and no one has tried it (one backing off from a failure is not yet due, one
    waiting behind an earlier delivery about its item is not due). Late work means a
    process or cron job is missing: the API, search or a receiver is late, nothing is lost.
    """

    max_wait: datetime.timedelta = dataclasses.field(
        default_factory=lambda: datetime.timedelta(minutes=settings.TASK_BACKLOG_MAX_MINUTES)
    )

    def run(self) -> None:
        from cms.projections.models import StaleProjection  # noqa: PLC0415 - needs apps

        cutoff = timezone.now() - self.max_wait
        with closed_after(StaleProjection):
            late = [(count, what) for count, what in late_work(cutoff) if count]
        if late:
            minutes = self.max_wait.total_seconds() / 60
            raise ServiceUnavailable(
                f"waiting over {minutes:g} min: " + "; ".join(f"{n} {what}" for n, what in late)
            )


def late_engine_updates(queue, cutoff: datetime.datetime) -> int:
    """The rows of ``queue`` (``PendingIndexUpdate``, ``PendingEngineObject``) due before
    ``cutoff``. None while the worker waits out an outage: it puts off the first row it
    tries, and the rest wait behind that one with their old times."""
    if queue.objects.filter(attempts__gt=0, next_attempt_at__gt=timezone.now()).exists():
        return 0
    return queue.objects.filter(next_attempt_at__lt=cutoff).count()


def late_work(cutoff: datetime.datetime):
    """``(count, what is waiting and for whom)`` for each kind of background work."""
    from cms.projections.models import StaleProjection  # noqa: PLC0415 - needs apps
    from cms.search.engine_retries import engines  # noqa: PLC0415
    from cms.search.models import (  # noqa: PLC0415
        PendingEngineObject,
        PendingIndexUpdate,
        PendingItem,
        PendingSection,
        PendingSector,
    )
    from cms.webhooks.delivery import earlier_pending  # noqa: PLC0415
    from cms.webhooks.models import WebhookDelivery  # noqa: PLC0415

    marks = (StaleProjection, PendingSection, PendingSector, PendingItem)
    yield (
        sum(model.objects.filter(marked_at__lt=cutoff).count() for model in marks),
        "item(s) for the worker's rendering or indexing: is it running, and are "
        "`manage.py project_pending` and `search_pending` run by cron?",
    )
    # Without an engine nothing sends them (rows left from one): none is late.
    queues = (PendingIndexUpdate, PendingEngineObject) if engines() else ()
    yield (
        sum(late_engine_updates(queue, cutoff) for queue in queues),
        "search engine update(s): is `manage.py search_index_worker` running?",
    )
    yield (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lt=cutoff
        )
        .exclude(Exists(earlier_pending()))
        .count(),
        "webhook delivery(ies): is the worker running, and `manage.py deliver_webhooks` "
        "run by cron?",
    )


@dataclasses.dataclass
class ScheduledPublishingCheck(SideService, HealthCheck):
    """Nothing scheduled has waited for ``manage.py publish_scheduled`` over ``max_wait``.

    Editors set "go live" and "expiry" times in a page's status panel; only that
    command, run by cron every minute, acts on them. A version approved to go live,
    or a live page past its expiry, that is older than ``max_wait`` means the cron job
    is missing or failing: the page is late (or still up), nothing is lost.
    """

    max_wait: datetime.timedelta = dataclasses.field(
        default_factory=lambda: datetime.timedelta(minutes=settings.SCHEDULE_MAX_MINUTES)
    )

    def run(self) -> None:
        from wagtail.models import Page, Revision  # noqa: PLC0415 - needs apps

        cutoff = timezone.now() - self.max_wait
        with closed_after(Revision):
            overdue = Revision.objects.filter(approved_go_live_at__lt=cutoff).count()
            overdue += Page.objects.filter(live=True, expire_at__lt=cutoff).count()
        if overdue:
            minutes = self.max_wait.total_seconds() / 60
            raise ServiceUnavailable(
                f"{overdue} scheduled publication(s) or expiries over {minutes:g} min late: "
                "is `manage.py publish_scheduled` run by cron?"
            )


@contextlib.contextmanager
def closed_after(model):
    """Close the connection ``model``'s queries used, once they are done.

    django-health-check runs each check in an executor thread of its own for each
    probe: a connection left open there is never reused nor closed, and a balancer
    probing every second used up PostgreSQL's connections in minutes (`make chaos`).
    """
    try:
        yield
    finally:
        connection = connections[model.objects.db]
        if not connection.in_atomic_block:
            connection.close()


def is_essential(check: HealthCheck) -> bool:
    return getattr(check, "essential", True)


class ReadinessView(HealthCheckView):
    """django-health-check's view, with side services reported as degraded, not down."""

    checks = (
        Database,
        Storage,
        CacheCheck,
        SearchEngineCheck,
        TaskBacklogCheck,
        PendingWorkCheck,
        ScheduledPublishingCheck,
    )

    def overall(self) -> tuple[str, int]:
        failed = [result.check for result in self.results if result.error]
        if any(is_essential(check) for check in failed):
            return "unavailable", 503
        return ("degraded" if failed else "ok"), 200

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        # The library answers 500 on any failed check (its feeds and metrics: always 200).
        if response.status_code == 500:
            response.status_code = self.overall()[1]
        return response

    def render_to_response_json(self, status):
        status_name, status_code = self.overall()
        checks = {}
        for result in self.results:
            if result.error is None:
                checks[repr(result.check)] = {"status": "ok"}
            else:
                state = "down" if is_essential(result.check) else "degraded"
                checks[repr(result.check)] = {"status": state, "error": str(result.error)}
        return JsonResponse({"status": status_name, "checks": checks}, status=status_code)
