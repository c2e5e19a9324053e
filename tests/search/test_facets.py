"""Facet counts: right, and at a cost that does not depend on how much matched.

On the database backends every SQL statement of a search is a full-text match over the
whole language, so the number of statements per search is what decides its latency.
It must not grow with the number of hits or of facet values (it once grew with the
number of sectors). Query counts are something a test can assert; timings are not.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.core.models import Country, Sector
from cms.search import indexing
from cms.search.analysis import analyse_to_string
from cms.search.models import SearchDocument
from cms.search.service import SearchRequest, search
from tests.search.conftest import ENGINE, settle

WORD = "zorblaxian"
KINDS = list(SearchDocument.Kind.values)


def add_documents(count: int, *, first_id: int, countries: list[str], sectors: list[Sector]):
    """``count`` English documents containing WORD, spread over countries, kinds and sectors."""
    docs = []
    for number in range(count):
        doc = SearchDocument.objects.create(
            kind=KINDS[number % len(KINDS)],
            object_id=first_id + number,
            language="en",
            served_language="en",
            country=countries[number % len(countries)],
            title=analyse_to_string(f"{WORD} {number}", "en"),
            body=analyse_to_string(f"{WORD} facet test document", "en"),
            display_title=f"Zorblaxian {number}",
            display_text="Zorblaxian facet test document",
        )
        doc.sectors.set(sectors[: 1 + number % len(sectors)])
        docs.append(doc)
    indexing.publish_to_backends(docs, [])
    settle()
    return docs


def statements(request: SearchRequest) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = search(request)
    return len(queries), response


def test_statements_per_faceted_search_do_not_grow_with_hits_or_facet_values(db, settings):
    # The steady state: the typo vocabulary checked now and then, not on every search.
    settings.SEARCH_VOCABULARY_CHECK_SECONDS = 3600
    # At most 7 countries: an engine's terms aggregation returns 10 buckets by default.
    codes = list(Country.objects.values_list("code", flat=True))[:7]
    first_sector = Sector.objects.order_by("sort_order", "slug").first()
    add_documents(1, first_id=990_000, countries=codes[:1], sectors=[first_sector])
    request = SearchRequest(query=WORD, language="en")
    statements(request)  # the first search in a process fills the vocabulary and synonyms caches
    small_count, small = statements(request)
    assert small.total == 1
    assert small.facets["sector"] == {first_sector.slug: 1}

    others = list(Sector.objects.exclude(pk=first_sector.pk))
    extra = [Sector.objects.create(slug=f"facet-{n}", name=f"Facet {n}") for n in range(6)]
    sectors = [first_sector, *others, *extra]
    add_documents(40, first_id=991_000, countries=codes, sectors=sectors)
    statements(request)  # an engine reads the new sectors' order once (engine_search.SectorOrder)
    large_count, large = statements(request)
    assert large.total == 41
    assert len(large.facets["sector"]) > 6 and len(large.facets["country"]) == len(codes)

    assert large_count == small_count
    if not ENGINE:
        # The ranked page with its total and every facet, and the page's rows: nine
        # full-text statements before issue 12. Validation and the synonym lists are kept
        # in the process (cms.search.query.KnownValues, cms.search.process_cache).
        assert small_count == 2


@pytest.mark.parametrize("sectors", [(), ("food",), ("food", "ict")])
def test_facet_counts_add_up_to_the_total(db, sectors):
    response = search(SearchRequest(query="klastr", language="cs", sectors=sectors))
    assert response.total > 0
    assert sum(response.facets["type"].values()) == response.total
    assert sum(response.facets["country"].values()) == response.total
    for slug in sectors:
        # Filtered by one sector, everything is in it.
        assert response.facets["sector"][slug] <= response.total
    if len(sectors) == 1:
        assert response.facets["sector"][sectors[0]] == response.total


def test_every_facet_count_is_the_total_of_that_filter(db):
    everything = search(SearchRequest(query="klastr", language="cs"))
    assert everything.total > 0
    for dimension, option in (("country", "countries"), ("type", "kinds"), ("sector", "sectors")):
        assert everything.facets[dimension]
        for value, count in everything.facets[dimension].items():
            narrowed = search(SearchRequest(query="klastr", language="cs", **{option: (value,)}))
            assert narrowed.total == count, (dimension, value)


def test_a_document_in_several_requested_sectors_is_found_once(db):
    """Two sectors asked for, a document in both: one hit, counted once (on every backend)."""
    both = list(Sector.objects.order_by("sort_order", "slug")[:2])
    add_documents(1, first_id=995_000, countries=["CZ"], sectors=both)
    request = SearchRequest(query=WORD, language="en", sectors=tuple(s.slug for s in both))
    response = search(request)
    assert response.total == 1
    assert len(response.hits) == 1
    assert response.facets["country"] == {"CZ": 1}
    assert sum(response.facets["type"].values()) == 1


def sector_ids_of(doc) -> str:
    return SearchDocument.objects.get(pk=doc.pk).sector_ids


def test_a_document_row_keeps_its_sector_ids(db):
    """The database search counts the sector facet from ``sector_ids`` in the hits' rows:
    it follows ``sectors.set/add/remove/clear``, and the indexing writes it."""
    one, two, three = Sector.objects.order_by("pk")[:3]
    (doc,) = add_documents(1, first_id=993_000, countries=["CZ"], sectors=[two])
    assert sector_ids_of(doc) == f" {two.pk} "
    doc.sectors.set([two, one])
    assert sector_ids_of(doc) == f" {min(one.pk, two.pk)} {max(one.pk, two.pk)} "
    doc.sectors.add(three)
    doc.sectors.remove(one)
    assert sector_ids_of(doc) == SearchDocument.sector_key([two.pk, three.pk])
    doc.sectors.clear()
    assert sector_ids_of(doc) == ""


def test_the_indexing_writes_sector_ids_with_the_sectors(db):
    from cms.clusters.models import ClusterProfile

    profile = ClusterProfile.objects.filter(sectors__isnull=False).first()
    sectors = list(Sector.objects.order_by("pk")[:2])
    profile.sectors.set(sectors)
    indexing.sync_objects([profile])
    docs = SearchDocument.objects.filter(object_id=profile.pk, kind="cluster")
    assert docs.exists()
    for doc in docs:
        assert doc.sector_ids == SearchDocument.sector_key(s.pk for s in sectors)
        assert sorted(doc.sectors.values_list("pk", flat=True)) == [s.pk for s in sectors]
