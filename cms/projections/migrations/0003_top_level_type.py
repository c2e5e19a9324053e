"""Every stored row gains the top-level ``type`` (issue 14), equal to its ``meta.type``.

Rendering writes it from now on; this fills the rows already stored, so a
deploy needs no ``check_projections --write``. ``type`` restates ``meta.type``
and is left out of the digest, so ``updated_at`` (what syncs compare) stays.
"""

from django.db import migrations

BATCH = 500


def add_type(apps, schema_editor):
    Projection = apps.get_model("projections", "Projection")
    rows = Projection.objects.order_by("pk").only("pk", "object_type", "data", "listing")
    changed = []
    for row in rows.iterator(chunk_size=BATCH):
        for data in (row.data, row.listing):
            if isinstance(data, dict):
                data["type"] = data.get("meta", {}).get("type", row.object_type)
        changed.append(row)
        if len(changed) == BATCH:
            Projection.objects.bulk_update(changed, ["data", "listing"])
            changed = []
    Projection.objects.bulk_update(changed, ["data", "listing"])


class Migration(migrations.Migration):
    dependencies = [("projections", "0002_listing")]

    operations = [migrations.RunPython(add_type, migrations.RunPython.noop)]
