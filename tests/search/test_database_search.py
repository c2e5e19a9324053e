"""The database path of the visitor search: the database's own full-text index
(FTS5 on SQLite; on PostgreSQL a narrow table of its own, written by triggers, with a
tsvector column and a GIN index).

Runs on SQLite and on PostgreSQL (``DATABASE_URL``); with an engine configured the
database path is still what answers during an outage, and is called directly here.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cms.core.models import Country, Sector
from cms.search import database_search, fulltext, fulltext_schema
from cms.search import statements as search_statements
from cms.search.analysis import analyse, analyse_to_string
from cms.search.expansion import build_query
from cms.search.models import SearchDocument
from cms.search.query import Query, SearchRequest, Term
from tests.factories import news_page
from tests.search.conftest import ENGINE

pytestmark = pytest.mark.django_db

WORD = "quorvantine"  # in no demo document
KINDS = list(SearchDocument.Kind.values)


def make(object_id: int, title: str, body: str = "", **fields) -> SearchDocument:
    """One English document, its tokens analysed as ``cms.search.documents`` does."""
    values = {
        "kind": "news",
        "language": "en",
        "served_language": "en",
        "country": "CZ",
        **fields,
    }
    return SearchDocument.objects.create(
        object_id=object_id,
        title=analyse_to_string(title, values["language"]),
        body=analyse_to_string(body, values["language"]),
        display_title=title,
        display_text=body,
        url=f"/{values['language']}/news/{object_id}/",
        **values,
    )


def page_of(request: SearchRequest, query: Query | None = None) -> database_search.Found:
    query = query or build_query(request.query, request.language)
    return database_search.search_page(request, query, None)


def ids(found: database_search.Found) -> list[int]:
    return [doc.object_id for doc in found.documents]


@pytest.fixture
def spread(db):
    """40 documents with WORD over countries, kinds, sectors and dates."""
    codes = list(Country.objects.values_list("code", flat=True))[:7]
    sectors = list(Sector.objects.order_by("sort_order", "slug"))
    extra = [Sector.objects.create(slug=f"dbs-{n}", name=f"DBS {n}") for n in range(4)]
    sectors += extra
    docs = []
    for number in range(40):
        doc = make(
            880_000 + number,
            f"{WORD} item {number}",
            f"{WORD} body text number {number}",
            kind=KINDS[number % len(KINDS)],
            country=codes[number % len(codes)],
            date=date(2020, 1 + number % 12, 1 + number % 28),
        )
        doc.sectors.set(sectors[number % len(sectors) : number % len(sectors) + 1 + number % 3])
        docs.append(doc)
    return docs


def test_finds_the_documents_of_the_language_only(db):
    make(881_001, f"{WORD} in English")
    make(881_002, f"{WORD} po česku", language="cs", served_language="cs")
    found = page_of(SearchRequest(query=WORD, language="en"))
    assert ids(found) == [881_001]
    assert found.total == 1
    assert all(isinstance(doc, SearchDocument) for doc in found.documents)


def test_a_title_match_ranks_above_a_body_match(db):
    make(881_011, "Annual report", f"The {WORD} is mentioned once in a long body of other words.")
    make(881_012, f"{WORD} workshop", "An afternoon with hands-on sessions.")
    assert ids(page_of(SearchRequest(query=WORD, language="en"))) == [881_012, 881_011]


def test_added_terms_rank_below_the_visitors_own_words(db):
    # The typo's document matches far better (three times, in its title); the visitor's
    # own word occurs once, in a body. The visitor's word still comes first.
    make(881_021, "zephyrine zephyrine zephyrine", "zephyrine everywhere")
    make(881_022, "Annual report", f"Once: {WORD}, among many other words of a long text.")
    make(881_023, "Something else entirely", "no match here")
    query = Query(
        text=WORD,
        language="en",
        terms=(
            Term(analyse_to_string(WORD, "en")),
            Term(analyse_to_string("zephyrine", "en"), weight=0.5, origin="typo"),
        ),
    )
    found = page_of(SearchRequest(query=WORD, language="en"), query)
    assert ids(found) == [881_022, 881_021]
    assert found.total == 2
    # Without the added term only the exact match is found.
    exact_only = Query(text=WORD, language="en", terms=query.terms[:1])
    assert ids(page_of(SearchRequest(query=WORD, language="en"), exact_only)) == [881_022]


def test_a_phrase_term_finds_its_tokens_one_after_another_only(db):
    # A synonym of several words ("small and medium enterprises" for "SME") is a phrase.
    make(881_041, "Annual report", "Small and medium enterprises of the region.")
    make(881_042, "Other report", "Small towns, medium prices and enterprises everywhere.")
    phrase = Term.joined(analyse("small and medium enterprises", "en"))
    query = Query(text="SME", language="en", terms=(Term("sme"), Term(phrase, origin="synonym")))
    found = page_of(SearchRequest(query="SME", language="en"), query)
    assert ids(found) == [881_041]
    assert found.total == 1


def test_a_phrase_is_a_phrase_in_each_databases_query_syntax():
    assert (
        fulltext.fts_any(["small medium enterpris", "sme"]) == '"small medium enterpris" OR "sme"'
    )
    assert fulltext.tsquery_any(["small medium", "sme"]) == "('small' <-> 'medium') | 'sme'"


def test_added_terms_alone_still_find_something(db):
    make(881_031, "zephyrine gardens")
    query = Query(
        text="zephirine",
        language="en",
        terms=(
            Term("zephirin"),
            Term(analyse_to_string("zephyrine", "en"), weight=0.5, origin="typo"),
        ),
    )
    assert ids(page_of(SearchRequest(query="zephirine", language="en"), query)) == [881_031]


@pytest.mark.parametrize("countries", [(), ("CZ",)])
def test_only_the_newest_hits_are_ranked_and_every_hit_is_on_one_page(db, monkeypatch, countries):
    # Three old documents match far better (title and body) than nine newer ones (body).
    strong = [make(881_101 + n, f"{WORD} {WORD} title", f"{WORD} {WORD}") for n in range(3)]
    weak = [
        make(881_111 + n, f"Report {n}", f"a long text that says {WORD} once") for n in range(9)
    ]
    newest_first = sorted(strong + weak, key=lambda doc: -doc.pk)

    def pages(size: int) -> list[list[int]]:
        return [[doc.pk for doc in page_of(request(page, size)).documents] for page in range(1, 5)]

    def request(page: int, size: int) -> SearchRequest:
        return SearchRequest(
            query=WORD, language="en", page=page, page_size=size, countries=countries
        )

    # Everything ranked: the strong ones first.
    assert set(pages(4)[0][:3]) == {doc.pk for doc in strong}
    monkeypatch.setattr(search_statements, "RANK_CANDIDATES", 4)
    found = page_of(request(1, 4))
    assert found.total == 12 and sum(found.facets["type"].values()) == 12
    # Only the four newest are ranked (all weak, so by id), then the older ones, newest first,
    # the strong ones among them: every hit on exactly one page, in the same order as the
    # pages cut at other sizes.
    assert [doc.pk for doc in found.documents] == [doc.pk for doc in newest_first[:4]]
    by_four = [pk for page in pages(4) for pk in page]
    by_five = [pk for page in pages(5) for pk in page]
    assert by_four == by_five == [doc.pk for doc in newest_first]


def test_a_search_by_language_only_answers_as_one_with_filters_that_keep_everything(
    spread, monkeypatch
):
    """SQLite answers a search filtered by its language alone in a statement of its own
    (the candidates' bound and the facets straight from the full-text matches, nothing
    materialised): its pages, total and facets are those of the general statement, which
    a filter keeping every document (all types) takes."""
    monkeypatch.setattr(search_statements, "RANK_CANDIDATES", 7)
    query = build_query(f"{WORD} report", "en")
    for page in (1, 2, 3, 5):
        alone = SearchRequest(query=query.text, language="en", page=page, page_size=9)
        every_kind = SearchRequest(
            query=query.text, language="en", page=page, page_size=9, kinds=tuple(KINDS)
        )
        found, same = page_of(alone, query), page_of(every_kind, query)
        assert found.total == same.total >= 40
        assert ids(found) == ids(same)
        assert found.facets["country"] == same.facets["country"]
        assert found.facets["sector"] == same.facets["sector"]


@pytest.mark.parametrize("candidates", [2000, 39, 40, 41])
def test_facets_are_the_same_whichever_way_sqlite_groups_them(spread, monkeypatch, candidates):
    """SQLite groups an unfiltered search's facets from its matches looked up by id when it
    has fewer hits than ranked candidates, else walking the language's facets index
    (40 hits here): the counts are the plain Python ones either way."""
    monkeypatch.setattr(search_statements, "RANK_CANDIDATES", candidates)
    request = SearchRequest(query=WORD, language="en", page_size=5)
    found = page_of(request)
    assert found.total == 40
    assert found.facets == python_facets(spread)
    assert list(found.facets["sector"]) == list(python_facets(spread)["sector"])


def expected(docs, request: SearchRequest) -> list[SearchDocument]:
    """The request's filters in plain Python."""
    out = []
    for doc in docs:
        slugs = {sector.slug for sector in doc.sectors.all()}
        if request.countries and doc.country not in request.countries:
            continue
        if request.kinds and doc.kind not in request.kinds:
            continue
        if request.date_from and (doc.date is None or doc.date < request.date_from):
            continue
        if request.date_to and (doc.date is None or doc.date > request.date_to):
            continue
        if request.sectors and not slugs & set(request.sectors):
            continue
        out.append(doc)
    return out


def python_facets(docs) -> dict[str, dict[str, int]]:
    if not docs:
        return {}
    order = {s.slug: (s.sort_order, s.slug) for s in Sector.objects.all()}
    sectors = Counter(sector.slug for doc in docs for sector in doc.sectors.all())
    return {
        "country": database_search.by_count(Counter(doc.country for doc in docs)),
        "type": database_search.by_count(Counter(doc.kind for doc in docs)),
        "sector": {slug: sectors[slug] for slug in sorted(sectors, key=order.__getitem__)},
    }


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"countries": ("CZ",)},
        {"countries": ("CZ", "PL")},
        {"kinds": ("news", "event")},
        {"sectors": ("dbs-1",)},
        {"sectors": ("dbs-0", "dbs-2")},
        {"date_from": date(2020, 3, 1), "date_to": date(2020, 8, 31)},
        {"countries": ("DE", "AT", "CZ"), "kinds": ("news",), "sectors": ("dbs-0", "dbs-3")},
    ],
)
def test_filters_total_and_facets_equal_a_plain_python_count(spread, filters):
    request = SearchRequest(query=WORD, language="en", page_size=50, **filters)
    want = expected(spread, request)
    found = page_of(request)
    assert found.total == len(want)
    assert sorted(ids(found)) == sorted(doc.object_id for doc in want)
    assert found.facets == python_facets(want)
    assert list(found.facets.get("sector", {})) == list(python_facets(want).get("sector", {}))


def test_pages_follow_each_other_without_gaps_or_repeats(spread):
    seen = []
    for number in (1, 2, 3, 4, 5):
        found = page_of(SearchRequest(query=WORD, language="en", page=number, page_size=9))
        assert found.total == 40
        seen += ids(found)
    assert sorted(seen) == sorted(doc.object_id for doc in spread)
    assert page_of(SearchRequest(query=WORD, language="en", page=9)).documents == []


def statements(request: SearchRequest) -> tuple[int, database_search.Found]:
    query = build_query(request.query, request.language)  # synonyms may read the database
    with CaptureQueriesContext(connection) as queries:
        found = database_search.search_page(request, query, None)
    return len(queries), found


def test_two_statements_per_search_whatever_the_hits_and_facet_values(db):
    make(882_001, f"{WORD} alone", country="CZ").sectors.set(Sector.objects.all()[:1])
    request = SearchRequest(query=WORD, language="en")
    one, found = statements(request)
    assert found.total == 1 and len(found.facets["sector"]) == 1
    codes = list(Country.objects.values_list("code", flat=True))[:7]
    sectors = list(Sector.objects.all()) + [
        Sector.objects.create(slug=f"many-{n}", name=f"Many {n}") for n in range(8)
    ]
    for number in range(60):
        doc = make(882_100 + number, f"{WORD} {number}", country=codes[number % len(codes)])
        doc.sectors.set(sectors[number % len(sectors) :][:3])
    many, found = statements(request)
    assert found.total == 61 and len(found.facets["sector"]) > 8
    assert len(found.facets["country"]) == len(codes)
    assert one == many == 2
    filtered, found = statements(
        SearchRequest(query=WORD, language="en", sectors=("many-1",), countries=tuple(codes))
    )
    assert filtered == 2 and found.total > 0
    nothing, found = statements(SearchRequest(query="nonexistentwordxyz", language="en"))
    assert nothing == 1 and found.total == 0 and found.facets == {}


def test_updates_and_deletes_reach_the_index_in_the_same_transaction(db):
    doc = make(883_001, f"{WORD} original")
    assert ids(page_of(SearchRequest(query=WORD, language="en"))) == [883_001]
    doc.title = analyse_to_string("replaced heading", "en")
    doc.save()
    assert page_of(SearchRequest(query=WORD, language="en")).total == 0
    assert ids(page_of(SearchRequest(query="replaced", language="en"))) == [883_001]
    SearchDocument.objects.filter(pk=doc.pk).delete()
    assert page_of(SearchRequest(query="replaced", language="en")).total == 0
    fulltext_schema.check_integrity()


def test_publishing_is_searchable_at_once_and_drafts_never(db, country):
    page = news_page(country("CZ"), title={"en": "Quillfeather symposium"})
    request = SearchRequest(query="quillfeather", language="en")
    assert page_of(request).total == 0
    page.save_revision().publish()
    assert [doc.display_title for doc in page_of(request).documents] == ["Quillfeather symposium"]
    page.title_en = "Brambleworth secret draft"
    page.save_revision()  # a draft
    assert page_of(SearchRequest(query="brambleworth", language="en")).total == 0
    assert page_of(request).total == 1
    page.unpublish()
    assert page_of(request).total == 0


def test_a_rolled_back_publish_leaves_no_trace(db, country):
    page = news_page(country("CZ"), title={"en": "Marrowglen festival"})
    request = SearchRequest(query="marrowglen", language="en")
    with pytest.raises(RuntimeError), transaction.atomic():
        page.save_revision().publish()
        assert page_of(request).total == 1
        raise RuntimeError("the editor's transaction fails")
    assert page_of(request).total == 0


def test_autocomplete_in_one_statement_with_filters(db):
    make(884_001, "Žluťoučký kůň klastr", language="cs", served_language="cs", country="CZ")
    make(884_002, "Žluťoučký kůň na Slovensku", language="cs", served_language="cs", country="SK")
    with CaptureQueriesContext(connection) as queries:
        titles = [s["title"] for s in database_search.autocomplete(["zlut", "ku"], "cs")]
    assert len(queries) == 1
    assert sorted(titles) == ["Žluťoučký kůň klastr", "Žluťoučký kůň na Slovensku"]
    only_cz = database_search.autocomplete(["Žluť"], "cs", ("CZ",))
    assert [s["title"] for s in only_cz] == ["Žluťoučký kůň klastr"]
    assert only_cz[0] == {
        "title": "Žluťoučký kůň klastr",
        "url": "/cs/news/884001/",
        "type": "news",
        "id": 884_001,
    }
    assert database_search.autocomplete(["zlut"], "en") == []


def test_the_rebuild_recreates_every_document_and_its_index(db):
    if ENGINE:
        # The rebuild sends every document to the engine outside the test's transaction;
        # what this checks is the database's own index (the engine's: test_engine_search).
        pytest.skip("the database path's rebuild; on an engine it would outlive the test")
    keys = ("kind", "object_id", "language")
    before = set(SearchDocument.objects.values_list(*keys))
    some = list(SearchDocument.objects.filter(language="cs").values_list("pk", flat=True)[:5])
    SearchDocument.objects.filter(pk__in=some).delete()
    make(887_001, f"{WORD} stale")  # no item behind it
    call_command("rebuild_search_documents", stdout=io.StringIO())
    assert before <= set(SearchDocument.objects.values_list(*keys))
    assert page_of(SearchRequest(query=WORD, language="en")).total == 0
    assert page_of(SearchRequest(query="klastr", language="cs")).total > 0
    fulltext_schema.check_integrity()
