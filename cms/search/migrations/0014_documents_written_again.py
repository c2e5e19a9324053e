"""Search documents hold what the item's page shows: each field along the reader's fallback
chain among the languages the item's site publishes in (``cms.search.documents.site_chain``),
and an event's day where it takes place (``local_day``). Documents written before read the
whole chain (a Slovak item's Czech title for Slovak readers) and the day in UTC.

Every item with documents is marked (``PendingItem``) for the task worker, or
``manage.py search_pending``, to write them again after the deploy; writing an item's
documents again is idempotent.
"""

from django.db import migrations
from django.utils import timezone

#: ``cms.search.documents.KIND_OF_TYPE``, as it was when this migration was written.
TYPE_OF_KIND = {
    "news": "news.NewsPage",
    "event": "events.EventPage",
    "page": "home.StandardPage",
    "cluster": "clusters.ClusterProfile",
}


def mark_every_item(apps, schema_editor):
    SearchDocument = apps.get_model("sitesearch", "SearchDocument")
    PendingItem = apps.get_model("sitesearch", "PendingItem")
    now = timezone.now()
    items = SearchDocument.objects.values_list("kind", "object_id").distinct()
    PendingItem.objects.bulk_create(
        (
            PendingItem(object_type=TYPE_OF_KIND[kind], object_id=pk, marked_at=now)
            for kind, pk in items.iterator()
            if kind in TYPE_OF_KIND
        ),
        ignore_conflicts=True,
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0013_pending_item")]

    operations = [migrations.RunPython(mark_every_item, migrations.RunPython.noop)]
