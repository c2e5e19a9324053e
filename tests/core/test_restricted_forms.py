"""The forms in front of a restricted page, and answers to a method an address does not
take, are the site's pages in the visitor's language.

Wagtail's password and sign-in forms were its bare, unstyled English pages; a sign-in
without a page to return to went to Django's /accounts/profile/ (a 404 here); a POST to
the sitemap, robots.txt or a calendar was an empty English 405, and to a feed, the feed.
"""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import html as lxml_html

from tests.factories import news_page, path_of, restrict


def page_of(response):
    return lxml_html.fromstring(response.content)


def assert_read_only_page(response, language: str) -> None:
    """The 405 of an address that is only read: a page in the visitor's language."""
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Language"] == language
    assert page_of(response).xpath("//h1")


def test_a_password_protected_page_asks_in_the_sites_design_and_language(site_client, country):
    page = news_page(country("CZ"), title={"en": "Members only", "cs": "Jen pro členy"})
    restrict(page)
    client = site_client("CZ")
    response = client.get(path_of(page, "cs"))
    assert response.status_code == 200
    html = page_of(response)
    assert html.get("lang") == "cs"
    assert html.xpath("//header") and html.xpath("//footer")  # the site's chrome
    # Nothing of the page: its title, lead, address in structured data (Wagtail renders
    # the form with the page's context, which the site's head and breadcrumbs read).
    text = response.content.decode()
    assert "Jen pro členy" not in text and "Members only" not in text
    assert page.lead_cs not in text
    assert path_of(page, "en") not in text  # its English address (slug) in the switcher
    assert html.xpath('//input[@type="password"]')
    action = html.xpath("//form[@method='post']/@action")[0]
    wrong = client.post(action, {"password": "guess", "return_url": path_of(page, "cs")})
    assert wrong.status_code == 200 and page_of(wrong).xpath('//*[@class="form-error"]')
    right = client.post(action, {"password": "secret", "return_url": path_of(page, "cs")})
    assert right.status_code == 302
    assert "Jen pro členy" in client.get(path_of(page, "cs")).content.decode()


def test_a_login_restricted_page_signs_in_on_the_sites_page(site_client, country):
    page = news_page(country("CZ"), title={"en": "Members only", "cs": "Jen pro členy"})
    restrict(page, "login")
    client = site_client("CZ")
    to_sign_in = client.get(path_of(page, "cs"))
    assert to_sign_in.status_code == 302
    response = client.get(to_sign_in["Location"])
    assert response.status_code == 200
    html = page_of(response)
    assert html.get("lang") == "cs" and html.xpath("//header")
    assert html.xpath('//input[@name="username"]') and html.xpath('//input[@type="password"]')


def test_a_password_form_with_a_return_address_off_the_site_goes_to_the_site(site_client, country):
    """Wagtail sends a refused ``return_url`` to ``LOGIN_REDIRECT_URL``: Django's default,
    /accounts/profile/, is no page here (a 404)."""
    page = news_page(country("CZ"), title={"en": "Members only", "cs": "Jen pro členy"})
    restrict(page)
    client = site_client("CZ")
    action = page_of(client.get(path_of(page, "cs"))).xpath("//form[@method='post']/@action")[0]
    response = client.post(action, {"password": "secret", "return_url": "//evil.example/"})
    assert (response.status_code, response["Location"]) == (302, "/")


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("/sitemap.xml", "cs"),
        ("/robots.txt", "cs"),
        ("/cs/feeds/news.rss", "cs"),
        ("/en/feeds/news.atom", "en"),
        ("/cs/feeds/events.ics", "cs"),
    ],
)
def test_another_method_than_reading_is_a_405_page_in_the_visitors_language(
    site_client, path, language
):
    response = site_client("CZ").post(path)
    assert_read_only_page(response, language)
    assert site_client("CZ").get(path).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
@pytest.mark.parametrize("path", ["/sitemap.xml", "/cs/feeds/news.rss", "/cs/search/", "/"])
def test_a_form_sent_without_a_token_to_an_address_only_read_is_its_405(db, method, path):
    """As a bot sends it, without a CSRF token: the CSRF check refused it first, with the
    403 of a refused form, so no one outside the tests' client saw the 405."""
    client = Client(enforce_csrf_checks=True, HTTP_HOST="cz.localhost")
    assert_read_only_page(getattr(client, method)(path), "cs")


@pytest.mark.parametrize("method", ["post", "put", "delete", "options", "trace"])
@pytest.mark.parametrize(
    "path", ["/cs/search/?q=klastr", "/cs/search/", "/", "/language/?next=/en/"]
)
def test_the_search_the_root_and_the_switcher_take_only_reading(site_client, method, path):
    """The search page answered any method with its results (TRACE, OPTIONS: 200), and the
    root and the switcher redirected (the switcher set its cookie) whatever the method."""
    client = site_client("CZ")
    response = getattr(client, method)(path)
    assert_read_only_page(response, "cs")
    assert not response.cookies
    assert client.head(path).status_code == client.get(path).status_code < 400


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch", "options", "trace"])
@pytest.mark.parametrize("path", ["/cs/", "/cs/aktuality/", "/cs/klastry/it-klastr-usti/"])
def test_pages_take_only_reading(site_client, method, path):
    """Wagtail's pages took every method: a POST, PUT or DELETE got the page (200), OPTIONS
    an empty 200 naming them all, TRACE an empty English 405."""
    client = site_client("CZ")
    response = getattr(client, method)(path)
    assert_read_only_page(response, "cs")
    assert client.head(path).status_code == client.get(path).status_code == 200
