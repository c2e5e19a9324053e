"""One definition of the pages visitors may see, as a queryset filter and for a batch.

The batch form costs the same few queries for two pages as for every page of
the network: a search rebuild or a bulk sync never asks page by page.
"""

from wagtail.models import Page

from cms.clusters.models import ClusterDirectoryPage
from cms.core.visibility import hidden_from_visitors, ids_shown_to_visitors, shown_to_visitors
from cms.news.models import NewsIndexPage, NewsPage
from tests.factories import restrict


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_the_batch_answer_is_the_listings(country):
    index = NewsIndexPage.objects.child_of(country("CZ").home_page).get()
    restrict(index, "login")
    below = ids(NewsPage.objects.live().child_of(index))
    assert below
    every = list(Page.objects.all())
    shown = ids_shown_to_visitors(every)
    assert shown == ids(shown_to_visitors(Page.objects.all()))
    assert not shown & below and index.pk not in shown
    assert below <= ids(hidden_from_visitors(Page.objects.all()))


def test_a_draft_is_not_shown(country):
    page = NewsPage.objects.live().first()
    page.unpublish()
    assert page.pk not in ids_shown_to_visitors([page])


def test_the_batch_costs_two_queries_whatever_its_size(country, django_assert_max_num_queries):
    restrict(NewsIndexPage.objects.child_of(country("CZ").home_page).get(), "login")
    every = list(Page.objects.all())
    assert len(every) > 50
    with django_assert_max_num_queries(2):
        ids_shown_to_visitors(every[:2])
    with django_assert_max_num_queries(2):
        ids_shown_to_visitors(every)


def test_the_countries_of_restricted_directories(country, django_assert_max_num_queries):
    assert ClusterDirectoryPage.countries_refusing_visitors() == set()
    restrict(ClusterDirectoryPage.objects.child_of(country("CZ").home_page).get(), "login")
    restrict(country("SK").home_page, "login")
    with django_assert_max_num_queries(3):
        hidden = ClusterDirectoryPage.countries_refusing_visitors()
    assert hidden == {country("CZ").pk, country("SK").pk}
