"""One definition of the pages visitors may see, as a queryset filter and for a batch,
with the view restrictions read once per GET request.

The batch form costs the same few queries for two pages as for every page of
the network: a search rebuild or a bulk sync never asks page by page.
"""

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms.clusters.models import ClusterDirectoryPage
from cms.core.request_memo import MEMO, ReadOncePerRequest
from cms.core.visibility import hidden_from_visitors, ids_shown_to_visitors, shown_to_visitors
from cms.news.models import NewsIndexPage, NewsPage
from tests.factories import restrict


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_the_batch_answer_is_the_listings(country):
    index = NewsIndexPage.objects.child_of(country("CZ").home_page).get()
    restrict(index, "login")
    below = ids(NewsPage.objects.live().child_of(index))
    assert below
    every = list(Page.objects.all())
    shown = ids_shown_to_visitors(every)
    assert shown == ids(shown_to_visitors(Page.objects.all()))
    assert not shown & below and index.pk not in shown
    assert below <= ids(hidden_from_visitors(Page.objects.all()))


def test_a_draft_is_not_shown(country):
    page = NewsPage.objects.live().first()
    page.unpublish()
    assert page.pk not in ids_shown_to_visitors([page])


def test_the_batch_costs_two_queries_whatever_its_size(country, django_assert_max_num_queries):
    restrict(NewsIndexPage.objects.child_of(country("CZ").home_page).get(), "login")
    every = list(Page.objects.all())
    assert len(every) > 50
    with django_assert_max_num_queries(2):
        ids_shown_to_visitors(every[:2])
    with django_assert_max_num_queries(2):
        ids_shown_to_visitors(every)


def test_the_countries_of_restricted_directories(country, django_assert_max_num_queries):
    assert ClusterDirectoryPage.countries_refusing_visitors() == set()
    restrict(ClusterDirectoryPage.objects.child_of(country("CZ").home_page).get(), "login")
    restrict(country("SK").home_page, "login")
    with django_assert_max_num_queries(3):
        hidden = ClusterDirectoryPage.countries_refusing_visitors()
    assert hidden == {country("CZ").pk, country("SK").pk}


def test_the_listing_filter_is_wagtails_public(country):
    """``restricted_q`` is what Wagtail's ``public()`` and ``not_public()`` read, for a
    queryset of any page type."""
    restrict(NewsIndexPage.objects.child_of(country("CZ").home_page).get(), "login")
    restrict(country("SK").home_page)
    for pages in (Page.objects.all(), NewsPage.objects.all()):
        assert ids(shown_to_visitors(pages)) == ids(pages.live().public())
        assert ids(hidden_from_visitors(pages)) == ids(pages.live().not_public())
        assert ids(hidden_from_visitors(pages))


def read_restrictions(request) -> HttpResponse:
    """A view that asks twice, as a page's menu and listing do."""
    first = ids(shown_to_visitors(NewsPage.objects.all()))
    second = ids(shown_to_visitors(NewsPage.objects.all()))
    assert first == second
    return HttpResponse(str(len(first)))


def restriction_reads(method: str) -> int:
    middleware = ReadOncePerRequest(read_restrictions)
    with CaptureQueriesContext(connection) as captured:
        middleware(getattr(RequestFactory(), method)("/"))
    return sum('FROM "wagtailcore_pageviewrestriction"' in q["sql"] for q in captured)


def test_a_get_request_reads_the_restrictions_once_and_a_post_at_each_question(country):
    assert restriction_reads("get") == 1
    assert restriction_reads("head") == 1
    # A POST may change them between two questions: it reads them each time.
    assert restriction_reads("post") == 2
    # The request's reading ends with it: outside a request, each question reads them.
    assert MEMO.get() is None


def test_a_restriction_added_after_a_request_is_seen_by_the_next(country):
    index = NewsIndexPage.objects.child_of(country("CZ").home_page).get()
    middleware = ReadOncePerRequest(read_restrictions)
    before = int(middleware(RequestFactory().get("/")).content)
    restrict(index, "login")
    after = int(middleware(RequestFactory().get("/")).content)
    assert after == before - NewsPage.objects.live().child_of(index).count() < before
