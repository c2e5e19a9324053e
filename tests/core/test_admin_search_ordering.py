"""Searching an admin listing, then sorting it by a column it offers, or filtering it.

Wagtail's search backends sort and filter search results only by fields the model
declares (``index.FilterField``); modeltranslation turns ``order_by("title")`` into the
active language's ``title_sk``. Undeclared, each was a 500 for every editor, in every
admin language: the page search, the explorer, the translation listings, the snippets'
and the images' listings.
"""

import re
from html import unescape

import pytest
from django.utils import translation
from wagtail.users.models import UserProfile

from cms.clusters.models import ClusterProfile
from cms.core.translation_status import MISSING
from tests.factories import country_user

SEARCHED_LISTINGS = (
    "/admin/pages/search/?q=forum",
    "/admin/snippets/clusters/clusterprofile/?q=a",
    "/admin/snippets/partners/contactperson/?q=a",
    "/admin/snippets/partners/partnerorganisation/?q=a",
    "/admin/snippets/core/sector/?q=food",
    "/admin/images/?q=a",
)
ORDERING = re.compile(r"[?&]ordering=(-?[\w]+)")


def orderings(html: str) -> set[str]:
    """Every ``ordering`` the page links or offers (column headers, "Sort by" menus)."""
    found = set(ORDERING.findall(unescape(html)))
    found |= set(re.findall(r'name="ordering"[^>]*>.*?</select>', html, re.S))
    options = re.findall(r'<option value="(-?\w+)"', " ".join(found))
    return {value for value in found if not value.startswith("<")} | set(options)


@pytest.mark.parametrize("listing", SEARCHED_LISTINGS)
@pytest.mark.parametrize("language", ["en", "sk"])
def test_every_ordering_a_search_offers_answers(client, admin_user, listing, language):
    user = admin_user
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    first = client.get(listing)
    assert first.status_code == 200
    offered = orderings(first.content.decode())
    assert offered, "the listing offers no ordering: the pattern no longer finds them"
    failing = [
        ordering
        for ordering in sorted(offered)
        if client.get(f"{listing}&ordering={ordering}").status_code != 200
    ]
    assert failing == []


def test_the_explorer_searches_sorted_and_by_translation_state(client, country):
    client.force_login(country_user("SK"))
    home = country("SK").site.root_page_id
    with translation.override("sk"):
        for query in (
            {"q": "forum", "ordering": "title"},
            {"q": "forum", "ordering": "-latest_revision_created_at"},
            {"q": "forum", "translation": f"{MISSING}", "language": "sk"},
        ):
            response = client.get(f"/admin/pages/{home}/", query)
            assert response.status_code == 200, query


def test_with_an_engine_what_it_cannot_sort_by_is_sorted_by_the_database(
    client, admin_user, dead_engine, country
):
    """OpenSearch sorts only by fields it indexed: the database backend kept beside it
    answers instead (here the engine is down too, but the sorting is refused before any
    call to it)."""
    ClusterProfile.objects.create(
        slug="wombat-b", name_en="Wombat B", city_en="Brno", country=country("CZ")
    )
    ClusterProfile.objects.create(
        slug="wombat-a", name_en="Wombat A", city_en="Aš", country=country("CZ")
    )
    client.force_login(admin_user)
    listing = "/admin/snippets/clusters/clusterprofile/?q=wombat&ordering="
    for ordering, expected in (
        ("city", ["Wombat A", "Wombat B"]),
        ("-city", ["Wombat B", "Wombat A"]),
    ):
        response = client.get(listing + ordering)
        assert response.status_code == 200
        assert [str(obj) for obj in response.context["object_list"]] == expected
