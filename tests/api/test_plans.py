"""A listing asked for again runs its compiled SQL again: new content shows, nothing stale."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from cms.api import selectors
from cms.api.prepared import PLANS
from tests.api.conftest import published_news


@pytest.fixture
def news_builds(monkeypatch):
    """How often the news selector built its queryset."""
    PLANS.clear()
    calls = []
    real = selectors.news

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(selectors, "news", counted)
    return calls


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_a_listing_asked_again_is_not_rebuilt_but_still_reads_the_database(
    api, country, news_builds
):
    before = api("news/?lang=en&limit=100").json()
    assert len(news_builds) == 1
    published_news(country("CZ"), title={"en": "Fresh news", "cs": "Čerstvá zpráva"})
    after = api("news/?lang=en&limit=100").json()
    assert len(news_builds) == 1  # the compiled SQL was kept ...
    assert after["count"] == before["count"] + 1  # ... and run again
    assert "Fresh news" in [item["title"] for item in after["items"]]


def test_every_parameter_is_part_of_the_key(api, news_builds):
    newest_first = titles(api("news/?lang=en&limit=100"))
    by_title = titles(api("news/?lang=en&limit=100&order=title"))
    assert len(newest_first) > 1 and by_title != newest_first
    assert titles(api("news/?lang=en&limit=1")) == newest_first[:1]
    czech = api("news/?limit=100", HTTP_ACCEPT_LANGUAGE="cs").json()
    assert czech["language"] == "cs"
    assert len(news_builds) == 4
    PLANS.clear()  # built afresh, each answers the same
    assert titles(api("news/?lang=en&limit=100&order=title")) == by_title
    assert titles(api("news/?lang=en&limit=100")) == newest_first


def test_a_new_view_restriction_is_seen_at_once(api, country, news_builds):
    page = published_news(country("CZ"), title={"cs": "Interní", "en": "Internal"})
    assert "Internal" in titles(api("news/?lang=en&limit=100"))
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert "Internal" not in titles(api("news/?lang=en&limit=100"))
    assert len(news_builds) == 2  # the restricted paths are part of the key


def test_filters_looked_up_in_the_database_are_built_every_time(api, news_builds):
    for _ in range(2):
        assert api("news/?sector=food").status_code == 200
        assert api("news/?tag=no-such-tag").status_code == 400
    assert len(news_builds) == 4


def test_the_same_listing_from_another_site_is_another_plan(api, news_builds):
    czech = {item["meta"]["site"] for item in api("news/?limit=100").json()["items"]}
    slovak = {
        item["meta"]["site"] for item in api("news/?limit=100", host="sk.localhost").json()["items"]
    }
    assert (czech, slovak) == ({"CZ"}, {"SK"})
    assert len(news_builds) == 2
