"""Rows keep their JSON text as responses write it (``body``, ``listing_body``) and what
listings filter and order by (``title``, ``date``, ``sector_ids``).

The columns are filled here from each row's stored JSON. The texts need the item
schemas, so rows stored before this are served by decoding their JSON until they are
written again (``manage.py check_projections --write`` writes them all at once). This
uses ``cms.projections.columns`` itself rather than a copy: on a new database the
table is empty when this runs, so only databases migrated today ever run it.
"""

from django.db import migrations, models

BATCH = 500


def fill_columns(apps, schema_editor):
    from cms.projections.columns import date_of, sector_ids_of, title_of

    Projection = apps.get_model("projections", "Projection")
    ids = list(Projection.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        rows = list(Projection.objects.filter(pk__in=ids[start : start + BATCH]))
        for row in rows:
            row.title = title_of(row.data)
            row.date = date_of(row.data)
            row.sector_ids = sector_ids_of(row.data)
        Projection.objects.bulk_update(rows, ["title", "date", "sector_ids"])


class Migration(migrations.Migration):
    dependencies = [
        ("projections", "0003_top_level_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="projection",
            name="body",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="projection",
            name="listing_body",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="projection",
            name="title",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="projection",
            name="date",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="projection",
            name="sector_ids",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddIndex(
            model_name="projection",
            index=models.Index(
                fields=["object_type", "language", "country", "date"], name="projection_dated"
            ),
        ),
        migrations.RunPython(fill_columns, migrations.RunPython.noop),
    ]
