"""A country without a live cluster directory: the hub's directory serves its profiles.

Every channel then links the profile there, in a language the hub publishes: the
search result, the API's ``html_url``, the canonical link and the hub's sitemap
(``ClusterDirectoryPage.directories_serving``). Before, search linked nothing (an
empty URL) and the API said ``null``, while the hub served the profile.
"""

import io

import pytest
from django.core.management import call_command

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.search.models import SearchDocument
from tests.core.test_head_meta import canonical, head_of
from tests.core.test_sitemaps import entries, fetch_sitemap
from tests.factories import restrict, translated

HUB = "http://localhost"
PATHS = {"en": "/en/clusters/hub-served-cluster/", "pl": "/pl/klastry/hub-served-cluster/"}


def directory_of(country) -> ClusterDirectoryPage:
    return ClusterDirectoryPage.objects.child_of(country.home_page).get()


def search_url(cluster, language: str) -> str | None:
    document = SearchDocument.objects.filter(
        kind="cluster", object_id=cluster.pk, language=language
    ).first()
    return document.url if document else None


def api_url(client, cluster, language: str) -> str | None:
    response = client.get(
        f"/api/v3/clusters/{cluster.pk}/?lang={language}", HTTP_HOST="pl.localhost"
    )
    assert response.status_code == 200
    return response.json()["html_url"]


@pytest.fixture
def cluster(country, settings):
    """A Polish profile (Polish and English) of a Poland whose directory is unpublished."""
    settings.PROJECTION_INLINE_LIMIT = 1000  # dependents rendered at once
    poland = country("PL")
    cluster = ClusterProfile.objects.create(
        slug="hub-served-cluster",
        country=poland,
        ready_languages=["pl"],
        **translated("name", {"en": "Hub-served cluster", "pl": "Klaster z huba"}),
    )
    directory_of(poland).unpublish()  # its profiles' search documents and rows follow
    return cluster


@pytest.mark.parametrize("language", ["en", "pl"])
def test_search_the_api_and_the_canonical_link_name_the_hubs_profile(client, cluster, language):
    url = f"{HUB}{PATHS[language]}"
    assert search_url(cluster, language) == url
    assert api_url(client, cluster, language) == url
    head = head_of(client.get(PATHS[language], HTTP_HOST="localhost"))
    assert canonical(head) == url


@pytest.mark.parametrize("language", ["de", "sk", "sl"])
def test_a_reader_of_a_language_the_profile_lacks_is_linked_where_they_land(
    client, cluster, language
):
    """The hub publishes every language, the profile only Polish and English: search and
    the API both link the page such a reader lands on (no 302 from ``/de/…``)."""
    url = f"{HUB}{PATHS['en']}"
    assert search_url(cluster, language) == url
    assert api_url(client, cluster, language) == url
    assert client.get(PATHS["en"], HTTP_HOST="localhost").status_code == 200


def test_the_hubs_sitemap_lists_the_profile_and_polands_does_not(client, cluster):
    hub = entries(fetch_sitemap(client, "localhost"))
    assert hub[f"{HUB}{PATHS['en']}"] == {
        "en": f"{HUB}{PATHS['en']}",
        "pl": f"{HUB}{PATHS['pl']}",
        "x-default": f"{HUB}{PATHS['en']}",
    }
    poland = entries(fetch_sitemap(client, "pl.localhost"))
    assert not [url for url in poland if "hub-served-cluster" in url]


def test_a_restricted_hub_directory_hides_the_profile_everywhere(client, country, cluster):
    restrict(directory_of(country("INT")))
    assert search_url(cluster, "en") is None
    assert api_url(client, cluster, "en") is None
    assert "hub-served-cluster" not in str(entries(fetch_sitemap(client, "localhost")))


def test_publishing_the_directory_again_takes_the_profile_home(client, country, cluster):
    directory_of(country("PL")).save_revision().publish()
    url = "http://pl.localhost/en/clusters/hub-served-cluster/"
    assert search_url(cluster, "en") == url
    assert api_url(client, cluster, "en") == url
    assert url in entries(fetch_sitemap(client, "pl.localhost"))
    assert "hub-served-cluster" not in str(entries(fetch_sitemap(client, "localhost")))


def test_unpublishing_the_hubs_directory_leaves_the_profile_unserved(client, country, cluster):
    directory_of(country("INT")).unpublish()
    assert search_url(cluster, "en") is None
    assert api_url(client, cluster, "en") is None
    other = ClusterProfile.objects.filter(country__code="CZ").first()
    assert search_url(other, "en").startswith("http://cz.localhost/en/clusters/")


def test_the_hubs_new_hostname_and_languages_reach_the_profiles_it_serves(client, country, cluster):
    """A site's change re-rendered its own country's items and the pages under it, not the
    other countries' profiles its directory serves: their ``html_url`` kept the old host
    (a 404), and neither ETag, Last-Modified nor a sync said anything had changed."""
    hub = country("INT")
    site = hub.site
    site.hostname = "hub.localhost"
    site.save()
    hub.languages = [code for code in hub.languages if code != "pl"]
    hub.save()
    call_command("search_pending", stdout=io.StringIO())
    english = "http://hub.localhost/en/clusters/hub-served-cluster/"
    for language in ("en", "pl"):  # the hub publishes no Polish now: its readers land in English
        assert api_url(client, cluster, language) == english, language
        assert search_url(cluster, language) == english, language
    assert call_command("check_projections", stdout=io.StringIO()) is None
