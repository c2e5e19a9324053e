"""Store projections: render what changed, keep ``updated_at`` for what did not.

``project(objects)`` renders every variant of each public object and writes
the rows whose digest changed (``updated_at`` moves); a row whose digest did
not change keeps its JSON (save stamps and rich text block keys included) and
only its bookkeeping (``last_modified``) moves, so what a consumer already
holds stays exactly what a full read serves. An object that is not public (a
draft, an unpublished or restricted page) loses its rows. ``forget`` drops the
rows of deleted objects.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Model
from django.dispatch import Signal
from django.utils import timezone

from cms.projections import generation
from cms.projections.bodies import body_of
from cms.projections.columns import columns_of
from cms.projections.models import Projection, StaleProjection, Tombstone
from cms.projections.reading import selected_fields
from cms.projections.registry import ALL, ServedType, by_label, served_type
from cms.projections.rendering import Renderer
from cms.projections.tombstones import revive

logger = logging.getLogger(__name__)

BATCH = 200

#: Sent by ``store`` after it wrote, in its transaction (``cms.webhooks.signals`` tells webhooks):
#: ``label``; ``changed``, ``{pk: (country, variants whose content changed or is new, every
#: variant rendered)}`` for each item with such a variant or a move; ``moves`` as
#: ``record_moves``. Receivers must not raise (``send_robust``) nor break the transaction.
projected = Signal()
#: Sent by ``hide`` for items that left the API without being unpublished or deleted (a
#: view restriction, a page moved off every site), before their rows go: ``label``;
#: ``removed``, ``{pk: country}`` (``cms.webhooks.signals`` tells webhooks: ``unpublished``).
withdrawn = Signal()


@transaction.atomic
def project(objects: Iterable[Model], *, renderer: Renderer | None = None) -> int:
    """Render and store the projections of ``objects`` as they are in memory; rows changed."""
    renderer = renderer or Renderer()
    by_type: dict[ServedType, list[Model]] = defaultdict(list)
    for obj in objects:
        served = served_type(obj)
        if served is not None:
            by_type[served].append(obj)
    changed = 0
    for served, items in by_type.items():
        public = set(
            served.public().filter(pk__in=[o.pk for o in items]).values_list("pk", flat=True)
        )
        shown = [obj for obj in items if obj.pk in public]
        changed += hide(served.label, [obj.pk for obj in items if obj.pk not in public])
        changed += store(served, shown, renderer)
    return changed


def project_ids(
    label: str, ids: Iterable[int], *, renderer: Renderer | None = None, rederive: bool = False
) -> int:
    """Render ``ids`` of the type named ``label`` afresh from the database; rows changed.

    One transaction per ``BATCH`` items (savepoints inside an editor's transaction): a
    row's ``updated_at`` is stamped when it is rendered, and the sync holds back only
    ``SYNC_SETTLE_SECONDS`` for stamps still to commit, so no transaction may run long.
    Each batch also deletes its items' stale marks: a worker stopped half-way leaves the
    rest marked. ``rederive`` writes again the texts and columns of rows whose data did not
    change (``check_projections --write``, after what makes them changed).
    """
    served = by_label(label)
    if served is None:
        return 0
    renderer = renderer or Renderer()
    ids = sorted(set(ids))
    changed = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            renderer.cluster_directories = None  # as this batch's transaction finds them
            objects = renderer.load(served, chunk)
            found = {obj.pk for obj in objects}
            changed += hide(label, [pk for pk in chunk if pk not in found])
            changed += store(served, objects, renderer, rederive=rederive)
    return changed


def store(
    served: ServedType, objects: list[Model], renderer: Renderer, *, rederive: bool = False
) -> int:
    if not objects:
        return 0
    now = timezone.now()
    existing = {
        (row.object_id, row.language): row
        for row in Projection.objects.filter(
            object_type=served.label, object_id__in=[obj.pk for obj in objects]
        )
    }
    new, updated = [], []
    moves: dict[int, tuple[str, str]] = {}
    changed: dict[int, tuple[str, set[str], set[str]]] = {}
    for obj in objects:
        country = country_of(served, obj, renderer)
        before = existing.get((obj.pk, ALL))
        if before is not None and before.country != country:
            moves[obj.pk] = (before.country, country)
        variants = renderer.render(served, obj)
        changed[obj.pk] = (country, set(), set(variants))
        for variant, rendered in variants.items():
            row = existing.get((obj.pk, variant))
            if row is None or row.digest != rendered.digest:
                changed[obj.pk][1].add(variant)
            if row is None:
                row = Projection(
                    object_type=served.label,
                    object_id=obj.pk,
                    language=variant,
                    country=country,
                    data=rendered.data,
                    digest=rendered.digest,
                    last_modified=dated(rendered, now),
                    updated_at=now,
                    rendered_at=now,
                )
                new.append(written(served, row))
                continue
            if row.digest == rendered.digest:
                # Nothing a reader sees changed: the row keeps the JSON consumers already
                # hold (its save stamps, its rich text's block keys), so that a full sync
                # and a sync with a cursor, which does not list the item, agree; and so its
                # Last-Modified (a save of something it embeds that changed nothing moved
                # it, and If-Modified-Since fetched the same body again).
                kept = row.last_modified or dated(rendered, row.updated_at)
                if row.country == country and complete(row):
                    current = not rederive or derived_current(served, row)
                    if row.last_modified == kept and current:
                        continue
                row.country = country
                row.last_modified, row.rendered_at = kept, now
                updated.append(written(served, row))
                continue
            row.updated_at = now
            row.data, row.digest, row.country = rendered.data, rendered.digest, country
            row.last_modified, row.rendered_at = dated(rendered, now), now
            updated.append(written(served, row))
    # Changed rows are replaced (a delete and an insert per batch): an UPDATE of many rows
    # with large JSON values, as bulk_update writes it, costs several times more.
    Projection.objects.filter(pk__in=[row.pk for row in updated]).delete()
    for row in updated:
        row.pk = None
    Projection.objects.bulk_create(new + updated, batch_size=BATCH)
    record_moves(served, moves)
    back = {row.object_id for row in new} - {pk for pk, _variant in existing}
    for pk, country in {row.object_id: row.country for row in new if row.object_id in back}.items():
        revive(served.label, pk, country)  # public again (a view restriction lifted)
    if new or updated:
        served_content_changed()
    projected.send_robust(
        sender=served.model,
        label=served.label,
        changed={pk: item for pk, item in changed.items() if item[1] or pk in moves},
        moves=moves,
    )
    StaleProjection.objects.filter(
        object_type=served.label, object_id__in=[obj.pk for obj in objects]
    ).delete()
    return len(new) + len(updated)


def dated(rendered, updated_at):
    """A row's ``last_modified`` (its Last-Modified): the newest stamp of what its JSON was
    built from, and never before that JSON last changed. A change no stamp records (a
    contact it showed was deleted) moves ``updated_at`` only: without it, If-Modified-Since
    would get a 304 for the changed item."""
    return max(rendered.last_modified or updated_at, updated_at)


def record_moves(served: ServedType, moves: dict[int, tuple[str, str]]) -> None:
    """An item that moved to another country leaves a tombstone in the one it left.

    A consumer of the old country's site is told to remove it (``reason``
    ``moved``); the new country's sees it as changed; the hub, which shows
    both, is told nothing but the change (``cms.api.selectors.removals``).
    Moving back removes the tombstone.
    """
    now = timezone.now()
    for pk, (old, new) in moves.items():
        revive(served.label, pk, new)
        if old:
            Tombstone.objects.update_or_create(
                object_type=served.label,
                object_id=pk,
                country=old,
                defaults={"reason": Tombstone.Reason.MOVED, "removed_at": now},
            )


def listing_of(served: ServedType, data: dict) -> dict:
    """What a listing of ``served`` shows of ``data`` without ``?fields=``."""
    return selected_fields(data, served.representation.listing_fields)


def written(served: ServedType, row: Projection) -> Projection:
    """``row`` with what reads use made from its ``data``: the listing subset, the texts,
    the columns listings filter and order by."""
    row.listing = listing_of(served, row.data)
    for name, value in columns_of(row.data, row.language).items():
        setattr(row, name, value)
    row.body = body_of(served, row.language, row.data, row.updated_at)
    row.listing_body = body_of(served, row.language, row.listing, row.updated_at)
    return row


def derived_current(served: ServedType, row: Projection) -> bool:
    """Whether ``row``'s listing subset, texts and columns are what its data gives now.

    The texts are compared as JSON: PostgreSQL's jsonb gives the data back with the keys
    of its objects reordered, so a text made from it again differs in order only.
    """
    fresh = written(
        served, Projection(data=row.data, language=row.language, updated_at=row.updated_at)
    )
    return all(
        getattr(fresh, name) == getattr(row, name)
        for name in ("listing", "title_key", "date", "sector_ids")
    ) and all(
        same_json(getattr(fresh, name), getattr(row, name)) for name in ("body", "listing_body")
    )


def same_json(fresh: str, stored: str | None) -> bool:
    try:
        return stored is not None and json.loads(fresh) == json.loads(stored)
    except ValueError:  # a stored text that is not JSON at all
        return False


def complete(row: Projection) -> bool:
    """Whether ``row`` has all that reads serve (older rows lack the newer columns)."""
    return row.listing is not None and row.body is not None and row.listing_body is not None


def hide(label: str, ids: list[int]) -> int:
    """Objects that are no longer public lose their rows, and consumers are told.

    Unpublishing and deleting write their own tombstones (``cms.projections.tombstones``); an
    item that leaves the API otherwise (a view restriction, a page moved off every
    site) gets an ``unpublished`` one in the country it was served in, so a sync
    removes it too. A tombstone that says more (deleted) is kept.
    """
    if not ids:
        return 0
    served = dict(
        Projection.objects.filter(object_type=label, object_id__in=ids, language=ALL).values_list(
            "object_id", "country"
        )
    )
    buried = Tombstone.objects.filter(object_type=label, object_id__in=list(served))
    kept = set(buried.exclude(reason=Tombstone.Reason.MOVED).values_list("object_id", "country"))
    now = timezone.now()
    silently = {pk: country for pk, country in served.items() if (pk, country) not in kept}
    for pk, country in silently.items():
        Tombstone.objects.update_or_create(
            object_type=label,
            object_id=pk,
            country=country,
            defaults={"reason": Tombstone.Reason.UNPUBLISHED, "removed_at": now},
        )
    if silently:
        withdrawn.send_robust(sender=None, label=label, removed=silently)
    return forget(label, ids)


def forget(label: str, ids: list[int]) -> int:
    if not ids:
        return 0
    StaleProjection.objects.filter(object_type=label, object_id__in=ids).delete()
    deleted, _ = Projection.objects.filter(object_type=label, object_id__in=ids).delete()
    if deleted:
        served_content_changed()
    return deleted


def restamp_after(moment, now) -> int:
    """After a restore from a backup: every stamp later than ``moment`` (the start of the
    interval it undid, ``generation.lost_interval``) becomes ``now``; rows restamped.

    Those items (projection rows, tombstones, sites) may differ from what a consumer
    took during the interval, and a consumer that synced again after the restore must
    not be handed a time inside it as its next ``updated_since``, which is refused
    there: as of ``now`` they are what they are, so they come again, and the listings'
    ``Last-Modified`` is ``now``.
    """
    from cms.core.models import Country  # noqa: PLC0415 - the projections' models first

    rows = Projection.objects.filter(updated_at__gt=moment)
    restamped = []
    for row in rows.iterator(chunk_size=500):
        served = by_label(row.object_type)
        if served is None:  # a type no longer served: check_projections --write drops it
            continue
        row.updated_at = row.last_modified = now
        restamped.append(written(served, row))
    Projection.objects.bulk_update(
        restamped, ["updated_at", "last_modified", "body", "listing_body"], batch_size=500
    )
    Tombstone.objects.filter(removed_at__gt=moment).update(removed_at=now)
    Country.objects.filter(updated_at__gt=moment).update(updated_at=now)
    return len(restamped)


def served_content_changed() -> None:
    """What the API serves changed: its cached responses are stale, whatever made the change.

    (The admin's publish and snippet saves also invalidate; a live page saved from a
    shell, an image replaced or the worker's renderings reach the API only here.)
    """
    generation.bump()


def country_of(served: ServedType, obj: Model, renderer: Renderer) -> str:
    """The code of the country an item belongs to ("" for network-wide items, e.g. sectors)."""
    if served.is_page:
        country = renderer.scope.country_of(obj)
        return country.code if country else ""
    country_id = getattr(obj, "country_id", None)
    if country_id is None:
        return ""
    for country in renderer.scope.countries.values():
        if country.pk == country_id:
            return country.code
    return ""


def mark_stale(label: str, ids: Iterable[int]) -> int:
    """Note that these items must be rendered again (by the worker): one row each."""
    rows = [StaleProjection(object_type=label, object_id=pk) for pk in set(ids)]
    StaleProjection.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def project_pending(limit: int | None = None) -> int:
    """Render the items marked stale (oldest first); rows changed."""
    marks = StaleProjection.objects.order_by("marked_at", "pk")
    if limit:
        marks = marks[:limit]
    by_label: dict[str, list[int]] = defaultdict(list)
    for label, pk in marks.values_list("object_type", "object_id"):
        by_label[label].append(pk)
    renderer = Renderer()
    return sum(project_ids(label, ids, renderer=renderer) for label, ids in by_label.items())
