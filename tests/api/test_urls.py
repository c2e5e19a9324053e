"""The API's URLs are exactly what Wagtail and the storage give: pages' and renditions'."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest
from django.conf import settings
from django.utils import translation
from wagtail.images.rect import Rect
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
    from cms.api.representations import RenderContext

    request = rf.get("/api/v3/news/", HTTP_HOST="cz.localhost")
    context = RenderContext(request=request, scope=None, localizer=None)
    expected = request.build_absolute_uri(url) if url else url
    assert context.absolute(url) == expected


def test_rendition_urls_are_the_storages(api):
    """Remembered local-storage URLs equal what the file field answers."""
    from cms.api.loading import ObjectsPlan
    from cms.api.representations import file_url
    from tests.api.conftest import make_image

    image = make_image()
    rendition = image.get_rendition("width-100")
    # Loaded as the API loads it: the file's name as read, no FieldFile (Django's own loading
    # makes one at once, to update the image's dimensions).
    (loaded,) = ObjectsPlan.of(type(rendition).objects.filter(pk=rendition.pk)).run()
    assert isinstance(vars(loaded)["file"], str)
    assert file_url(loaded) == file_url(rendition) == rendition.file.url == rendition.url
    assert isinstance(vars(loaded)["file"], str)  # and still none: no cycle back at the rendition


def test_renditions_read_from_attached_ones_are_wagtails(api):
    """The API's lookup in attached renditions picks what Wagtail's ``get_renditions`` picks."""
    from cms.api.representations import (
        RenderContext,
        attach_renditions,
        rendition_filters,
        renditions_of,
    )
    from cms.core.models import CustomImage
    from tests.api.conftest import make_image

    filters = rendition_filters(tuple(settings.API_IMAGE_RENDITIONS.values()))
    assert any(spec.startswith("fill-") for spec in settings.API_IMAGE_RENDITIONS.values())
    image = make_image()
    image.get_renditions(*filters)
    image.set_focal_point(Rect(10, 10, 40, 30))  # the fill's rendition is now another one
    image.save()
    image.get_renditions(*filters)
    (attached,) = CustomImage.objects.filter(pk=image.pk)
    attach_renditions("image")([SimpleNamespace(image=attached)], cast(RenderContext, None))
    # One per spec, and a second fill for the new focal point (``max`` ignores it).
    assert len(attached.prefetched_renditions) == 3
    ours = renditions_of(attached, filters)
    wagtails = CustomImage.objects.get(pk=image.pk).get_renditions(*filters)

    def described(renditions):  # Wagtail's may come from its cache, without a pk
        return {spec: (r.focal_point_key, r.file.name) for spec, r in renditions.items()}

    assert described(ours) == described(wagtails)

    # Missing one: Wagtail makes it.
    more = rendition_filters(("width-30",))
    assert renditions_of(attached, more)["width-30"].width == 30
