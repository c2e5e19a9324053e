"""Every page type renders in every language its site publishes in."""

import pytest
from wagtail.models import Site

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.core.models import Country
from cms.events.models import EventIndexPage, EventPage
from cms.home.models import StandardPage
from cms.news.models import NewsIndexPage, NewsPage
from tests.factories import path_of

COUNTRY_CODES = ["CZ", "IT", "DE", "PL", "AT", "SK", "SI", "INT"]


def urls_of(country: Country, language: str) -> dict[str, str]:
    """One URL per page type on ``country``'s site, in ``language``."""
    home = country.home_page
    pages = {
        "home": home,
        "news index": NewsIndexPage.objects.child_of(home).get(),
        "event index": EventIndexPage.objects.child_of(home).get(),
        "cluster directory": ClusterDirectoryPage.objects.child_of(home).get(),
        "news item": NewsPage.objects.descendant_of(home).live().first(),
        "event": EventPage.objects.descendant_of(home).live().first(),
        "standard page": StandardPage.objects.descendant_of(home).live().first(),
    }
    urls = {kind: path_of(page, language) for kind, page in pages.items() if page is not None}
    cluster = ClusterProfile.objects.filter(country=country).first()
    if cluster:
        urls["cluster profile"] = urls["cluster directory"] + cluster.slug + "/"
    return urls


@pytest.mark.parametrize("code", COUNTRY_CODES)
def test_every_page_type_renders_in_every_site_language(db, client, code):
    country = Country.objects.get(code=code)
    host = country.site.hostname
    for language in country.languages:
        urls = urls_of(country, language)
        if not country.is_hub:
            assert {"news item", "event", "cluster profile"} <= set(urls), code
        for kind, url in urls.items():
            assert url.startswith(f"/{language}/"), (kind, url)
            response = client.get(url, HTTP_HOST=host)
            assert response.status_code == 200, (code, language, kind, url)
            assert f'<html lang="{language}">' in response.content.decode()


def test_cz_news_list_shows_the_press_release_in_czech(site_client):
    response = site_client("CZ").get("/cs/aktuality/")
    assert "Klastrové organizace ze střední Evropy a Clusters – Cord" in response.content.decode()


def test_english_news_list_shows_the_translation(site_client):
    response = site_client("CZ").get("/en/news/")
    html = response.content.decode()
    assert "Cluster organisations from Central Europe and Clusters Cord" in html
    assert "Klastrové organizace ze střední Evropy" not in html


def test_country_sites_answer_by_hostname(client, db):
    for site in Site.objects.all():
        response = client.get("/", HTTP_HOST=site.hostname)
        assert response.status_code == 302
        assert response["Location"] == f"/{site.country.default_language}/"


def test_root_follows_the_browser_language_when_the_site_has_it(client, db):
    response = client.get("/", HTTP_HOST="cz.localhost", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response["Location"] == "/en/"
    response = client.get("/", HTTP_HOST="cz.localhost", HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9")
    assert response["Location"] == "/cs/"


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("unknown.example", "/"),
        ("unknown.example", "/cs/"),
        ("cz.localhost", "/xx/"),
        ("cz.localhost", "/xx/aktuality/"),
        ("cz.localhost", "/de/"),
        ("cz.localhost", "/cs/does-not-exist/"),
        ("cz.localhost", "/cs/klastry/no-such-cluster/"),
        ("cz.localhost", "/cs/klastry/?sector=mining"),
    ],
)
def test_bad_addresses_get_a_friendly_404(client, db, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()


def test_404_page_speaks_the_visitor_language(client, db):
    response = client.get("/cs/neexistuje/", HTTP_HOST="cz.localhost")
    assert response.status_code == 404
    assert '<html lang="cs">' in response.content.decode()


def test_cluster_directory_shows_only_own_country(site_client):
    html = site_client("CZ").get("/cs/klastry/").content.decode()
    for cluster in ClusterProfile.objects.exclude(country__code="CZ"):
        assert f"/{cluster.slug}/" not in html
    for cluster in ClusterProfile.objects.filter(country__code="CZ"):
        assert f"/{cluster.slug}/" in html


def test_other_countrys_cluster_is_not_served(site_client):
    slovak = ClusterProfile.objects.filter(country__code="SK").first()
    assert site_client("CZ").get(f"/cs/klastry/{slovak.slug}/").status_code == 404
