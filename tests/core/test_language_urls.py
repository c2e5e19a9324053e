"""One URL per real language version; the visitor's choice remembered; errors in their language.

A page or cluster profile asked for in a language it is not published in
(missing, or not marked ready) redirects (302) to the best language of the
fallback chain it has; a language the site does not publish in is a 404 page
in a language the site does.
"""

import pytest
from django.conf import settings

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from tests.factories import news_page, path_of, translated


def directory_of(country):
    return ClusterDirectoryPage.objects.child_of(country.home_page).get()


@pytest.fixture
def czech_cluster(country):
    """A Czech cluster profile written in Czech and English only (as the hub lists it)."""
    return ClusterProfile.objects.create(
        slug="moravsky-klastr",
        country=country("CZ"),
        ready_languages=["cs"],
        **translated("name", {"cs": "Moravský klastr", "en": "Moravian cluster"}),
        **translated("description", {"cs": "<p>Česky</p>", "en": "<p>English</p>"}),
    )


def test_the_chain_decides_then_the_site_default_then_any():
    from cms.core.languages import best_language

    assert best_language("sk", ["en", "cs"], "en") == "cs"
    assert best_language("de", ["cs", "en"], "cs") == "en"
    assert best_language("de", ["cs", "pl"], "pl") == "pl"
    assert best_language("de", ["cs", "pl"], "it") == "cs"
    assert best_language("de", [], "en") is None


def test_the_hub_sends_a_czech_cluster_at_sk_to_its_czech_url(site_client, country, czech_cluster):
    hub = directory_of(country("INT"))
    response = site_client("INT").get(path_of(hub, "sk") + "moravsky-klastr/")
    assert response.status_code == 302
    assert response["Location"] == path_of(hub, "cs") + "moravsky-klastr/"


@pytest.mark.parametrize("language", ["de", "it", "pl", "sl"])
def test_the_hub_sends_other_languages_to_english(site_client, country, czech_cluster, language):
    hub = directory_of(country("INT"))
    response = site_client("INT").get(path_of(hub, language) + "moravsky-klastr/?sector=ict")
    assert response.status_code == 302
    assert response["Location"] == path_of(hub, "en") + "moravsky-klastr/?sector=ict"


def test_a_real_language_version_is_served_in_place(site_client, country, czech_cluster):
    hub = directory_of(country("INT"))
    response = site_client("INT").get(path_of(hub, "cs") + "moravsky-klastr/")
    assert response.status_code == 200
    assert '<html lang="cs">' in response.content.decode()
    assert "Moravský klastr" in response.content.decode()


def test_an_unready_slovak_translation_redirects_along_the_chain(site_client, country):
    texts = {"sk": "Slovensky", "cs": "Česky", "en": "English"}
    page = news_page(country("INT"), title=texts, ready_languages=["cs"])
    response = site_client("INT").get(path_of(page, "sk") + "?page=2")
    assert response.status_code == 302
    assert response["Location"] == path_of(page, "cs") + "?page=2"


def test_a_slovak_site_sends_an_unready_slovak_page_to_english(site_client, country):
    # sk -> cs -> en, but the Slovak site does not publish in Czech.
    page = news_page(
        country("SK"), title={"sk": "Slovensky", "cs": "Česky", "en": "En"}, ready_languages=["cs"]
    )
    response = site_client("SK").get(path_of(page, "sk"))
    assert response.status_code == 302
    assert response["Location"] == path_of(page, "en")
    assert site_client("SK").get(path_of(page, "en")).status_code == 200


def test_a_ready_slovak_translation_is_served(site_client, country):
    page = news_page(country("SK"), title={"sk": "Slovensky", "en": "English"})
    response = site_client("SK").get(path_of(page, "sk"))
    assert response.status_code == 200
    assert "Slovensky" in response.content.decode()


def test_a_page_without_a_czech_version_redirects_to_english(site_client, country):
    page = news_page(country("CZ"), title={"en": "English only"})
    response = site_client("CZ").get(path_of(page, "cs"))
    assert response.status_code == 302
    assert response["Location"] == path_of(page, "en")


def test_a_page_without_english_redirects_from_its_english_address(site_client, country):
    """A Polish-only item's English address (its Polish slug below the English path: what
    the admin's "View live" links to in an English admin) was a 404, not a 302 to Polish."""
    page = news_page(country("PL"), title={"pl": "Dzień informacyjny"})
    assert not page.slug_en and path_of(page, "en") != path_of(page, "pl")
    client = site_client("PL")
    response = client.get(path_of(page, "en") + "?from=admin")
    assert response.status_code == 302
    assert response["Location"] == path_of(page, "pl") + "?from=admin"
    assert client.get(response["Location"]).status_code == 200
    assert client.get(path_of(page.get_parent(), "en") + "no-such-item/").status_code == 404


@pytest.mark.parametrize(
    ("host", "path", "headers", "language"),
    [
        ("cz.localhost", "/de/", {}, "cs"),  # the Czech site has no German: the site's default
        ("cz.localhost", "/de/aktuality/", {"HTTP_ACCEPT_LANGUAGE": "en"}, "en"),
        ("cz.localhost", "/xx/", {}, "cs"),
        ("cz.localhost", "/en/no-such-page/", {}, "en"),
        ("cz.localhost", "/cs/klastry/no-such-cluster/", {}, "cs"),
        ("sk.localhost", "/cs/", {}, "sk"),
        ("localhost", "/sl/no-such-page/", {}, "sl"),
        ("unknown.example", "/de/", {}, "de"),
    ],
)
def test_bad_addresses_get_a_404_in_a_language_the_site_serves(
    client, db, host, path, headers, language
):
    response = client.get(path, HTTP_HOST=host, **headers)
    assert response.status_code == 404
    assert f'<html lang="{language}">' in response.content.decode()
    # Said in its headers too, with what chose it: a 404 raised before the locale and
    # clickjacking middleware (/xx/, /de/ on the Czech site) came without them.
    assert response["Content-Language"] == language
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_404_page_of_an_unserved_language_follows_the_remembered_choice(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/it/", HTTP_HOST="cz.localhost")
    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()


def test_the_switcher_remembers_the_choice_and_root_uses_it(client, db):
    response = client.get("/language/", {"next": "/en/news/"}, HTTP_HOST="cz.localhost")
    assert response.status_code == 302
    assert response["Location"] == "/en/news/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and cookie["samesite"] == "Lax" and cookie["max-age"]
    assert "no-store" in response["Cache-Control"]
    # The browser prefers Czech, but the visitor chose English: the cookie wins.
    root = client.get("/", HTTP_HOST="cz.localhost", HTTP_ACCEPT_LANGUAGE="cs")
    assert root["Location"] == "/en/"
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in root["Vary"].split(",")}
    assert "public" not in root["Cache-Control"]


def test_the_switchers_links_go_through_the_remembering_address(client, db):
    """Each language link of a page's switcher sets the cookie on its way to the page."""
    import re
    from html import unescape

    page = client.get("/cs/", HTTP_HOST="cz.localhost").content.decode()
    switcher = page[page.index('class="languages"') :]
    switcher = switcher[: switcher.index("</ul>")]
    links = dict(re.findall(r'href="([^"]+)" hreflang="([a-z]+)"', switcher))
    english = next(href for href, code in links.items() if code == "en")
    assert unescape(english).startswith("/language/?next=")
    response = client.get(unescape(english), HTTP_HOST="cz.localhost")
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_root_without_a_choice_follows_the_browser_then_the_site(client, db):
    assert (
        client.get("/", HTTP_HOST="cz.localhost", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/en/"
    )
    assert client.get("/", HTTP_HOST="cz.localhost")["Location"] == "/cs/"


def test_root_keeps_the_query_string(client, db):
    """A campaign's link to the site (``/?utm_source=…``) lost its parameters on the way."""
    response = client.get("/?utm_source=x&utm_medium=mail", HTTP_HOST="cz.localhost")
    assert response["Location"] == "/cs/?utm_source=x&utm_medium=mail"


def test_a_remembered_language_the_site_lacks_is_ignored_at_root(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert client.get("/", HTTP_HOST="cz.localhost")["Location"] == "/cs/"


@pytest.mark.parametrize(
    ("browser", "cookie", "address", "expected", "search"),
    [
        (None, None, "/aktuality/", "/cs/aktuality/", "/cs/search/"),  # a crawler: not English
        ("sk", None, "/aktuality/", "/cs/aktuality/", "/cs/search/"),  # not the site's
        # A Czech slug is a Czech address, whatever the browser prefers.
        ("sk,en;q=0.5", None, "/aktuality/", "/cs/aktuality/", "/en/search/"),
        ("de", "en", "/aktuality/", "/cs/aktuality/", "/en/search/"),
        ("en", None, "/news/", "/en/news/", "/en/search/"),
        ("cs", None, "/news/", "/en/news/", "/cs/search/"),
        ("en", None, "/no-such-page/", "/en/no-such-page/", "/en/search/"),  # its 404 in English
    ],
)
def test_an_address_without_a_language_goes_to_one_the_site_publishes(
    client, db, browser, cookie, address, expected, search
):
    """Django chose among every language (the browser's, else English): a Slovak browser
    on the Czech site went to /sk/aktuality/, a crawler or an English browser to
    /en/aktuality/, all 404s."""
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    headers = {"HTTP_ACCEPT_LANGUAGE": browser} if browser else {}
    response = client.get(address, HTTP_HOST="cz.localhost", **headers)
    assert (response.status_code, response["Location"]) == (302, expected)
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]
    assert "private" in response["Cache-Control"]
    if not address.startswith("/no-such"):
        assert client.get(expected, HTTP_HOST="cz.localhost", **headers).status_code == 200
    assert client.get("/search/", HTTP_HOST="cz.localhost", **headers)["Location"] == search


@pytest.mark.parametrize(
    "target",
    ["", "https://evil.example/en/", "//evil.example/en/", "/de/aktuality/", "/xx/", "en/"],
)
def test_the_switcher_refuses_addresses_off_the_site_or_its_languages(client, db, target):
    response = client.get("/language/", {"next": target}, HTTP_HOST="cz.localhost")
    assert response.status_code == 400
    assert "(next)" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")  # the visitors' 400 page
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_pages_themselves_set_no_language_cookie(site_client):
    response = site_client("CZ").get("/en/")
    assert response.status_code == 200
    assert not response.cookies


@pytest.mark.parametrize(
    "target", ["/en/../admin/", "/en/%2e%2E/admin/", "/cs/aktuality/../../admin/", "/en/.."]
)
def test_the_switcher_resolves_dot_segments_before_checking_the_address(client, db, target):
    """``/en/../admin/`` started with a language and was sent on: the browser goes to
    /admin/, which is no page of the site in a language."""
    response = client.get("/language/", {"next": target}, HTTP_HOST="cz.localhost")
    assert response.status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/cs/aktuality/../", "/cs/"),
        ("/cs/./aktuality/", "/cs/aktuality/"),
        ("/cs/x/../../en/aktuality/?page=2&a=/../b", "/en/aktuality/?page=2&a=/../b"),
        ("/en/%2e/", "/en/"),
    ],
)
def test_the_switcher_goes_to_the_resolved_address(client, db, target, location):
    response = client.get("/language/", {"next": target}, HTTP_HOST="cz.localhost")
    assert (response.status_code, response["Location"]) == (302, location)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == location[1:3]
