"""Listings order names alphabetically in each row's language: ``title`` becomes ``title_key``.

The column held a row's title and databases ordered it by code points (Ú, Ž, Ś
after Z). It now holds the title's collation key in the row's language
(``cms.core.collation``). The keys are made here from each row's stored JSON,
with ``cms.projections.columns`` itself rather than a copy, as 0004 does.
"""

from django.db import migrations, models

BATCH = 500


def fill_title_keys(apps, schema_editor):
    from cms.core.collation import sort_key
    from cms.projections.columns import title_of

    Projection = apps.get_model("projections", "Projection")
    ids = list(Projection.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        rows = list(Projection.objects.filter(pk__in=ids[start : start + BATCH]))
        for row in rows:
            row.title_key = sort_key(title_of(row.data), row.language)
        Projection.objects.bulk_update(rows, ["title_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("projections", "0007_tombstone_per_country"),
    ]

    operations = [
        migrations.AddField(
            model_name="projection",
            name="title_key",
            field=models.TextField(null=True),
        ),
        migrations.RunPython(fill_title_keys, migrations.RunPython.noop),
        migrations.RemoveField(model_name="projection", name="title"),
    ]
