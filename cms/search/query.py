"""What is searched for: the request, its validation, and the analysed query.

Shared by the search service, the two ways of answering a search
(``cms.search.database_search`` on SQLite and PostgreSQL,
``cms.search.engine_search`` on OpenSearch/Elasticsearch), did-you-mean
(``cms.search.suggest``) and the relevance evaluation, so that none of them
imports another to learn what a request is.

A ``Query`` is the request's words analysed for its language and the
languages of its fallback chain (``cms.search.analysis``), as weighted
``Term``s: what the visitor typed and editors' synonyms of it rank first
(``Term.first_tier``); terms added as guesses (a compound's parts, a spelling
one or two edits away) weigh less, and what only they find ranks below. A term
is one token or a phrase (``Term.phrase``: a synonym of several words, whose
tokens match only where they stand one after another in a document).
``cms.search.expansion.build_query`` builds it (synonyms, compounds and typos
build on ``Term``; this module imports none of them).
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from cms.core.languages import LANGUAGE_CODES, fallback_chain
from cms.core.models import Country, Sector
from cms.search.analysis import analyse
from cms.search.models import SearchDocument

KINDS = tuple(SearchDocument.Kind.values)
WORD = re.compile(r"\w+", re.UNICODE)
#: A word's first letter when it is lower case.
LOWER_CASE_INITIAL = re.compile(r"\b[^\W\d_]")


class SearchError(ValueError):
    """The request cannot be searched; ``field`` names the culprit."""

    def __init__(self, field_name: str, message: str):
        self.field_name = field_name
        self.message = message
        super().__init__(f"{field_name}: {message}")


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
    #: Results to skip, when not a whole number of pages (the API's ``offset``); else
    #: ``page`` says where the page starts.
    offset: int | None = None

    @property
    def start(self) -> int:
        """How many ranked results come before this page."""
        if self.offset is not None:
            return self.offset
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class Term:
    """One analysed token, or a phrase of them, that the search matches, and how much a
    match on it counts."""

    #: The analysed token; for a phrase its tokens in order, joined by a space (analysed
    #: tokens never hold one): "tecnolog informazion comunicazion".
    token: str
    #: 1.0 for the visitor's own words; less for tokens added on their behalf.
    weight: float = 1.0
    #: Why the term is there: "exact", "synonym", "compound" or "typo".
    origin: str = "exact"

    @property
    def exact(self) -> bool:
        return self.origin == "exact"

    @property
    def phrase(self) -> tuple[str, ...]:
        """The tokens a document must have one after another: one for a plain term.

        Each backend matches a phrase as such (SQLite FTS5 ``"a b"``, PostgreSQL
        ``'a' <-> 'b'``, an engine's ``match_phrase``), so a synonym of several words
        ("mala in srednja podjetja") never finds a page for one of them alone."""
        return tuple(self.token.split(" "))

    @staticmethod
    def joined(tokens) -> str:
        """The ``token`` of a phrase of ``tokens``."""
        return " ".join(tokens)

    @property
    def first_tier(self) -> bool:
        """What this term finds ranks with what the visitor's own words find.

        The visitor's words and editors' synonyms (deliberate equivalents: "ICT" for
        "IT") are; compound parts and near spellings (guesses) rank below them.
        """
        return self.origin in ("exact", "synonym")


@dataclass(frozen=True)
class Query:
    """The analysed query: its terms, the visitor's own first."""

    text: str
    language: str
    terms: tuple[Term, ...]

    @property
    def tokens(self) -> list[str]:
        """Every token to match, in order (exact and added)."""
        return [term.token for term in self.terms]

    @property
    def exact_tokens(self) -> list[str]:
        return [term.token for term in self.terms if term.exact]

    @property
    def first_tier_tokens(self) -> list[str]:
        return [term.token for term in self.terms if term.first_tier]

    @property
    def words(self) -> list[str]:
        """Every single token of the terms, a phrase's each on its own (what highlighting
        marks), in order, each once."""
        return list(dict.fromkeys(token for term in self.terms for token in term.phrase))


@dataclass
class Found:
    """One page of ranked documents, the number of matches and the facet counts: what
    either way of answering (``database_search``, ``engine_search``) returns."""

    documents: list[SearchDocument]
    total: int
    facets: dict[str, dict[str, int]]


def by_count(counts: dict[str, int]) -> dict[str, int]:
    """A facet's counts, largest first, ties by key: the order on every backend."""
    return {str(k): v for k, v in sorted(counts.items(), key=lambda item: (-item[1], item[0]))}


class KnownValues:
    """The country codes or sector slugs a request may filter by, kept in the process.

    Validation runs on every filtered search; the values change once in a year. A value
    not seen yet is looked up again (one small statement), so a country or sector added a
    moment ago is accepted at once and a search without filters, or with known ones, costs
    no statement. A value removed since stays accepted until :data:`MAX_AGE_SECONDS`:
    its filter then finds nothing, which is what it would find anyway.
    """

    MAX_AGE_SECONDS = 15 * 60

    def __init__(self, read):
        self.read = read
        self.values: frozenset[str] = frozenset()
        self.read_at = -math.inf

    def unknown(self, values) -> list[str]:
        """The ones of ``values`` that do not exist, in their order."""
        if not values:
            return []
        stale = time.monotonic() - self.read_at >= self.MAX_AGE_SECONDS
        if stale or not set(values) <= self.values:
            self.values = frozenset(self.read())
            self.read_at = time.monotonic()
        return [value for value in values if value not in self.values]


COUNTRY_CODES = KnownValues(lambda: Country.objects.values_list("code", flat=True))
SECTOR_SLUGS = KnownValues(lambda: Sector.objects.values_list("slug", flat=True))


def validate(request: SearchRequest) -> list[str]:
    """Check every parameter; return the query's tokens. Raises SearchError naming the field."""
    if request.language not in LANGUAGE_CODES:
        raise SearchError("lang", f"unknown language {request.language!r}")
    text = (request.query or "").strip()
    if not text:
        raise SearchError("q", "is empty")
    if len(text) > settings.SEARCH_MAX_QUERY_CHARS:
        raise SearchError("q", f"is longer than {settings.SEARCH_MAX_QUERY_CHARS} characters")
    for code in COUNTRY_CODES.unknown(request.countries):
        raise SearchError("country", f"unknown country {code!r}")
    for slug in SECTOR_SLUGS.unknown(request.sectors):
        raise SearchError("sector", f"unknown sector {slug!r}")
    for kind in request.kinds:
        if kind not in KINDS:
            raise SearchError("type", f"unknown type {kind!r}; use one of {', '.join(KINDS)}")
    if request.date_from and request.date_to and request.date_from > request.date_to:
        raise SearchError("date_from", "is after date_to")
    if request.page < 1:
        raise SearchError("page", "must be 1 or more")
    if request.offset is not None and request.offset < 0:
        raise SearchError("offset", "must be 0 or more")
    if not 1 <= request.page_size <= settings.SEARCH_MAX_PAGE_SIZE:
        raise SearchError("page_size", f"must be between 1 and {settings.SEARCH_MAX_PAGE_SIZE}")
    tokens = query_tokens(text, request.language)
    if not tokens:
        raise SearchError("q", "has no searchable words")
    return tokens


def query_tokens(text: str, language: str) -> list[str]:
    """Tokens of the query in its language and the languages it falls back to, in order
    (those of :func:`query_analyses`, each once)."""
    return list(
        dict.fromkeys(token for tokens in query_analyses(text, language) for token in tokens)
    )


def query_analyses(text: str, language: str, *, compounds: bool = False) -> list[tuple[str, ...]]:
    """The query's analyses in its language and the languages it falls back to, in order,
    each once (empty ones left out). ``compounds``: as documents are analysed, a German
    compound followed by its parts (``cms.search.analysis.analyse``), for a phrase that must
    match the indexed tokens one after another.

    Then, when the visitor typed a word in lower case, the analyses of the words
    capitalised: the dictionaries lemmatise by case, and visitors type in lower case
    what the texts capitalise (Czech ``ústí`` is a form of the verb ``ústit``, while the
    texts' ``Ústí``, the town, is a name; German writes nouns capitalised). Without them
    "ústí" found nothing on the Czech site. A word in capitals is tried as a name too
    ("ÚSTÍ" as "Ústí").
    """
    text = unicodedata.normalize("NFC", text)  # "ústí" pasted from macOS: u + a combining accent
    analyses: list[tuple[str, ...]] = []
    capitalised = LOWER_CASE_INITIAL.sub(lambda match: match.group().upper(), text)
    titled = WORD.sub(lambda match: as_name(match.group()), capitalised)
    for variant in dict.fromkeys((text, capitalised, titled)):
        for code in fallback_chain(language):
            tokens = tuple(analyse(variant, code, compounds=compounds))
            if tokens and tokens not in analyses:
                analyses.append(tokens)
    return analyses


def as_name(word: str) -> str:
    """A word in capitals as a name is written ("ÚSTÍ": "Ústí"); any other as it is."""
    return word.capitalize() if len(word) > 1 and word.isupper() else word


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
