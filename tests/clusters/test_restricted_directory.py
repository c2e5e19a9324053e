"""Profiles under a restricted directory are listed and served nowhere, named in no sitemap.

A profile has no page of its own: its country's cluster directory serves it at
``<directory>/<slug>/``. When that directory is under a view restriction, Wagtail
refuses visitors every profile URL there; the hub's directory (which serves every
country's profiles) must not list or serve them either, nor the country's sitemap
name their URLs. The Delivery API still serves them: it serves profiles as
snippets, whatever the page tree says.
"""

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from tests.factories import restrict


def directory_of(country) -> ClusterDirectoryPage:
    return ClusterDirectoryPage.objects.child_of(country.home_page).get()


def test_the_hub_neither_lists_nor_serves_a_hidden_countrys_clusters(site_client, country):
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    hub = ClusterDirectoryPage.objects.child_of(country("INT").home_page).get()
    client = site_client("INT")
    assert hub.clusters().filter(pk=cluster.pk).exists()
    assert client.get(f"/en/clusters/{cluster.slug}/").status_code == 200
    restriction = restrict(directory_of(country("CZ")))
    assert not hub.clusters().filter(pk=cluster.pk).exists()
    assert client.get(f"/en/clusters/{cluster.slug}/").status_code == 404
    restriction.delete()
    assert hub.clusters().filter(pk=cluster.pk).exists()


def test_the_restricted_directory_still_shows_its_own_clusters_to_those_let_in(country):
    cz = country("CZ")
    restrict(directory_of(cz))
    assert directory_of(cz).clusters().count() == ClusterProfile.objects.filter(country=cz).count()


def test_the_countrys_sitemap_leaves_out_the_hidden_profiles(site_client, country, settings):
    settings.PROJECTION_INLINE_LIMIT = 1000  # the profiles are rendered again at once
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    client = site_client("CZ")
    profile = f"/cs/klastry/{cluster.slug}/"
    assert profile in client.get("/sitemap.xml").content.decode()
    restriction = restrict(directory_of(country("CZ")))
    assert profile not in client.get("/sitemap.xml").content.decode()
    restriction.delete()
    assert profile in client.get("/sitemap.xml").content.decode()
