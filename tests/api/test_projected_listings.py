"""A listing's rows come from one written-out statement or from the ORM: the same rows.

A listing that filters and orders only by what its projection rows hold is one
statement written out in ``cms.projections.rows``; any other is the same query
built by the ORM, narrowed by the models. Both must list the same items in the
same order, so each case here is asked both ways: as is, and with a filter that
changes nothing but sends it to the ORM (``date_from`` long ago).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import published_news, sectors

pytestmark = pytest.mark.django_db

TO_THE_ORM = "date_from=1900-01-01"


@pytest.fixture
def news(country):
    """Czech and Slovak news: titles translated or not, dates tied, sectors varied."""
    czechia, slovakia = country("CZ"), country("SK")
    made = []
    for home, day, title, tags in (
        (czechia, "2026-01-05", {"en": "Beta", "cs": "Alfa"}, ("food",)),
        (czechia, "2026-01-05", {"en": "alpha", "sk": "Žatva"}, ("ict", "food")),
        (czechia, "2025-12-31", {"en": "Gamma"}, ()),
        (slovakia, "2026-02-01", {"en": "Delta", "sk": "Čaj"}, ("tourism",)),
        (slovakia, "2024-06-30", {"en": "Epsilon", "cs": "Éčko"}, ("ict",)),
    ):
        made.append(
            published_news(
                home, title=title, date=dt.date.fromisoformat(day), sectors=sectors(*tags)
            )
        )
    return made


def listed(api, path: str) -> tuple[list, int]:
    response = api(path)
    assert response.status_code == 200, response.content
    body = response.json()
    return [item["id"] for item in body["items"]], body["count"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "lang=sk",
        "lang=all",
        "site=INT",
        "site=INT&order=title",
        "site=INT&order=-title&lang=sk",
        "site=INT&order=title&lang=all",
        "site=INT&order=date,-id",
        "site=INT&sector=food",
        "site=INT&sector=food,tourism&lang=cs",
        "site=INT&country=SK",
        "site=INT&limit=2&offset=1&order=-title",
        "site=INT&updated_since=2020-01-01T00:00:00Z",
    ],
)
def test_news_from_the_statement_are_the_news_from_the_orm(api, news, query):
    from_rows = listed(api, f"news/?{query}")
    assert from_rows == listed(api, f"news/?{query}&{TO_THE_ORM}")
    assert from_rows[1] > 0


@pytest.mark.parametrize("order", ["title", "-id", "-title"])
def test_pages_of_one_type_are_its_listing_from_the_orm(api, news, order):
    pages = listed(api, f"pages/?site=INT&type=news.NewsPage&order={order}&lang=sk")
    assert pages == listed(api, f"news/?site=INT&order={order}&lang=sk&{TO_THE_ORM}")


def test_a_default_news_listing_is_one_query_on_the_rows(api, news):
    api("news/?site=INT")  # this process learns the generation, the sites, Last-Modified
    with CaptureQueriesContext(connection) as queries:
        assert api("news/?site=INT").status_code == 200
    assert len(queries) == 1, [query["sql"] for query in queries.captured_queries]
    assert "projections_projection" in queries.captured_queries[0]["sql"]
    assert "wagtailcore_page" not in queries.captured_queries[0]["sql"]


def test_an_unknown_sector_is_still_a_400_naming_it(api, news):
    response = api("news/?sector=no-such-sector")
    assert response.status_code == 400
    assert response.json()["parameter"] == "sector"
