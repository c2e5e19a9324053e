"""Every stored row gains the top-level ``type`` and ``language`` (issue 14), equal to its
``meta.type`` and ``meta.language``, and the digest of its new JSON.

Rendering writes them from now on; this fills the rows already stored, so that
reads never meet a row without them and ``check_projections`` finds no difference.
``updated_at`` stays (what a reader sees is the same text): a sync does not send
every item again. ``digest`` is computed as ``cms.projections.rendering.digest_of``
did when this was written (a migration keeps its own copy).
"""

import hashlib
import json
import re

from django.db import migrations

BATCH = 500
VOLATILE = re.compile(r' data-block-key="[^"]*"')
SAVE_STAMPS = ("updated_at", "last_published_at")


def digest_of(data: dict) -> str:
    meta = {k: v for k, v in data.get("meta", {}).items() if k not in SAVE_STAMPS}
    text = json.dumps({**data, "meta": meta}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(VOLATILE.sub("", text).encode()).hexdigest()


def add_type_and_language(apps, schema_editor):
    Projection = apps.get_model("projections", "Projection")
    rows = Projection.objects.order_by("pk").only(
        "pk", "object_type", "language", "data", "listing", "digest"
    )
    changed = []
    for row in rows.iterator(chunk_size=BATCH):
        for data in (row.data, row.listing):
            if isinstance(data, dict):
                meta = data.get("meta", {})
                data["type"] = meta.get("type", row.object_type)
                data["language"] = meta.get("language", row.language)
        row.digest = digest_of(row.data)
        changed.append(row)
        if len(changed) == BATCH:
            Projection.objects.bulk_update(changed, ["data", "listing", "digest"])
            changed = []
    Projection.objects.bulk_update(changed, ["data", "listing", "digest"])


class Migration(migrations.Migration):
    dependencies = [("projections", "0002_listing")]

    operations = [migrations.RunPython(add_type_and_language, migrations.RunPython.noop)]
