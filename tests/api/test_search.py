"""/api/v3/search/: the search service in the Delivery API."""

from urllib.parse import urlsplit

import pytest


def test_search_in_czech_finds_inflected_forms_with_highlights(api):
    response = api("search/?q=regionální+potravina&lang=cs")
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "cs" and body["count"] >= 1
    first = body["items"][0]
    assert first["type"] == first["meta"]["type"] == "clusters.ClusterProfile"
    assert first["meta"]["detail_url"].endswith(f"/api/v3/clusters/{first['id']}/?lang=cs")
    assert first["_fallback"] == {}
    assert "<mark>potraviny</mark>" in first["snippet"]
    assert response["Content-Language"] == "cs"
    assert "ETag" in response


def test_country_site_scope_and_hub_scope(api):
    on_cz = api("search/?q=cluster&lang=en").json()
    assert {item["country"] for item in on_cz["items"]} <= {"CZ"}
    on_hub = api("search/?q=cluster&lang=en", host="localhost").json()
    assert len({item["country"] for item in on_hub["items"]}) > 1
    narrowed = api("search/?q=cluster&lang=en&country=PL,SK", host="localhost").json()
    assert {item["country"] for item in narrowed["items"]} <= {"PL", "SK"}
    assert set(narrowed["facets"]["country"]) <= {"PL", "SK"}


def test_a_country_site_searches_its_own_country_whatever_country_says(api):
    """As its listings: ``?country=SK`` on the Czech site served Slovak hits."""
    only_others = api("search/?q=cluster&lang=en&country=SK").json()
    assert only_others["count"] == 0 and only_others["items"] == []
    assert not any(only_others["facets"].values()) and only_others["promoted"] == []
    listing = api("pages/?type=news.NewsPage&lang=en&country=SK").json()
    assert listing["count"] == 0
    mixed = api("search/?q=cluster&lang=en&country=SK,CZ").json()
    assert mixed["count"] > 0 and {item["country"] for item in mixed["items"]} == {"CZ"}
    assert api("search/?q=%20&lang=en&country=SK").status_code == 400  # q is still checked


def test_fallback_is_reported(api):
    body = api("search/?q=potraviny&lang=sk&site=CZ").json()
    assert body["items"]
    assert all(item["served_language"] == "cs" and item["fallback"] for item in body["items"])
    assert all(item["_fallback"] == {"title": "cs", "snippet": "cs"} for item in body["items"])


def test_accept_language_picks_the_language(api):
    body = api("search/?q=cluster", HTTP_ACCEPT_LANGUAGE="cs-CZ,cs;q=0.9").json()
    assert body["language"] == "cs"


def test_pagination(api):
    first = api("search/?q=cluster&lang=en&limit=2", host="localhost").json()
    second = api("search/?q=cluster&lang=en&limit=2&offset=2", host="localhost").json()
    assert first["count"] == second["count"] > 2
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})
    assert first["previous"] is None
    assert first["next"].endswith("search/?q=cluster&lang=en&limit=2&offset=2")
    assert second["previous"].endswith("search/?q=cluster&lang=en&limit=2&offset=0")


def test_any_offset_continues_the_same_ranking(api):
    """An offset need not be a whole number of pages, as on every other listing."""
    three = api("search/?q=cluster&lang=en&limit=3", host="localhost").json()["items"]
    shifted = api("search/?q=cluster&lang=en&limit=2&offset=1", host="localhost").json()
    assert [(i["type"], i["id"]) for i in shifted["items"]] == [
        (i["type"], i["id"]) for i in three[1:3]
    ]
    assert shifted["offset"] == 1


def test_types_are_the_model_labels_and_the_old_names_still_filter(api):
    body = api("search/?q=cluster&lang=en", host="localhost").json()
    assert set(body["facets"]["type"]) <= {
        "news.NewsPage",
        "events.EventPage",
        "home.StandardPage",
        "clusters.ClusterProfile",
    }
    by_label = api("search/?q=cluster&lang=en&type=clusters.ClusterProfile", host="localhost")
    by_kind = api("search/?q=cluster&lang=en&type=cluster", host="localhost")
    assert by_label.json()["items"] == by_kind.json()["items"]
    assert {item["type"] for item in by_label.json()["items"]} == {"clusters.ClusterProfile"}
    unknown = api("search/?q=cluster&type=news.Video").json()
    assert unknown["errors"][0]["parameter"] == "type"
    assert "news.NewsPage" in unknown["errors"][0]["error"]


def test_autocomplete(api):
    body = api("search/autocomplete/?q=Klas&lang=cs").json()
    assert body["items"] and all("url" in item for item in body["items"])
    for item in body["items"]:
        route = "clusters" if item["type"] == "clusters.ClusterProfile" else "pages"
        assert item["meta"]["detail_url"].endswith(f"/api/v3/{route}/{item['id']}/?lang=cs")
        detail = urlsplit(item["meta"]["detail_url"])
        assert api(f"{detail.path.removeprefix('/api/v3/')}?{detail.query}").status_code == 200


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("search/", "q"),
        ("search/?q=", "q"),
        ("search/?q=" + "x" * 2000, "q"),
        ("search/?q=klastr&lang=xx", "lang"),
        ("search/?q=klastr&lang=all", "lang"),
        ("search/?q=klastr&country=XX", "country"),
        ("search/?q=klastr&sector=mining", "sector"),
        ("search/?q=klastr&type=video", "type"),
        ("search/?q=klastr&date_from=yesterday", "date_from"),
        ("search/?q=klastr&date_from=2012-01-01&date_to=2011-01-01", "date_from"),
        ("search/?q=klastr&limit=0", "limit"),
        ("search/?q=klastr&limit=500", "limit"),
        ("search/?q=klastr&offset=-1", "offset"),
        ("search/?q=%22%27%29%28*%3A", "q"),
        ("search/?q=klastr&colour=red", "colour"),
        ("search/autocomplete/", "q"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(api, query, parameter):
    response = api(query)
    assert response.status_code == 400, response.content
    body = response.json()
    named = {body.get("parameter")} | {e.get("parameter") for e in body.get("errors", [])}
    assert parameter in named, body


def test_autocomplete_ignores_control_characters_and_punctuation(api):
    # Found by schemathesis: a NUL byte made SQLite's full-text query fail (503).
    response = api("search/autocomplete/?q=I%1Bt%C2%92%00%1C%22&lang=cs")
    assert response.status_code == 200
    assert api('search/autocomplete/?q="klastr&lang=cs').status_code == 200


def test_search_drops_control_characters_from_the_query(api):
    """They came back in ``query`` and ``did_you_mean`` ("klastr\\u0000")."""
    body = api("search/?q=klastrr%00%01%1F%C2%85&lang=cs").json()
    assert body["query"] == "klastrr" and body["did_you_mean"] == "klastr"
    assert api("search/?q=%00&lang=cs").json()["parameter"] == "q"


def test_every_hit_links_to_its_item_in_the_api_on_the_hub_too(api):
    body = api("search/?q=cluster&lang=en&limit=20", host="localhost").json()
    assert body["items"]
    for item in body["items"]:
        detail = urlsplit(item["meta"]["detail_url"])
        path = f"{detail.path.removeprefix('/api/v3/')}?{detail.query}"
        answer = api(path, host=detail.hostname)
        assert answer.status_code == 200, (item["meta"]["detail_url"], answer.content[:200])
        assert answer.json()["id"] == item["id"]
        assert answer.json()["type"] == item["type"]
