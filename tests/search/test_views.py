"""The visitor search page: friendly in every language, never a 500."""

import pytest

from cms.core.languages import LANGUAGE_CODES


def test_search_page_shows_highlighted_results(site_client):
    response = site_client("CZ").get("/cs/search/", {"q": "regionální potravina"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Klastr potravinářů Ústeckého kraje" in html
    assert "<mark>potraviny</mark>" in html


def test_country_site_searches_its_own_country_by_default(site_client):
    html = site_client("CZ").get("/cs/search/", {"q": "klastr"}).content.decode()
    assert "sk.localhost" not in html


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_search_page_works_in_every_language(client, db, language):
    response = client.get(f"/{language}/search/", {"q": "cluster"}, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 2000},
        {"q": "klastr", "type": "video"},
        {"q": "klastr", "sector": "mining"},
        {"q": "klastr", "country": "XX"},
        {"q": "klastr", "page": "-1"},
        {"q": "klastr", "page": "abc"},
        {"q": "klastr", "date_from": "yesterday"},
        {"q": "\"' )( * : ;"},
    ],
)
def test_bad_input_gets_a_friendly_message(site_client, params):
    response = site_client("CZ").get("/cs/search/", params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_operators_are_searched_as_words(site_client):
    assert site_client("CZ").get("/cs/search/", {"q": "klastr AND (ICT OR"}).status_code == 200


def test_empty_query_shows_the_form(site_client):
    response = site_client("CZ").get("/cs/search/", {"q": ""})
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
