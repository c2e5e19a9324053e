"""An upgrade that changes what documents hold marks every item for the worker to write its
documents again (migration 0014, ``PendingItem``); the worker writes items of every type."""

import importlib

from django.apps import apps

from cms.search import indexing
from cms.search.models import PendingItem, SearchDocument

UPGRADE = importlib.import_module("cms.search.migrations.0014_documents_written_again")


def test_the_upgrade_marks_every_item_and_the_worker_writes_each_again(db):
    items = set(SearchDocument.objects.values_list("kind", "object_id").distinct())
    assert {kind for kind, _ in items} == {"news", "event", "page", "cluster"}
    stale = {
        kind: SearchDocument.objects.filter(kind=kind, language="en").first()
        for kind in ("news", "event", "page", "cluster")
    }
    SearchDocument.objects.filter(pk__in=[d.pk for d in stale.values()]).update(
        display_title="Written before the upgrade"
    )
    UPGRADE.mark_every_item(apps, None)
    assert PendingItem.objects.count() == len(items)

    indexing.index_pending_items()  # standard pages, which have no sectors, failed here
    assert not PendingItem.objects.exists()
    for document in stale.values():
        document.refresh_from_db()
        assert document.display_title != "Written before the upgrade", document.kind
