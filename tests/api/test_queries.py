"""A listing costs the same number of SQL queries whatever its page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import make_image, published_news, sectors

#: The budget for a news listing with translations, sectors and images, once this process
#: knows the current generation (``cms.api.cache``): the page's ids with the count, and
#: their stored projections. The scope (countries, view restrictions) and the listing's
#: Last-Modified are kept per generation (``cms.projections.generation.Sites``).
MAX_QUERIES = 2


@pytest.fixture
def fifty_news(country):
    """50 news items on the Polish site, each with an image and two sectors."""
    poland = country("PL")
    images = [make_image((120, 90), en=f"Photo {n}", pl=f"Zdjęcie {n}") for n in range(5)]
    tags = sectors("food", "ict")
    for number in range(50):
        published_news(
            poland,
            title={"en": f"News {number}", "pl": f"Wiadomość {number}"},
            lead={"en": f"Lead {number}", "pl": f"Wstęp {number}"},
            sectors=tags,
            image=images[number % len(images)],
        )


def count_queries(api, path: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api(path, host="pl.localhost", **headers)
    assert response.status_code == 200, response.content
    return len(queries)


def test_listing_query_counts_do_not_grow_with_the_page(api, fifty_news):
    """One test, because building fifty published pages is what takes the time."""
    # The first request renders the image renditions and warms Wagtail's
    # site-root cache; what is measured is every request after that.
    api("news/?limit=50", host="pl.localhost")
    counts = {size: count_queries(api, f"news/?limit={size}") for size in (5, 20, 50)}
    assert counts[5] == counts[20] == counts[50], counts
    assert counts[20] <= MAX_QUERIES, counts

    # The same in other languages, and with the fields only details show.
    for query in ("lang=all", "lang=en", "fields=*"):
        api(f"news/?limit=50&{query}", host="pl.localhost")
        small = count_queries(api, f"news/?limit=5&{query}")
        large = count_queries(api, f"news/?limit=50&{query}")
        assert small == large, query

    # A mixed page listing costs a few queries per page type, not per page.
    api("pages/?limit=60&fields=*", host="pl.localhost")
    only_news = count_queries(api, "pages/?limit=5&order=-id&fields=*")
    every_type = count_queries(api, "pages/?limit=60&fields=*")
    assert every_type - only_news <= 6 * 4, (only_news, every_type)
