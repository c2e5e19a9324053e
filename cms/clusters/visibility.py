"""Which cluster profiles visitors may see: those whose directory page lets them in.

A profile has no page of its own: its country's ``ClusterDirectoryPage`` serves it
at ``<directory>/<slug>/``. When that directory (or a page above it) is under a
view restriction, Wagtail refuses visitors every profile URL below it, so the
visitor search, the hub's directory and teasers must not show those profiles
either. A country with no live directory at all keeps its profiles as before
(the hub's directory serves them). The Delivery API serves profiles as
snippets, whatever the page tree says (``cms.projections.registry``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import QuerySet
from wagtail.models import Page

from cms.core.visibility import hidden_from_visitors


def countries_with_hidden_directory() -> set[int]:
    """Ids of the countries whose live cluster directory refuses visitors.

    Three queries whatever the number of profiles (the restrictions, the
    restricted directories, their countries' home pages).
    """
    from cms.clusters.models import ClusterDirectoryPage

    return countries_of(hidden_from_visitors(ClusterDirectoryPage.objects.all()))


def countries_of(directories: Iterable[Page]) -> set[int]:
    """Ids of the countries whose home pages hold ``directories``: one query for them all."""
    from cms.home.models import CountryHomePage

    directories = list(directories)
    if not directories:
        return set()
    homes = reduce(or_, (CountryHomePage.objects.parent_of_q(page) for page in directories))
    return set(CountryHomePage.objects.filter(homes).values_list("country_id", flat=True))


def profiles_served_under(page: Page) -> QuerySet:
    """The profiles whose own country's directory is ``page`` or below it.

    Their visibility follows a view restriction on ``page``: the receivers of
    restriction changes (search, projections) update them with the pages.
    """
    from cms.clusters.models import ClusterDirectoryPage, ClusterProfile

    directories = ClusterDirectoryPage.objects.descendant_of(page, inclusive=True)
    return ClusterProfile.objects.filter(country_id__in=countries_of(directories))
