"""Search in the Delivery API: ``/api/v3/search/`` and ``/api/v3/search/autocomplete/``.

Thin: parameters are validated in the schemas below, scope and language come
from the API's negotiation (``?site=``/host, ``?lang=``/Accept-Language), and
the work is done by ``cms.search.service`` — the same service as the visitor
search page. An unreachable engine answers from the database with
``degraded: true``; when nothing can answer the API says 503.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Annotated, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from cms.api.errors import ParameterError
from cms.api.http import not_to_be_kept, read
from cms.api.listings import CountryCode, Day, Slug, comma_list
from cms.api.params import ReadParams
from cms.api.responses import page_links, read_context
from cms.api.selectors import check_countries
from cms.projections.fields import RenderContext
from cms.projections.registry import by_label
from cms.search.backends import engine_outage
from cms.search.documents import KIND_OF_TYPE, TYPE_OF_KIND
from cms.search.promotions import promoted
from cms.search.service import (
    SearchError,
    SearchRequest,
    SearchResponse,
    SearchUnavailable,
    autocomplete,
    search,
    validate,
)
from cms.search.text import without_control_characters

router = Router(tags=["search"])


#: What the API calls each searchable type: the model label, as ``type`` and
#: ``meta.type`` everywhere else in the API (the search kinds still filter as aliases).
SearchType = Literal[tuple(KIND_OF_TYPE)]


#: A query as typed, control characters dropped.
TypedQuery = Annotated[str, BeforeValidator(without_control_characters)]


class SearchParams(ReadParams):
    q: TypedQuery = Field(
        ..., min_length=1, max_length=settings.SEARCH_MAX_QUERY_CHARS, description="Query"
    )
    country: comma_list(CountryCode) = Field([], description="Country codes (comma-separated)")
    sector: comma_list(Slug) = Field([], description="Sector slugs (comma-separated)")
    type: comma_list(str) = Field(
        [],
        description=f"Types to search, comma-separated: {', '.join(KIND_OF_TYPE)} (the "
        f"older names {', '.join(TYPE_OF_KIND)} still work)",
    )
    date_from: Day | None = Field(None, description="Items dated on or after (YYYY-MM-DD)")
    date_to: Day | None = Field(None, description="Items dated on or before (YYYY-MM-DD)")
    limit: int = Field(10, ge=1, le=settings.SEARCH_MAX_PAGE_SIZE, description="Results per page")
    offset: int = Field(0, ge=0, le=10_000, description="Results to skip")


class AutocompleteParams(ReadParams):
    q: str = Field(..., min_length=1, max_length=100, description="What has been typed so far")
    limit: int = Field(8, ge=1, le=20)


class HitMeta(Schema):
    type: SearchType
    detail_url: str = Field(description="The item in the Delivery API")
    language: str = Field(description="The language asked for")


class Hit(Schema):
    type: SearchType
    id: int
    meta: HitMeta
    title: str = Field(description="HTML-escaped, with query words in <mark>")
    snippet: str = Field(description="HTML-escaped excerpt, with query words in <mark>")
    url: str = Field(description="The item on the visitor site")
    country: str
    date: date | None
    language: str
    served_language: str = Field(description="Language the item is really shown in")
    fallback: bool = Field(
        description="Deprecated, read `_fallback`: true when the item is not translated "
        "into `language`",
        json_schema_extra={"deprecated": True},
    )
    fallback_: dict[str, str] = Field(
        alias="_fallback",
        description="Fields shown in another language than asked for: field -> language "
        "(`title` and `snippet` when the item is not translated into `language`)",
    )


class Promoted(Schema):
    type: SearchType
    id: int
    meta: HitMeta
    title: str = Field(description="HTML-escaped")
    description: str = Field(
        description="HTML-escaped: the editor's description, else the item's summary"
    )
    url: str
    country: str
    date: date | None
    language: str


class Facets(Schema):
    country: dict[str, int] = {}
    type: dict[str, int] = Field({}, description="Hits per type (the `type` filter's values)")
    sector: dict[str, int] = {}


class SearchResults(Schema):
    query: str
    language: str
    count: int
    limit: int
    offset: int
    next: str | None = Field(description="The next page, if there is one")
    previous: str | None = Field(description="The previous page, if there is one")
    degraded: bool = Field(description="True when the engine was down and the database answered")
    did_you_mean: str | None = Field(
        None,
        description="A corrected query that finds more, when this one found less than a page "
        "(a mistyped word replaced by the closest word of the published content); else null",
    )
    facets: Facets
    promoted: list[Promoted] = Field(
        description="Items editors recommend for this query, to show above `items` (first page "
        "only; published and translated into `language`, within the filters)"
    )
    items: list[Hit]


class Suggestion(Schema):
    type: SearchType
    id: int
    meta: HitMeta
    title: str
    url: str


class Suggestions(Schema):
    language: str
    items: list[Suggestion]


def served_language(request: HttpRequest, params: ReadParams):
    context = read_context(request, params)
    if context.localizer.is_all:
        raise ParameterError("lang", "search needs one language, not 'all'")
    return context


@read(router, "/", response=SearchResults, url_name="search", by_alias=True)
def search_content(request: HttpRequest, params: Query[SearchParams]):
    """Language-aware full-text search with filters, facets and highlights."""
    context = served_language(request, params)
    countries = searched_countries(context.scope, params.country)
    finds_nothing = countries is None  # a national site asked for other countries only
    search_request = SearchRequest(
        query=params.q,
        language=context.localizer.language,
        countries=(context.scope.code,) if finds_nothing else countries,
        sectors=tuple(params.sector),
        kinds=search_kinds(params.type),
        date_from=params.date_from,
        date_to=params.date_to,
        page_size=params.limit,
        offset=params.offset,
    )
    try:
        response = nothing(search_request) if finds_nothing else search(search_request)
    except SearchError as error:
        name = {"page_size": "limit"}.get(error.field_name, error.field_name)
        raise ParameterError(name, error.message) from error
    except SearchUnavailable as error:
        raise ParameterError("q", "search is unavailable right now", status=503) from error
    if response.degraded or response.provisional:
        # The engine's answer is wanted again as soon as it is back; the new vocabulary's
        # as soon as it is built.
        not_to_be_kept(request)
    facets = dict(response.facets or {})
    if "type" in facets:
        facets["type"] = {TYPE_OF_KIND[kind]: n for kind, n in facets["type"].items()}
    return {
        "query": params.q,
        "language": search_request.language,
        "count": response.total,
        **page_links(request, params, response.total),
        "degraded": response.degraded,
        "did_you_mean": response.did_you_mean,
        "facets": facets,
        "promoted": [
            {
                **identity(context, item.kind, item.object_id),
                "title": str(item.title),
                "description": str(item.description),
                "url": item.url,
                "country": item.country,
                "date": item.date,
                "language": item.language,
            }
            for item in ([] if finds_nothing else promoted(search_request))
        ],
        "items": [
            {
                **identity(context, hit.kind, hit.object_id),
                "title": str(hit.title),
                "snippet": str(hit.snippet),
                "url": hit.url,
                "country": hit.country,
                "date": hit.date,
                "language": hit.language,
                "served_language": hit.served_language,
                "fallback": hit.is_fallback,
                "_fallback": (
                    dict.fromkeys(("title", "snippet"), hit.served_language)
                    if hit.is_fallback
                    else {}
                ),
            }
            for hit in response.hits
        ],
    }


def searched_countries(scope, wanted: list[str]) -> tuple[str, ...] | None:
    """The countries to search: those of ``?country=`` on the hub (every one without it); a
    national site's own only, as its listings: ``?country=`` naming only others (None)
    finds nothing there."""
    wanted = check_countries(scope, wanted) or []
    if scope.is_network:
        return tuple(wanted)
    return tuple(scope.owner_codes(wanted)) or None


def nothing(search_request: SearchRequest) -> SearchResponse:
    """No hits, for a request checked as every search is (a bad ``q`` is still a 400)."""
    validate(search_request)
    return SearchResponse(request=search_request, hits=[], total=0)


def search_kinds(types: list[str]) -> tuple[str, ...]:
    """The search kinds of the ``type`` filter's values: model labels, or the older kind names."""
    kinds = []
    for value in types:
        kind = KIND_OF_TYPE.get(value, value if value in TYPE_OF_KIND else None)
        if kind is None:
            raise ParameterError("type", f"unknown type {value!r}; use {', '.join(KIND_OF_TYPE)}")
        kinds.append(kind)
    return tuple(kinds)


def identity(context: RenderContext, kind: str, object_id: int) -> dict:
    """``type``, ``id`` and ``meta`` of a search result, as every other item of the API has them."""
    label = TYPE_OF_KIND[kind]
    route = by_label(label).representation.route
    return {
        "type": label,
        "id": object_id,
        "meta": {
            "type": label,
            "detail_url": context.api_url(f"{route}/{object_id}/"),
            "language": context.localizer.language,
        },
    }


@read(router, "/autocomplete/", response=Suggestions, url_name="search_autocomplete")
def autocomplete_titles(request: HttpRequest, params: Query[AutocompleteParams]):
    """Titles that start with what the visitor has typed, for a search box."""
    context = served_language(request, params)
    countries = () if context.scope.is_network else (context.scope.code,)
    started = time.monotonic()
    try:
        items = autocomplete(
            params.q, context.localizer.language, countries=countries, limit=params.limit
        )
    except SearchUnavailable as error:
        raise ParameterError("q", "search is unavailable right now", status=503) from error
    if engine_outage.seen_since(started):
        not_to_be_kept(request)  # the database's answer, as for search/ (``degraded``)
    return {
        "language": context.localizer.language,
        "items": [
            {
                **identity(context, item["type"], item["id"]),
                "title": item["title"],
                "url": item["url"],
            }
            for item in items
        ],
    }
