"""The StreamField "copy from another language" button's view (``cms.core.translation_copy``):
the editor's request copies; anything else is a 400 or 405 naming the problem, never a 500."""

import json

import pytest
from django.test import Client

from cms.news.models import NewsPage
from tests.core.test_media_isolation import (
    make_document,
    make_image,
    stream_document_link,
    stream_image,
)
from tests.factories import country_user, draft_page, logged_in

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def czech_news(country):
    return NewsPage.objects.live().descendant_of(country("CZ").site.root_page).first()


def url_of(page) -> str:
    return f"/admin/pages/{page.pk}/edit/copy_translation_content/"


def button_request(**changes) -> dict:
    """What the button posts: the English body's form fields, one heading block."""
    fields = [
        {"name": "body_en-count", "value": "1"},
        {"name": "body_en-0-type", "value": "heading"},
        {"name": "body_en-0-value", "value": "Programme of the day"},
        {"name": "body_en-0-deleted", "value": ""},
        {"name": "body_en-0-order", "value": "0"},
        {"name": "body_en-0-id", "value": ""},
    ]
    return {
        "origin_field_name": "body_en",
        "target_field_name": "body_cs",
        "serializedOriginField": json.dumps(fields),
        **changes,
    }


def test_the_buttons_request_renders_the_copied_field(czech_news):
    response = logged_in(country_user("CZ")).post(url_of(czech_news), button_request(), **XHR)
    assert response.status_code == 200
    html = json.loads(response.content)
    assert 'id="body_cs"' in html and "Programme of the day" in html


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"serializedOriginField": "not json"}, "serializedOriginField"),
        ({"serializedOriginField": '{"a": 1}'}, "serializedOriginField"),
        ({"serializedOriginField": "[1, 2]"}, "serializedOriginField"),
        ({"target_field_name": "nonexistent"}, "target_field_name"),
        ({"target_field_name": "title_cs"}, "target_field_name"),
        ({"origin_field_name": ""}, "origin_field_name"),
    ],
)
def test_a_request_the_button_does_not_send_is_a_400_naming_it(czech_news, changes, named):
    response = logged_in(country_user("CZ")).post(
        url_of(czech_news), button_request(**changes), **XHR
    )
    assert response.status_code == 400
    assert json.loads(response.content)["error"].startswith(named)


def test_without_the_buttons_header_or_by_get_it_is_refused(czech_news):
    client = logged_in(country_user("CZ"))
    assert client.post(url_of(czech_news), button_request()).status_code == 400
    assert client.get(f"{url_of(czech_news)}?from=zz", **XHR).status_code == 405


def test_another_countrys_page_is_not_found(czech_news):
    response = logged_in(country_user("SK")).post(url_of(czech_news), button_request(), **XHR)
    assert response.status_code == 404


def test_a_request_without_the_csrf_token_is_refused(czech_news):
    """wagtail-modeltranslation's view was exempt; the button sends the token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(country_user("CZ"))
    assert client.post(url_of(czech_news), button_request(), **XHR).status_code == 403


# --- what the copied value embeds --------------------------------------------------------


def posted_fields(form_data: dict) -> str:
    """``serializedOriginField`` as the button posts form data: a list of name/value pairs."""
    return json.dumps([{"name": name, "value": value} for name, value in form_data.items()])


@pytest.mark.parametrize(
    ("embedding", "kind"),
    [(stream_image, "image"), (stream_document_link, "document")],
)
def test_another_countrys_media_is_not_copied_nor_shown(czech_news, embedding, kind):
    """The view rendered any id it was sent: another country's image with its title and
    preview, a document with its file name (and a page with a draft's address)."""
    slovak = (make_image if kind == "image" else make_document)("SK", "Tatranska", "tatranska.png")
    client = logged_in(country_user("CZ"))
    response = client.post(
        url_of(czech_news),
        button_request(serializedOriginField=posted_fields(embedding(slovak.pk))),
        **XHR,
    )
    assert response.status_code == 400
    error = json.loads(response.content)["error"]
    assert error.startswith("serializedOriginField") and f" {slovak.pk}" in error
    assert "atransk" not in response.content.decode()


def test_items_named_as_the_target_fields_are_refused(czech_news):
    """The library renames the origin's items to the target's and renders those: items sent
    under the target's name were rendered without the check above."""
    slovak = make_image("SK", "Tatranska", "tatranska.png")
    as_target = {
        name.replace("body_en", "body_cs"): value for name, value in stream_image(slovak.pk).items()
    }
    response = logged_in(country_user("CZ")).post(
        url_of(czech_news),
        button_request(serializedOriginField=posted_fields(as_target)),
        **XHR,
    )
    assert response.status_code == 400
    assert "atransk" not in response.content.decode()


def test_own_countrys_media_is_copied(czech_news):
    czech = make_image("CZ", "Krkonose", "krkonose.png")
    response = logged_in(country_user("CZ")).post(
        url_of(czech_news),
        button_request(serializedOriginField=posted_fields(stream_image(czech.pk))),
        **XHR,
    )
    assert response.status_code == 200
    assert "Krkonose" in json.loads(response.content)


def test_another_countrys_draft_page_is_not_linked(czech_news, country):
    slovak_draft = draft_page(country("SK"), "news", title="Tajny koncept")
    link = {"type": "LINK", "mutability": "MUTABLE", "data": {"id": slovak_draft.pk}}
    paragraph = json.loads(stream_document_link(0)["body_en-0-value"])
    paragraph["entityMap"]["0"] = link
    form_data = {**stream_document_link(0), "body_en-0-value": json.dumps(paragraph)}
    response = logged_in(country_user("CZ")).post(
        url_of(czech_news), button_request(serializedOriginField=posted_fields(form_data)), **XHR
    )
    assert response.status_code == 400
    assert slovak_draft.slug not in response.content.decode()
