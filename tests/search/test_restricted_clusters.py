"""A cluster profile under a restricted directory is searched by nobody.

A profile has no page of its own: its country's cluster directory serves it at
``<directory>/<slug>/``. When that directory (or its home page) is under a view
restriction, Wagtail refuses visitors every profile URL, so the visitor search
must not show the profile either (``tests/clusters/test_restricted_directory.py``:
nor the hub, nor the sitemap). Lifting the restriction brings it back.
"""

import io

import pytest
from django.core.management import call_command

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.search.models import SearchDocument
from cms.search.service import SearchRequest, search
from tests.factories import restrict, translated
from tests.search.conftest import ENGINE, settle

NAME = {"en": "Quokkacluster Brno", "cs": "Quokkaklastr Brno"}


def found(word: str) -> int:
    settle()
    return search(SearchRequest(query=word, language="cs", countries=("CZ",))).total


def indexed(cluster) -> bool:
    return SearchDocument.objects.filter(kind="cluster", object_id=cluster.pk).exists()


def directory_of(country) -> ClusterDirectoryPage:
    return ClusterDirectoryPage.objects.child_of(country.home_page).get()


def new_cluster(country) -> ClusterProfile:
    return ClusterProfile.objects.create(
        slug="quokkacluster-brno",
        country=country,
        ready_languages=["cs", "en"],
        **translated("name", NAME),
    )


@pytest.fixture
def cluster(country):
    return new_cluster(country("CZ"))


def test_a_cluster_under_a_restricted_directory_leaves_search_and_comes_back(country, cluster):
    assert indexed(cluster)
    assert found("quokkaklastr") == 1
    restriction = restrict(directory_of(country("CZ")))
    assert not indexed(cluster)
    assert found("quokkaklastr") == 0
    restriction.delete()
    assert indexed(cluster)
    assert found("quokkaklastr") == 1


def test_a_restricted_home_page_takes_its_countrys_clusters_out_of_search(country, cluster):
    restriction = restrict(country("CZ").home_page)
    assert not indexed(cluster)
    restriction.delete()
    assert indexed(cluster)


def test_other_countries_clusters_stay_when_one_directory_is_restricted(country, cluster):
    slovak = ClusterProfile.objects.filter(country__code="SK").first()
    assert indexed(slovak)
    restrict(directory_of(country("CZ")))
    assert indexed(slovak)


def test_a_cluster_saved_under_a_restricted_directory_is_never_indexed(country):
    restrict(directory_of(country("CZ")))
    cluster = new_cluster(country("CZ"))
    cluster.city_en = "Brno"
    cluster.save()
    assert not indexed(cluster)
    assert found("quokkaklastr") == 0


def test_a_rebuild_does_not_bring_a_hidden_cluster_back(country, cluster):
    if ENGINE:
        pytest.skip("the database path's rebuild; on an engine it would outlive the test")
    restrict(directory_of(country("CZ")))
    call_command("rebuild_search_documents", stdout=io.StringIO())
    assert not indexed(cluster)
    assert found("quokkaklastr") == 0
