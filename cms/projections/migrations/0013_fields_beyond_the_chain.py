"""A field blank along the served language's chain is read from the item's site's default
language, then the others (``cms.projections.fields.languages_beyond``): a Polish-only
item's English row held a ``null`` title.

Every projected item is marked to be rendered again (``StaleProjection``): the task worker
(or ``manage.py project_pending``) renders them, and a row whose text is the same keeps its
``updated_at``, so a sync sends only the items that changed.
"""

from django.db import migrations


def mark_every_item(apps, schema_editor):
    Projection = apps.get_model("projections", "Projection")
    StaleProjection = apps.get_model("projections", "StaleProjection")
    items = Projection.objects.values_list("object_type", "object_id").distinct()
    StaleProjection.objects.bulk_create(
        (StaleProjection(object_type=label, object_id=pk) for label, pk in items.iterator()),
        ignore_conflicts=True,
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("projections", "0012_digests_at_milliseconds")]

    operations = [migrations.RunPython(mark_every_item, migrations.RunPython.noop)]
