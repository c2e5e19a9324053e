"""The one search service behind the visitor search page and the API.

``search(SearchRequest(...))`` analyses the query for the visitor's language
(and the languages of its fallback chain), runs it on the configured backend
against that language's search documents, and returns hits with highlights,
facet counts and pagination. When the engine is unreachable it answers from
the database backend and says so (``degraded``); when nothing can answer it
raises ``SearchUnavailable``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, FilteredRelation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.backends import get_search_backend

from cms.core.languages import LANGUAGE_CODES, fallback_chain
from cms.core.models import Country, Sector
from cms.search import suggest
from cms.search.analysis import analyse
from cms.search.backends import engine_only
from cms.search.indexing import is_database_backend
from cms.search.models import SearchDocument

logger = logging.getLogger(__name__)

KINDS = tuple(SearchDocument.Kind.values)
WORD = re.compile(r"\w+", re.UNICODE)


class SearchError(ValueError):
    """The request cannot be searched; ``field`` names the culprit."""

    def __init__(self, field_name: str, message: str):
        self.field_name = field_name
        self.message = message
        super().__init__(f"{field_name}: {message}")


class SearchUnavailable(RuntimeError):
    """Neither the engine nor the database fallback could answer."""


@dataclass(frozen=True)
class SearchRequest:
    query: str
    language: str
    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    page_size: int = 10


@dataclass
class SearchHit:
    kind: str
    object_id: int
    title: SafeString
    snippet: SafeString
    url: str
    country: str
    date: date | None
    language: str
    served_language: str

    @property
    def is_fallback(self) -> bool:
        return self.language != self.served_language


@dataclass
class SearchResponse:
    request: SearchRequest
    hits: list[SearchHit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    degraded: bool = False
    #: A corrected query that finds more, offered when this one found little (cms.search.suggest).
    did_you_mean: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.page_size))


def validate(request: SearchRequest) -> list[str]:
    """Check every parameter; return the query's tokens. Raises SearchError naming the field."""
    if request.language not in LANGUAGE_CODES:
        raise SearchError("lang", f"unknown language {request.language!r}")
    text = (request.query or "").strip()
    if not text:
        raise SearchError("q", "is empty")
    if len(text) > settings.SEARCH_MAX_QUERY_CHARS:
        raise SearchError("q", f"is longer than {settings.SEARCH_MAX_QUERY_CHARS} characters")
    known_countries = set(Country.objects.values_list("code", flat=True))
    for code in request.countries:
        if code not in known_countries:
            raise SearchError("country", f"unknown country {code!r}")
    known_sectors = set(Sector.objects.values_list("slug", flat=True))
    for slug in request.sectors:
        if slug not in known_sectors:
            raise SearchError("sector", f"unknown sector {slug!r}")
    for kind in request.kinds:
        if kind not in KINDS:
            raise SearchError("type", f"unknown type {kind!r}; use one of {', '.join(KINDS)}")
    if request.date_from and request.date_to and request.date_from > request.date_to:
        raise SearchError("date_from", "is after date_to")
    if request.page < 1:
        raise SearchError("page", "must be 1 or more")
    if not 1 <= request.page_size <= settings.SEARCH_MAX_PAGE_SIZE:
        raise SearchError("page_size", f"must be between 1 and {settings.SEARCH_MAX_PAGE_SIZE}")
    tokens = query_tokens(text, request.language)
    if not tokens:
        raise SearchError("q", "has no searchable words")
    return tokens


def query_tokens(text: str, language: str) -> list[str]:
    """Tokens of the query in its language and the languages it falls back to, in order."""
    tokens: list[str] = []
    for code in fallback_chain(language):
        for token in analyse(text, code):
            if token not in tokens:
                tokens.append(token)
    return tokens


def filtered_documents(request: SearchRequest, *, database: bool = False):
    """The documents a search may find: the request's language and filters.

    On a database backend (``database=True``) the sector filter is a subquery:
    a join would list a document once per requested sector it has. An engine
    gets the plain ``sectors__slug__in`` filter, which it answers per document.
    """
    documents = SearchDocument.objects.filter(language=request.language)
    if request.countries:
        documents = documents.filter(country__in=request.countries)
    if request.kinds:
        documents = documents.filter(kind__in=request.kinds)
    if request.date_from:
        documents = documents.filter(date__gte=request.date_from)
    if request.date_to:
        documents = documents.filter(date__lte=request.date_to)
    if request.sectors and database:
        in_sectors = SearchDocument.objects.filter(sectors__slug__in=request.sectors)
        documents = documents.filter(pk__in=in_sectors.values("pk"))
    elif request.sectors:
        documents = documents.filter(sectors__slug__in=request.sectors)
    return documents


def search(request: SearchRequest, *, backend=None) -> SearchResponse:
    """Search; ``backend`` overrides the configured one (the relevance evaluation uses it)."""
    tokens = validate(request)
    if backend is not None:
        return run(request, tokens, backend, degraded=False)
    try:
        # The engine alone: at its first failure the whole request moves to the database
        # path below (one engine timeout per request, not one per count and facet).
        return run(request, tokens, engine_only("default"), degraded=False)
    except Exception as error:  # noqa: BLE001 - an engine failure of any kind
        fallback = fallback_backend_name()
        if fallback is None:
            logger.exception("Search backend failed")
            raise SearchUnavailable(str(error)) from error
        logger.warning("Search engine unavailable, answering from the database: %s", error)
    try:
        return run(request, tokens, get_search_backend(fallback), degraded=True)
    except Exception as error:  # noqa: BLE001
        logger.exception("Database search failed too")
        raise SearchUnavailable(str(error)) from error


def fallback_backend_name() -> str | None:
    """The database backend kept beside an external engine, if any."""
    if "database" in settings.WAGTAILSEARCH_BACKENDS:
        return "database"
    return None


def run(request: SearchRequest, tokens: list[str], backend, *, degraded: bool) -> SearchResponse:
    query = " ".join(tokens)
    documents = filtered_documents(request, database=is_database_backend(backend))
    results = backend.search(query, documents, operator="or")
    start = (request.page - 1) * request.page_size
    page = list(results[start : start + request.page_size])
    if is_database_backend(backend):
        # Total and facets from two grouped statements over the unranked match set.
        matched = backend.search(query, documents, operator="or", order_by_relevance=False)
        total, facets = database_facets(matched)
    else:
        total = results.count()
        facets = compute_facets(request, query, backend) if total else {}
    token_set = set(tokens)
    hits = [
        SearchHit(
            kind=doc.kind,
            object_id=doc.object_id,
            title=highlight(doc.display_title, doc.served_language, token_set),
            snippet=highlight(
                excerpt(doc.display_text, doc.served_language, token_set),
                doc.served_language,
                token_set,
            ),
            url=doc.url,
            country=doc.country,
            date=doc.date,
            language=doc.language,
            served_language=doc.served_language,
        )
        for doc in page
    ]
    return SearchResponse(
        request=request,
        hits=hits,
        total=total,
        facets=facets,
        degraded=degraded,
        did_you_mean=suggest.did_you_mean(request, total, backend),
    )


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


@lru_cache(maxsize=20_000)
def word_tokens(word: str, language: str) -> frozenset[str]:
    return frozenset(analyse(word, language))


def matches(word: str, language: str, tokens: set[str]) -> bool:
    return bool(word_tokens(word.lower(), language) & tokens)


def highlight(text: str, language: str, tokens: set[str]) -> SafeString:
    """Escape ``text`` and wrap the words that matched the query in ``<mark>``."""
    out = []
    position = 0
    for match in WORD.finditer(text):
        out.append(escape(text[position : match.start()]))
        word = match.group(0)
        out.append(
            f"<mark>{escape(word)}</mark>" if matches(word, language, tokens) else escape(word)
        )
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def excerpt(text: str, language: str, tokens: set[str], words: int = 40) -> str:
    """About ``words`` words of ``text`` around its first match."""
    all_words = text.split()
    if len(all_words) <= words:
        return text
    first = next(
        (
            i
            for i, word in enumerate(all_words)
            if any(matches(w, language, tokens) for w in WORD.findall(word))
        ),
        0,
    )
    start = max(0, first - words // 4)
    chunk = " ".join(all_words[start : start + words])
    return ("… " if start else "") + chunk + (" …" if start + words < len(all_words) else "")


def autocomplete(
    prefix: str, language: str, *, countries: tuple[str, ...] = (), limit: int = 8
) -> list[dict]:
    """Titles starting with what the visitor has typed so far."""
    if language not in LANGUAGE_CODES:
        raise SearchError("lang", f"unknown language {language!r}")
    # Only the words go to the backend: control characters (a NUL ends the string
    # in SQLite's full-text syntax) and punctuation are not part of any title prefix.
    prefix = " ".join(WORD.findall((prefix or "")[: settings.SEARCH_MAX_QUERY_CHARS]))
    if not prefix:
        return []
    documents = SearchDocument.objects.filter(language=language)
    if countries:
        documents = documents.filter(country__in=countries)
    try:
        # An engine's results fall back to the database by themselves (cms.search.backends).
        results = get_search_backend("default").autocomplete(prefix, documents)[:limit]
        return [{"title": doc.display_title, "url": doc.url, "type": doc.kind} for doc in results]
    except Exception as error:  # noqa: BLE001 - whatever failed, the API answers 503
        logger.exception("Autocomplete failed")
        raise SearchUnavailable("autocomplete") from error
