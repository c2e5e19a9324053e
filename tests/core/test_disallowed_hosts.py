"""A request for a host outside ALLOWED_HOSTS is a 400, never a 500.

Scanners send any ``Host`` header they like. Django refuses a host that
``ALLOWED_HOSTS`` does not list with a 400 (``DisallowedHost``); the visitor
sites' gate (``SiteLanguageMiddleware``) must not turn it into a 404 whose page
then fails on the same host while building its absolute links.
"""

import pytest
from django.test import override_settings

VISITOR_PATHS = [
    "/",
    "/cs/",
    "/xx/",
    "/sitemap.xml",
    "/robots.txt",
    "/cs/search/?q=klastr",
    "/cs/feeds/news.rss",
    "/language/?next=/cs/",
]


@pytest.mark.parametrize("path", VISITOR_PATHS)
@override_settings(ALLOWED_HOSTS=[".localhost"], DEBUG=False)
def test_a_host_outside_allowed_hosts_is_a_400(client, db, path):
    client.raise_request_exception = False  # a 500 is counted, not raised
    response = client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400


@override_settings(ALLOWED_HOSTS=[".localhost"], DEBUG=False)
def test_an_allowed_host_without_a_site_is_still_the_404_page(client, db):
    client.raise_request_exception = False
    response = client.get("/cs/", HTTP_HOST="nowhere.localhost")
    assert response.status_code == 404
    assert b"<html" in response.content
