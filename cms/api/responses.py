"""From a validated request to the JSON of a listing or a detail.

Endpoints stay thin: they pick a selector and a representation and call
``listing()`` or ``detail()``, which negotiate scope and language, page,
load what the selected fields need, represent, and note Last-Modified.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation

from cms.api import selectors
from cms.api.negotiation import localizer_for, resolve_scope
from cms.api.params import ListParams, ReadParams
from cms.api.representations import RenderContext, Representation


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


def listing(
    context: RenderContext,
    params: ListParams,
    queryset: QuerySet,
    *,
    present: Callable[[QuerySet, frozenset], list[dict]],
    available: frozenset[str],
    defaults: frozenset[str],
    collection: QuerySet,
    modified_field: str,
    removals: QuerySet,
) -> dict:
    """One page of ``queryset``, represented, in the envelope every listing shares.

    ``collection`` (everything the scope shows of the resource) and
    ``removals`` (its tombstones) date the listing for Last-Modified; with
    ``updated_since`` the removals since then are listed as ``deleted``.
    """
    selected = params.selected_fields(defaults, available)
    count, changed_at = selectors.listing_stamps(
        context.scope, queryset, collection, modified_field, removals
    )
    context.seen(changed_at)
    page = queryset[params.offset : params.offset + params.limit]
    with translation.override(context.url_language):
        items = present(page, selected) if params.offset < count else []
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
            for tombstone in removals.filter(removed_at__gte=params.updated_since)
        ]
    return envelope


def presenter(context: RenderContext, representation: Representation):
    """``present`` for a listing of one model: load in bulk, then represent each."""

    def present(items: QuerySet, selected: frozenset) -> list[dict]:
        loaded = representation.load(items, selected, context)
        return [representation.represent(obj, context, selected) for obj in loaded]

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
    """One object of ``queryset`` (404 if not there) with every field unless told otherwise."""
    from django.http import Http404

    fields = representation.field_names
    selected = params.selected_fields(fields, fields)
    found = representation.load(queryset.filter(**{lookup: pk})[:1], selected, context)
    obj = found[0] if found else None
    if obj is None:
        raise Http404(f"No {representation.model._meta.verbose_name} {pk} on this site")
    with translation.override(context.url_language):
        return representation.represent(obj, context, selected)
