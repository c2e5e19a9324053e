"""Wagtail's own index on the engine: the changes it missed during an outage, sent again.

The admin's searches read Wagtail's index of pages, snippets, images and documents. When
the engine is down, the engine backends note each object whose change it missed
(``PendingEngineObject``, ``cms.search.backends``); ``search_index_worker`` calls
``send_missed`` every round, which sends each object's current state, or its removal if
it is gone, to every engine backend, backing off while the engine still does not answer.
An engine that answers but refuses the object (a 4xx) is logged and not asked again, as
Wagtail's own indexing does.
"""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone
from modelsearch.index import get_indexed_instance
from wagtail.search.backends import get_search_backends_with_name

from cms.search.backends import DatabaseFallbackBackend, engine_outage, is_outage
from cms.search.indexing import BATCH_SIZE, ensure_engine_index, remove_from_engine, retry_delay
from cms.search.models import PendingEngineObject

logger = logging.getLogger(__name__)


def engines() -> list:
    """The engine backends Wagtail's signal handlers write to (not the database ones)."""
    return [
        backend
        for _, backend in get_search_backends_with_name(with_auto_update=True)
        if isinstance(backend, DatabaseFallbackBackend)
    ]


def send_missed(*, limit: int = BATCH_SIZE) -> dict[str, int]:
    """Send the due missed objects to the engines; counts of ``sent``, ``failed`` (to be
    retried) and ``refused`` (dropped)."""
    counts = {"sent": 0, "failed": 0, "refused": 0}
    if engine_outage.ongoing():  # it failed a moment ago: the backends would only note again
        return counts
    due = PendingEngineObject.objects.filter(next_attempt_at__lte=timezone.now())
    entries = list(due.select_related("content_type").order_by("pk")[:limit])
    backends = engines()
    for entry in entries:
        try:
            for backend in backends:  # none: the engine left the settings, nothing to send
                send(backend, entry)
        except Exception as error:  # noqa: BLE001 - an outage waits; anything else is logged
            if any(is_outage(error, b.results_class.engine_errors) for b in backends):
                logger.warning("Search engine unavailable for %s: %s", entry, error)
                postpone(entry, error)
                counts["failed"] += 1
                break  # the engine is down: the rest waits for the next round
            # The engine refused it (or a bug here): sending it again would not help.
            logger.exception("Search engine refused %s; not sent again", entry)
            PendingEngineObject.objects.filter(pk=entry.pk, missed_at=entry.missed_at).delete()
            counts["refused"] += 1
            continue
        # Dropped unless the engine missed another change of it meanwhile.
        PendingEngineObject.objects.filter(pk=entry.pk, missed_at=entry.missed_at).delete()
        counts["sent"] += 1
    return counts


def send(backend, entry: PendingEngineObject) -> None:
    """The object's current state to ``backend``, or its removal if it is gone."""
    model = entry.content_type.model_class()
    if model is None:  # its app was removed
        return
    obj = model.objects.filter(pk=entry.object_id).first()
    indexed = get_indexed_instance(obj) if obj is not None else None
    if indexed is not None:
        ensure_engine_index(backend, type(indexed))
        backend.add(indexed)
        return
    remove_from_engine(backend, obj if obj is not None else model(pk=entry.object_id))


def postpone(entry: PendingEngineObject, error: Exception) -> None:
    PendingEngineObject.objects.filter(pk=entry.pk).update(
        attempts=F("attempts") + 1,
        next_attempt_at=timezone.now() + retry_delay(entry.attempts + 1),
        last_error=str(error)[:1000],
    )
