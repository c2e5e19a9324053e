"""The API's URLs are exactly what Wagtail and the storage give: pages' and renditions'."""

from __future__ import annotations

import pytest
from django.utils import translation
from wagtail.models import Page

from cms.core.languages import LANGUAGE_CODES, fallback_chain
from cms.core.models import Country
from cms.core.pages import site_languages
from cms.core.translation_status import available_languages

pytestmark = pytest.mark.django_db


def wagtail_url(page: Page, language: str) -> str | None:
    with translation.override(language):
        parts = page.get_url_parts()
    return None if parts is None else f"{parts[1]}{parts[2]}"


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_page_url_matches_wagtails(api, lang):
    """Every page of the network (the hub reads them all), in every language asked for.

    A site without the language, or a page without it, gives the page in the first
    language of the language's fallback chain that the site publishes and the page has
    (where a visitor asking for it lands: no 404, no redirect), else in the site's default
    language.
    """
    response = api(f"pages/?limit=100&lang={lang}", host="localhost")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert len(items) > 20
    countries = list(Country.objects.select_related("site__root_page"))
    for item in items:
        page = Page.objects.get(pk=item["id"]).specific
        country = next(c for c in countries if page.path.startswith(c.site.root_page.path))
        published = available_languages(page, site_languages(country))
        chain = [code for code in fallback_chain(lang) if code in published]
        language = chain[0] if chain else country.default_language
        assert item["meta"]["html_url"] == wagtail_url(page, language), (page, lang)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v3/news/",
        "/media/images/photo.width-800.png",
        "/media/images/fotka%C5%BE.png",
        "/media/images/žluťoučký kůň.png",
        "/a/./b",
        "/a/../b",
        "//elsewhere.example/x",
        "relative/path",
        "https://cdn.example/x.png",
        "/q?lang=cs&site=CZ",
        "/a b/c",
        "/a{b}|c^d`e",
        '/q"x<y>',
        "/a\\b",
        "/~user/[x]/(y)/!*'@$;:+,=#frag",
        "",
        None,
    ],
)
def test_absolute_urls_are_djangos(rf, url):
    """``RenderContext.absolute`` skips parsing plain paths, answering as Django would."""
    from cms.projections.fields import RenderContext

    request = rf.get("/api/v3/news/", HTTP_HOST="cz.localhost")
    context = RenderContext(request=request, scope=None, localizer=None)
    expected = request.build_absolute_uri(url) if url else url
    assert context.absolute(url) == expected
