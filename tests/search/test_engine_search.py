"""The engine path (``cms.search.engine_search``): one request per search, same answers.

Runs against a real engine only (``SEARCH_URL``; ``.ci/run``'s search stage). Engine
requests are counted where the client sends them, at its transport: the node answers
every one of them.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from cms.core.models import Country, Sector
from cms.search import engine_search, indexing
from cms.search.analysis import analyse_to_string
from cms.search.backends import engine_only
from cms.search.expansion import build_query
from cms.search.models import SearchDocument
from cms.search.query import Query, Term, query_analyses, query_tokens
from cms.search.service import SearchRequest, autocomplete, search
from tests.factories import news_page
from tests.search.conftest import ENGINE, refresh_engine, settle

pytestmark = pytest.mark.skipif(not ENGINE, reason="needs a real engine (SEARCH_URL)")

WORD = "vexillarium"
KINDS = list(SearchDocument.Kind.values)


def add_documents(count, *, first_id, countries, sectors, texts=None):
    """``count`` English documents with WORD, spread over countries, kinds, sectors and dates."""
    docs = []
    for number in range(count):
        title, body = texts[number] if texts else (f"{WORD} {number}", f"{WORD} document")
        doc = SearchDocument.objects.create(
            kind=KINDS[number % len(KINDS)],
            object_id=first_id + number,
            language="en",
            served_language="en",
            country=countries[number % len(countries)],
            date=date(2024, 1, 1) + timedelta(days=10 * number),
            title=analyse_to_string(title, "en"),
            body=analyse_to_string(body, "en"),
            display_title=title,
            display_text=body,
        )
        doc.sectors.set(sectors[: 1 + number % len(sectors)] if sectors else [])
        docs.append(doc)
    indexing.publish_to_backends(docs, [])
    settle()
    return docs


@pytest.fixture
def engine_requests(monkeypatch):
    """Every request the engine client sends, as (method, path), counted at its transport."""
    sent = []
    transport_class = type(engine_only().es.transport)
    send = transport_class.perform_request

    def counting(self, method, url, *args, **kwargs):
        sent.append((method, url))
        return send(self, method, url, *args, **kwargs)

    monkeypatch.setattr(transport_class, "perform_request", counting)
    return sent


def answer(request, backend=None):
    response = search(request, backend=backend)
    return {
        "total": response.total,
        "hits": {(hit.kind, hit.object_id) for hit in response.hits},
        "facets": {name: list(counts.items()) for name, counts in response.facets.items()},
    }


def test_one_engine_request_per_search_whatever_the_hits_and_facet_values(db, engine_requests):
    codes = list(Country.objects.order_by("code").values_list("code", flat=True))
    first_sector = Sector.objects.order_by("sort_order", "slug").first()
    add_documents(1, first_id=980_000, countries=codes[:1], sectors=[first_sector])
    request = SearchRequest(query=WORD, language="en")

    engine_requests.clear()
    small = search(request)
    assert small.total == 1 and not small.degraded
    assert engine_requests == [("POST", engine_requests[0][1])]
    assert engine_requests[0][1].endswith("/_search")

    extra = [Sector.objects.create(slug=f"engine-{n}", name=f"Engine {n}") for n in range(12)]
    sectors = [
        first_sector,
        *Sector.objects.exclude(pk=first_sector.pk).exclude(pk__in=[s.pk for s in extra]),
        *extra,
    ]
    add_documents(60, first_id=981_000, countries=codes, sectors=sectors)
    for page in (1, 3):
        engine_requests.clear()
        large = search(SearchRequest(query=WORD, language="en", page=page, page_size=20))
        assert large.total == 61 and len(large.hits) == 20 and not large.degraded
        assert len(large.facets["country"]) == len(codes)  # more than 10 buckets if there are
        assert len(large.facets["sector"]) == len(sectors)
        assert len(engine_requests) == 1, engine_requests

    engine_requests.clear()
    filtered = search(
        SearchRequest(
            query=WORD,
            language="en",
            countries=tuple(codes[:2]),
            sectors=(first_sector.slug, extra[0].slug),
            kinds=("news", "event"),
            date_from=date(2024, 3, 1),
        )
    )
    assert filtered.total > 0
    assert len(engine_requests) == 1

    # A search that finds nothing and gets a correction: still one engine request (the
    # correction is verified in the database's own index, not with an engine count).
    engine_requests.clear()
    mistyped = search(SearchRequest(query="potravyny kvxzq", language="cs"))
    assert mistyped.did_you_mean
    assert len(engine_requests) == 1, engine_requests


def test_a_page_past_the_end_is_one_engine_request(db, engine_requests):
    """The total and facets of a page past the last come from the page's own ``_search``:
    no ``_count`` after an empty page, and no error past the engine's result window
    (``index.max_result_window``), where the database would have had to answer."""
    codes = list(Country.objects.order_by("code").values_list("code", flat=True))
    sectors = list(Sector.objects.order_by("sort_order", "slug")[:2])
    add_documents(25, first_id=988_000, countries=codes, sectors=sectors)
    past = [
        SearchRequest(query=WORD, language="en", page=3, page_size=20),
        SearchRequest(query=WORD, language="en", offset=25, page_size=5),
        SearchRequest(query=WORD, language="en", page=10_000, page_size=20),
        SearchRequest(query=WORD, language="en", offset=engine_search.RESULT_WINDOW),
    ]
    for request in past:
        engine_requests.clear()
        response = search(request)
        assert (response.total, response.hits, response.degraded) == (25, [], False), request
        assert sum(response.facets["country"].values()) == 25
        assert [path.rsplit("/", 1)[-1] for _, path in engine_requests] == ["_search"], request

    # Page 3 of a search that finds little or nothing (make bench-search's 'volar' [de]
    # sent a _search and a _count): one _search, and the did-you-mean check of a
    # correction does not ask the engine to count.
    for query, language in (("volar", "de"), ("potravyny kvxzq", "cs")):
        engine_requests.clear()
        response = search(SearchRequest(query=query, language=language, page=3))
        assert response.total < 20 and response.hits == [] and not response.degraded
        assert [path.rsplit("/", 1)[-1] for _, path in engine_requests] == ["_search"], query


def page_statements(request) -> tuple[int, int, object]:
    """(SQL statements, engine requests, found) of the engine path's page, total and facets."""
    backend = engine_only()
    query = build_query(request.query, request.language)  # synonyms may read the database
    sent = []
    transport_class = type(backend.es.transport)
    send = transport_class.perform_request

    def counting(self, method, url, *args, **kwargs):
        sent.append((method, url))
        return send(self, method, url, *args, **kwargs)

    transport_class.perform_request = counting
    try:
        with CaptureQueriesContext(connection) as queries:
            found = engine_search.search_page(request, query, backend)
    finally:
        transport_class.perform_request = send
    return len(queries), len(sent), found


def test_two_statements_and_one_request_per_page_whatever_the_hits_and_facet_values(db):
    """The page's rows (one statement) and the sectors' order (one; the tests' settings read
    it on every search): never one per hit, sector or facet value."""
    codes = list(Country.objects.order_by("code").values_list("code", flat=True))
    first_sector = Sector.objects.order_by("sort_order", "slug").first()
    add_documents(1, first_id=984_000, countries=codes[:1], sectors=[first_sector])
    sql, requests, found = page_statements(SearchRequest(query=WORD, language="en"))
    assert found.total == 1 and len(found.facets["sector"]) == 1
    assert (sql, requests) == (2, 1)

    extra = [Sector.objects.create(slug=f"count-{n}", name=f"Count {n}") for n in range(12)]
    add_documents(60, first_id=985_000, countries=codes, sectors=[first_sector, *extra])
    for page in (1, 3):
        request = SearchRequest(query=WORD, language="en", page=page, page_size=20)
        sql, requests, found = page_statements(request)
        assert found.total == 61 and len(found.documents) == 20
        assert len(found.facets["sector"]) == 13 and len(found.facets["country"]) == len(codes)
        assert (sql, requests) == (2, 1)


def test_the_sectors_order_is_kept_in_the_process_between_checks(db):
    """Within ``SEARCH_VOCABULARY_CHECK_SECONDS`` a page is one statement (its rows); a sector
    added meanwhile is ordered at once, a new order is seen after the interval."""
    sectors = list(Sector.objects.order_by("sort_order", "slug")[:2])
    add_documents(2, first_id=987_000, countries=["CZ"], sectors=sectors)
    request = SearchRequest(query=WORD, language="en")
    with override_settings(SEARCH_VOCABULARY_CHECK_SECONDS=3600):
        page_statements(request)  # reads the order (if this process had none)
        sql, requests, found = page_statements(request)
        assert (sql, requests) == (1, 1)
        assert list(found.facets["sector"]) == [s.slug for s in sectors]

        added = Sector.objects.create(slug="aaa-first", name="First", sort_order=0)
        for rank, sector in enumerate(sectors, start=5):
            Sector.objects.filter(pk=sector.pk).update(sort_order=rank)
        add_documents(1, first_id=987_100, countries=["CZ"], sectors=[added])
        sql, _, found = page_statements(request)
        assert sql == 2  # an unknown slug: the order is read again, the new one with it
        assert list(found.facets["sector"]) == [added.slug, *(s.slug for s in sectors)]

        Sector.objects.filter(pk=sectors[1].pk).update(sort_order=1)
        sql, _, found = page_statements(request)
        assert sql == 1  # within the interval: the kept order
    with override_settings(SEARCH_VOCABULARY_CHECK_SECONDS=0):
        _, _, found = page_statements(request)
        assert list(found.facets["sector"]) == [added.slug, sectors[1].slug, sectors[0].slug]


def test_sector_counts_are_documents(db):
    """A document in three sectors counts once in each, and the sector filter finds it once."""
    sectors = list(Sector.objects.order_by("sort_order", "slug")[:3])
    add_documents(4, first_id=986_000, countries=["CZ"], sectors=sectors)  # 1, 2, 3, 1 sectors
    found = engine_search.search_page(
        SearchRequest(query=WORD, language="en"),
        build_query(WORD, "en"),
        engine_only(),
    )
    assert found.total == 4
    assert found.facets["sector"] == {
        sectors[0].slug: 4,
        sectors[1].slug: 2,
        sectors[2].slug: 1,
    }
    in_two = SearchRequest(query=WORD, language="en", sectors=(sectors[0].slug, sectors[1].slug))
    assert search(in_two).total == 4


def test_autocomplete_is_one_engine_request(db, engine_requests):
    engine_requests.clear()
    titles = autocomplete("clust", "en")
    assert titles
    assert len(engine_requests) == 1


REQUESTS = [
    {},
    {"countries": ("CZ", "PL")},
    {"kinds": ("news",)},
    {"sectors": ("food",)},
    {"sectors": ("food", "ict")},
    {"date_from": date(2024, 6, 1), "date_to": date(2025, 6, 1)},
    {"countries": ("CZ",), "kinds": ("cluster", "news"), "sectors": ("energy-environment",)},
]


@pytest.mark.parametrize("filters", REQUESTS)
def test_the_engine_finds_and_counts_what_the_database_does(db, filters):
    codes = ["AT", "CZ", "DE", "IT", "PL", "SI", "SK"]
    sectors = list(Sector.objects.order_by("sort_order", "slug"))
    add_documents(30, first_id=982_000, countries=codes, sectors=sectors)
    database = get_search_backend("database")
    for query, language in ((WORD, "en"), ("klastr", "cs"), ("cluster food", "en")):
        request = SearchRequest(query=query, language=language, page_size=50, **filters)
        on_engine = answer(request)
        on_database = answer(request, backend=database)
        assert on_engine == on_database, (query, filters)
    assert answer(SearchRequest(query=WORD, language="en", **filters))["total"] > 0


def test_the_visitors_words_rank_above_terms_added_for_them(db):
    backend = engine_only()
    sectors = list(Sector.objects.all()[:1])
    filler = " ".join(f"filler{n}" for n in range(60))
    exact_only, added_only, both = add_documents(
        3,
        first_id=983_000,
        countries=["CZ"],
        sectors=sectors,
        texts=[
            # One mention of the visitor's word, deep in a long body.
            ("Annual report", f"{filler} zorblaxite {filler}"),
            # The added term in the title, again and again: BM25 alone would put it first.
            ("Quibbleton quibbleton quibbleton", "quibbleton quibbleton"),
            ("Summary", f"zorblaxite quibbleton {filler}"),
        ],
    )
    # The visitor typed "zorblaxite"; typo matching added "quibbleton" at half weight.
    (exact,) = query_tokens("zorblaxite", "en")
    (synonym,) = query_tokens("quibbleton", "en")
    query = Query(
        text="zorblaxite",
        language="en",
        terms=(Term(exact), Term(synonym, weight=0.5, origin="typo")),
    )
    found = engine_search.search_page(
        SearchRequest(query="zorblaxite", language="en"), query, backend
    )
    assert found.total == 3
    assert [doc.pk for doc in found.documents] == [both.pk, exact_only.pk, added_only.pk]
    assert found.facets["country"] == {"CZ": 3}


def test_a_phrase_matches_its_tokens_one_after_another_only(db):
    backend = engine_only()
    together, apart = add_documents(
        2,
        first_id=984_000,
        countries=["CZ"],
        sectors=[],
        texts=[
            ("Annual report", "Small and medium enterprises of the region."),
            ("Other report", "Small towns, medium prices and enterprises everywhere."),
        ],
    )
    phrase = Term.joined(query_analyses("small and medium enterprises", "en")[0])
    query = Query(text="SME", language="en", terms=(Term("sme"), Term(phrase, origin="synonym")))
    found = engine_search.search_page(SearchRequest(query="SME", language="en"), query, backend)
    assert [doc.pk for doc in found.documents] == [together.pk]
    assert found.total == 1


def test_a_publish_is_found_after_the_workers_next_pass(db, country):
    page = news_page(country("CZ"), title={"en": "Ornithopter makers meet"})
    page.save_revision().publish()
    refresh_engine()
    assert search(SearchRequest(query="ornithopter", language="en")).total == 0  # queued only
    settle()  # the worker's pass: process_pending_updates, then the engine's refresh
    response = search(SearchRequest(query="ornithopter", language="en"))
    assert response.total == 1 and not response.degraded
    assert response.hits[0].object_id == page.pk
    assert response.facets["country"] == {"CZ": 1}
