"""The listings' translation filter: database queries that agree with ``translation_status``.

The filter never loads objects into Python, so these tests check its SQL
against the Python functions visitors are served by, on the demo content
plus a few items in each state, and that it never widens what an editor sees.
"""

import pytest
from wagtail.models import Page

from cms.clusters.models import ClusterProfile
from cms.core import translation_status as ts
from cms.core.languages import LANGUAGE_CODES
from cms.core.translation_admin import (
    FILTER_STATES,
    UNPUBLISHED,
    filled_q,
    filter_translation,
)
from cms.events.models import EventPage
from cms.home.models import StandardPage
from cms.news.models import NewsPage
from cms.partners.models import ContactPerson, PartnerOrganisation
from tests.factories import country_user, news_page, translated

MODELS = (ClusterProfile, PartnerOrganisation, ContactPerson, NewsPage, EventPage, StandardPage)


def expected(obj, state: str, language: str) -> bool:
    """What the filter should say, from the functions visitors' pages use."""
    published = ts.has_language(obj, language)
    return {
        UNPUBLISHED: not published,
        "ready": published,
        ts.COMPLETE: ts.status(obj, language) == ts.COMPLETE and not ts.is_ready(obj, language),
        ts.PARTIAL: ts.status(obj, language) == ts.PARTIAL,
        ts.MISSING: ts.status(obj, language) == ts.MISSING,
    }[state]


@pytest.fixture
def every_state(country):
    """Besides the demo content: items that are partial, complete but unready, blank, …"""
    cz = country("CZ")

    def cluster(slug, names, ready=(), **fields):
        return ClusterProfile.objects.create(
            slug=slug,
            country=cz,
            ready_languages=list(ready),
            **translated("name", names),
            **fields,
        )

    cluster("tf-ready", {"en": "Ready tf", "cs": "Hotovo tf"}, ready=["cs"])
    cluster("tf-unready", {"en": "Unready tf", "cs": "Nehotovo tf"})
    cluster("tf-blank", {"en": "Blank tf", "cs": "   "})  # spaces only: not filled
    cluster("tf-partial", {"en": "Partial tf"}, city_cs="Brno")  # text, but not the name
    cluster("tf-stale", {"en": "Stale tf"}, ready=["cs"])  # ready, yet no longer complete
    news_page(cz, title={"en": "News ready tf", "cs": "Zprávy tf"})
    news_page(cz, title={"en": "News partial tf", "cs": "Zprávy tf"}, lead={"en": "Lead"})
    news_page(
        cz, title={"en": "News unready tf", "sk": "Správy tf"}, lead={"en": "L", "sk": "L"},
        ready_languages=[],
    )  # fmt: skip


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_the_filter_agrees_with_translation_status(model, every_state):
    objects = list(model.objects.all())
    assert objects
    for language in LANGUAGE_CODES:
        for state in FILTER_STATES:
            found = set(
                filter_translation(model.objects.all(), state, language).values_list(
                    "pk", flat=True
                )
            )
            wanted = {obj.pk for obj in objects if expected(obj, state, language)}
            assert found == wanted, (state, language)


def test_the_explorer_filter_asks_each_page_type(every_state):
    pages = list(Page.objects.filter(depth__gt=1).specific())
    assert {type(page) for page in pages} >= {NewsPage, EventPage, StandardPage}
    for language in LANGUAGE_CODES:
        for state in FILTER_STATES:
            query = filter_translation(Page.objects.filter(depth__gt=1), state, language)
            wanted = {page.pk for page in pages if expected(page, state, language)}
            assert set(query.values_list("pk", flat=True)) == wanted, (state, language)


def test_the_demo_content_has_something_to_find(every_state):
    """Guards the tests above against vacuously agreeing on empty results."""
    for state in FILTER_STATES:
        found = filter_translation(ClusterProfile.objects.all(), state, "cs")
        assert found.exists(), state


def test_an_empty_stream_is_not_filled(country):
    page = news_page(country("CZ"), title={"en": "Stream tf"})
    page.body_cs = [("paragraph", "<p>Text</p>")]
    page.save()
    pages = list(NewsPage.objects.all())
    assert any(ts.is_filled(p.body_cs) for p in pages)
    assert any(not ts.is_filled(p.body_cs) for p in pages)
    filled = set(
        NewsPage.objects.filter(filled_q(NewsPage, "body_cs")).values_list("pk", flat=True)
    )
    assert filled == {p.pk for p in pages if ts.is_filled(p.body_cs)}


# --- the listings, as an editor of one country sees them -----------------------------


SNIPPET_LISTINGS = {
    ClusterProfile: "/admin/snippets/clusters/clusterprofile/",
    PartnerOrganisation: "/admin/snippets/partners/partnerorganisation/",
    ContactPerson: "/admin/snippets/partners/contactperson/",
}


@pytest.mark.parametrize("model", list(SNIPPET_LISTINGS), ids=lambda model: model.__name__)
def test_a_country_editor_filters_only_their_own_snippets(client, country, model, every_state):
    client.force_login(country_user("CZ"))
    query = {"language": "cs", "translation": UNPUBLISHED}
    response = client.get(SNIPPET_LISTINGS[model], query)
    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["object_list"]}
    wanted = {
        obj.pk for obj in model.objects.filter(country__code="CZ") if not ts.has_language(obj, "cs")
    }
    assert listed == wanted
    assert model.objects.exclude(country__code="CZ").exists()  # others exist, and stay hidden


def test_the_explorer_has_the_filter_and_keeps_the_editor_in_their_country(client, country):
    cz, it = country("CZ"), country("IT")
    done = news_page(cz, title={"en": "Done tf", "cs": "Hotovo tf"})
    todo = news_page(cz, title={"en": "Todo tf"})
    news_page(it, title={"en": "Italian tf"})
    client.force_login(country_user("CZ"))
    home = cz.home_page
    plain = client.get(f"/admin/pages/{home.pk}/").content.decode()
    assert 'name="translation"' in plain and f'value="{UNPUBLISHED}"' in plain
    assert 'name="language"' in plain and 'value="cs"' in plain
    missing_cs = {"language": "cs", "translation": UNPUBLISHED}
    response = client.get(f"/admin/pages/{home.pk}/", missing_cs)
    listed = {page.pk for page in response.context["pages"]}
    assert todo.pk in listed and done.pk not in listed  # whole subtree, not just children
    below = set(Page.objects.descendant_of(home, inclusive=True).values_list("pk", flat=True))
    assert listed <= below
    results = client.get(f"/admin/pages/{home.pk}/results/", missing_cs)
    assert {page.pk for page in results.context["pages"]} == listed  # the drawer's refresh
    # "Search the whole tree" with the filter on: still only the editor's country.
    response = client.get(f"/admin/pages/{home.pk}/", {**missing_cs, "search_all": "1"})
    listed = {page.pk for page in response.context["pages"]}
    assert todo.pk in listed and listed <= below
    assert it.home_page.pk not in listed


def test_the_flat_page_listing_uses_the_same_states(client, country):
    client.force_login(country_user("CZ", "moderators"))
    unready = news_page(
        country("CZ"), title={"en": "Unready tf", "cs": "Nehotovo tf"}, ready_languages=[]
    )
    listing = client.get("/admin/translations-newspage/", {"translation": "complete:cs"})
    assert [page.pk for page in listing.context["object_list"]] == [unready.pk]
    # The filter's address before it had two choices still works ("missing" = not published).
    missing = client.get("/admin/translations-newspage/", {"translation": "missing:cs"})
    assert unready.pk in {page.pk for page in missing.context["object_list"]}
