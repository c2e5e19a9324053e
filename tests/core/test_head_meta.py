"""Every visitor page's <head>: canonical, description, OpenGraph, feeds and JSON-LD."""

import json

import pytest
from django.utils import timezone
from lxml import html as lxml_html
from wagtail.images.tests.utils import get_test_image_file

from cms.clusters.models import ClusterProfile
from cms.core.models import Country, CustomImage
from cms.core.translation_status import mark_complete_ready
from cms.events.models import EventPage
from tests.factories import news_page, path_of, translated
from tests.test_visitor_pages import COUNTRY_CODES, urls_of

#: The schema.org type each page kind names besides the site's Organization.
TYPES = {"news item": "NewsArticle", "event": "Event", "cluster profile": "Organization"}


def head_of(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content).head


def meta(head, key: str) -> str | None:
    found = head.xpath(f'meta[@property="{key}" or @name="{key}"]/@content')
    return found[0] if found else None


def canonical(head) -> str:
    (href,) = head.xpath('link[@rel="canonical"]/@href')
    return href


def json_ld(head) -> list[dict]:
    scripts = head.xpath('script[@type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)["@graph"]


def types(graph) -> list[str]:
    return [node["@type"] for node in graph]


@pytest.mark.parametrize("code", COUNTRY_CODES)
def test_every_page_type_has_canonical_og_and_json_ld(client, db, code):
    country = Country.objects.get(code=code)
    host = country.site.hostname
    for language in country.languages:
        for kind, url in urls_of(country, language).items():
            head = head_of(client.get(url, HTTP_HOST=host))
            assert canonical(head) == f"http://{host}{url}", (code, language, kind)
            assert meta(head, "og:url") == canonical(head)
            assert meta(head, "og:title") and meta(head, "og:type")
            assert meta(head, "og:locale").startswith(f"{language}_")
            assert meta(head, "twitter:card") in {"summary", "summary_large_image"}
            assert meta(head, "description"), (code, language, kind)
            graph = json_ld(head)
            assert types(graph)[0] == "Organization"
            if kind in TYPES:
                assert TYPES[kind] in types(graph)[1:], (kind, types(graph))
                assert "BreadcrumbList" in types(graph)
            feeds = head.xpath('link[@rel="alternate"][@type]/@href')
            assert f"http://{host}/{language}/feeds/news.rss" in feeds
            assert f"http://{host}/{language}/feeds/events.ics" in feeds
            # Data, not code: nothing a Content-Security-Policy would have to allow.
            assert not head.xpath("script[not(@src)][not(@type='application/ld+json')]")
            assert not head.xpath(".//*[@style]")


def test_news_article_from_the_lead_with_an_image(client, country):
    image = CustomImage.objects.create(
        title="Photo",
        file=get_test_image_file(filename="head-meta.png", size=(1600, 900)),
        **translated("alt_text", {"en": "Partners at the info day"}),
    )
    page = news_page(
        country("CZ"),
        title={"cs": "Zpráva", "en": "News item"},
        lead={"cs": "Český úvod " * 40, "en": "An English lead."},
        image=image,
    )
    head = head_of(client.get(path_of(page, "cs"), HTTP_HOST="cz.localhost"))
    description = meta(head, "description")
    assert description.startswith("Český úvod") and len(description) <= 160
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:locale") == "cs_CZ"
    assert meta(head, "og:locale:alternate") == "en_GB"
    assert meta(head, "twitter:card") == "summary_large_image"
    assert meta(head, "og:image").startswith("http://cz.localhost/")
    assert meta(head, "og:image:width") == "1200"
    (article,) = [node for node in json_ld(head) if node["@type"] == "NewsArticle"]
    assert article["headline"] == "Zpráva"
    assert article["inLanguage"] == "cs"
    assert article["image"] == [meta(head, "og:image")]
    assert article["url"] == canonical(head)


def test_event_json_ld_has_start_end_and_place(client, country):
    event = EventPage.objects.descendant_of(country("CZ").home_page).live().first()
    head = head_of(client.get(path_of(event, "en"), HTTP_HOST="cz.localhost"))
    (node,) = [node for node in json_ld(head) if node["@type"] == "Event"]
    assert node["startDate"] == timezone.localtime(event.start).isoformat()
    if event.end:
        assert node["endDate"] == timezone.localtime(event.end).isoformat()
    assert node["location"]["name"] == event.place_en
    assert node["url"] == canonical(head)
    calendars = head.xpath('link[@type="text/calendar"]/@href')
    assert f"http://cz.localhost/en/feeds/events/{event.pk}.ics" in calendars


def test_cluster_profile_is_an_organization(client, country):
    cluster = ClusterProfile.objects.create(
        slug="head-meta-cluster",
        country=country("CZ"),
        city="Ústí nad Labem",
        founded=2009,
        website="https://cluster.example",
        **translated("name", {"en": "Head cluster"}),
        **translated("description", {"en": "<p>Makes <b>things</b>.</p>"}),
    )
    head = head_of(client.get(f"/en/clusters/{cluster.slug}/", HTTP_HOST="cz.localhost"))
    assert canonical(head) == "http://cz.localhost/en/clusters/head-meta-cluster/"
    assert meta(head, "description") == "Makes things."
    graph = json_ld(head)
    (node,) = [node for node in graph[1:] if node["@type"] == "Organization"]
    assert node["name"] == "Head cluster"
    assert node["sameAs"] == "https://cluster.example"
    assert node["address"]["addressCountry"] == "CZ"
    (trail,) = [node for node in graph if node["@type"] == "BreadcrumbList"]
    assert trail["itemListElement"][-1]["item"] == canonical(head)


def test_a_profile_on_the_hub_names_its_own_countrys_address_canonical(client, country):
    """The hub's directory serves every country's profiles; each has one canonical address,
    on its own country's site (the hub's copy claimed to be canonical itself)."""
    cluster = ClusterProfile.objects.create(
        slug="hub-copy-cluster",
        country=country("CZ"),
        **translated("name", {"en": "Hub copy cluster", "cs": "Klastr kopie"}),
    )
    mark_complete_ready(cluster)
    cluster.save()
    response = client.get(f"/en/clusters/{cluster.slug}/", HTTP_HOST="localhost")
    head = head_of(response)
    assert canonical(head) == "http://cz.localhost/en/clusters/hub-copy-cluster/"
    # Its language versions are listed where it is canonical, not on this copy (whose
    # hreflang named hub addresses, each of them naming another canonical).
    assert not head.xpath("//link[@hreflang]")
    assert "hreflang" not in response.content.decode().split("</head>")[0]
    own = head_of(client.get(f"/en/clusters/{cluster.slug}/", HTTP_HOST="cz.localhost"))
    assert {link.get("hreflang") for link in own.xpath("//link[@hreflang]")} == {
        "cs",
        "en",
        "x-default",
    }
    (trail,) = [node for node in json_ld(head) if node["@type"] == "BreadcrumbList"]
    assert trail["itemListElement"][-1]["item"] == "http://localhost/en/clusters/hub-copy-cluster/"


def test_a_script_end_tag_in_a_title_stays_data(client, country):
    title = '</script><script>alert("x")</script> & <!-- co'
    page = news_page(country("CZ"), title={"en": title})
    response = client.get(path_of(page, "en"), HTTP_HOST="cz.localhost")
    assert b'<script>alert("x")' not in response.content
    (article,) = [node for node in json_ld(head_of(response)) if node["@type"] == "NewsArticle"]
    assert article["headline"] == title


def test_an_unready_language_url_names_the_language_really_shown(client, country):
    # The unready URL is not served at all: it redirects to the language really shown
    # (tests/core/test_language_urls.py), whose head names itself.
    page = news_page(country("CZ"), title={"cs": "Nehotové", "en": "Ready"}, ready_languages=[])
    response = client.get(path_of(page, "cs"), HTTP_HOST="cz.localhost")
    assert response.status_code == 302
    head = head_of(client.get(response["Location"], HTTP_HOST="cz.localhost"))
    assert canonical(head) == f"http://cz.localhost{path_of(page, 'en')}"
    assert meta(head, "og:locale") == "en_GB"
    assert not head.xpath('link[@hreflang="x-default"]')


def test_x_default_and_locale_alternates_on_a_translated_page(client, country):
    page = news_page(country("AT"), title={"de": "Nachricht", "en": "News"})
    head = head_of(client.get(path_of(page, "en"), HTTP_HOST="at.localhost"))
    (x_default,) = head.xpath('link[@hreflang="x-default"]/@href')
    assert x_default == f"http://at.localhost{path_of(page, 'de')}"
    assert meta(head, "og:locale:alternate") == "de_AT"


def test_search_and_error_pages_still_get_the_site_metadata(client, db):
    head = head_of(client.get("/cs/search/?q=klastr", HTTP_HOST="cz.localhost"))
    assert meta(head, "og:site_name") == "Clusters Cord Česká republika"
    assert types(json_ld(head)) == ["Organization"]
    response = client.get("/cs/no-such-page/", HTTP_HOST="cz.localhost")
    assert response.status_code == 404
    assert types(json_ld(lxml_html.fromstring(response.content).head)) == ["Organization"]


@pytest.mark.parametrize("host", ["CZ.localhost", "CZ.LOCALHOST", "cz.localhost."])
def test_absolute_urls_name_the_sites_hostname_as_configured(client, country, host):
    """Host names are case-insensitive, and ``cz.localhost.`` is the same name fully
    qualified: each is the Czech site, and every absolute URL it publishes names the
    site's hostname as configured (lower case, no trailing dot)."""
    page = news_page(country("CZ"), title={"cs": "Zpráva", "en": "News"})
    head = head_of(client.get(path_of(page, "cs"), HTTP_HOST=host))
    assert canonical(head) == f"http://cz.localhost{path_of(page, 'cs')}"
    assert meta(head, "og:url") == canonical(head)
    alternates = head.xpath("link[@rel='alternate']/@href") + [json_ld(head)[0]["@id"]]
    assert all(url.startswith("http://cz.localhost/") for url in alternates), alternates
    for path in ("/sitemap.xml", "/robots.txt", "/cs/feeds/news.rss", "/cs/feeds/events.ics"):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, path
        assert b"http://cz.localhost/" in response.content, path
        assert host.encode() not in response.content.replace(b"cz.localhost/", b""), path
