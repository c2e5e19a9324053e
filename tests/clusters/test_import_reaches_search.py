"""A spreadsheet import reaches the admin's search and the visitor search.

``bulk_create`` sends no signal, so the import indexes what it wrote: a few clusters in
the editor's request, more by the task worker after the commit (``PendingItem``), as a
5,000-row import spent 74 of its 80 seconds indexing inside the request.
"""

from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from cms.clusters.models import ClusterProfile
from cms.search import indexing
from cms.search.models import PendingItem, SearchDocument
from tests.clusters.test_import_reaches_the_api import imported

MOMENT = timedelta(microseconds=1)


def rows(count: int) -> list[str]:
    return [f"numbat-{n},CZ,Numbat Cluster {n},https://n{n}.example.cz/" for n in range(count)]


def found_in_admin_search() -> int:
    return len(get_search_backend().search("Numbat", ClusterProfile.objects.all()))


def documents() -> int:
    """How many of the imported clusters have search documents."""
    numbats = ClusterProfile.objects.filter(slug__startswith="numbat-").values("pk")
    documented = SearchDocument.objects.filter(kind="cluster", object_id__in=numbats)
    return documented.values("object_id").distinct().count()


def test_a_few_clusters_are_indexed_at_once(db, monkeypatch):
    monkeypatch.setattr(indexing, "INLINE_LIMIT", 5)
    imported(*rows(3))
    assert found_in_admin_search() == 3
    assert documents() == 3
    assert not PendingItem.objects.exists()


def test_many_are_indexed_by_the_worker_after_the_commit(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(indexing, "INLINE_LIMIT", 5)
    with django_capture_on_commit_callbacks() as callbacks:
        imported(*rows(8))
    assert PendingItem.objects.count() == 8
    assert found_in_admin_search() == documents() == 0  # the request did not index them
    for callback in callbacks:
        callback()  # the commit: the worker's task (the immediate backend runs it here)
    assert found_in_admin_search() == documents() == 8
    assert not PendingItem.objects.exists()


def test_marks_left_by_a_failed_enqueue_are_indexed_by_search_pending(db, monkeypatch):
    monkeypatch.setattr(indexing, "INLINE_LIMIT", 5)
    imported(*rows(8))  # the test's transaction never commits: nothing is enqueued
    call_command("search_pending")
    assert found_in_admin_search() == documents() == 8
    assert not PendingItem.objects.exists()


def test_a_mark_set_again_while_the_worker_indexes_stays(db, monkeypatch):
    """A later import marks a cluster again (stamped before the worker started, committed
    after it read the cluster): that mark waits for the next run, or its change never
    reaches search."""
    monkeypatch.setattr(indexing, "INLINE_LIMIT", 5)
    imported(*rows(8))
    again = PendingItem.objects.order_by("pk").first()
    read = indexing.loaded

    def loaded_then_marked_again(model, ids):
        items = read(model, ids)
        PendingItem.objects.filter(pk=again.pk).update(marked_at=again.marked_at + MOMENT)
        return items

    monkeypatch.setattr(indexing, "loaded", loaded_then_marked_again)
    indexing.index_pending_items()
    assert list(PendingItem.objects.values_list("pk", flat=True)) == [again.pk]


def test_indexing_asks_no_query_per_cluster(db):
    """Each cluster's country is read with it (a 5,000-row import asked 5,000 times)."""
    imported(*rows(3))
    few = [cluster.pk for cluster in ClusterProfile.objects.filter(slug__startswith="numbat-")]
    with CaptureQueriesContext(connection) as queries:
        indexing.index_items(indexing.loaded(ClusterProfile, few))
    imported(*rows(12))
    many = [cluster.pk for cluster in ClusterProfile.objects.filter(slug__startswith="numbat-")]
    with CaptureQueriesContext(connection) as more_queries:
        indexing.index_items(indexing.loaded(ClusterProfile, many))

    def countries(captured):
        return sum('"core_country"' in q["sql"] for q in captured.captured_queries)

    assert countries(more_queries) == countries(queries)
