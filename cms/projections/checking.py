"""Compare stored projections with a fresh rendering of every public item.

``differences()`` renders every public item of every served type in every
variant (in batches, in the database's current state) and yields each row
that is missing, different (by digest), current but with texts or columns its
data no longer gives, or stored for an item that is no longer public.
``manage.py check_projections`` reports them; ``--write`` stores the fresh
renderings, which is also how the table is first filled.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q

from cms.projections import writing
from cms.projections.models import Projection
from cms.projections.registry import served_types
from cms.projections.rendering import Renderer

BATCH = 200
COMPLETE = Q(listing__isnull=False, body__isnull=False, listing_body__isnull=False)


@dataclass(frozen=True)
class Difference:
    label: str
    object_id: int
    language: str
    problem: str  # "missing", "different", "stale text" or "not public"

    def __str__(self) -> str:
        return f"{self.label} {self.object_id} [{self.language}]: {self.problem}"


def differences() -> Iterator[Difference]:
    renderer = Renderer()
    for served in served_types().values():
        stored = {
            # A row without what reads serve (stored before a column existed) is incomplete.
            (pk, language): digest if complete else "incomplete"
            for pk, language, digest, complete in Projection.objects.filter(
                object_type=served.label
            ).values_list("object_id", "language", "digest", COMPLETE)
        }
        ids = list(served.public().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            unchanged = []
            for obj in renderer.load(served, ids[start : start + BATCH]):
                for variant, rendered in renderer.render(served, obj).items():
                    digest = stored.pop((obj.pk, variant), None)
                    if digest is None:
                        yield Difference(served.label, obj.pk, variant, "missing")
                    elif digest != rendered.digest:
                        yield Difference(served.label, obj.pk, variant, "different")
                    else:
                        unchanged.append((obj.pk, variant))
            yield from stale_derivations(served, unchanged)
        for pk, language in sorted(stored):
            yield Difference(served.label, pk, language, "not public")


def stale_derivations(served, keys: list[tuple[int, str]]) -> Iterator[Difference]:
    """Rows whose data is current but whose texts or columns are not what it gives now.

    They are made from the row's data when it is written (``writing.written``), so
    they can only drift when what makes them changed (a schema, a column's rule)
    and the rows were not written again since.
    """
    wanted = set(keys)
    rows = Projection.objects.filter(
        object_type=served.label, object_id__in={pk for pk, _language in keys}
    )
    for row in rows:
        if (row.object_id, row.language) in wanted and not writing.derived_current(served, row):
            yield Difference(served.label, row.object_id, row.language, "stale text")
