"""The visitor search page: friendly in every language, never a 500."""

import re

import pytest
from django.conf import settings

from cms.core.languages import LANGUAGE_CODES


def test_search_page_shows_highlighted_results(site_client):
    response = site_client("CZ").get("/cs/search/", {"q": "regionální potravina"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Klastr potravinářů Ústeckého kraje" in html
    assert "<mark>potraviny</mark>" in html


def test_a_name_typed_in_lower_case_finds_the_capitalised_name(site_client):
    """Czech's dictionary reads "ústí" as a form of the verb "ústit" and "Ústí", the town,
    as a name: the lower-case query found nothing on the Czech site."""
    html = site_client("CZ").get("/cs/search/", {"q": "ústí"}).content.decode()
    assert "IT klastr <mark>Ústí</mark>" in html


@pytest.mark.parametrize("query", ["ÚSTÍ", "u\u0301st\u00ed"], ids=["capitals", "decomposed"])
def test_a_name_in_capitals_or_decomposed_finds_it_too(site_client, query):
    """In capitals the dictionary read "ÚSTÍ" as the verb again; typed with a combining
    accent (as macOS pastes it), "ústí" was capitalised "ÚStí": both found nothing."""
    html = site_client("CZ").get("/cs/search/", {"q": query}).content.decode()
    assert "IT klastr <mark>Ústí</mark>" in html


def test_country_site_searches_its_own_country_by_default(site_client):
    html = site_client("CZ").get("/cs/search/", {"q": "klastr"}).content.decode()
    assert "sk.localhost" not in html


def test_a_country_site_ignores_a_country_filter_for_another_country(site_client):
    """Only the hub filters by country: ``?country=SK`` on the Czech site still searches
    Czech content (it showed Slovak hits on the Czech site)."""
    client = site_client("CZ")
    plain = client.get("/en/search/", {"q": "cluster"}).content.decode()
    other = client.get("/en/search/", {"q": "cluster", "country": "SK"}).content.decode()
    assert "sk.localhost" not in other
    assert other.count("<li lang=") == plain.count("<li lang=") > 0


def test_the_hub_refuses_an_unknown_country(client, db):
    response = client.get("/en/search/", {"q": "cluster", "country": "XX"}, HTTP_HOST="localhost")
    assert response.status_code == 400


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


@pytest.mark.parametrize("field", ["q", "sector", "type", "country", "date_from", "page"])
def test_control_characters_are_dropped_never_shown_back(site_client, field):
    """The page shows each value back (title, box, kept filters); HTML cannot hold NUL, and
    the other control characters are parse errors in it (they were in the title and box)."""
    controls = "\x00\x01\x02\x1f\x7f"
    params = (
        {"q": "regionální potravina", field: controls}
        if field != "q"
        else {field: f"potraviny{controls}\x0bregionální"}
    )
    response = site_client("CZ").get("/cs/search/", params)
    assert response.status_code == 200
    assert not any(chr(code).encode() in response.content for code in (0, 1, 2, 0x1F, 0x7F))
    assert "Klastr potravinářů Ústeckého kraje" in response.content.decode()
    if field == "q":
        assert re.search(r"<title>Hledání: potraviny +regionální ·", response.content.decode())


def test_a_country_is_named_in_any_case_on_the_hub(site_client):
    """``country=cz`` was a 400 ("not a valid filter"), as the API took it."""
    hub = site_client("INT")
    lower = hub.get("/en/search/", {"q": "cluster", "country": "cz"})
    upper = hub.get("/en/search/", {"q": "cluster", "country": "CZ"})
    assert lower.status_code == upper.status_code == 200
    count = re.compile(r'class="result-count"[^>]*>([^<]+)<')
    assert count.findall(lower.content.decode()) == count.findall(upper.content.decode())
    assert count.findall(upper.content.decode()) != ["0 results"]
    assert hub.get("/en/search/", {"q": "cluster", "country": "xx"}).status_code == 400


@pytest.mark.parametrize(
    ("language", "query", "says"),
    [
        ("en", "IT", "“IT” has only words too common or too short to search for."),
        ("en", "the and", "“the and” has only words too common or too short"),
        ("cs", "a i", "„a i“ obsahuje jen příliš běžná nebo krátká slova"),
        # A word too long is not "too short" (a run of letters, a pasted address).
        ("en", "a" * 65, "has no word to search for: words longer than 64 letters"),
        ("cs", "a " + "b" * 65, "neobsahuje žádné slovo, které lze hledat: slova delší než 64"),
    ],
)
def test_only_common_words_are_told_so_not_blamed_for_an_empty_query(
    site_client, language, query, says
):
    """ "IT", in a network of ICT clusters, is an English stop word: the visitor typed a
    word and was told to type some (a 400)."""
    response = site_client("CZ").get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert says in html
    assert 'role="alert"' not in html


def test_a_query_of_spaces_is_the_empty_form(site_client):
    html = site_client("CZ").get("/cs/search/", {"q": " \t "}).content.decode()
    assert "<title>Hledat ·" in html
    assert 'value=""' in html.split('id="q"')[1].split(">")[0]
    assert "noindex" not in html


def test_operators_are_searched_as_words(site_client):
    assert site_client("CZ").get("/cs/search/", {"q": "klastr AND (ICT OR"}).status_code == 200


def test_empty_query_shows_the_form(site_client):
    response = site_client("CZ").get("/cs/search/", {"q": ""})
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()


def test_results_name_types_and_countries_in_the_visitor_language(site_client):
    html = site_client("CZ").get("/cs/search/", {"q": "klastr"}).content.decode()
    assert "Klastrová organizace · Česká republika" in html
    assert "cluster · CZ" not in html


def test_facets_are_filter_links_with_counts(site_client):
    client = site_client("CZ")
    html = client.get("/cs/search/", {"q": "klastr"}).content.decode()
    facets = html[html.index('class="facets"') :]
    link = re.search(
        r'<a href="\?q=klastr&amp;type=cluster"><span>Klastrové organizace</span> '
        r'<span class="count">(\d+)</span></a>',
        facets,
    )
    assert link, facets
    chosen = client.get("/cs/search/", {"q": "klastr", "type": "cluster"}).content.decode()
    assert chosen.count('<p class="meta" lang="cs">Klastrová organizace') == int(link.group(1))
    # The chosen value is marked, and its link takes the filter off again.
    assert '<a href="?q=klastr" aria-current="true"><span>Klastrové organizace' in chosen
    assert "Potravinářství" in facets  # sectors by name, not slug


def test_result_pages_are_noindex_and_name_the_query(site_client):
    client = site_client("CZ")
    results = client.get("/cs/search/", {"q": "klastr"}).content.decode()
    assert '<meta name="robots" content="noindex">' in results
    assert "<title>Hledání: klastr · " in results
    form = client.get("/cs/search/").content.decode()
    assert 'content="noindex"' not in form


def test_search_page_has_the_language_switcher_and_the_servers_limit(site_client):
    html = site_client("CZ").get("/cs/search/", {"q": "klastr"}).content.decode()
    # The switcher's link remembers the choice on its way (cms.core.views.choose_language).
    assert '<a href="/language/?next=/en/search/%3Fq%3Dklastr" hreflang="en"' in html
    limit = settings.SEARCH_MAX_QUERY_CHARS
    assert html.count(f'maxlength="{limit}"') == 2  # the header's box and the page's own


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "klastr", "date_from": "yesterday"}, "Od: Zadejte platné datum."),
        ({"q": "klastr", "type": "video"}, "Typ: "),
        ({"q": "klastr", "sector": "mining"}, "Tento filtr není platný: Odvětví."),
        ({"q": "klastr", "date_from": "2011-12-01", "date_to": "2011-01-01"}, "Datum „Od“"),
    ],
)
def test_errors_name_the_field_in_the_visitor_language(site_client, params, message):
    response = site_client("CZ").get("/cs/search/", params)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "date_from" not in html.split('role="alert"')[1].split("</div>")[0]


@pytest.mark.parametrize("length", [301, 1995, 5000])
def test_a_query_too_long_is_told_the_one_limit(site_client, length):
    """The form's own 2,000 came first: 5,000 characters were told "at most 2000", then
    1,995 "at most 300"."""
    response = site_client("CZ").get("/cs/search/", {"q": "k" * length})
    assert response.status_code == 400
    limit = settings.SEARCH_MAX_QUERY_CHARS
    assert f"(nejvýše {limit} znaků)" in response.content.decode()


def test_results_are_paginated(site_client, settings):
    settings.SEARCH_PAGE_SIZE = 2
    client = site_client("CZ")
    first = client.get("/cs/search/", {"q": "klastr"}).content.decode()
    assert first.count("<li lang=") == 2
    assert 'href="?q=klastr&amp;page=2" rel="next"' in first
    second = client.get("/cs/search/", {"q": "klastr", "page": "2"}).content.decode()
    assert '<span aria-current="page">2</span>' in second
    assert second.count("<li lang=") == 2
    assert "(strana 2)" in second.split("</title>")[0]
    # Another language may have fewer pages: its links lead to the first.
    alternates = re.findall(r'hreflang="(\w+)" href="([^"]+)"', second)
    assert alternates
    assert all("page=" not in url for _, url in alternates)
    assert "/language/?next=/en/search/%3Fq%3Dklastr" in second
    assert "page%3D2" not in second


def test_a_page_past_the_last_is_a_404(site_client):
    response = site_client("CZ").get("/cs/search/", {"q": "klastr", "page": "99"})
    assert response.status_code == 404
    assert "Stránka nenalezena" in response.content.decode()


def test_nothing_found_is_a_page_not_a_404(site_client):
    response = site_client("CZ").get("/cs/search/", {"q": "xyzzyqwerty"})
    assert response.status_code == 200
    assert "0 výsledků" in response.content.decode()


def test_results_on_the_visitors_own_site_link_relative_addresses(client, db):
    """Stored with the Site's host and port (80), the results led a visitor of
    cz.localhost:8000 (``make run``) to port 80; on the hub, another site's stay absolute."""
    html = client.get("/cs/search/", {"q": "ústí"}, HTTP_HOST="cz.localhost:8000").content.decode()
    links = re.findall(r'<h2><a href="([^"]+)">', html)
    assert links and all(link.startswith("/cs/") for link in links), links
    hub = client.get("/en/search/", {"q": "cluster"}, HTTP_HOST="localhost:8000").content.decode()
    assert re.search(r'<h2><a href="http://(cz|sk|it|pl|si)\.localhost/', hub)
