"""An embedded cluster, contact or organisation of another country than the item's links to
its own site (``?site=<code>``, ``cms.projections.fields.owner_site``): a country's site
serves only its own, so the stored link was a 404 there.

The items that embed them (news, events, cluster profiles, contacts) are marked to be
rendered again (``StaleProjection``): the task worker (or ``manage.py project_pending``)
renders them, and a row whose text is the same keeps its ``updated_at``, so a sync sends
only the items whose links changed.
"""

from django.db import migrations

EMBEDDING = (
    "news.NewsPage",
    "events.EventPage",
    "clusters.ClusterProfile",
    "partners.ContactPerson",
)


def mark_embedding_items(apps, schema_editor):
    Projection = apps.get_model("projections", "Projection")
    StaleProjection = apps.get_model("projections", "StaleProjection")
    items = (
        Projection.objects.filter(object_type__in=EMBEDDING)
        .values_list("object_type", "object_id")
        .distinct()
    )
    StaleProjection.objects.bulk_create(
        (StaleProjection(object_type=label, object_id=pk) for label, pk in items.iterator()),
        ignore_conflicts=True,
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("projections", "0010_restored_held_until")]

    operations = [migrations.RunPython(mark_embedding_items, migrations.RunPython.noop)]
