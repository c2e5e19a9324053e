"""The language switcher and hreflang links name only languages an item really has."""

import re

from cms.clusters.models import ClusterProfile
from tests.factories import news_page, path_of, translated

HREFLANG = re.compile(r'<link rel="alternate" hreflang="([a-z]{2})" href="([^"]+)"')
SWITCHER = re.compile(r'<a href="([^"]+)" hreflang="([a-z]{2})"')


def links(html):
    return {code for code, _ in HREFLANG.findall(html)}, {
        code for _, code in SWITCHER.findall(html)
    }


def test_an_unfinished_czech_version_is_not_linked(site_client, country):
    # Czech title but no Czech lead: the Czech URL would show fallback text, so it is not
    # offered (and redirects to the English version, tests/core/test_language_urls.py).
    page = news_page(country("CZ"), title={"cs": "Jen titulek", "en": "Title"}, lead={"en": "Lead"})
    hreflang, switcher = links(site_client("CZ").get(path_of(page, "en")).content.decode())
    assert hreflang == {"en"} and "cs" not in switcher


def test_a_translated_item_links_to_both_languages_with_their_urls(site_client, country):
    page = news_page(country("CZ"), title={"cs": "Česky", "en": "In English"})
    cs_url = path_of(page, "cs")
    en_url = path_of(page, "en")
    html = site_client("CZ").get(cs_url).content.decode()
    hreflang = dict(HREFLANG.findall(html))
    assert hreflang["cs"].endswith(cs_url) and hreflang["en"].endswith(en_url)
    assert links(html) == ({"cs", "en"}, {"cs", "en"})


def test_languages_outside_the_site_are_never_linked(site_client, country):
    page = news_page(
        country("CZ"), title={"cs": "Česky", "en": "English", "de": "Deutsch", "sk": "Slovensky"}
    )
    url = path_of(page, "cs")
    assert links(site_client("CZ").get(url).content.decode()) == ({"cs", "en"}, {"cs", "en"})


def test_hub_links_every_language_the_item_has(site_client, country):
    page = news_page(country("INT"), title={"en": "Hello", "pl": "Cześć", "sl": "Zdravo"})
    url = path_of(page, "en")
    assert links(site_client("INT").get(url).content.decode()) == (
        {"en", "pl", "sl"},
        {"en", "pl", "sl"},
    )


def test_cluster_profile_links_follow_the_cluster_languages(site_client, country):
    cluster = ClusterProfile.objects.create(
        slug="only-english",
        country=country("CZ"),
        **translated("name", {"en": "English only"}),
        **translated("description", {"en": "<p>Text</p>"}),
    )
    hreflang, switcher = links(
        site_client("CZ").get(f"/en/clusters/{cluster.slug}/").content.decode()
    )
    assert hreflang == {"en"} and "cs" not in switcher
