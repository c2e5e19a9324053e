"""One negotiation rule for ``?lang=`` and ``Accept-Language`` (``cms.api.negotiation``).

A tag names a network language by its primary subtag in any case; ``?lang=``
wins, else the first ``Accept-Language`` tag naming a network language, else
the site's default; the language is served with its fallback chain on every
site. So the same tag asked for either way gets the same content.
"""

from __future__ import annotations

import pytest

from cms.core.languages import LANGUAGE_CODES
from cms.news.models import NewsPage
from tests.api.conftest import published_news

PRESS_RELEASE_CS = "Klastrové organizace ze střední Evropy a Clusters – Cord"


def content(response) -> list:
    """What a reader sees of a listing: each item's id, title and fallbacks."""
    body = response.json()
    return [(i["id"], i["title"], i.get("_fallback")) for i in body["items"]]


@pytest.mark.parametrize(
    ("tag", "language"),
    [("cs-CZ", "cs"), ("EN", "en"), ("en-gb", "en"), ("SK-sk", "sk"), ("de_AT", "de")],
)
def test_lang_takes_region_subtags_and_any_case(api, tag, language):
    response = api(f"news/?lang={tag}")
    assert response.status_code == 200, response.content
    assert response.json()["language"] == language
    assert response["Content-Language"] == language


def test_lang_all_in_any_case(api):
    assert api("news/?lang=ALL").json()["language"] == "all"


@pytest.mark.parametrize("tag", ["xx", "xx-CZ", "cs-", "c", "cs--CZ", "all-CZ", "*"])
def test_a_tag_naming_no_network_language_is_a_400_naming_lang(api, tag):
    response = api(f"news/?lang={tag}")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["parameter"] == "lang"


@pytest.mark.parametrize(
    ("header", "tag"),
    [
        # The case: Slovak first, served through sk -> cs -> en, as ?lang=sk is.
        ("sk;q=0.9, en;q=0.8, cs;q=0.7", "sk"),
        # A language the Czech site does not publish in is served like ?lang=de.
        ("de-AT,de;q=0.9,en;q=0.8", "de-AT"),
        ("CS-cz", "cs"),
        ("en-GB,en;q=0.9", "en"),
        # Qualities order the tags, not their place in the header.
        ("cs;q=0.2, sl;q=0.8", "sl"),
        # Tags naming no network language are skipped.
        ("ja, x-klingon;q=0.9, *;q=0.8, it;q=0.5", "it"),
        # A malformed member is skipped alone; Django's parser dropped the whole header.
        ("sl;q=abc, de", "de"),
        ("de;q=0.5, pl;q=2", "de"),
        # Read up to 500 characters, in whole members: "sk;q=0.1" cut after "sk" was q=1.
        ("de;q=0.9, " * 49 + "xxxxxx, sk;q=0.1", "de"),
    ],
)
def test_accept_language_and_lang_serve_the_same(api, header, tag):
    by_header = api("news/", HTTP_ACCEPT_LANGUAGE=header)
    by_parameter = api(f"news/?lang={tag}")
    assert by_header.json()["language"] == by_parameter.json()["language"]
    assert by_header["Content-Language"] == by_parameter["Content-Language"]
    assert content(by_header) == content(by_parameter)


def test_slovak_asked_either_way_falls_back_to_czech_on_the_czech_site(api):
    for response in (
        api("news/", HTTP_ACCEPT_LANGUAGE="sk;q=0.9, en;q=0.8, cs;q=0.7"),
        api("news/?lang=sk"),
    ):
        body = response.json()
        assert body["language"] == "sk"
        item = next(i for i in body["items"] if i["title"] == PRESS_RELEASE_CS)
        assert item["_fallback"]["title"] == "cs"


def test_no_acceptable_language_gets_the_sites_default(api):
    assert api("news/", HTTP_ACCEPT_LANGUAGE="ja, *;q=0.5").json()["language"] == "cs"
    assert api("news/", host="de.localhost").json()["language"] == "de"


def test_a_language_the_header_refuses_with_q_0_is_not_served(api):
    """``q=0`` says "not acceptable" (RFC 9110, 12.4.2): never the language served."""
    assert api("news/", HTTP_ACCEPT_LANGUAGE="de;q=0").json()["language"] == "cs"
    assert api("news/", HTTP_ACCEPT_LANGUAGE="en;q=0.000, fr")["Content-Language"] == "cs"


def test_the_parameter_wins_over_the_header(api):
    assert api("news/?lang=en-US", HTTP_ACCEPT_LANGUAGE="cs").json()["language"] == "en"


@pytest.mark.parametrize(
    "query", ["lang=cs&lang=en", "lang=cs&lang=cs", "site=CZ&site=SK", "limit=5&limit=6"]
)
def test_a_single_valued_parameter_given_twice_is_a_400_naming_it(api, query):
    response = api(f"news/?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    parameter = query.split("=")[0]
    assert body["type"] == "/api/v3/docs/errors/#repeated-parameter"
    assert body["errors"] == [
        {"parameter": parameter, "error": "given 2 times; it takes one value"}
    ]


def test_list_parameters_may_still_be_repeated(api):
    response = api("news/?country=CZ&country=SK&site=INT")
    assert response.status_code == 200, response.content


# --- Content-Language --------------------------------------------------------------


def test_content_language_of_lang_all_names_the_items_languages(api, country):
    page = published_news(country("CZ"), title={"en": "Two languages", "cs": "Dva jazyky"})
    response = api(f"pages/{page.pk}/?lang=all")
    assert response.status_code == 200
    body = response.json()
    # Every translated field is still a map of all seven languages...
    assert set(body["title"]) == set(LANGUAGE_CODES)
    # ...but the item exists in two, and the header says so (not all seven).
    assert response["Content-Language"] == "en, cs"
    # The same from the response cache's copy and on a 304.
    again = api(f"pages/{page.pk}/?lang=all", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["Content-Language"] == "en, cs"


def test_content_language_of_a_lang_all_listing_is_its_items_languages(api):
    response = api("news/?lang=all&limit=100")
    found = set()
    for item in response.json()["items"]:
        found |= {code for code, text in item["title"].items() if text}
    assert 0 < len(found) < len(LANGUAGE_CODES)
    expected = ", ".join(code for code in LANGUAGE_CODES if code in found)
    assert response["Content-Language"] == expected


def test_content_language_of_an_empty_lang_all_listing_is_the_common_language(api):
    response = api("news/?lang=all&date_from=2999-01-01")
    assert response.json()["count"] == 0
    assert response["Content-Language"] == "en"


def test_content_language_of_one_language_is_that_language_even_with_fallbacks(api):
    page = NewsPage.objects.live().get(title_cs=PRESS_RELEASE_CS)
    response = api(f"pages/{page.pk}/?lang=sk")
    assert response.json()["_fallback"]["title"] == "cs"
    # RFC 9110: the audience's language; the fallbacks are named per field in _fallback.
    assert response["Content-Language"] == "sk"


def test_a_new_hostname_and_a_view_restriction_count_from_the_next_request(client, country):
    """The sites are kept per process for the response cache's generation
    (``cms.projections.generation.current_sites``): saving a site or a view restriction moves it."""
    from wagtail.models import PageViewRestriction, Site

    page = published_news(country("CZ"), title={"en": "Soon private"})

    def ids(host):
        response = client.get("/api/v3/news/?limit=100", HTTP_HOST=host)
        return response.json()["site"], [item["id"] for item in response.json()["items"]]

    site, listed = ids("cz.localhost")
    assert site == "CZ" and page.pk in listed
    site = Site.objects.get(hostname="cz.localhost")
    site.hostname = "cz.example"
    site.save()
    assert ids("cz.example")[0] == "CZ"
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    assert page.pk not in ids("cz.example")[1]


def test_an_item_without_the_chains_languages_is_read_in_its_sites(api, country):
    """A Polish-only item read in English had a ``null`` title, an empty lead and an empty
    ``_fallback``; the Polish site's English listing shows it in Polish, and so does the
    API now, naming each field's language as every fallback is named."""
    page = published_news(
        country("PL"), title={"pl": "Dzień informacyjny"}, lead={"pl": "Zapraszamy"}
    )
    for path in ("news/?lang=en&limit=100", "news/?lang=de&limit=100"):
        body = api(path, host="pl.localhost").json()
        item = next(i for i in body["items"] if i["id"] == page.pk)
        assert (item["title"], item["lead"]) == ("Dzień informacyjny", "Zapraszamy")
        assert item["_fallback"] == {"title": "pl", "lead": "pl", "slug": "pl"}
    detail = api(f"pages/{page.pk}/?lang=en", host="pl.localhost").json()
    assert detail["title"] == "Dzień informacyjny" and detail["_fallback"]["title"] == "pl"
    # Where the chain has it, the chain still decides.
    czech = api("news/?lang=sk&limit=100").json()["items"]
    assert any(i["_fallback"].get("title") == "cs" for i in czech)


def test_a_site_named_only_in_its_own_language_is_read_in_it(api, country):
    """A country's ``default_language`` is a field, not a page's method: a name blank along
    the chain was a 500 (``'str' object is not callable``)."""
    austria = country("AT")
    austria.name_en = ""
    austria.save()
    item = api("sites/AT/?lang=en").json()
    assert item["name"] == austria.name_de and item["_fallback"]["name"] == "de"
