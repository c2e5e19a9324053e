"""The admin finds an item by its words in any of its languages, with or without diacritics.

Wagtail indexed each item in the language active when it was saved: the seeded Czech
news item was found only by its English title, a cluster only by its name (never its
city), and a Czech word typed without its accents found nothing. A Czech editor now
searches every admin route (page search, explorer, page chooser, snippet listing and
chooser) through ``cms.search.admin_search``. Runs on the configured database
(SQLite, and PostgreSQL with ``DATABASE_URL``).
"""

import pytest
from django.utils import translation

from cms.clusters.importing import apply_import, preview_import
from cms.clusters.models import ClusterProfile
from cms.clusters.reading import read_table
from cms.news.models import NewsIndexPage, NewsPage
from cms.search.admin_search import admin_query
from tests.factories import country_user, news_page
from tests.search.conftest import ENGINE

# The analysed admin search (word forms through cms.search.analysis) is the database
# backend's (cms.search.backends.database), which answers whenever SEARCH_URL is unset and
# during an engine outage (tests/search/test_admin_search_outage.py). With an engine the
# admin searches the engine's index of every language's words, folded, but not their
# inflected forms; these tests also create objects without refreshing the engine.
pytestmark = pytest.mark.skipif(
    ENGINE, reason="the analysed admin search is the database backend's (SQLite, PostgreSQL)"
)


@pytest.fixture
def editor_client(client, db):
    client.force_login(country_user("CZ", "editors"))
    return client


def study_trip():
    return NewsPage.objects.get(slug_en="study-trip-to-austria-how-tourism-clusters-work")


def page_routes(query: str) -> dict[str, str]:
    news = NewsIndexPage.objects.get(pk=study_trip().get_parent().pk)
    return {
        "page search": f"/admin/pages/search/?q={query}",
        "explorer": f"/admin/pages/{news.pk}/?q={query}",
        "page chooser": f"/admin/choose-page/search/?q={query}",
    }


def snippet_routes(query: str) -> dict[str, str]:
    return {
        "snippet listing": f"/admin/snippets/clusters/clusterprofile/?q={query}",
        "snippet chooser": f"/admin/snippets/choose/clusters/clusterprofile/results/?q={query}",
    }


def missed(client, routes: dict[str, str], marker: str) -> list[str]:
    """The routes whose answer does not show ``marker`` (the found object's edit URL or id)."""
    return [name for name, url in routes.items() if marker not in client.get(url).content.decode()]


@pytest.mark.parametrize(
    "query",
    ["Studijní cesta", "studijni cesta", "STUDIJNÍ", "cesty do Rakouska", "Study trip", "Austria"],
)
def test_a_seeded_news_item_is_found_by_its_words_in_every_language(editor_client, query):
    page = study_trip()
    assert missed(editor_client, page_routes(query), f"/admin/pages/{page.pk}/") == []


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("potravinářů", "klastr-potravinaru-usteckeho-kraje"),
        ("potravinaru", "klastr-potravinaru-usteckeho-kraje"),
        ("potravinář", "klastr-potravinaru-usteckeho-kraje"),  # another form of the word
        ("Food Producers", "klastr-potravinaru-usteckeho-kraje"),
        ("Moravskoslezský", "moravskoslezsky-energeticky-klastr"),
        ("moravskoslezsky", "moravskoslezsky-energeticky-klastr"),
        ("Ostrava", "moravskoslezsky-energeticky-klastr"),  # the city
    ],
)
def test_a_seeded_cluster_is_found_by_its_words_in_every_language(editor_client, query, slug):
    cluster = ClusterProfile.objects.get(slug=slug)
    assert missed(editor_client, snippet_routes(query), f"/{cluster.pk}/") == []


def test_an_imported_cluster_is_found_by_its_city(editor_client):
    header = "slug,country,sectors,name_en,name_cs,city_en,city_cs"
    row = "vysocina-wood,CZ,manufacturing,Wood Cluster,Dřevařský klastr,Jihlava,Jihlava"
    content = f"{header}\n{row}\n".encode()
    apply_import(preview_import(read_table(content, "clusters.csv")))
    cluster = ClusterProfile.objects.get(slug="vysocina-wood")
    for query in ("Jihlava", "jihlava", "Dřevařský", "drevarsky", "Wood"):
        assert missed(editor_client, snippet_routes(query), f"/{cluster.pk}/") == [], query


def test_an_item_saved_in_czech_is_found_by_its_english_title(editor_client, country):
    with translation.override("cs"):  # as a Czech editor's save runs
        page = news_page(
            country("CZ"),
            title={
                "cs": "Výměnné fórum klastrů v Žilině",
                "en": "Cluster exchange forum in Zilina",
            },
        )
    for query in ("exchange forum", "Výměnné fórum", "vymenne forum", "Žilině", "zilina"):
        assert missed(editor_client, page_routes(query), f"/admin/pages/{page.pk}/") == [], query


def test_an_unknown_word_still_finds_nothing(editor_client):
    response = editor_client.get("/admin/pages/search/?q=Zzyzxquux")
    assert study_trip().title_en not in response.content.decode()
    assert f"/admin/pages/{study_trip().pk}/" not in response.content.decode()


@pytest.mark.parametrize("query", ["%22", "%27%22", "%22%22%22", "%00", "*", "-"])
def test_a_query_without_a_word_finds_nothing_and_is_no_error(editor_client, query):
    """A lone quote went to SQLite's full-text parser as typed: "unterminated string", a
    5xx on every admin search (listings, choosers, the admin's API)."""
    news = NewsIndexPage.objects.get(pk=study_trip().get_parent().pk)
    routes = {
        **page_routes(query),
        **snippet_routes(query),
        "sector chooser": f"/admin/snippets/choose/core/sector/results/?q={query}",
        "contact listing": f"/admin/snippets/partners/contactperson/?q={query}",
        "images": f"/admin/images/?q={query}",
        "image chooser": f"/admin/images/chooser/results/?q={query}",
        "documents": f"/admin/documents/?q={query}",
        "document chooser": f"/admin/documents/chooser/results/?q={query}",
    }
    failed = {name: editor_client.get(url).status_code for name, url in routes.items()}
    assert {name: status for name, status in failed.items() if status != 200} == {}
    if query != "%00":  # refused by the search form (no NUL in text): the plain listing
        found = editor_client.get(f"/admin/pages/{news.pk}/?q={query}").content.decode()
        assert f"/admin/pages/{study_trip().pk}/edit/" not in found
    for resource in ("pages", "images", "documents"):
        response = editor_client.get(f"/admin/api/main/{resource}/?search={query}")
        assert response.status_code in (200, 400), (resource, response.status_code)


def test_every_word_of_the_query_must_match():
    """Each word is one alternative of its forms; the words are all required."""
    query = admin_query("Studijní cesta")
    assert type(query).__name__ == "And"
    first = {alternative.query_string for alternative in query.subqueries[0].subqueries}
    assert {"studijní", "studijni"} <= first
    assert admin_query("  ,; ") is None


@pytest.mark.parametrize(
    "language, counted",
    [("en", "1-1 of 1 pages"), ("cs", "z 1 (stránek)"), ("sk", "z 1 (stránok)")],
)
def test_the_page_search_header_names_what_it_counts(client, db, language, counted):
    """Wagtail's page search passes its header no model name: "1-1 of 1 None" before."""
    editor = country_user("CZ", "editors")
    editor.wagtail_userprofile.preferred_language = language
    editor.wagtail_userprofile.save()
    client.force_login(editor)
    text = " ".join(client.get("/admin/pages/search/?q=study+trip").content.decode().split())
    assert "(None)" not in text and "of 1 None" not in text
    assert counted in text
