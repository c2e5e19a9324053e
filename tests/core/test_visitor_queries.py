"""Visitor pages ask the database a bounded number of times, whatever the content.

A page reads its site and country, the menu, the breadcrumbs, the footer, its own
relations and, for a listing, one page of cards. Each is a fixed number of queries:
more items in a listing, more related clusters or sectors on a news item must not add
any (one query per item is an N+1), and no part of the page may read again what another
part already read. ``CEILINGS`` are the counts measured when they were last lowered; a
change that needs more says so here, with its reason.

The cache is the test's local memory cache, warmed by a first request, so the counts
are those of a page rendered at the origin for a CDN miss.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.clusters.models import ClusterProfile
from cms.core.caching import newest_change
from cms.core.models import Country, Sector
from cms.news.models import NewsPage
from tests.factories import news_page
from tests.test_visitor_pages import urls_of

#: The most queries a warm render of each page type may take (the Czech site, in Czech).
#: Lowered on 2026-12-05 from 40-50 (news item 50): a page kept its site (it was read
#: again for every question about its country), the breadcrumbs and their structured
#: data share one reading of the trail, and the freshness date is one statement. Lowered
#: again the same day (home 34 -> 28, the others by 1-3): a GET request reads the view
#: restrictions once (``cms.core.visibility.restricted_q``), not once per menu and listing;
#: then every type by 2 more (news item by 5 in all): a page's site is the one the request's
#: host named, and the pages it shows of the same site share it (``cms.core.request_memo``).
CEILINGS = {
    "home": 26,
    "news index": 23,
    "event index": 23,
    "cluster directory": 24,
    "news item": 28,
    "event": 25,
    "standard page": 20,
    "cluster profile": 22,
}


SITE_BY_ID = 'WHERE "wagtailcore_site"."id" ='


def queries_for(client, url: str) -> list[str]:
    """The SQL of a second request for ``url`` (the first one warms the caches)."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def czech(site_client):
    return site_client("CZ"), urls_of(Country.objects.get(code="CZ"), "cs")


def test_every_page_type_stays_under_its_ceiling(czech):
    client, urls = czech
    assert set(urls) == set(CEILINGS)
    counts = {kind: len(queries_for(client, url)) for kind, url in urls.items()}
    over = {kind: count for kind, count in counts.items() if count > CEILINGS[kind]}
    assert not over, f"over the ceiling: {over} (all: {counts})"


def test_a_page_reads_its_site_once_and_its_trail_once(czech):
    """Repeats that used to be there: the page's site (once per question about its
    country, up to seven times, and once more for each other page of the site it shows)
    and the trail of breadcrumbs (once for the crumbs, once
    for their structured data)."""
    client, urls = czech
    sql = queries_for(client, urls["news item"])
    site_by_id = [query for query in sql if SITE_BY_ID in query]
    trails = [query for query in sql if '"wagtailcore_page"."path" IN' in query]
    # The news item's site and the directory's (for its related clusters' links) are the
    # site the request's host named: none is read again.
    assert site_by_id == [], site_by_id
    # Wagtail's own check of the page's view restrictions, and the breadcrumbs.
    assert len(trails) <= 2, trails


def test_a_page_reads_the_view_restrictions_once(czech):
    """Every menu, listing and teaser asks which pages are restricted (seven times on the
    home page before): Wagtail's check of the page's own, and one list for the rest."""
    client, urls = czech
    for kind in ("home", "news index", "news item"):
        sql = queries_for(client, urls[kind])
        restrictions = [query for query in sql if 'FROM "wagtailcore_pageviewrestriction"' in query]
        assert len(restrictions) <= 2, (kind, restrictions)


def test_the_freshness_date_is_one_statement(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert newest_change() is not None


def test_more_news_items_add_no_query_to_the_listing(czech):
    client, urls = czech
    before = len(queries_for(client, urls["news index"]))
    sectors = list(Sector.objects.all())
    for number in range(6):
        page = news_page(
            Country.objects.get(code="CZ"), title={"en": f"News {number}", "cs": f"Zpráva {number}"}
        )
        page.sectors.set(sectors)
        page.save_revision().publish()
    assert len(queries_for(client, urls["news index"])) == before


def test_more_related_clusters_and_sectors_add_no_query_to_a_news_item(czech):
    client, urls = czech
    item = NewsPage.objects.descendant_of(Country.objects.get(code="CZ").home_page).live()[0]
    before = len(queries_for(client, urls["news item"]))
    item.related_clusters.set(ClusterProfile.objects.all())
    item.sectors.set(Sector.objects.all())
    item.save_revision().publish()
    assert len(queries_for(client, urls["news item"])) == before
