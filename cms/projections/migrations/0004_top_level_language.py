"""Every stored row gains the top-level ``language`` (issue 14), equal to its ``meta.language``.

Like ``type`` (0003): written by rendering from now on, left out of the digest.
"""

from django.db import migrations

BATCH = 500


def add_language(apps, schema_editor):
    Projection = apps.get_model("projections", "Projection")
    rows = Projection.objects.order_by("pk").only("pk", "language", "data", "listing")
    changed = []
    for row in rows.iterator(chunk_size=BATCH):
        for data in (row.data, row.listing):
            if isinstance(data, dict):
                data["language"] = data.get("meta", {}).get("language", row.language)
        changed.append(row)
        if len(changed) == BATCH:
            Projection.objects.bulk_update(changed, ["data", "listing"])
            changed = []
    Projection.objects.bulk_update(changed, ["data", "listing"])


class Migration(migrations.Migration):
    dependencies = [("projections", "0003_top_level_type")]

    operations = [migrations.RunPython(add_language, migrations.RunPython.noop)]
