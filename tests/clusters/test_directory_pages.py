"""The cluster directory is a listing like news and past events: one page of cards per URL.

A country (or the hub, which lists every country's) may hold hundreds of
cluster organisations; the directory shows ``per_page`` of them per address
(``?page=2``), with the same pagination links, and a bad page number is a 404.
"""

import re

import pytest
from wagtail.models import Site

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from tests.factories import path_of, translated

CARD = '<article class="card">'


@pytest.fixture
def many_clusters(country):
    cz = country("CZ")
    for number in range(ClusterDirectoryPage.per_page + 1):
        ClusterProfile.objects.create(
            slug=f"paged-cluster-{number}",
            country=cz,
            ready_languages=["cs"],
            **translated("name", {"en": f"Paged cluster {number}", "cs": f"Klastr {number}"}),
        )
    return ClusterProfile.objects.filter(country=cz).count()


def test_the_directory_is_paginated(site_client, many_clusters):
    client = site_client("CZ")
    first = client.get("/cs/klastry/").content.decode()
    assert first.count(CARD) == ClusterDirectoryPage.per_page
    assert 'href="?page=2" rel="next"' in first
    second = client.get("/cs/klastry/", {"page": 2})
    assert second.status_code == 200
    html = second.content.decode()
    assert '<span aria-current="page">2</span>' in html
    assert html.count(CARD) == many_clusters - ClusterDirectoryPage.per_page


def test_a_sector_filter_keeps_its_pages(site_client, many_clusters):
    ict = ClusterProfile.objects.filter(country__code="CZ", sectors__slug="ict").count()
    html = site_client("CZ").get("/cs/klastry/", {"sector": "ict"}).content.decode()
    assert html.count(CARD) == min(ict, ClusterDirectoryPage.per_page)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99", "1.5"])
def test_a_bad_page_number_is_a_404(site_client, many_clusters, page):
    response = site_client("CZ").get("/cs/klastry/", {"page": page})
    assert response.status_code == 404
    assert "Stránka nenalezena" in response.content.decode()


#: Names where Czech order differs from code points; "Mountain" has English text only.
CZECH_ORDER = ["Cukrářský", "Čokoládový", "Hradní", "Chmelařský", "Mountain", "Ústecký", "Žatecký"]


@pytest.mark.parametrize(("code", "language"), [("INT", "cs"), ("INT", "sk"), ("CZ", "cs")])
def test_the_directory_is_in_the_readers_alphabetical_order(
    site_client, country, monkeypatch, code, language
):
    """Each name as shown (after fallback), in the alphabetical order of the page's language:
    ordering the language's own ``name`` column put every fallback name first, unordered,
    and Ú and Ž after Z."""
    monkeypatch.setattr(ClusterDirectoryPage, "per_page", 100)
    for number, name in enumerate(reversed(CZECH_ORDER)):
        english_only = name == "Mountain"
        ClusterProfile.objects.create(
            slug=f"alphabet-{number}",
            country=country("CZ"),
            ready_languages=[] if english_only else ["cs"],
            **translated("name", {"en": name} if english_only else {"en": name, "cs": name}),
        )
    root = Site.objects.get(country__code=code).root_page
    directory = ClusterDirectoryPage.objects.live().child_of(root).get()
    html = site_client(code).get(path_of(directory, language)).content.decode()
    headings = {name: html.find(f">{name}</a>") for name in CZECH_ORDER}
    assert -1 not in headings.values(), headings
    assert sorted(CZECH_ORDER, key=headings.get) == CZECH_ORDER


def test_a_card_names_the_place_a_cluster_has_and_nothing_where_it_has_none(site_client, country):
    """City and region are optional: a cluster with neither had an empty ``<span>`` (and on
    the hub a line starting " · "), one with a region only ", Region"."""
    for slug, city, region in (
        ("nowhere", "", ""),
        ("regional", "", "Moravia"),
        ("town", "Brno", ""),
    ):
        ClusterProfile.objects.create(
            slug=f"place-{slug}",
            country=country("CZ"),
            city_en=city,
            region_en=region,
            **translated("name", {"en": f"Place {slug}"}),
        )
    for code in ("CZ", "INT"):
        html = site_client(code).get("/en/clusters/?page=1").content.decode()
        country_name = " · Czech Republic" if code == "INT" else ""
        assert meta_of(html, "regional") == "Moravia" + country_name, code
        assert meta_of(html, "town") == "Brno" + country_name, code
        assert meta_of(html, "nowhere") == (country_name.removeprefix(" · ") or None), code


def meta_of(html: str, slug: str) -> str | None:
    """The place line of the card of ``Place <slug>``, if it has one."""
    start = html.index(f">Place {slug}</a>")
    card = html[start : html.index("</article>", start)]
    found = re.search(r'<p class="meta">(.*?)</p>', card, re.S)
    return found.group(1) if found else None


@pytest.mark.parametrize("value", ["%00", "food%00"])
def test_a_nul_in_the_sector_is_a_400_without_a_query_given_it(site_client, nul_queries, value):
    response = site_client("CZ").get(f"/cs/klastry/?sector={value}")
    assert response.status_code == 400
    assert '<html lang="cs">' in response.content.decode()
    assert nul_queries == []
