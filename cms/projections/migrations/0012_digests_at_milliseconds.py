"""Digests count times to the millisecond (``cms.projections.rendering.SUB_MILLISECONDS``):
each stored row's digest is computed again from its stored data, so that no row counts as
changed for it (its ``updated_at`` stays; syncs and webhooks hear nothing)."""

from django.db import migrations

BATCH = 1000


def recompute_digests(apps, schema_editor):
    from cms.projections.rendering import digest_of  # the formula this migration brings

    Projection = apps.get_model("projections", "Projection")
    changed = []
    for row in Projection.objects.only("pk", "data", "digest").iterator(chunk_size=BATCH):
        digest = digest_of(row.data)
        if digest != row.digest:
            row.digest = digest
            changed.append(row)
        if len(changed) >= BATCH:
            Projection.objects.bulk_update(changed, ["digest"])
            changed = []
    Projection.objects.bulk_update(changed, ["digest"])


class Migration(migrations.Migration):
    dependencies = [("projections", "0011_links_to_other_countries")]

    operations = [migrations.RunPython(recompute_digests, migrations.RunPython.noop)]
