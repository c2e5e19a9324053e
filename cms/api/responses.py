"""From a validated request to the JSON of a listing or a detail.

Endpoints stay thin: they pick a selector and a representation and call
``listing()`` or ``detail()``, which negotiate scope and language, page,
load what the selected fields need, represent, and note Last-Modified.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import cache
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation

from cms.api import selectors
from cms.api.loading import ObjectsPlan
from cms.api.negotiation import localizer_for, resolve_scope
from cms.api.params import ListParams, ReadParams
from cms.api.prepared import PLANS, Scalars
from cms.api.representations import RenderContext, Representation
from cms.projections import reading as projections


def read_context(request: HttpRequest, params: ReadParams) -> RenderContext:
    """Scope and language of this request; kept on it for the response headers."""
    scope = resolve_scope(request, params.site)
    localizer = localizer_for(request, params.lang, scope)
    context = RenderContext(
        request=request, scope=scope, localizer=localizer, rich_text_format=params.rich_text_format
    )
    request.api_context = context
    return context


def page_links(request: HttpRequest, params: ListParams, count: int) -> dict[str, Any]:
    """``limit``, ``offset`` and links to the next and previous page of a listing."""
    limit, offset = params.limit, params.offset
    return {
        "limit": limit,
        "offset": offset,
        "next": _page_link(request, offset + limit) if offset + limit < count else None,
        "previous": _page_link(request, max(offset - limit, 0)) if offset > 0 else None,
    }


def _page_link(request: HttpRequest, offset: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


#: ``present(page, selected, key, stamps)``: the items of ``page()`` (a function building the
#: page's queryset) represented with the ``selected`` fields, and the values of ``stamps``
#: if they came with the items (``None`` if not); ``key`` as ``plan_key`` gives it.
Present = Callable[
    [Callable[[], QuerySet], frozenset, Hashable | None, Scalars],
    tuple[list[dict], list | None],
]


def listing(
    context: RenderContext,
    params: ListParams,
    queryset: Callable[[], QuerySet],
    *,
    present: Present,
    available: frozenset[str],
    defaults: frozenset[str],
    collection: Callable[[], QuerySet],
    modified_field: str,
    removals: Callable[[], QuerySet],
) -> dict:
    """One page of ``queryset``, represented, in the envelope every listing shares.

    ``collection`` (everything the scope shows of the resource) and
    ``removals`` (its tombstones) date the listing for Last-Modified; with
    ``updated_since`` the removals since then are listed as ``deleted``.
    The three are functions building the querysets: a listing asked for before
    runs its compiled SQL again without building them (``plan_key``).

    The count and Last-Modified ride along the items' query where ``present``
    can carry them (``ObjectsPlan``'s ``along``); a page with no items asks
    for them in a query of their own.
    """
    selected = params.selected_fields(defaults, available)
    key = plan_key(context, params, selected)
    items_query = cache(queryset)
    stamps = PLANS.get(
        key and ("stamps", *key),
        lambda: selectors.listing_stamps(items_query(), collection(), modified_field, removals()),
    )
    offset, limit = params.offset, params.limit
    with translation.override(context.url_language):
        items, along = present(
            lambda: items_query()[offset : offset + limit], selected, key, stamps
        )
    count, changed_at = selectors.stamps(along if along is not None else stamps.run())
    context.seen(changed_at)
    envelope = {
        "count": count,
        **page_links(context.request, params, count),
        "language": context.localizer.language,
        "site": context.scope.code,
        "items": items,
    }
    if params.updated_since is not None:
        envelope["deleted"] = [
            {
                "id": tombstone.object_id,
                "type": tombstone.object_type,
                "reason": tombstone.reason,
                "removed_at": tombstone.removed_at,
                "site": tombstone.country or None,
            }
            for tombstone in removals().filter(removed_at__gte=params.updated_since)
        ]
    return envelope


def plan_key(context: RenderContext, params: ListParams, selected: frozenset) -> tuple | None:
    """Everything a listing's querysets are built from, or ``None`` to build them afresh.

    The validated parameters, the fields, the served language, the scope (every
    country's code, hub flag and site root) and the view-restricted paths: the
    querysets are a function of these alone, so their compiled SQL can be kept
    (``cms.api.prepared.PLANS``). Parameters the selectors resolve through the
    database (``params.looked_up``: sector, cluster, tag and organisation slugs) are
    not: with them, or where ``params.plan_cache`` says so (``pages/``: a parent
    page, page types' content types), every request builds its querysets
    (``params.keeps_plan()``).
    """
    if not params.keeps_plan():
        return None
    scope = context.scope
    countries = tuple((c.code, c.is_hub, c.root_path) for c in scope.countries.values())
    return (
        context.request.path,
        type(params),
        hashable(params.model_dump()),
        selected,
        context.localizer.language,
        scope.code,
        countries,
        scope.restricted_paths,
    )


def hashable(value: Any) -> Hashable:
    if isinstance(value, dict):
        return tuple(sorted((name, hashable(item)) for name, item in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(hashable(item) for item in value)
    return value


def presenter(context: RenderContext, representation: Representation) -> Present:
    """``present`` for a listing of one model: load in bulk, then represent each."""

    def present(page, selected: frozenset, key, stamps: Scalars):
        plan = PLANS.get(
            key and ("items", *key),
            lambda: ObjectsPlan.of(representation.optimise(page(), selected), along=stamps),
        )
        objects, along = plan.run_along()
        loaded = representation.attach(objects, selected, context)
        return [representation.represent(obj, context, selected) for obj in loaded], along

    return present


def detail(
    context: RenderContext,
    params: ReadParams,
    queryset: QuerySet,
    pk: Any,
    representation: Representation,
    *,
    lookup: str = "pk",
) -> dict:
    """One object of ``queryset`` (404 if not there) with every field unless told otherwise.

    A published item is read from its stored projection (one row); an item
    without one (rich text asked for in another format than html) is
    rendered here.
    """
    from django.http import Http404

    fields = representation.field_names
    selected = params.selected_fields(fields, fields)
    if lookup == "pk":
        projected = projections.stored(context, representation.model, pk, selected)
        if projected is not None:
            return projected
    found = representation.load(queryset.filter(**{lookup: pk})[:1], selected, context)
    obj = found[0] if found else None
    if obj is None:
        raise Http404(f"No {representation.model._meta.verbose_name} {pk} on this site")
    with translation.override(context.url_language):
        return representation.represent(obj, context, selected)
