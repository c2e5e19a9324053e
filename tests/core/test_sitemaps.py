"""Each site's sitemap.xml and robots.txt: valid, absolute, reciprocal, ready languages only."""

import re
from pathlib import Path

import pytest
from lxml import etree

from cms.clusters.models import ClusterProfile
from cms.core.models import Country
from tests.factories import draft_page, news_page, path_of, translated

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas/sitemap-with-xhtml.xsd")))
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
PROFILE = re.compile(r"^http://cz\.localhost/(?:cs/klastry|en/clusters)/([^/]+)/$")
COUNTRY_CODES = ["CZ", "IT", "DE", "PL", "AT", "SK", "SI", "INT"]


def fetch_sitemap(client, host: str):
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def entries(document) -> dict[str, dict[str, str]]:
    """``{loc: {hreflang: href}}`` of every ``<url>``."""
    return {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
        for url in document.findall("s:url", NS)
    }


@pytest.mark.parametrize("code", COUNTRY_CODES)
def test_every_site_sitemap_is_valid_reciprocal_and_in_the_site_languages(client, db, code):
    country = Country.objects.get(code=code)
    host = country.site.hostname
    document = fetch_sitemap(client, host)
    assert SCHEMA.validate(document), SCHEMA.error_log
    urls = entries(document)
    assert urls, code
    for loc, alternates in urls.items():
        assert loc.startswith(f"http://{host}/"), loc
        languages = {lang for lang in alternates if lang != "x-default"}
        assert languages <= set(country.languages), (loc, languages)
        # The entry names itself among its alternates, under its own language prefix...
        own = [lang for lang, href in alternates.items() if href == loc and lang != "x-default"]
        assert own and loc.startswith(f"http://{host}/{own[0]}/"), (loc, alternates)
        # ...and every alternate is listed too, with the very same set (reciprocal).
        for lang in languages:
            assert urls[alternates[lang]] == alternates, (loc, lang)
        if len(languages) > 1:
            assert alternates["x-default"] in alternates.values()


def test_x_default_is_the_site_default_language_then_english(client, country):
    cz = country("CZ")
    both = news_page(cz, title={"cs": "Obojí", "en": "Both"})
    english = news_page(cz, title={"en": "English only"})
    urls = entries(fetch_sitemap(client, "cz.localhost"))
    assert urls[f"http://cz.localhost{path_of(both, 'en')}"]["x-default"] == (
        f"http://cz.localhost{path_of(both, 'cs')}"
    )
    # One language: nothing to choose between, no x-default.
    assert set(urls[f"http://cz.localhost{path_of(english, 'en')}"]) == {"en"}


def test_drafts_and_unready_translations_are_left_out(client, country):
    cz = country("CZ")
    unready = news_page(cz, title={"cs": "Nehotový překlad", "en": "Finished"}, ready_languages=[])
    draft = draft_page(cz, "news")
    urls = entries(fetch_sitemap(client, "cz.localhost"))
    assert f"http://cz.localhost{path_of(unready, 'cs')}" not in urls
    assert urls[f"http://cz.localhost{path_of(unready, 'en')}"] == {
        "en": f"http://cz.localhost{path_of(unready, 'en')}"
    }
    assert not any(path_of(draft, "en") in loc for loc in urls)


def test_languages_the_site_does_not_publish_in_are_left_out(client, country):
    page = news_page(country("CZ"), title={"cs": "Česky", "en": "English", "de": "Deutsch"})
    alternates = entries(fetch_sitemap(client, "cz.localhost"))[
        f"http://cz.localhost{path_of(page, 'cs')}"
    ]
    assert set(alternates) == {"cs", "en", "x-default"}


def test_cluster_profiles_are_listed_in_their_ready_languages(client, country):
    cluster = ClusterProfile.objects.create(
        slug="sitemap-cluster",
        country=country("CZ"),
        ready_languages=["cs"],
        **translated("name", {"en": "Sitemap cluster", "cs": "Klastr"}),
    )
    unready = ClusterProfile.objects.create(
        slug="unready-cluster",
        country=country("CZ"),
        **translated("name", {"en": "Unready cluster", "cs": "Nehotový klastr"}),
    )
    urls = entries(fetch_sitemap(client, "cz.localhost"))
    assert urls[f"http://cz.localhost/cs/klastry/{cluster.slug}/"] == {
        "cs": f"http://cz.localhost/cs/klastry/{cluster.slug}/",
        "en": f"http://cz.localhost/en/clusters/{cluster.slug}/",
        "x-default": f"http://cz.localhost/cs/klastry/{cluster.slug}/",
    }
    assert f"http://cz.localhost/cs/klastry/{unready.slug}/" not in urls
    assert f"http://cz.localhost/en/clusters/{unready.slug}/" in urls
    # Only the Czech site's own clusters (the hub's directory lists every country's).
    profiles = [loc for loc in urls if PROFILE.match(loc)]
    slugs = {PROFILE.match(loc).group(1) for loc in profiles}
    countries = ClusterProfile.objects.filter(slug__in=slugs).values_list(
        "country__code", flat=True
    )
    assert set(countries) == {"CZ"}


@pytest.mark.parametrize("code", COUNTRY_CODES)
def test_robots_txt_names_the_site_sitemap(client, db, code):
    host = Country.objects.get(code=code).site.hostname
    response = client.get("/robots.txt", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: http://{host}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("unknown.example", "/sitemap.xml"),
        ("unknown.example", "/robots.txt"),
        ("cz.localhost", "/sitemap.xml?p=abc"),
        ("cz.localhost", "/sitemap.xml?p=999"),
    ],
)
def test_bad_hosts_and_pages_are_404(client, db, host, path):
    assert client.get(path, HTTP_HOST=host).status_code == 404


def test_a_sitemap_costs_the_same_queries_however_many_pages(client, country):
    """Read from the stored projections: a fixed number of queries per section."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    czechia = country("CZ")

    def queries() -> int:
        client.get("/sitemap.xml", HTTP_HOST="cz.localhost")  # warm Wagtail's site cache
        with CaptureQueriesContext(connection) as captured:
            fetch_sitemap(client, "cz.localhost")
        return len(captured)

    before = queries()
    for number in range(5):
        news_page(czechia, title={"en": f"More {number}", "cs": f"Další {number}"})
    assert queries() == before
    assert sum("/cs/" in loc for loc in entries(fetch_sitemap(client, "cz.localhost"))) > 5


@pytest.mark.parametrize(
    "path", ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-clusters.xml", "/robots.txt"]
)
def test_sitemap_and_robots_do_not_vary_by_the_browsers_language(client, db, path):
    """They read no language: one copy each in a CDN, not one per ``Accept-Language``."""
    answers = [
        client.get(path, HTTP_HOST="cz.localhost", HTTP_ACCEPT_LANGUAGE=language)
        for language in ("de", "cs")
    ]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    for answer in answers:
        assert "accept-language" not in answer.get("Vary", "").lower()
        assert not answer.has_header("Content-Language")


def test_the_root_still_varies_by_the_browsers_language(client, db):
    response = client.get("/", HTTP_HOST="cz.localhost", HTTP_ACCEPT_LANGUAGE="en")
    assert "accept-language" in response["Vary"].lower()


def test_a_site_past_one_files_limit_gets_a_sitemap_index_naming_every_page(
    client, country, monkeypatch
):
    """A file holds 50,000 URLs at most; past that the URLs were cut off at the first
    file's end (Django's ``?p=2`` of both sections together was a 404 once the clusters had
    no second page, and nothing named it). Here with a limit of 5 per file."""
    from cms.core.sitemaps import SiteSitemap

    czechia = country("CZ")
    for number in range(6):
        news_page(czechia, title={"en": f"More {number}", "cs": f"Další {number}"})
    everything = entries(fetch_sitemap(client, "cz.localhost"))  # one file: the URLs
    monkeypatch.setattr(SiteSitemap, "limit", 5)
    index = fetch_sitemap(client, "cz.localhost")
    assert etree.QName(index).localname == "sitemapindex"
    named = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert named[:2] == [
        "http://cz.localhost/sitemap-pages.xml",
        "http://cz.localhost/sitemap-pages.xml?p=2",
    ]
    assert "http://cz.localhost/sitemap-clusters.xml" in named
    found = {}
    for loc in named:
        response = client.get(loc.removeprefix("http://cz.localhost"), HTTP_HOST="cz.localhost")
        assert response.status_code == 200, loc
        document = etree.fromstring(response.content)
        assert SCHEMA.validate(document), SCHEMA.error_log
        assert len(document.findall("s:url", NS)) <= 5
        found |= entries(document)
    assert found == everything  # every URL, each once, with the same alternates
    assert client.get("/sitemap-nothing.xml", HTTP_HOST="cz.localhost").status_code == 404
