"""The API's ``html_url`` is exactly the URL Wagtail gives the page on its visitor site."""

from __future__ import annotations

import pytest
from django.utils import translation
from wagtail.models import Page

from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country
from cms.core.pages import site_languages

pytestmark = pytest.mark.django_db


def wagtail_url(page: Page, language: str) -> str | None:
    with translation.override(language):
        parts = page.get_url_parts()
    return None if parts is None else f"{parts[1]}{parts[2]}"


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_page_url_matches_wagtails(api, lang):
    """Every page of the network (the hub reads them all), in every language asked for.

    A site without the language gives its page in the site's default language.
    """
    response = api(f"pages/?limit=100&lang={lang}", host="localhost")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert len(items) > 20
    countries = list(Country.objects.select_related("site__root_page"))
    for item in items:
        page = Page.objects.get(pk=item["id"]).specific
        country = next(c for c in countries if page.path.startswith(c.site.root_page.path))
        language = lang if lang in site_languages(country) else country.default_language
        assert item["meta"]["html_url"] == wagtail_url(page, language), (page, lang)
