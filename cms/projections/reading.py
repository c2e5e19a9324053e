"""Serve stored projections: pick the fields asked for, make URLs absolute for this request.

A projection's URLs are host-relative (``cms.projections.rendering``); here
each ``url`` and ``detail_url`` that begins with ``/`` gets the request's
scheme and host, and API links the request's ``?site=``/``?lang=``/
``?rich_text_format=``, exactly as rendering for the request would give them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from cms.projections import bodies
from cms.projections.fields import RenderContext
from cms.projections.models import Projection, Tombstone
from cms.projections.registry import by_label, served_type


def stored(ctx: RenderContext, model, pk: Any, selected: frozenset[str]) -> dict | None:
    """The projection of ``model`` ``pk`` in the request's language, or None if there is none."""
    rows = visible_rows(ctx, model, pk)
    found = (
        rows.values_list("data", "last_modified", "updated_at").first()
        if rows is not None
        else None
    )
    if found is None:
        return None
    data, last_modified, updated_at = found
    ctx.seen(last_modified)
    return dated(absolutised(selected_fields(data, selected), ctx), updated_at)


def visible_rows(ctx: RenderContext, models, pk: Any):
    """The rows of ``pk`` of ``models`` (one or several) this request may read.

    Only an item the request's scope may see: pages and snippets of its
    countries (every country on the hub), sectors everywhere. None when no
    row can answer (a type without rows, rich text in another format).
    """
    served = [served_type(model) for model in (models if isinstance(models, list) else [models])]
    if None in served or not served or ctx.rich_text_output != "html":
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    rows = Projection.objects.filter(
        object_type__in=[each.label for each in served],
        object_id=pk,
        language=ctx.localizer.language,
    )
    if served[0].has_country:  # pages and snippets of countries (types are not mixed)
        rows = rows.filter(country__in=ctx.scope.owner_codes())
    return rows


def listed(ctx: RenderContext, types: list[str], ids: list, selected: frozenset[str]) -> dict:
    """The stored projections of ``ids`` (of the ``types`` labels) in the request's language.

    ``ids`` come from a query of the request's scope; an id without a
    projection (none stored yet, or rich text asked for in another format than
    html) is left out, for the caller to render. (Their ``last_modified`` is not
    needed: a listing is dated by every row it may show, ``cms.api.responses.listing``.)
    """
    if not ids or not types or ctx.rich_text_output != "html":
        return {}
    language = ctx.localizer.language  # the variant: a language, or "all"
    # The listing subset where it holds every field asked for: most listings decode far less.
    column = "listing" if all(selected <= listing_fields(label) for label in types) else "data"
    rows = Projection.objects.filter(
        object_type__in=types, language=language, object_id__in=ids
    ).values_list("object_id", column, "updated_at")
    items = {}
    for object_id, data, updated_at in rows:
        if data is None:  # a row stored before it had a listing subset: rendered instead
            continue
        items[object_id] = dated(absolutised(selected_fields(data, selected), ctx), updated_at)
    return items


def serves_bodies(ctx: RenderContext, types: list[str], selected: frozenset[str]) -> bool:
    """Whether the rows' listing texts are the items asked for: the fields a listing of
    these types shows by default, in the html rich text format."""
    return (
        bool(types)
        and ctx.rich_text_output == "html"
        and all(selected == listing_fields(label) for label in types)
    )


def served_bodies(ctx: RenderContext, rows) -> dict[Any, str]:
    """``(object_id, listing_body)`` rows as texts for this request, by id.

    (Their ``last_modified`` is not needed: a listing is dated by every row it may
    show, ``cms.api.responses.listing``.)
    """
    items = {}
    for object_id, body in rows:
        served = bodies.serve(ctx, body) if body is not None else None
        if served is not None:
            items[object_id] = served
    return items


def stored_body(ctx: RenderContext, models, pk: Any) -> str | None:
    """``stored`` with every field, as text ready to serve (None: read it otherwise).

    ``models``: the item's type, or the types it may be of (a page of any type).
    """
    rows = visible_rows(ctx, models, pk)
    found = rows.values_list("body", "last_modified").first() if rows is not None else None
    if found is None or found[0] is None:
        return None
    served = bodies.serve(ctx, found[0])
    if served is not None:
        ctx.seen(found[1])
    return served


def dated(item: dict, updated_at) -> dict:
    """``meta.updated_at``: when what a reader in this language sees of the item last changed.

    The row's own stamp, which ``updated_since`` compares with; an item
    rendered for a request (no row) carries its own last save instead.
    """
    item["meta"] = {**item["meta"], "updated_at": updated_at}
    return item


def stamps(ctx: RenderContext, label: str, ids: list) -> dict[Any, datetime]:
    """The rows' ``updated_at`` of ``ids`` (``label`` items) in the request's language: what
    an item rendered for the request from its model (rich text as markdown) is dated by,
    as its stored row would be."""
    rows = shown(ctx, [label]).filter(object_id__in=ids)
    return dict(rows.values_list("object_id", "updated_at"))


def shown(ctx: RenderContext, types: list[str]):
    """The rows of ``types`` in the request's language that its scope shows."""
    language = ctx.localizer.language  # the variant: a language, or "all"
    rows = Projection.objects.filter(object_type__in=types, language=language)
    network_wide = [label for label in types if not has_country(label)]
    if not network_wide:
        return rows.filter(country__in=ctx.scope.owner_codes())
    if len(network_wide) < len(types):  # sectors beside a country's items
        rows = rows.filter(Q(country__in=ctx.scope.owner_codes()) | Q(object_type__in=network_wide))
    return rows


#: A position in the stream of changes: (updated_at, object type, object id).
Position = tuple[datetime, str, int]


def changes(
    ctx: RenderContext,
    types: list[str],
    after: Position | None,
    limit: int,
    *,
    settled: datetime | None = None,
) -> tuple[list[dict], Position | None, bool]:
    """Up to ``limit`` items whose row changed after ``after``, oldest change first.

    Returns the items (every field), the position of the last one (``after``
    if none) and whether more follow. Ordered by ``(updated_at, type, id)``,
    so a consumer that resumes from a position misses no row and sees none
    twice unless it changed again. Only rows stamped at or before ``settled``
    count: later ones may have companions still to commit with earlier stamps
    (``SYNC_SETTLE_SECONDS``).
    """
    rows = shown(ctx, types)
    if settled is not None:
        rows = rows.filter(updated_at__lte=settled)
    if after is not None:
        moment, label, pk = after
        rows = rows.filter(
            Q(updated_at__gt=moment)
            | Q(updated_at=moment, object_type__gt=label)
            | Q(updated_at=moment, object_type=label, object_id__gt=pk)
        )
    found = list(
        rows.order_by("updated_at", "object_type", "object_id").values_list(
            "object_type", "object_id", "data", "last_modified", "updated_at"
        )[: limit + 1]
    )
    items, position = [], after
    for label, object_id, data, last_modified, updated_at in found[:limit]:
        ctx.seen(last_modified)
        items.append(dated(absolutised(data, ctx), updated_at))
        position = (updated_at, label, object_id)
    return items, position, len(found) > limit


def settling(ctx: RenderContext, types: list[str], settled: datetime) -> bool:
    """Whether a change or removal of ``types`` is stamped after ``settled``: held back by a
    sync (``SYNC_SETTLE_SECONDS``) now and handed out a moment later, so an answer without
    it is not one to keep (removals of every site: rarely more than needed)."""
    later = shown(ctx, types).filter(updated_at__gt=settled).exists()
    return later or Tombstone.objects.filter(object_type__in=types, removed_at__gt=settled).exists()


def has_country(label: str) -> bool:
    """Whether items of ``label`` belong to a country (pages, clusters...; sectors do not)."""
    served = by_label(label)
    return served is not None and served.has_country


def listing_fields(label: str) -> frozenset[str]:
    served = by_label(label)
    return served.representation.listing_fields if served is not None else frozenset()


#: What every item carries whatever ``?fields=`` says.
ALWAYS = frozenset({"id", "type", "language", "meta", "_fallback"})


def selected_fields(data: dict, selected: frozenset[str]) -> dict:
    """``data`` with only the ``selected`` fields (``ALWAYS`` always)."""
    picked = {name: value for name, value in data.items() if name in ALWAYS or name in selected}
    if "_fallback" in picked:
        picked["_fallback"] = {
            name: code for name, code in picked["_fallback"].items() if name in selected
        }
    return picked


LINK_KEYS = frozenset({"url", "detail_url"})


def absolutised(value: Any, ctx: RenderContext) -> Any:
    if isinstance(value, list):
        return [absolutised(item, ctx) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for name, item in value.items():
        if name in LINK_KEYS and isinstance(item, str) and item.startswith("/"):
            item = ctx.absolute(ctx.carried(item) if name == "detail_url" else item)
        elif isinstance(item, dict | list):
            item = absolutised(item, ctx)
        result[name] = item
    return result
