"""From a validated request to the JSON of a listing or a detail.

Endpoints stay thin: they pick a selector and call ``listing()``, or name a
representation and call ``detail()``; these read the stored projections
(``cms.projections``) and note Last-Modified.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import translation

from cms.api import selectors
from cms.api.errors import ParameterError
from cms.api.http import Prewritten
from cms.api.negotiation import localizer_for, resolve_scope
from cms.api.params import ListParams, ReadParams
from cms.projections import generation
from cms.projections import reading as projections
from cms.projections.fields import RenderContext
from cms.projections.registry import by_label
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
    """``limit``, ``offset`` and links to the next and previous page of a listing; from an
    offset past the end, "previous" is the last page that has items, not another empty one."""
    limit, offset = params.limit, params.offset
    previous = max(min(offset - limit, count - limit), 0)
    return {
        "limit": limit,
        "offset": offset,
        "next": page_link(request, offset + limit) if offset + limit < count else None,
        "previous": page_link(request, previous) if offset > 0 else None,
    }


def page_link(request: HttpRequest, offset: int) -> str:
    """This request's URL with another ``offset`` (the other parameters as they came)."""
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def listing(
    context: RenderContext,
    params: ListParams,
    query: RowQuery | QuerySet,
    *,
    available: frozenset[str] | None = None,
    defaults: frozenset[str] | None = None,
    representation: Representation | None = None,
) -> dict:
    """One page of ``query``, in the envelope every listing shares.

    Pages and snippets (a ``RowQuery``) are their stored rows: each item's text
    when it is what was asked for, else its stored JSON, else (rich text in
    another format than html) rendered here. Sites, which have no rows, are a
    queryset of the ``representation``'s model, rendered. The fields a consumer
    may ask for and those shown by default are the type's unless ``available``
    and ``defaults`` say otherwise (pages of every type).

    The listing's Last-Modified is the newest change of anything it may show (the
    ``last_modified`` of every row the scope shows of the resource; the sites'
    ``updated_at``) or of a removal of its type (tombstones). With
    ``updated_since`` the removals since then are listed as ``deleted``.
    """
    types = query.types if isinstance(query, RowQuery) else [representation.type_label]
    representation = representation or by_label(types[0]).representation
    selected = params.selected_fields(
        defaults or representation.listing_fields, available or representation.field_names
    )
    countries = getattr(params, "country", None) or []  # they narrow the removals too
    if params.updated_since is not None:
        refuse_lost_interval(params.updated_since)

    def removals():
        return selectors.removals(context.scope, types, countries)

    if isinstance(query, RowQuery):
        rows, count = page(query, params.offset, params.limit)
        ids, items = [row[0] for row in rows], stored_items(context, rows, selected)
        # What the scope shows of the resource changes only with the generation.
        key = (tuple(types), context.localizer.language, context.scope.code, tuple(countries))
        context.seen(
            *generation.current_sites().remembered(
                key,
                lambda: last_changes(
                    projections.shown(context, types), "last_modified", removals()
                ),
            )
        )
    else:
        count = query.count()
        found = query[params.offset : params.offset + params.limit]
        items = rendered(context, representation, found, selected)
        ids = list(items)
        context.seen(*last_changes(query.model.objects.all(), "updated_at", removals()))
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
    if all(isinstance(items.get(pk), str) for pk in ids):  # every item's stored text
        return Prewritten([items[pk] for pk in ids], envelope)
    return {**envelope, "items": [items[pk] for pk in ids if pk in items]}


def refuse_lost_interval(since) -> None:
    """A 400 for an ``updated_since`` inside the interval a restore from a backup undid:
    what the consumer took from it left no trace, so only a full sync drops it.

    Read from the database (one row), as ``sync/`` reads the restore: other processes' copy
    of the generation may lag."""
    lost = generation.lost_interval()
    if lost and lost[0] < since < lost[1]:
        raise ParameterError(
            "updated_since",
            f"the content was restored from a backup at {lost[1]:%Y-%m-%dT%H:%M:%SZ}, undoing "
            "changes you may hold without a trace; start again without updated_since "
            "(a full sync)",
        )


def stored_items(context: RenderContext, rows: list, selected: frozenset) -> dict:
    """The items of ``rows`` by id: their texts if every one serves, else their JSON."""
    types = sorted({object_type for _, object_type, _ in rows})
    if projections.serves_bodies(context, types, selected):
        texts = projections.served_bodies(context, [(pk, body) for pk, _, body in rows])
        if len(texts) == len(rows):
            return texts
    ids = [pk for pk, _, _ in rows]
    items = projections.listed(context, types, ids, selected)
    missing: dict[str, list] = {}
    for pk, object_type, _ in rows:
        if pk not in items:
            missing.setdefault(object_type, []).append(pk)
    for object_type, pks in missing.items():
        rep = by_label(object_type).representation
        found = rep.model.objects.filter(pk__in=pks)
        fresh = rendered(context, rep, found, selected & rep.field_names)
        dates = projections.stamps(context, object_type, list(fresh))
        items.update({pk: projections.dated(item, dates[pk]) for pk, item in fresh.items()})
    return items


def removed(tombstone) -> dict:
    """A tombstone as listings and syncs show it (``schemas.Removed``)."""
    return {
        "id": tombstone.object_id,
        "type": tombstone.object_type,
        "reason": tombstone.reason,
        "removed_at": tombstone.removed_at,
        "site": tombstone.country or None,
    }


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
    context: RenderContext, representation: Representation, found: QuerySet, selected: frozenset
) -> dict[Any, dict]:
    """The objects ``found`` rendered for this request, by id, in their order."""
    objects = representation.load(found, selected, context)
    with translation.override(context.url_language):
        return {obj.pk: representation.represent(obj, context, selected) for obj in objects}


def detail(
    context: RenderContext,
    params: ReadParams,
    representation: Representation,
    pk: Any,
    *,
    found: QuerySet | None = None,
) -> dict:
    """One item with every field unless told otherwise, or 404.

    A published item is its stored row (one query); an item asked for with
    rich text in another format than html is rendered from its model if it has
    a row. A type without rows (sites) is ``found`` and rendered.
    """
    fields = representation.field_names
    selected = params.selected_fields(fields, fields)
    stamp = None
    if found is None:
        model = representation.model
        if not params.fields:
            text = projections.stored_body(context, model, pk)
            if text is not None:
                return Prewritten([text])
        projected = projections.stored(context, model, pk, selected)
        if projected is not None:
            return projected
        stamp = projections.stamps(context, representation.type_label, [pk]).get(pk)
        if stamp is not None:  # dated by its row, as the stored item would be
            found = model.objects.filter(pk=pk)
    items = rendered(context, representation, found[:1], selected) if found is not None else {}
    if not items:
        raise Http404(f"No {representation.model._meta.verbose_name} {pk} on this site")
    item = next(iter(items.values()))
    return projections.dated(item, stamp) if stamp is not None else item
