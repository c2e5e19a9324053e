"""The API's URLs are exactly what Wagtail and the storage give: pages' and renditions'."""

from __future__ import annotations

import pytest
from django.utils import translation
from wagtail.models import Page

from cms.core.languages import LANGUAGE_CODES, fallback_chain, site_languages
from cms.core.models import Country
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


def test_embedded_objects_of_another_country_link_to_their_own_site(api, country):
    """A Czech news item naming a Slovak cluster and contact: read on the Czech site, their
    ``detail_url`` pointed there, which serves Czech objects only (a 404). They name their
    site now; one of the item's own country needs none. Every link resolves, on the
    item's site and on the hub, with the request's language carried."""
    from urllib.parse import urlsplit

    from cms.clusters.models import ClusterProfile
    from cms.partners.models import ContactPerson
    from tests.factories import news_page

    cz, sk = country("CZ"), country("SK")
    slovak = ClusterProfile.objects.filter(country=sk).first()
    czech = ClusterProfile.objects.filter(country=cz).first()
    contact = ContactPerson.objects.filter(country=sk).first()
    item = news_page(cz, title={"en": "Across the border", "cs": "Přes hranici"})
    item.related_clusters.set([slovak, czech])
    item.contact = contact
    item.save_revision().publish()

    for host in ("cz.localhost", "localhost"):
        body = api(f"news/{item.pk}/?lang=en", host=host).json()
        clusters = {ref["id"]: ref["detail_url"] for ref in body["related_clusters"]}
        assert urlsplit(clusters[slovak.pk]).query == "site=SK&lang=en"
        assert urlsplit(body["contact"]["detail_url"]).query == "site=SK&lang=en"
        assert urlsplit(clusters[czech.pk]).query == "lang=en"
        for url in [*clusters.values(), body["contact"]["detail_url"]]:
            parts = urlsplit(url)
            response = api(f"{parts.path.removeprefix('/api/v3/')}?{parts.query}", host=host)
            assert response.status_code == 200, url
    listed = api("news/?lang=en&fields=related_clusters&limit=100").json()["items"]
    (ref,) = [
        r
        for i in listed
        if i["id"] == item.pk
        for r in i["related_clusters"]
        if r["id"] == slovak.pk
    ]
    assert urlsplit(ref["detail_url"]).query == "site=SK&lang=en"
