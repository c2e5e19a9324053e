"""An image's alternative text per language, and the news item's lead image on its page.

The image form had one ``alt_text`` field: a Czech editor's text was saved in Czech
only, so the English API answered ``"alt": null``.
"""

from django.utils import translation
from wagtail.images.forms import get_image_form
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from cms.core.languages import LANGUAGE_CODES
from cms.core.models import CustomImage
from tests.factories import country_user, news_page, path_of


def make_image(**alt_texts) -> CustomImage:
    return CustomImage.objects.create(
        title="Cluster meeting photo",
        collection=Collection.objects.get(name__startswith="CZ "),
        file=get_test_image_file(filename="meeting.png", size=(1600, 900)),
        **{f"alt_text_{code}": text for code, text in alt_texts.items()},
    )


def published_news_with(image, country):
    page = news_page(
        country,
        title={"cs": "Setkání klastrů", "en": "Cluster meeting"},
        lead={"cs": "Úvod", "en": "Lead"},
        image=image,
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_the_image_form_has_an_alternative_text_per_language(db):
    fields = get_image_form(CustomImage)().fields
    assert {f"alt_text_{code}" for code in LANGUAGE_CODES} <= set(fields)


def test_an_editor_saves_the_alternative_text_in_each_language(client, db):
    image = make_image()
    client.force_login(country_user("CZ", "editors"))
    response = client.get(f"/admin/images/{image.pk}/")
    assert response.status_code == 200
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "file"}
    data |= {"alt_text_cs": "Účastníci setkání", "alt_text_en": "Meeting participants"}
    data["tags"] = ""
    response = client.post(f"/admin/images/{image.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    image.refresh_from_db()
    assert (image.alt_text_cs, image.alt_text_en) == ("Účastníci setkání", "Meeting participants")


def test_the_api_alt_falls_back_to_a_language_the_image_has(client, country):
    page = published_news_with(make_image(cs="Setkání klastrů v Ústí"), country("CZ"))
    url = f"/api/v3/pages/{page.pk}/"
    english = client.get(f"{url}?lang=en", HTTP_HOST="cz.localhost").json()
    assert english["image"]["alt"] == "Setkání klastrů v Ústí"
    assert english["image"]["_fallback"] == {"alt": "cs"}
    czech = client.get(f"{url}?lang=cs", HTTP_HOST="cz.localhost").json()
    assert czech["image"]["alt"] == "Setkání klastrů v Ústí"
    assert czech["image"]["_fallback"] == {}


def test_the_api_alt_in_its_own_language_when_it_has_one(client, country):
    page = published_news_with(make_image(cs="Setkání", en="Meeting"), country("CZ"))
    english = client.get(f"/api/v3/pages/{page.pk}/?lang=en", HTTP_HOST="cz.localhost").json()
    assert (english["image"]["alt"], english["image"]["_fallback"]) == ("Meeting", {})


def test_the_lead_image_is_a_responsive_rendition_on_the_page_and_in_preview(site_client, country):
    page = published_news_with(make_image(cs="Účastníci setkání"), country("CZ"))
    html = site_client("CZ").get(path_of(page, "cs")).content.decode()
    assert "<picture>" in html and "srcset=" in html and 'sizes="' in html
    assert 'alt="Účastníci setkání"' in html
    with translation.override("cs"):
        preview = page.make_preview_request().render().content.decode()
    assert "srcset=" in preview and 'alt="Účastníci setkání"' in preview
