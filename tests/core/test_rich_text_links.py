"""Page links inside rich text go where their reader lands (``cms.core.rich_text_links``)."""

from __future__ import annotations

import pytest

from tests.api.conftest import published_news

pytestmark = pytest.mark.django_db


def linking(country, target_ids: list[int]):
    """A Czech news item whose Czech body links each of ``target_ids``."""
    links = " ".join(f'<a linktype="page" id="{pk}">page {pk}</a>' for pk in target_ids)
    return published_news(
        country("CZ"),
        title={"en": "Links", "cs": "Odkazy"},
        body={"cs": [f"<p>{links}</p>"], "en": ["<p>No links</p>"]},
    )


def test_a_link_to_another_sites_page_is_in_a_language_that_site_publishes(client, country):
    """The Austrian site publishes German and English: a Czech text's link to it went to
    /cs/ there, a 404."""
    austrian = published_news(country("AT"), title={"en": "Styria", "de": "Steiermark"})
    page = linking(country, [austrian.pk])
    body = client.get(f"/api/v3/pages/{page.pk}/?lang=cs", HTTP_HOST="cz.localhost").json()
    html = body["body"][0]["value"]
    assert f'href="http://at.localhost/en/news/{austrian.slug_en}/"' in html
    visitor = client.get(page.url_in(None, "cs"), HTTP_HOST="cz.localhost")
    assert f'href="http://at.localhost/en/news/{austrian.slug_en}/"' in visitor.text
    target = client.get(f"/en/news/{austrian.slug_en}/", HTTP_HOST="at.localhost")
    assert target.status_code == 200


def test_a_fallback_readers_link_goes_to_the_language_they_land_on(client, country):
    """Slovak falls back to Czech: the Czech site has no /sk/ addresses."""
    czech = published_news(country("CZ"), title={"en": "Target", "cs": "Cíl"})
    page = linking(country, [czech.pk])
    body = client.get(f"/api/v3/pages/{page.pk}/?lang=sk", HTTP_HOST="cz.localhost").json()
    assert f'href="http://cz.localhost/cs/aktuality/{czech.slug_cs}/"' in body["body"][0]["value"]


def test_a_link_to_a_page_no_longer_live_keeps_its_words_without_an_address(client, country):
    gone = published_news(country("CZ"), title={"en": "Soon gone", "cs": "Brzy pryč"})
    gone.unpublish()
    page = linking(country, [gone.pk])
    html = client.get(f"/api/v3/pages/{page.pk}/?lang=cs", HTTP_HOST="cz.localhost").json()
    assert f"<a>page {gone.pk}</a>" in html["body"][0]["value"]


def test_a_texts_links_cost_the_same_queries_however_many(country):
    """Outside a request (publishing, the worker) ``get_country`` asked two queries per
    link: a text with 30 links cost its projection 662 queries. Now one for the countries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation
    from wagtail.rich_text import expand_db_html

    targets = [
        published_news(country(code), title={"en": f"Target {code} {n}"})
        for code in ("CZ", "AT", "SK")
        for n in range(4)
    ]

    def queries(pages) -> int:
        html = "".join(f'<a linktype="page" id="{page.pk}">x</a>' for page in pages)
        with translation.override("cs"):
            expand_db_html(html)  # the site root paths cached, as after any first link
            with CaptureQueriesContext(connection) as captured:
                expand_db_html(html)
        return len(captured)

    assert queries(targets) == queries(targets[:1]) == 3  # pages, their type's rows, countries
