"""Answers a GET request reads once (``cms.core.request_memo``): kept for that request
only, never in a POST, a command or the next request."""

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cms.core.request_memo import MEMO, ReadOncePerRequest, known_for_request, once_per_request
from cms.news.models import NewsPage

SITE_BY_ID = 'FROM "wagtailcore_site" WHERE "wagtailcore_site"."id" ='


def test_a_question_is_read_once_per_get_and_every_time_elsewhere():
    reads = []

    def view(request):
        once_per_request("question", lambda: reads.append(1))
        once_per_request("question", lambda: reads.append(1))
        return HttpResponse()

    middleware = ReadOncePerRequest(view)
    middleware(RequestFactory().get("/"))
    assert len(reads) == 1
    middleware(RequestFactory().get("/"))  # the next request reads again
    assert len(reads) == 2
    reads.clear()
    middleware(RequestFactory().post("/"))
    assert len(reads) == 2
    assert MEMO.get() is None
    known_for_request("question", "ignored")  # outside a request: kept nowhere
    assert once_per_request("question", lambda: "read") == "read"


def pages_site_reads(pages, method: str) -> int:
    """Site reads by id when each of ``pages`` asks for its site in one request."""

    def view(request):
        for page in pages:
            page.__dict__.pop("site_at_place", None)  # as fresh instances would
            assert page.get_site().pk == pages[0].get_site().pk
        return HttpResponse()

    with CaptureQueriesContext(connection) as captured:
        ReadOncePerRequest(view)(getattr(RequestFactory(), method)("/"))
    return sum(SITE_BY_ID in query["sql"] for query in captured)


def test_pages_of_one_site_share_its_reading_in_a_get(country):
    pages = list(NewsPage.objects.live().descendant_of(country("CZ").home_page)[:2])
    assert len(pages) == 2
    assert pages_site_reads(pages, "get") == 1
    assert pages_site_reads(pages, "post") == 2  # each page its own reading


def test_a_page_on_the_requests_site_reads_none(country):
    page = NewsPage.objects.live().descendant_of(country("CZ").home_page).first()
    site = country("CZ").site

    def view(request):
        known_for_request(("site", site.pk), site)
        assert page.get_site() is site
        return HttpResponse()

    with CaptureQueriesContext(connection) as captured:
        ReadOncePerRequest(view)(RequestFactory().get("/"))
    assert not any(SITE_BY_ID in query["sql"] for query in captured)
