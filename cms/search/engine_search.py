"""Answering a search on an external engine (OpenSearch, Elasticsearch)."""

from __future__ import annotations

from dataclasses import dataclass

from cms.core.models import Sector
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
    results = backend.search(text, filtered_documents(request), operator="or")
    start = (request.page - 1) * request.page_size
    page = list(results[start : start + request.page_size])
    total = results.count()
    facets = compute_facets(request, text, backend) if total else {}
    return Found(documents=page, total=total, facets=facets)


def compute_facets(request: SearchRequest, query: str, backend) -> dict[str, dict[str, int]]:
    """Counts per country, type and sector of everything that matched (with the other filters).

    The engine path: each count is one engine request, answered from the engine's own
    index. The database backends use :func:`database_facets` instead, because there every
    one of these requests is a full-text statement over the whole language.
    """
    results = backend.search(query, filtered_documents(request), operator="or")
    facets = {
        "country": {str(k): v for k, v in results.facet("country").items()},
        "type": {str(k): v for k, v in results.facet("kind").items()},
    }
    sector_counts = {}
    for slug in Sector.objects.values_list("slug", flat=True):
        narrowed = filtered_documents(request).filter(sectors__slug=slug)
        count = backend.search(query, narrowed, operator="or").count()
        if count:
            sector_counts[slug] = count
    facets["sector"] = sector_counts
    return facets
