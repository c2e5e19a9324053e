"""Digests count times to the millisecond (``cms.projections.rendering.SUB_MILLISECONDS``):
each stored row's digest is computed again from its stored data, so that no row counts as
changed for it (its ``updated_at`` stays; syncs and webhooks hear nothing). ``digest`` is
computed as ``cms.projections.rendering.digest_of`` does when this is written (a migration
keeps its own copy, as 0003 does).
"""

import hashlib
import json
import re

from django.db import migrations

BATCH = 1000
VOLATILE = re.compile(r' data-block-key="[^"]*"')
SAVE_STAMPS = ("updated_at", "last_published_at")
SUB_MILLISECONDS = re.compile(r"(T\d{2}:\d{2}:\d{2})(?:\.(\d{3})\d*)?")


def to_milliseconds(match: re.Match) -> str:
    """A time to the millisecond, written one way (``.000456`` and no fraction: none)."""
    seconds, milliseconds = match.groups()
    return seconds + (f".{milliseconds}" if milliseconds and milliseconds != "000" else "")


def digest_of(data: dict) -> str:
    meta = {k: v for k, v in data.get("meta", {}).items() if k not in SAVE_STAMPS}
    text = json.dumps({**data, "meta": meta}, sort_keys=True, ensure_ascii=False)
    text = SUB_MILLISECONDS.sub(to_milliseconds, VOLATILE.sub("", text))
    return hashlib.sha256(text.encode()).hexdigest()


def recompute_digests(apps, schema_editor):
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
