"""Answering a search on an external engine (OpenSearch, Elasticsearch) in one request.

Wagtail's search results ask the engine once per use: the page, the count, each
facet and, for sectors (a nested field its ``facet()`` cannot count), one count
per sector: nine round trips for a search on the demo content, more with every
sector. Here the page, the exact total and every facet are one ``_search``
request: the request's filters, the ranked page (``from``/``size``), the total
(``track_total_hits``) and three aggregations (country, kind, and sectors through
their nested documents). The documents of the page are then read from the
database in one statement, in the engine's order.

The request goes through the client Wagtail's backend already holds
(``backend.es``: its hosts, credentials and timeout), to the index
``backend.get_index_for_model`` names, with field names from the backend's
mapping class (``get_field_column_name``), so it reads what Wagtail indexed.
Both clients (opensearch-py, elasticsearch-py 8/9) take ``search(index=, body=)``.

Ranking: the query's terms (``cms.search.query.Term``) are matched in the title
(boost 3) and the body, as ``SearchDocument.search_fields`` say. The visitor's own
words are one ``multi_match``, the same query Wagtail built for them before; terms
added on their behalf (synonyms, compound parts, near spellings) are ``multi_match``
es of their own, boosted by their weight, a phrase (``Term.phrase``: a synonym of
several words) a ``multi_match`` of type ``phrase``, its tokens one after another.
Any document that matches a first-tier term (``Term.first_tier``: the visitor's own
words and editors' synonyms) also gets :data:`EXACT_TIER` on top, so everything found
only through compound parts and near spellings ranks below everything found through
those, and among each group the engine's BM25 score decides.

An engine error (refused connection, timeout, error status) propagates: the search
service then answers the whole request from the database and says so (``degraded``).
So does :class:`BeyondResultWindow`, for a page with hits that starts past the engine's
result window; a page past the end there is answered by the total and facets of the
same single request, and so is any page past the end (no ``_count``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from wagtail.search.index import FilterField, RelatedFields

from cms.core.models import Sector
from cms.search.models import SearchDocument
from cms.search.query import Found, Query, SearchRequest, by_count

#: Added to the score of every document matching a first-tier term. BM25 gives
#: one term at most idf * (k1 + 1) = ln(1 + 2N) * 2.2, about 27 at a million documents, times
#: the title's boost of 3: added terms cannot sum to this, and at this size the engine's
#: float scores still tell apart scores a thousandth apart.
EXACT_TIER = 10_000.0
#: Buckets per facet: more than there will ever be countries, types or sectors.
FACET_SIZE = 1000
#: The engine's ``index.max_result_window`` (its default, which Wagtail's indexes keep): it
#: refuses, with an error status, a request whose ``from + size`` is larger.
RESULT_WINDOW = 10_000


class BeyondResultWindow(Exception):
    """A page with hits past the engine's result window: only the database can read it."""


@dataclass(frozen=True)
class Columns:
    """The engine's names for the fields a search matches, filters and counts."""

    text: list[str]  # searchable fields with their boosts: ["title^3.0", "body"]
    language: str
    country: str
    kind: str
    date: str
    sectors: str  # the nested path of the sectors
    sector_slug: str  # the slug inside it, with the path: "sectors.slug_filter"


def columns(backend) -> Columns:
    """The index's field names for ``SearchDocument``, as the backend's mapping names them."""
    mapping = backend.mapping_class(SearchDocument)
    fields = SearchDocument.get_search_fields()
    filters = {f.field_name: f for f in fields if isinstance(f, FilterField)}
    sectors = next(f for f in fields if isinstance(f, RelatedFields) and f.field_name == "sectors")
    slug = next(f for f in sectors.fields if f.field_name == "slug")
    sectors_column = mapping.get_field_column_name(sectors)
    slug_column = backend.mapping_class(Sector).get_field_column_name(slug)
    text = []
    for field in SearchDocument.get_searchable_search_fields():
        name = mapping.get_field_column_name(field)
        boost = float(field.boost or 1)
        text.append(name if boost == 1 else f"{name}^{boost}")
    return Columns(
        text=text,
        language=mapping.get_field_column_name(filters["language"]),
        country=mapping.get_field_column_name(filters["country"]),
        kind=mapping.get_field_column_name(filters["kind"]),
        date=mapping.get_field_column_name(filters["date"]),
        sectors=sectors_column,
        sector_slug=f"{sectors_column}.{slug_column}",
    )


def matching(query: Query, names: Columns) -> dict:
    """The scoring query: the visitor's words first, added terms below them (see above)."""

    def match(tokens: list[str], boost: float = 1.0) -> dict:
        """Any of ``tokens``: one ``multi_match`` for the single ones, one of type
        ``phrase`` per phrase (joined tokens), in a ``bool`` when there are several."""
        single = [token for token in tokens if " " not in token]
        clauses = [multi_match(" ".join(single), names, boost)] if single else []
        clauses += [
            multi_match(token, names, boost, phrase=True) for token in tokens if " " in token
        ]
        if len(clauses) == 1:
            return clauses[0]
        return {"bool": {"should": clauses, "minimum_should_match": 1}}

    exact = query.exact_tokens
    first_tier = query.first_tier_tokens
    added: dict[float, list[str]] = {}
    for term in query.terms:
        if not term.exact:
            added.setdefault(float(term.weight), []).append(term.token)
    if not added:
        return match(exact)  # the query Wagtail's backend sent for a plain search
    should = [match(tokens, weight) for weight, tokens in added.items()]
    if exact:
        should.insert(0, match(exact))
    if first_tier:
        should.append({"constant_score": {"filter": match(first_tier), "boost": EXACT_TIER}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def multi_match(text: str, names: Columns, boost: float = 1.0, *, phrase: bool = False) -> dict:
    """``text`` in the title or the body; with ``phrase``, its tokens one after another."""
    clause: dict = {"query": text, "fields": names.text}
    if phrase:
        clause["type"] = "phrase"
    if boost != 1.0:
        clause["boost"] = boost
    return {"multi_match": clause}


def filters(request: SearchRequest, names: Columns) -> list[dict]:
    """The request's language and filters (``query.filtered_documents`` for the engine)."""
    out: list[dict] = [{"term": {names.language: request.language}}]
    if request.countries:
        out.append({"terms": {names.country: list(request.countries)}})
    if request.kinds:
        out.append({"terms": {names.kind: list(request.kinds)}})
    if request.date_from or request.date_to:
        bounds = {}
        if request.date_from:
            bounds["gte"] = request.date_from.isoformat()
        if request.date_to:
            bounds["lte"] = request.date_to.isoformat()
        out.append({"range": {names.date: bounds}})
    if request.sectors:
        # Nested: a document in several of the requested sectors matches once.
        sectors = {"terms": {names.sector_slug: list(request.sectors)}}
        out.append({"nested": {"path": names.sectors, "query": sectors}})
    return out


def search_body(request: SearchRequest, query: Query, names: Columns) -> dict:
    """The one request: ranked page, exact total and every facet."""
    return {
        "query": {"bool": {"must": matching(query, names), "filter": filters(request, names)}},
        "from": request.start,
        "size": request.page_size,
        "track_total_hits": True,
        "_source": False,  # the page's rows come from the database
        "aggs": {
            "country": {"terms": {"field": names.country, "size": FACET_SIZE}},
            "kind": {"terms": {"field": names.kind, "size": FACET_SIZE}},
            "sectors": {
                "nested": {"path": names.sectors},
                # A bucket counts the sector entries of the matching documents, which is
                # their number: a document lists a sector once (a many-to-many relation).
                # So no ``reverse_nested`` back to the documents, which cost a pass per bucket.
                "aggs": {"slug": {"terms": {"field": names.sector_slug, "size": FACET_SIZE}}},
            },
        },
    }


def search_page(request: SearchRequest, query: Query, backend) -> Found:
    """The page of ``request``, the total and the facets: one engine request and one
    statement (the page's rows; the sectors' order too when it is read again)."""
    if not query.terms:
        return Found(documents=[], total=0, facets={})
    index = backend.get_index_for_model(SearchDocument).name
    body = search_body(request, query, columns(backend))
    beyond = request.start + request.page_size > RESULT_WINDOW
    if beyond:
        # The engine would refuse the page: the same request asks for the total and the
        # facets alone, which answer a page past the end (the usual way there).
        body.update({"from": 0, "size": 0})
    response = backend.es.search(index=index, body=body)
    hits = response["hits"]
    total = hits["total"]["value"]
    if not total:
        return Found(documents=[], total=0, facets={})
    if beyond and total > request.start:
        raise BeyondResultWindow(f"{request.start} + {request.page_size} > {RESULT_WINDOW}")
    # Document ids are the rows' primary keys (the mapping's ``get_document_id``).
    ids = [int(hit["_id"]) for hit in hits["hits"]]
    # Not the analysed tokens (title, body): nothing shows them, and they are the row's
    # longest columns (PostgreSQL reads them out of line), as on the database path.
    rows = SearchDocument.objects.defer("title", "body").in_bulk(ids)
    documents = [rows[pk] for pk in ids if pk in rows]  # a row deleted since: left out
    return Found(documents=documents, total=total, facets=facets(response["aggregations"]))


def facets(aggregations: dict) -> dict[str, dict[str, int]]:
    """The aggregations as the search service's facets, in the database path's order."""

    def counts(buckets) -> dict[str, int]:
        return {str(bucket["key"]): bucket["doc_count"] for bucket in buckets}

    sector_counts = counts(aggregations["sectors"]["slug"]["buckets"])
    return {
        "country": by_count(counts(aggregations["country"]["buckets"])),
        "type": by_count(counts(aggregations["kind"]["buckets"])),
        "sector": {
            slug: sector_counts[slug]
            for slug in SECTOR_ORDER.ordered(sector_counts)
            if sector_counts[slug]
        },
    }


class SectorOrder:
    """The sectors' editorial order (``sort_order``, then slug), kept in the process.

    Every search with hits orders its sector facet by it, and it changes when an editor
    reorders or adds sectors, a few times a year: read again (one small statement) when a
    facet names a slug it does not know (a sector added a moment ago is ordered at once)
    and at most every ``SEARCH_VOCABULARY_CHECK_SECONDS`` otherwise (5 s in production,
    0 in tests), like the other values the search keeps in the process
    (``cms.search.process_cache``). A search in between costs no statement for it.
    """

    def __init__(self):
        self.ranks: dict[str, int] = {}
        self.read_at = -math.inf

    def ordered(self, slugs) -> list[str]:
        """Those of ``slugs`` that are sectors, in the editorial order."""
        ranks = self.ranks
        stale = time.monotonic() - self.read_at >= settings.SEARCH_VOCABULARY_CHECK_SECONDS
        if slugs and (stale or not set(slugs) <= ranks.keys()):
            rows = Sector.objects.order_by("sort_order", "slug").values_list("slug", flat=True)
            ranks = {slug: rank for rank, slug in enumerate(rows)}
            self.ranks, self.read_at = ranks, time.monotonic()
        return sorted((slug for slug in slugs if slug in ranks), key=ranks.__getitem__)


SECTOR_ORDER = SectorOrder()
