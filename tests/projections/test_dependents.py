"""What items show of other objects is rendered again when those change: an image's
alternative text, a tag's name (``cms.projections.dependents``, found through the
relations and Wagtail's reference index)."""

from __future__ import annotations

from django.core.management import call_command

from tests.api.conftest import make_image, published_news
from tests.factories import news_page
from tests.projections.test_projections import rows


def test_replacing_an_image_renders_the_items_that_show_it(country):
    image = make_image(en="A cluster meeting")
    page = published_news(country("CZ"), title={"en": "Info day"}, image=image)
    image.alt_text_en = "The cluster meeting in Ústí"
    image.save()
    assert rows(page)["en"].data["image"]["alt"] == "The cluster meeting in Ústí"


def test_an_image_whose_file_is_gone_does_not_hold_back_its_items(country):
    """Lost storage, or a restore without media: every later publication of the item failed
    to render and stayed out of the API (the worker's retries failed the same way)."""
    image = make_image(en="A cluster meeting")
    page = published_news(country("CZ"), title={"en": "Info day"}, image=image)
    image.renditions.all().delete()
    image.file.storage.delete(image.file.name)
    page.title_en = "Info day, new date"
    page.save_revision().publish()
    projected = rows(page)["en"].data
    assert projected["title"] == "Info day, new date"
    assert projected["image"]["id"] == image.pk and projected["image"]["renditions"] == {}


def test_renaming_or_deleting_a_tag_renders_the_items_that_list_it(country):
    """A tag renamed or deleted in a shell or a command (the admin has no tag editor):
    its items kept the old name, and consumers of ``sync/`` never heard of it."""
    from taggit.models import Tag

    page = news_page(country("CZ"), title={"en": "Study trip to Milan"})
    page.tags.add("quokka visit")
    page.save_revision().publish()
    tag = Tag.objects.get(name="quokka visit")
    tag.name = "quokka tour"
    tag.save()
    assert [t["name"] for t in rows(page)["en"].data["tags"]] == ["quokka tour"]
    tag.delete()
    assert rows(page)["en"].data["tags"] == []
    call_command("check_projections")
