"""Tags: keywords on news and events, the same in every language; a field and a filter."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.api.conftest import published_news
from tests.api.test_tokens import bearer, token_for
from tests.factories import country_user

pytestmark = pytest.mark.django_db


def tagged_news(country, title: str, *tags: str):
    page = published_news(country, title={"en": title, "cs": f"{title} (cs)"})
    page.tags.set(list(tags))
    page.save_revision().publish()
    return page


def test_tags_are_a_field_with_names_and_slugs(api, country):
    page = tagged_news(country("CZ"), "Tagged", "Open data", "benchmarking")
    detail = api(f"pages/{page.pk}/?lang=cs").json()
    assert detail["tags"] == [
        {"name": "benchmarking", "slug": "benchmarking"},
        {"name": "Open data", "slug": "open-data"},
    ]
    listed = api("news/?fields=title,tags").json()["items"]
    assert {"name": "Open data", "slug": "open-data"} in next(
        item for item in listed if item["id"] == page.pk
    )["tags"]
    # Not in a listing unless asked for: it costs a query.
    assert "tags" not in api("news/").json()["items"][0]


def test_the_tag_filter_takes_any_of_several_slugs(api, country):
    cz = country("CZ")
    data = tagged_news(cz, "Data", "open data")
    both = tagged_news(cz, "Both", "open data", "mechatronics")
    tagged_news(cz, "Other", "mechatronics")
    untagged = published_news(cz, title={"en": "Untagged"})
    ids = {item["id"] for item in api("news/?tag=open-data").json()["items"]}
    assert ids == {data.pk, both.pk}
    either = api("news/?tag=open-data,mechatronics&limit=50").json()
    assert both.pk in {item["id"] for item in either["items"]}
    assert either["count"] == len({item["id"] for item in either["items"]})  # each page once
    assert untagged.pk not in {item["id"] for item in either["items"]}


def test_a_tag_written_in_czech_is_filtered_by_the_slug_the_api_shows(api, country):
    """Taggit keeps the letters of any script in a slug (``výroba-potravin``): the filter
    takes the slug exactly as ``tags`` lists it."""
    page = tagged_news(country("CZ"), "Food", "Výroba potravin")
    (tag,) = api(f"pages/{page.pk}/?fields=_,tags").json()["tags"]
    assert tag == {"name": "Výroba potravin", "slug": "výroba-potravin"}
    for slug in (tag["slug"], quote(tag["slug"]), f"{quote(tag['slug'])},benchmarking"):
        response = api(f"news/?tag={slug}")
        assert response.status_code == 200, response.content
        assert [item["id"] for item in response.json()["items"]] == [page.pk]


def test_events_are_filtered_by_seeded_tags(api):
    events = api("events/?tag=info-day&fields=title,tags", host="localhost").json()["items"]
    assert events
    assert all("info-day" in {tag["slug"] for tag in event["tags"]} for event in events)


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("tag=no-such-tag", "unknown tag 'no-such-tag'"),
        ("tag=two%20words", "tag"),
        ("tag=%00", "tag"),
        ("tag=a%0Ab", "tag"),
    ],
)
def test_a_bad_tag_is_a_400_naming_the_parameter(api, query, problem):
    response = api(f"news/?{query}")
    assert response.status_code == 400
    assert response.json()["parameter"] == "tag"
    assert problem in response.content.decode()


def test_a_draft_preview_shows_the_draft_tags(api, country):
    page = tagged_news(country("CZ"), "Draft tags", "published tag")
    page.tags.set(["draft tag"])
    page.save_revision()
    token = token_for(country_user("CZ", username="cz-tags-preview"))
    preview = api(f"pages/{page.pk}/preview/", **bearer(token)).json()
    assert [tag["name"] for tag in preview["tags"]] == ["draft tag"]
    assert [tag["name"] for tag in api(f"pages/{page.pk}/").json()["tags"]] == ["published tag"]
