"""Keep search documents and every search backend in step with published content.

Publishing or unpublishing a page (a cluster directory: the profiles it serves
too), deleting one, saving or deleting a cluster profile, moving a page, and adding a
page view restriction (for the pages below it and the cluster profiles its
directories serve) rewrites those items'
``SearchDocument`` rows in the same database transaction; lifting one, or a move,
does too for a few items and marks a large section for a task after the commit
(``sync_under``, ``PendingSection``).
The database backends are updated right there (they live in the same database).
External engines (OpenSearch/Elasticsearch) get a ``PendingIndexUpdate`` per
changed document, processed after commit by a task
and retried by ``manage.py search_index_worker`` until the engine accepts it:
an editor's save never waits for, or fails because of, the engine.

The receivers of those signals, which say what each change touches, are
``cms.search.content_signals``; the writing is here.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page
from wagtail.search.backends import get_search_backends_with_name

from cms.core.visibility import hidden_from_visitors, shown_to_visitors
from cms.projections import dependents
from cms.search.backends import engine_outage
from cms.search.documents import (
    KIND_OF_TYPE,
    Batch,
    documents_for,
    kind_of,
    kind_of_model,
    searched_models,
)
from cms.search.models import (
    PendingIndexUpdate,
    PendingItem,
    PendingSection,
    PendingSector,
    SearchDocument,
)

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=10)
BATCH_SIZE = 200
#: Items indexed again in the editor's transaction when a view restriction is lifted;
#: more are left to the task worker (``cms.search.content_signals.on_restriction_changed``).
INLINE_LIMIT = 50


def is_database_backend(backend) -> bool:
    return type(backend).__module__.startswith(
        (
            "wagtail.search.backends.database",
            "modelsearch.backends.database",
            "cms.search.backends.database",
        )
    )


def backends() -> list[tuple[str, object, bool]]:
    """(name, backend, is_database) for every configured backend."""
    return [
        (name, backend, is_database_backend(backend))
        for name, backend in get_search_backends_with_name()
    ]


DOCUMENT_FIELDS = (
    "served_language",
    "title",
    "body",
    "display_title",
    "display_text",
    "url",
    "date",
    "country",
)


def sync_object(obj) -> int:
    """Rewrite the search documents of ``obj``; return how many rows changed."""
    return sync_objects([obj])


@transaction.atomic
def sync_objects(objs) -> int:
    """Rewrite the search documents of many items at once (bulk writes, one backend call).

    Used by every save (a list of one) and by bulk imports and rebuilds.
    """
    keyed = [(kind_of(obj), obj) for obj in objs]
    keyed = [(kind, obj) for kind, obj in keyed if kind is not None]
    if not keyed:
        return 0
    batch = Batch([obj for _, obj in keyed])
    wanted = {
        (kind, obj.pk, data.language): data
        for kind, obj in keyed
        for data in documents_for(obj, batch)
    }
    existing = {}
    for kind in {kind for kind, _ in keyed}:
        ids = [obj.pk for k, obj in keyed if k == kind]
        for doc in SearchDocument.objects.filter(kind=kind, object_id__in=ids).prefetch_related(
            "sectors"
        ):
            existing[(doc.kind, doc.object_id, doc.language)] = doc
    removed_ids = [doc.pk for key, doc in existing.items() if key not in wanted]
    new_docs, updated_docs, sectors_of = [], [], {}
    for key, data in wanted.items():
        doc = existing.get(key)
        values = {name: getattr(data, name) for name in DOCUMENT_FIELDS}
        sector_ids = sorted(sector.pk for sector in data.sectors)
        values["sector_ids"] = SearchDocument.sector_key(sector_ids)
        if doc is None:
            doc = SearchDocument(kind=key[0], object_id=key[1], language=key[2], **values)
            new_docs.append(doc)
        else:
            same_values = all(getattr(doc, name) == value for name, value in values.items())
            if same_values and sorted(s.pk for s in doc.sectors.all()) == sector_ids:
                continue
            for name, value in values.items():
                setattr(doc, name, value)
            doc.updated_at = timezone.now()  # bulk_update skips auto_now (cms.search.suggest)
            updated_docs.append(doc)
        sectors_of[key] = sector_ids
    SearchDocument.objects.bulk_create(new_docs, batch_size=500)
    if not all(doc.pk for doc in new_docs):  # backends without RETURNING: look the ids up
        lookup = {
            (d.kind, d.object_id, d.language): d.pk
            for d in SearchDocument.objects.filter(pk__isnull=False).filter(
                object_id__in=[d.object_id for d in new_docs]
            )
        }
        for doc in new_docs:
            doc.pk = lookup[(doc.kind, doc.object_id, doc.language)]
    SearchDocument.objects.bulk_update(
        updated_docs, (*DOCUMENT_FIELDS, "sector_ids", "updated_at"), batch_size=500
    )
    changed = new_docs + updated_docs
    Through = SearchDocument.sectors.through
    Through.objects.filter(searchdocument_id__in=[doc.pk for doc in updated_docs]).delete()
    Through.objects.bulk_create(
        [
            Through(searchdocument_id=doc.pk, sector_id=sector_id)
            for doc in changed
            for sector_id in sectors_of[(doc.kind, doc.object_id, doc.language)]
        ],
        batch_size=1000,
    )
    SearchDocument.objects.filter(pk__in=removed_ids).delete()
    if changed:  # backends read the sectors of every document: fetch them in one query
        changed = list(
            SearchDocument.objects.filter(pk__in=[doc.pk for doc in changed]).prefetch_related(
                "sectors"
            )
        )
    publish_to_backends(changed, removed_ids)
    return len(changed) + len(removed_ids)


def remove_object(obj) -> int:
    kind = kind_of(obj)
    if kind is None:
        return 0
    return remove_documents(kind, [obj.pk])


def remove_documents(kind: str, object_ids) -> int:
    """Delete the documents of items ``object_ids`` (a list or a ``values("pk")`` subquery)."""
    with transaction.atomic():
        ids = list(
            SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).values_list(
                "pk", flat=True
            )
        )
        SearchDocument.objects.filter(pk__in=ids).delete()
        publish_to_backends([], ids)
    return len(ids)


def publish_to_backends(changed: list[SearchDocument], removed_ids: list[int]) -> None:
    """Update database backends now; queue the rest durably for after commit."""
    if not changed and not removed_ids:
        return
    queued = False
    for name, backend, is_database in backends():
        if is_database:
            for start in range(0, len(changed), BATCH_SIZE):
                backend.add_bulk(SearchDocument, changed[start : start + BATCH_SIZE])
            for pk in removed_ids:
                backend.delete(SearchDocument(pk=pk))
            continue
        queue_for_engine(name, [doc.pk for doc in changed] + removed_ids)
        queued = True
    if queued:
        # robust: if even enqueueing fails, the editor's save stands; search_index_worker
        # finds the PendingIndexUpdate rows all the same.
        transaction.on_commit(lambda: process_pending_updates_task.enqueue(), robust=True)


def queue_for_engine(backend_name: str, document_ids: list[int]) -> None:
    """Record (or reset) a pending update per document, in bulk."""
    now = timezone.now()
    PendingIndexUpdate.objects.filter(backend=backend_name, document_id__in=document_ids).update(
        attempts=0, next_attempt_at=now, last_error=""
    )
    already = set(
        PendingIndexUpdate.objects.filter(
            backend=backend_name, document_id__in=document_ids
        ).values_list("document_id", flat=True)
    )
    PendingIndexUpdate.objects.bulk_create(
        [
            PendingIndexUpdate(backend=backend_name, document_id=pk, next_attempt_at=now)
            for pk in dict.fromkeys(document_ids)
            if pk not in already
        ],
        batch_size=1000,
    )


def process_pending_updates(*, limit: int | None = None) -> dict[str, int]:
    """Send due pending updates to their engines; failures are kept and retried later.

    Returns counts: ``sent`` and ``failed``.
    """
    counts = {"sent": 0, "failed": 0}
    if engine_outage.ongoing():  # it failed a moment ago: left alone, the entries wait
        return counts
    by_name = {name: backend for name, backend, is_database in backends() if not is_database}
    due = PendingIndexUpdate.objects.filter(next_attempt_at__lte=timezone.now()).order_by("pk")
    if limit:
        due = due[:limit]
    entries = list(due)
    for name in {entry.backend for entry in entries}:
        batch = [entry for entry in entries if entry.backend == name]
        backend = by_name.get(name)
        if backend is None:  # a backend that was removed from settings
            PendingIndexUpdate.objects.filter(pk__in=[e.pk for e in batch]).delete()
            continue
        for start in range(0, len(batch), BATCH_SIZE):
            chunk = batch[start : start + BATCH_SIZE]
            try:
                send_chunk(backend, chunk)
            except Exception as error:  # noqa: BLE001 - any engine failure means "retry later"
                logger.warning("Search engine %r unavailable: %s", name, error)
                postpone(chunk, error)
                counts["failed"] += len(chunk)
                break
            # Only drop entries nobody re-queued while we were sending.
            for entry in chunk:
                PendingIndexUpdate.objects.filter(
                    pk=entry.pk, next_attempt_at=entry.next_attempt_at, attempts=entry.attempts
                ).delete()
            counts["sent"] += len(chunk)
    return counts


def ensure_engine_index(backend, model=SearchDocument) -> None:
    """Create the engine index of ``model`` with its mapping if it is missing (e.g. a fresh
    engine): the first write would otherwise create it without one."""
    index = backend.get_index_for_model(model)
    if not index.exists():
        index.put()
        index.add_model(model)


def send_chunk(backend, chunk: list[PendingIndexUpdate]) -> None:
    ensure_engine_index(backend)
    ids = [entry.document_id for entry in chunk]
    present = list(SearchDocument.objects.filter(pk__in=ids).prefetch_related("sectors"))
    if present:
        backend.add_bulk(SearchDocument, present)
    present_ids = {doc.pk for doc in present}
    for pk in ids:
        if pk not in present_ids:
            delete_from_engine(backend, pk)


def delete_from_engine(backend, pk: int) -> None:
    remove_from_engine(backend, SearchDocument(pk=pk))


def remove_from_engine(backend, obj) -> None:
    """``obj`` out of ``backend``'s index; one the engine does not hold is already out."""
    try:
        backend.delete(obj)
    except Exception as error:  # noqa: BLE001
        if "not_found" in str(error) or "NotFoundError" in type(error).__name__:
            return  # already gone: that is the state we want
        raise


def retry_delay(attempts: int) -> timedelta:
    """How long an update the engine refused waits before its next attempt: doubling from
    2 s, at most ``MAX_BACKOFF``."""
    return min(timedelta(seconds=2 ** min(attempts, 10)), MAX_BACKOFF)


def postpone(chunk: list[PendingIndexUpdate], error: Exception) -> None:
    now = timezone.now()
    for entry in chunk:
        entry.attempts += 1
        entry.next_attempt_at = now + retry_delay(entry.attempts)
        entry.last_error = str(error)[:1000]
        entry.save(update_fields=["attempts", "next_attempt_at", "last_error"])


@task()
def process_pending_updates_task():
    return process_pending_updates()


def sync_under(page) -> None:
    """Documents of everything at or below ``page`` as visitors may now see it: what
    refuses them goes at once, in one delete; what they may see is written again, here
    up to ``INLINE_LIMIT`` items, by the worker after the commit beyond that."""
    hidden, shown = visibility_under(page)
    for kind, queryset in hidden:
        remove_documents(kind, queryset.values("pk"))
    if sum(queryset.count() for _, queryset in shown) <= INLINE_LIMIT:
        sync_querysets(shown)
        return
    PendingSection.objects.update_or_create(page_id=page.pk)
    # robust: the change stands even if enqueueing fails; the mark waits for
    # ``manage.py search_pending``.
    transaction.on_commit(lambda: sync_pending_sections_task.enqueue(), robust=True)


def visibility_under(page) -> tuple[list[tuple[str, QuerySet]], list[tuple[str, QuerySet]]]:
    """(hidden, shown): the (kind, items) at or below ``page`` that refuse visitors and
    those visitors may see, per searched kind; cluster profiles by whether a directory
    serves them to visitors (``ClusterDirectoryPage.directories_serving``)."""
    from cms.clusters.models import ClusterDirectoryPage

    pages = pages_under(page)
    profiles = ClusterDirectoryPage.profiles_served_under(page)
    serving = ClusterDirectoryPage.directories_serving(
        profiles.values_list("country_id", flat=True).distinct()
    )
    unserved = [country_id for country_id, directory in serving.items() if directory is None]
    hidden = [(kind, hidden_from_visitors(queryset)) for kind, queryset in pages]
    hidden.append(("cluster", profiles.filter(country_id__in=unserved)))
    shown = [(kind, shown_to_visitors(queryset)) for kind, queryset in pages]
    shown_profiles = profiles.exclude(country_id__in=unserved)
    shown.append(("cluster", shown_profiles.prefetch_related("sectors").select_related("country")))
    return hidden, shown


def searched_page_models() -> list:
    return [model for model in searched_models() if issubclass(model, Page)]


def pages_under(page) -> list[tuple[str, QuerySet]]:
    """(kind, pages of that kind at or below ``page``) for every searched page type."""
    return [
        (kind_of_model(model), model.objects.descendant_of(page, inclusive=True))
        for model in searched_page_models()
    ]


def sync_querysets(querysets: list[tuple[str, QuerySet]]) -> int:
    """Rewrite the documents of every item of ``querysets``, ``BATCH_SIZE`` items at a time."""
    changed = 0
    for _, queryset in querysets:
        items = list(queryset.order_by("pk"))
        for start in range(0, len(items), BATCH_SIZE):
            changed += sync_objects(items[start : start + BATCH_SIZE])
    return changed


def index_bulk_written(model, ids) -> None:
    """Items of ``model`` that ``bulk_create`` or ``bulk_update`` wrote, which send no signal
    (the cluster spreadsheet import): indexed here up to ``INLINE_LIMIT``, else marked in
    the writer's transaction and indexed by the worker after the commit (``PendingItem``)."""
    ids = sorted(set(ids))
    if len(ids) <= INLINE_LIMIT:
        index_items(loaded(model, ids))
        return
    label, now = model._meta.label, timezone.now()
    PendingItem.objects.bulk_create(
        [PendingItem(object_type=label, object_id=pk, marked_at=now) for pk in ids],
        update_conflicts=True,
        unique_fields=["object_type", "object_id"],
        update_fields=["marked_at"],
    )
    # robust: the import stands even if enqueueing fails; the marks wait for
    # ``manage.py search_pending``.
    transaction.on_commit(lambda: sync_pending_sections_task.enqueue(), robust=True)


def loaded(model, ids) -> list:
    """The items of ``model`` among ``ids``, with what their documents read (their country
    and sectors: no query per item)."""
    fields = {field.name for field in model._meta.get_fields()}
    items = model.objects.filter(pk__in=ids)
    if "sectors" in fields:  # pages of some types have none
        items = items.prefetch_related("sectors")
    if "country" in fields:
        items = items.select_related("country")
    return list(items)


def index_items(items: list) -> None:
    """``items`` (of one model) in every backend's index (the admin's search) and their
    documents (the visitor search). An engine's outage is logged and the items noted for
    ``search_index_worker`` (``cms.search.backends``); the database backend, which answers
    when the engine cannot, has them meanwhile."""
    if not items:
        return
    model = type(items[0])
    for _name, backend, is_database in backends():
        try:
            backend.add_bulk(model, items)
        except Exception:  # noqa: BLE001 - an engine outage must not lose the items
            if is_database:
                raise
            logger.exception("Admin search index of %s failed", model.__name__)
    sync_objects(items)


def index_pending_items() -> int:
    """Index the items marked by ``index_bulk_written``, ``BATCH_SIZE`` at a time; a mark
    goes once done, unless it was marked again meanwhile. Returns the documents changed."""
    changed = 0
    by_label: dict[str, list[tuple[int, int, object]]] = {}
    marks = PendingItem.objects.order_by("pk").values_list(
        "pk", "object_type", "object_id", "marked_at"
    )
    for pk, label, object_id, marked_at in marks:
        by_label.setdefault(label, []).append((pk, object_id, marked_at))
    for label, found in by_label.items():
        model = apps.get_model(label)
        for start in range(0, len(found), BATCH_SIZE):
            chunk = found[start : start + BATCH_SIZE]
            with transaction.atomic():
                items = loaded(model, [object_id for _pk, object_id, _at in chunk])
                index_items(items)
                changed += len(items)
                # Only the marks as read: one marked again since (a later import's, which
                # may commit after this read its clusters) waits for the next run.
                done = Q()
                for pk, _object_id, marked_at in chunk:
                    done |= Q(pk=pk, marked_at=marked_at)
                PendingItem.objects.filter(done).delete()
    return changed


def sync_pending_sections() -> int:
    """Index again what visitors may see in each marked section (``sync_under``'s large
    ones), then the items of each marked sector (``sync_sector``'s large ones), oldest
    first, then the items written in bulk (``index_bulk_written``); a mark goes once done,
    unless it was marked again meanwhile. Returns the documents changed."""
    changed = index_pending_items()
    for mark in PendingSection.objects.select_related("page").order_by("marked_at", "pk"):
        changed += sync_querysets(visibility_under(mark.page)[1])
        PendingSection.objects.filter(pk=mark.pk, marked_at=mark.marked_at).delete()
    for mark in PendingSector.objects.select_related("sector").order_by("marked_at", "pk"):
        changed += sync_items(dependents.dependents_of(mark.sector))
        PendingSector.objects.filter(pk=mark.pk, marked_at=mark.marked_at).delete()
    return changed


def sync_sector(sector) -> None:
    """The documents of the items in ``sector`` (renamed), written again: here up to
    ``INLINE_LIMIT`` items, by the worker after the commit beyond that."""
    found = dependents.dependents_of(sector)
    if sum(len(ids) for ids in found.values()) <= INLINE_LIMIT:
        sync_items(found)
        return
    PendingSector.objects.update_or_create(sector=sector)
    # robust: the rename stands even if enqueueing fails; the mark waits for
    # ``manage.py search_pending``.
    transaction.on_commit(lambda: sync_pending_sections_task.enqueue(), robust=True)


def sync_items(found: dict[str, set[int]]) -> int:
    """Write again the documents of the searched items of ``found`` (label -> ids)."""
    querysets = [
        (kind, apps.get_model(label).objects.filter(pk__in=found[label]))
        for label, kind in KIND_OF_TYPE.items()
        if found.get(label)
    ]
    return sync_querysets([(kind, items.prefetch_related("sectors")) for kind, items in querysets])


@task()
def sync_pending_sections_task() -> int:
    return sync_pending_sections()
