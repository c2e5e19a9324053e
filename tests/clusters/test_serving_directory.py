"""Which directory serves a country's cluster profiles to visitors: one answer for every channel.

A profile has no page of its own. Its country's live directory serves it when
visitors may see that directory; a country with no live directory has its
profiles served by the hub's directory; a directory that refuses visitors hides
its country's profiles everywhere. Search, the canonical link and the API's
``html_url`` all read ``ClusterDirectoryPage.directories_serving``.
"""

import pytest

from cms.clusters.models import ClusterDirectoryPage
from cms.core.models import Country
from tests.factories import restrict


def directory_of(country) -> ClusterDirectoryPage:
    return ClusterDirectoryPage.objects.child_of(country.home_page).get()


@pytest.fixture
def hub_directory(country):
    return directory_of(country("INT"))


def test_each_country_is_served_by_its_own_directory(country):
    countries = list(Country.objects.all())
    assert len(countries) == 8
    serving = ClusterDirectoryPage.directories_serving(c.pk for c in countries)
    assert serving == {c.pk: directory_of(c) for c in countries}


def test_a_country_without_a_live_directory_is_served_by_the_hubs(country, hub_directory):
    directory_of(country("PL")).unpublish()
    assert ClusterDirectoryPage.directory_serving(country("PL").pk) == hub_directory
    assert ClusterDirectoryPage.directory_serving(country("CZ").pk) == directory_of(country("CZ"))


@pytest.mark.parametrize("restricted", ["directory", "home"])
def test_a_directory_refusing_visitors_hides_its_countrys_profiles(country, restricted):
    cz = country("CZ")
    restrict(directory_of(cz) if restricted == "directory" else cz.home_page, "login")
    assert ClusterDirectoryPage.directory_serving(cz.pk) is None
    assert cz.pk in ClusterDirectoryPage.countries_refusing_visitors()


def test_without_a_directory_visitors_may_see_nothing_serves_the_profiles(country, hub_directory):
    directory_of(country("PL")).unpublish()
    restriction = restrict(hub_directory)
    assert ClusterDirectoryPage.directory_serving(country("PL").pk) is None
    assert ClusterDirectoryPage.directory_serving(country("CZ").pk) == directory_of(country("CZ"))
    restriction.delete()
    hub_directory.unpublish()
    assert ClusterDirectoryPage.directory_serving(country("PL").pk) is None


def test_the_batch_costs_four_queries_whatever_the_number_of_countries(
    country, django_assert_num_queries
):
    directory_of(country("PL")).unpublish()
    restrict(directory_of(country("CZ")))
    every = list(Country.objects.values_list("pk", flat=True))
    with django_assert_num_queries(4):
        ClusterDirectoryPage.directories_serving(every[:1])
    with django_assert_num_queries(4):
        serving = ClusterDirectoryPage.directories_serving(every)
    assert len(serving) == len(every) and list(serving.values()).count(None) == 1
