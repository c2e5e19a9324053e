"""The one search service behind the visitor search page and the API.

``search(SearchRequest(...))`` analyses the query for the visitor's language
(and the languages of its fallback chain), runs it on the configured backend
against that language's search documents, and returns hits with highlights,
facet counts and pagination. When the engine is unreachable it answers from
the database backend and says so (``degraded``); when nothing can answer it
raises ``SearchUnavailable``.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.backends import get_search_backend

from cms.core.languages import LANGUAGE_CODES
from cms.search import database_search, engine_search, suggest
from cms.search.analysis import analyse
from cms.search.backends import engine_errors, engine_only, engine_outage, is_outage
from cms.search.expansion import build_query
from cms.search.indexing import is_database_backend
from cms.search.models import SearchDocument
from cms.search.query import (  # noqa: F401 - the service's public names, re-exported
    KINDS,
    WORD,
    Query,
    SearchError,
    SearchRequest,
    filtered_documents,
    query_tokens,
    validate,
)
from cms.search.vocabulary import vocabularies

logger = logging.getLogger(__name__)


class SearchUnavailable(RuntimeError):
    """Neither the engine nor the database fallback could answer."""


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
    #: Made with a typo vocabulary still being rebuilt after a change: right for now, but no
    #: cache may keep it (its corrections and near spellings may be out of date).
    provisional: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.page_size))


def search(request: SearchRequest, *, backend=None) -> SearchResponse:
    """Search; ``backend`` overrides the configured one (the relevance evaluation uses it)."""
    validate(request)
    vocabularies.forget_stale()  # noted from here: the query's near spellings read it too
    query = build_query(request.query, request.language)
    if backend is not None:
        return run(request, query, backend, degraded=False)
    fallback = fallback_backend_name()
    if fallback is None or not engine_outage.ongoing():
        try:
            # The engine alone: at its first failure the whole request moves to the database
            # path below (one engine timeout per request, not one per count and facet).
            return run(request, query, engine_only("default"), degraded=False)
        except Exception as error:  # noqa: BLE001 - an engine failure of any kind
            if fallback is None:
                logger.exception("Search backend failed")
                raise SearchUnavailable(str(error)) from error
            if is_outage(error, engine_errors()):
                engine_outage.note()
            logger.warning("Search engine unavailable, answering from the database: %s", error)
    try:
        return run(request, query, get_search_backend(fallback), degraded=True)
    except Exception as error:  # noqa: BLE001
        logger.exception("Database search failed too")
        raise SearchUnavailable(str(error)) from error


def fallback_backend_name() -> str | None:
    """The database backend kept beside an external engine, if any."""
    if "database" in settings.WAGTAILSEARCH_BACKENDS:
        return "database"
    return None


def run(request: SearchRequest, query: Query, backend, *, degraded: bool) -> SearchResponse:
    """Answer on ``backend``: the database path or the engine path, then highlight the page."""
    if is_database_backend(backend):
        found = database_search.search_page(request, query, backend)
    else:
        found = engine_search.search_page(request, query, backend)
    marker = Highlighter(query.words)  # a phrase's words each
    hits = [
        SearchHit(
            kind=doc.kind,
            object_id=doc.object_id,
            title=marker.highlight(doc.display_title, doc.served_language),
            snippet=marker.highlight(
                marker.excerpt(doc.display_text, doc.served_language), doc.served_language
            ),
            url=doc.url,
            country=doc.country,
            date=doc.date,
            language=doc.language,
            served_language=doc.served_language,
        )
        for doc in found.documents
    ]
    return SearchResponse(
        request=request,
        hits=hits,
        total=found.total,
        facets=found.facets,
        degraded=degraded,
        did_you_mean=suggest.did_you_mean(request, found.total, backend),
        provisional=vocabularies.served_stale(),
    )


@lru_cache(maxsize=65_536)
def word_tokens(word: str, language: str) -> tuple[str, ...]:
    """The search tokens of one (lower-case) word, kept per process: a page of results shows
    about a thousand words, and the words of a language's texts recur from search to search."""
    return tuple(analyse(word, language))


class Highlighter:
    """Finds the words of a page's texts that match the query's tokens, each distinct word
    analysed once per page (titles and excerpts share most of their words)."""

    def __init__(self, tokens):
        self.tokens = frozenset(tokens)
        self.seen: dict[tuple[str, str], bool] = {}

    def matches(self, word: str, language: str) -> bool:
        if not self.tokens:
            return False
        key = (word, language)
        found = self.seen.get(key)
        if found is None:
            found = not self.tokens.isdisjoint(word_tokens(word.lower(), language))
            self.seen[key] = found
        return found

    def highlight(self, text: str, language: str) -> SafeString:
        """Escape ``text`` and wrap the words that matched the query in ``<mark>``."""
        out = []
        position = 0
        for match in WORD.finditer(text):
            word = match.group(0)
            if self.matches(word, language):
                # Only the text around a match is cut out and escaped: most words are not.
                out.append(html.escape(text[position : match.start()]))
                out.append(f"<mark>{html.escape(word)}</mark>")
                position = match.end()
        out.append(html.escape(text[position:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped

    def excerpt(self, text: str, language: str, words: int = 40) -> str:
        """About ``words`` words of ``text`` around its first match."""
        all_words = text.split()
        if len(all_words) <= words:
            return text
        first = 0
        if self.tokens:
            first = next(
                (
                    i
                    for i, word in enumerate(all_words)
                    if any(self.matches(w, language) for w in WORD.findall(word))
                ),
                0,
            )
        start = max(0, first - words // 4)
        chunk = " ".join(all_words[start : start + words])
        return ("… " if start else "") + chunk + (" …" if start + words < len(all_words) else "")


def matches(word: str, language: str, tokens: set[str]) -> bool:
    return Highlighter(tokens).matches(word, language)


def highlight(text: str, language: str, tokens: set[str]) -> SafeString:
    """Escape ``text`` and wrap the words that matched the query in ``<mark>``."""
    return Highlighter(tokens).highlight(text, language)


def excerpt(text: str, language: str, tokens: set[str], words: int = 40) -> str:
    """About ``words`` words of ``text`` around its first match."""
    return Highlighter(tokens).excerpt(text, language, words)


def autocomplete(
    prefix: str, language: str, *, countries: tuple[str, ...] = (), limit: int = 8
) -> list[dict]:
    """Titles starting with what the visitor has typed so far.

    On a database backend every typed word is a prefix of a title word, through the
    database's own index of titles (``database_search.autocomplete``: one statement);
    on an engine, the engine's autocomplete (which falls back to the database by itself).
    """
    if language not in LANGUAGE_CODES:
        raise SearchError("lang", f"unknown language {language!r}")
    # Only the words go to the backend: control characters (a NUL ends the string
    # in SQLite's full-text syntax) and punctuation are not part of any title prefix.
    words = WORD.findall((prefix or "")[: settings.SEARCH_MAX_QUERY_CHARS])
    if not words:
        return []
    try:
        backend = get_search_backend("default")
        if is_database_backend(backend) and database_search.available():
            return database_search.autocomplete(words, language, countries, limit)
        documents = SearchDocument.objects.filter(language=language)
        if countries:
            documents = documents.filter(country__in=countries)
        # An engine's results fall back to the database by themselves (cms.search.backends).
        results = backend.autocomplete(" ".join(words), documents)[:limit]
        return [
            {"title": doc.display_title, "url": doc.url, "type": doc.kind, "id": doc.object_id}
            for doc in results
        ]
    except Exception as error:  # noqa: BLE001 - whatever failed, the API answers 503
        logger.exception("Autocomplete failed")
        raise SearchUnavailable("autocomplete") from error
