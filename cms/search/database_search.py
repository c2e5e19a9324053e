"""Answering a search on a database backend (SQLite, PostgreSQL).

Wagtail's database backends rank through a full-text statement per count and
facet; here the page is one ranked statement and the total and facets come
from two grouped statements over the unranked match set.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, FilteredRelation

from cms.search.models import SearchDocument
from cms.search.query import Query, SearchRequest, filtered_documents


@dataclass
class Found:
    """One page of ranked documents, the number of matches and the facet counts."""

    documents: list[SearchDocument]
    total: int
    facets: dict[str, dict[str, int]]


def search_page(request: SearchRequest, query: Query, backend) -> Found:
    text = " ".join(query.tokens)
    documents = filtered_documents(request, database=True)
    results = backend.search(text, documents, operator="or")
    start = (request.page - 1) * request.page_size
    page = list(results[start : start + request.page_size])
    matched = backend.search(text, documents, operator="or", order_by_relevance=False)
    total, facets = database_facets(matched)
    return Found(documents=page, total=total, facets=facets)


def database_facets(matched) -> tuple[int, dict[str, dict[str, int]]]:
    """(total, facets) of a database backend's unranked results, in two SQL statements.

    Each statement of the database backends costs a full-text match over every document
    of the language (SQLite: the FTS subquery; PostgreSQL: the tsvector test per row, the
    GIN index unused), whatever it then counts. The engine path's count, country and type
    facets and one count per sector were nine such statements; here the match set is
    computed twice, however many facet values or hits there are:

    1. ``GROUP BY country, kind``: the country and type facets are its marginal sums, and
       the total is the sum of all. Every document has exactly one country and one kind.
    2. ``GROUP BY`` sector over a join of its own (a ``FilteredRelation``, so that it is not
       the join of a sector *filter* in the request, which would only see the requested
       sectors), ordered like ``Sector`` rows as before.

    Counts are of the same rows as ``count()`` and ``facet()`` counted, so they are
    unchanged, including the request's own filters. ``get_queryset()`` is the queryset that
    every database backend's results (SQLite, PostgreSQL, MySQL, fallback) count and facet
    themselves; an engine's results have none, which is why only this path uses it.
    """
    queryset = matched.get_queryset().order_by()
    by_country: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    rows = queryset.values_list("country", "kind").annotate(n=Count("pk")).order_by()
    for country, kind, count in rows:
        by_country[country] = by_country.get(country, 0) + count
        by_kind[kind] = by_kind.get(kind, 0) + count
    total = sum(by_kind.values())
    if not total:
        return 0, {}
    sector_rows = (
        queryset.annotate(facet_sector=FilteredRelation("sectors"))
        .filter(facet_sector__isnull=False)
        .values_list("facet_sector__slug")
        .annotate(n=Count("pk"))
        .order_by("facet_sector__sort_order", "facet_sector__slug")
    )
    facets = {
        "country": by_count(by_country),
        "type": by_count(by_kind),
        "sector": {slug: count for slug, count in sector_rows if count},
    }
    return total, facets


def by_count(counts: dict[str, int]) -> dict[str, int]:
    """Largest first, as the backends' ``facet()`` returned them (ties by key, stable)."""
    return {str(k): v for k, v in sorted(counts.items(), key=lambda item: (-item[1], item[0]))}
