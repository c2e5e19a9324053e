"""Editors' promoted results ("best bets"): above the results, per language, never a draft.

Runs on the configured database (SQLite; PostgreSQL with ``DATABASE_URL``): promotions are
answered from the search documents in the database whatever the search backend is.
"""

import pytest
from django.core.exceptions import ValidationError

from cms.clusters.models import ClusterProfile
from cms.core.models import Country
from cms.search.models import Promotion, promotion_key
from cms.search.promotions import promoted
from cms.search.query import SearchRequest
from tests.factories import country_user, draft_page, network_admin, news_page


@pytest.fixture
def czech_news(db):
    """A published news item of the Czech site, in Czech and English (both ready)."""
    page = news_page(
        Country.objects.get(code="CZ"),
        title={"en": "Meeting of food producers", "cs": "Setkání výrobců potravin"},
        lead={"en": "Come and taste.", "cs": "Přijďte ochutnat."},
    )
    page.save_revision().publish()
    return page


def promote(page=None, *, query="ochutnávka sýrů", language="cs", **fields) -> Promotion:
    promotion = Promotion(language=language, query=query, page=page, **fields)
    promotion.full_clean()
    promotion.save()
    return promotion


def shown(query: str, language: str = "cs", **request) -> list[str]:
    found = promoted(SearchRequest(query=query, language=language, **request))
    return [str(item.title) for item in found]


# Matching


def test_the_same_words_in_any_case_form_or_order_match(czech_news):
    promote(czech_news, query="ochutnávka sýrů")
    for typed in ("ochutnávka sýrů", "OCHUTNAVKA SYRU", "sýrů ochutnávka", "ochutnávky sýrů"):
        assert shown(typed) == ["Setkání výrobců potravin"], typed
    assert shown("ochutnávka") == []  # fewer words: not the promoted query
    assert shown("ochutnávka sýrů zdarma") == []  # more words neither


def test_promotions_are_per_language(czech_news):
    promote(czech_news, query="ochutnávka", language="cs")
    assert shown("ochutnávka", "en") == []
    promote(czech_news, query="tasting", language="en")
    assert shown("tasting", "en") == ["Meeting of food producers"]


def test_an_abbreviation_analysis_drops_still_matches_as_words():
    assert promotion_key("IT", "en") == "it"
    assert promotion_key("IT", "en") == promotion_key("it", "en")


def test_order_and_the_request_filters_apply(czech_news):
    cluster = ClusterProfile.objects.get(name_cs="IT klastr Ústí")
    promote(czech_news, query="ochutnávka", sort_order=2)
    promote(cluster=cluster, query="ochutnávka", sort_order=1)
    assert shown("ochutnávka") == ["IT klastr Ústí", "Setkání výrobců potravin"]
    assert shown("ochutnávka", kinds=("news",)) == ["Setkání výrobců potravin"]
    assert shown("ochutnávka", countries=("DE",)) == []
    assert shown("ochutnávka", page=2) == []  # above the first page of results only


# Never a draft, never an unready translation


def test_a_draft_is_never_promoted(db):
    draft = draft_page(Country.objects.get(code="CZ"), "news", title="Secret tasting")
    promote(draft, query="tasting", language="en")
    assert shown("tasting", "en") == []


def test_the_published_version_is_shown_not_the_newer_draft(czech_news):
    promote(czech_news, query="tasting", language="en")
    czech_news.title_en = "Unapproved new title"
    czech_news.save_revision()
    assert shown("tasting", "en") == ["Meeting of food producers"]
    czech_news.unpublish()
    assert shown("tasting", "en") == []


def test_a_translation_not_ready_is_not_promoted_in_its_language(db):
    page = news_page(
        Country.objects.get(code="CZ"),
        title={"en": "Cheese day", "cs": "Den sýrů"},
        ready_languages=[],  # Czech written, not yet marked ready: Czech visitors get English
    )
    page.save_revision().publish()
    promote(page, query="sýry", language="cs")
    promote(page, query="cheese", language="en")
    assert shown("sýry", "cs") == []
    assert shown("cheese", "en") == ["Cheese day"]


# The model


def test_a_promotion_targets_one_page_or_one_cluster(czech_news):
    cluster = ClusterProfile.objects.get(name_cs="IT klastr Ústí")
    with pytest.raises(ValidationError, match="either a page or a cluster"):
        Promotion(language="cs", query="x y").full_clean()
    with pytest.raises(ValidationError, match="either a page or a cluster"):
        Promotion(language="cs", query="x y", page=czech_news, cluster=cluster).full_clean()
    home = Country.objects.get(code="CZ").home_page
    with pytest.raises(ValidationError) as error:
        Promotion(language="cs", query="x y", page=home).full_clean()
    assert "page" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Promotion(language="en", query="?! …", page=czech_news).full_clean()
    assert "query" in error.value.message_dict


# The visitor page and the API


def test_the_search_page_shows_the_promotion_above_the_results(site_client, czech_news):
    promote(czech_news, query="klastr")
    html = site_client("CZ").get("/cs/search/", {"q": "klastr"}).content.decode()
    assert 'class="promoted"' in html
    promoted_at = html.index('class="promoted"')
    organic_at = html.index('<ol class="results">', html.index("</section>", promoted_at))
    assert promoted_at < html.index("Setkání výrobců potravin", promoted_at) < organic_at
    assert "Doporučujeme" in html  # "Recommended", in the visitor's language


def test_the_search_page_without_a_promotion_is_unchanged(site_client, db):
    html = site_client("CZ").get("/cs/search/", {"q": "klastr"}).content.decode()
    assert 'class="promoted"' not in html


def test_the_api_lists_promotions_before_the_items(client, czech_news):
    promote(czech_news, query="klastr")
    body = client.get(
        "/api/v3/search/", {"q": "Klastr", "lang": "cs"}, HTTP_HOST="cz.localhost"
    ).json()
    assert [item["title"] for item in body["promoted"]] == ["Setkání výrobců potravin"]
    item = body["promoted"][0]
    assert item["type"] == "news.NewsPage" and item["id"] == czech_news.pk
    assert item["url"].startswith("http://cz.localhost/cs/")
    assert item["description"] == "Přijďte ochutnat."
    later = client.get(
        "/api/v3/search/",
        {"q": "klastr", "lang": "cs", "limit": 2, "offset": 2},
        HTTP_HOST="cz.localhost",
    ).json()
    assert later["promoted"] == []
    nothing = client.get(
        "/api/v3/search/", {"q": "potraviny", "lang": "cs"}, HTTP_HOST="cz.localhost"
    ).json()
    assert nothing["promoted"] == []


def test_the_editors_description_replaces_the_summary(client, czech_news):
    promote(czech_news, query="klastr", description="Tasting <b>free</b> for members")
    body = client.get(
        "/api/v3/search/", {"q": "klastr", "lang": "cs"}, HTTP_HOST="cz.localhost"
    ).json()
    assert body["promoted"][0]["description"] == "Tasting &lt;b&gt;free&lt;/b&gt; for members"


def test_the_openapi_document_describes_promoted(client, db):
    document = client.get("/api/v3/openapi.json", HTTP_HOST="cz.localhost").json()
    schemas = document["components"]["schemas"]
    assert "promoted" in schemas["SearchResults"]["properties"]
    assert "description" in schemas["Promoted"]["properties"]


def test_a_saved_promotion_reaches_a_cached_api_response(client, czech_news, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 60

    def promoted_titles():
        body = client.get(
            "/api/v3/search/", {"q": "klastr", "lang": "cs"}, HTTP_HOST="cz.localhost"
        ).json()
        return [item["title"] for item in body["promoted"]]

    assert promoted_titles() == []
    promotion = promote(czech_news, query="klastr")
    assert promoted_titles() == ["Setkání výrobců potravin"]
    promotion.delete()
    assert promoted_titles() == []


# Who keeps them


LIST_URL = "/admin/snippets/sitesearch/promotion/"


def form_data(page, *, language="cs", query="ochutnávka"):
    return {
        "language": language,
        "query": query,
        "page": str(page.pk),
        "cluster": "",
        "description": "",
        "sort_order": "0",
    }


def test_a_moderator_promotes_their_own_countrys_page_in_their_language(client, czech_news):
    client.force_login(country_user("CZ", "moderators"))
    form = client.get(f"{LIST_URL}add/").content.decode()
    assert 'value="cs"' in form and 'value="de"' not in form
    response = client.post(f"{LIST_URL}add/", form_data(czech_news))
    assert response.status_code == 302, response.content.decode()[:2000]
    promotion = Promotion.objects.get(query="ochutnávka")
    assert (promotion.target_kind, promotion.target_id) == ("news", czech_news.pk)
    assert shown("ochutnávka") == ["Setkání výrobců potravin"]


def test_another_countrys_page_or_language_is_refused(client, czech_news):
    client.force_login(country_user("DE", "moderators"))
    response = client.post(f"{LIST_URL}add/", form_data(czech_news, language="de"))
    assert response.status_code == 200
    assert "own country" in response.content.decode() or "eigenen Landes" in (
        response.content.decode()
    )
    client.force_login(country_user("CZ", "moderators"))
    response = client.post(f"{LIST_URL}add/", form_data(czech_news, language="de"))
    assert response.status_code == 200
    assert not Promotion.objects.exists()


def test_other_languages_promotions_are_not_found(client, czech_news):
    czech = promote(czech_news, query="ochutnávka")
    client.force_login(country_user("DE", "moderators"))
    assert "ochutnávka" not in client.get(LIST_URL).content.decode()
    assert client.get(f"{LIST_URL}edit/{czech.pk}/").status_code == 404
    assert client.post(f"{LIST_URL}delete/{czech.pk}/").status_code == 404
    assert Promotion.objects.filter(pk=czech.pk).exists()
    client.force_login(network_admin())
    assert client.get(f"{LIST_URL}edit/{czech.pk}/").status_code == 200


def test_editors_cannot_promote(client, czech_news):
    client.force_login(country_user("CZ", "editors"))
    assert client.get(LIST_URL).status_code == 302
    assert client.post(f"{LIST_URL}add/", form_data(czech_news)).status_code == 302
    assert not Promotion.objects.exists()
