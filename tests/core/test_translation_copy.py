"""The StreamField "copy from another language" button's view (``cms.core.translation_copy``):
the editor's request copies; anything else is a 400 or 405 naming the problem, never a 500."""

import json

import pytest
from django.test import Client

from cms.news.models import NewsPage
from tests.factories import country_user, logged_in

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
