"""The directory's sector filter: links only to sectors it lists, and says so when one lists none.

A filter with no matches said the directory was empty ("No cluster organisations yet"), and
the home page and the directory linked every sector, also those no cluster of the site is
in. An unknown sector was a 404 where the feeds and the search answer a 400 naming the
parameter; and the language switcher dropped the filter.
"""

from html import unescape

import pytest

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.core.models import Sector
from tests.factories import path_of, translated

#: The sector links of the directory and of the home page's hero.
LINK = 'href="{prefix}?sector={slug}"'


@pytest.fixture
def empty_sector(db):
    """A sector no cluster is in."""
    return Sector.objects.create(
        slug="space", sort_order=99, **translated("name", {"en": "Space", "cs": "Vesmír"})
    )


@pytest.fixture
def directory(country):
    return ClusterDirectoryPage.objects.child_of(country("CZ").home_page).get()


def test_a_sector_with_no_clusters_says_so_and_links_the_whole_directory(
    site_client, empty_sector, directory
):
    html = site_client("CZ").get(path_of(directory, "cs"), {"sector": "space"}).content.decode()
    assert "V odvětví „Vesmír“ zde není uvedena žádná klastrová organizace." in html
    assert f'<a href="{path_of(directory, "cs")}">Všechny klastrové organizace</a>' in html
    assert "Zatím zde nejsou žádné klastrové organizace." not in html
    # The chosen sector stays marked as chosen.
    assert 'href="?sector=space" aria-current="true"' in html


def test_the_sector_links_offer_only_sectors_with_clusters_on_the_site(
    site_client, empty_sector, directory, country
):
    client = site_client("CZ")
    listed = set(
        ClusterProfile.objects.filter(country=country("CZ")).values_list("sectors__slug", flat=True)
    )
    unlisted = set(Sector.objects.values_list("slug", flat=True)) - listed
    assert "space" in unlisted and listed - {None}
    directory_html = client.get(path_of(directory, "cs")).content.decode()
    home_html = client.get("/cs/").content.decode()
    for slug in listed - {None}:
        assert LINK.format(prefix="", slug=slug) in directory_html
        assert LINK.format(prefix=path_of(directory, "cs"), slug=slug) in home_html
    for slug in unlisted:
        assert f"?sector={slug}" not in directory_html
        assert f"?sector={slug}" not in home_html


@pytest.mark.parametrize("value", ["bogus", "mining", "%00", "food%00"])
def test_an_unknown_sector_is_a_400_naming_the_parameter(site_client, directory, value):
    response = site_client("CZ").get(f"{path_of(directory, 'cs')}?sector={value}")
    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="cs">' in html
    assert "Neznámá hodnota v parametru „sector“" in html


def test_the_language_switcher_keeps_the_sector_but_not_the_page(site_client, directory):
    client = site_client("CZ")
    html = client.get(path_of(directory, "cs"), {"sector": "ict", "page": "1"}).content.decode()
    switcher = html[html.index('class="languages"') :]
    switcher = unescape(switcher[: switcher.index("</ul>")])
    english = f"/language/?next={path_of(directory, 'en')}%3Fsector%3Dict"
    assert f'href="{english}" hreflang="en"' in switcher
    response = client.get(english)
    assert response.status_code == 302
    assert response["Location"] == f"{path_of(directory, 'en')}?sector=ict"
    # The head's language versions are the directory's own addresses, as its canonical.
    assert f'hreflang="en" href="http://cz.localhost{path_of(directory, "en")}">' in html
