"""From a validated request to the JSON of a listing or a detail.

Endpoints stay thin: they pick a selector and a representation and call
``listing()`` or ``detail()``, which page, read the stored projections
(``cms.projections``) of what was found, and note Last-Modified.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Max, QuerySet, Subquery, Window
from django.http import HttpRequest
from django.utils import translation

from cms.api import selectors
from cms.api.http import Prewritten
from cms.api.negotiation import current_sites, localizer_for, resolve_scope
from cms.api.params import ListParams, ReadParams
from cms.projections import reading as projections
from cms.projections.fields import RenderContext
from cms.projections.representations import Representation
from cms.projections.rows import RowQuery, page


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
        "next": page_link(request, offset + limit) if offset + limit < count else None,
        "previous": page_link(request, max(offset - limit, 0)) if offset > 0 else None,
    }


def page_link(request: HttpRequest, offset: int) -> str:
    """This request's URL with another ``offset`` (the other parameters as they came)."""
    query = dict(request.GET.lists())
    query["offset"] = [str(offset)]
    return request.build_absolute_uri(f"{request.path}?{urlencode(query, doseq=True)}")


#: ``live(ids, selected)``: the items ``ids`` rendered for this request, by id.
Live = Callable[[list, frozenset], dict[Any, dict]]


def listing(
    context: RenderContext,
    params: ListParams,
    queryset: QuerySet | RowQuery,
    *,
    types: list[str],
    live: Live,
    available: frozenset[str],
    defaults: frozenset[str],
    removed_types: list[str] | None = None,
    collection: QuerySet | None = None,
    modified_field: str = "updated_at",
) -> dict:
    """One page of ``queryset``, in the envelope every listing shares.

    The page's ids come from ``queryset`` (the consumer's filters and order);
    the items are their stored projections (``types``: the labels they are
    stored under), and only an item without one is rendered here (``live``).
    The listing's Last-Modified is the newest change of anything its items
    show (their rows' ``last_modified``, every item the scope shows of the
    resource) or of the tombstones of its types (``removed_types``, by default
    ``types``); a resource without projections (``sites/``) is dated by its
    ``collection``'s ``modified_field``. With ``updated_since`` the removals
    since then are listed as ``deleted``.
    """
    countries = getattr(params, "country", None) or []  # they narrow the removals too

    def removals():
        return selectors.removals(context.scope, removed_types or types, countries)

    selected = params.selected_fields(defaults, available)
    offset, limit = params.offset, params.limit
    if isinstance(queryset, RowQuery):  # the listing's own rows (``selectors.projected``)
        rows, count = page(queryset, offset, limit)
        ids = [object_id for object_id, _ in rows]
        serves = projections.serves_bodies(context, types, selected)
        texts = projections.served_bodies(context, rows) if serves else {}
    else:
        rows, count = page_of(queryset, offset, limit, "pk")
        ids = [pk for (pk,) in rows]
        texts = projections.listed_bodies(context, types, ids, selected)
    items = {}
    if len(texts) < len(ids):
        items = projections.listed(context, types, ids, selected)
        missing = [pk for pk in ids if pk not in items]
        if missing:
            with translation.override(context.url_language):
                items.update(live(missing, selected))
    if types:
        # What the scope shows of the resource changes only with the generation.
        key = (tuple(types), context.localizer.language, context.scope.code, tuple(countries))
        context.seen(
            *current_sites().remembered(
                key,
                lambda: last_changes(
                    projections.shown(context, types), "last_modified", removals()
                ),
            )
        )
    else:
        context.seen(*last_changes(collection, modified_field, removals()))
    envelope = {
        "count": count,
        **page_links(context.request, params, count),
        "language": context.localizer.language,
        "site": context.scope.code,
    }
    if params.updated_since is not None:
        envelope["deleted"] = [
            removed(tombstone)
            for tombstone in removals().filter(removed_at__gte=params.updated_since)
        ]
    if len(texts) == len(ids):  # every item's stored text (or no items at all)
        return Prewritten([texts[pk] for pk in ids], envelope)
    return {**envelope, "items": [items[pk] for pk in ids if pk in items]}


def removed(tombstone) -> dict:
    """A tombstone as listings and syncs show it (``schemas.Removed``)."""
    return {
        "id": tombstone.object_id,
        "type": tombstone.object_type,
        "reason": tombstone.reason,
        "removed_at": tombstone.removed_at,
        "site": tombstone.country or None,
    }


def page_of(queryset: QuerySet, offset: int, limit: int, *columns: str) -> tuple[list, int]:
    """The ``columns`` of one page of ``queryset`` and how many rows it has in all: one query.

    The total rides on every row (``COUNT(*) OVER ()``); a page past the end
    has no rows to carry it and asks for it on its own.
    """
    rows = list(
        queryset.annotate(total=Window(Count("pk"))).values_list(*columns, "total")[
            offset : offset + limit
        ]
    )
    if rows:
        return [row[:-1] for row in rows], rows[0][-1]
    return [], queryset.count() if offset else 0


def last_changes(collection: QuerySet, modified_field: str, removals: QuerySet) -> tuple:
    """When ``collection`` last changed and when something last left it: one query.

    (The removals ride along as a subquery; a collection with no rows left asks again.)
    """
    latest_removal = removals.order_by("-removed_at").values("removed_at")[:1]
    found = collection.aggregate(changed=Max(modified_field), removed=Max(Subquery(latest_removal)))
    if found["changed"] is None:
        found["removed"] = removals.aggregate(latest=Max("removed_at"))["latest"]
    return found["changed"], found["removed"]


def rendered(
    context: RenderContext,
    representation: Representation,
    queryset: QuerySet | Callable[[], QuerySet],
) -> Live:
    """``live`` for a listing of one model: the items of ``queryset`` among the ids, rendered.

    (``queryset`` may be a function making it: most listings never need it.)
    """

    def live(ids: list, selected: frozenset) -> dict[Any, dict]:
        items = queryset() if callable(queryset) else queryset
        objects = representation.load(items.filter(pk__in=ids), selected, context)
        return {obj.pk: representation.represent(obj, context, selected) for obj in objects}

    return live


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
    if lookup == "pk" and not params.fields:
        text = projections.stored_body(context, representation.model, pk)
        if text is not None:
            return Prewritten([text])
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
