"""Wagtail's API tokens unlock drafts at /pages/{id}/preview/; nothing else changes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import APIToken

from tests.api.conftest import published_news
from tests.factories import draft_page


@pytest.fixture
def token(db):
    user = get_user_model().objects.create_user("frontend", password="pw")
    _instance, plaintext = APIToken.create_token(user=user, name="cz front end")
    return plaintext


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_draft_is_visible_only_with_a_token(api, country, token):
    page = draft_page(country("CZ"), "news", title="Not yet")
    assert api(f"pages/{page.pk}/").status_code == 404
    assert api(f"pages/{page.pk}/", **bearer(token)).status_code == 404  # only the preview
    assert api(f"pages/{page.pk}/preview/").status_code == 401

    response = api(f"pages/{page.pk}/preview/?lang=en", **bearer(token))
    assert response.status_code == 200
    assert response.json()["title"] == "Not yet"
    assert response["Cache-Control"] == "private, no-store"
    assert "Authorization" in response["Vary"]


def test_the_preview_is_the_latest_revision_of_a_published_page(api, country, token):
    page = published_news(country("CZ"), title={"en": "Published title"})
    page.title_en = "Edited, not published"
    page.save_revision()
    assert api(f"pages/{page.pk}/?lang=en").json()["title"] == "Published title"
    preview = api(f"pages/{page.pk}/preview/?lang=en", **bearer(token))
    assert preview.json()["title"] == "Edited, not published"


def test_pages_of_another_site_are_not_previewed(api, country, token):
    page = draft_page(country("IT"), "news")
    assert api(f"pages/{page.pk}/preview/", **bearer(token)).status_code == 404


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (None, "drafts need 'Authorization: Bearer <API token>'"),
        ("Basic dXNlcjpwdw==", "expected 'Bearer <API token>'"),
        ("Bearer nonsense", "malformed API token"),
        ("Bearer {unknown}", "unknown or revoked API token"),
        ("Bearer {revoked}", "unknown or revoked API token"),
    ],
)
def test_a_bad_token_is_a_401_naming_the_problem(api, country, token, header, problem):
    page = draft_page(country("CZ"), "news")
    revoked = APIToken.objects.get()
    revoked_plain = token
    if header and "{revoked}" in header:
        APIToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    headers = {}
    if header:
        value = header.format(unknown=APIToken.generate_token(), revoked=revoked_plain)
        headers["HTTP_AUTHORIZATION"] = value
    response = api(f"pages/{page.pk}/preview/", **headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["parameter"] == "Authorization"
    assert problem in body["error"]


def test_the_openapi_document_declares_the_token_and_every_error(api):
    schema = api("openapi.json").json()
    preview = schema["paths"]["/api/v3/pages/{page_id}/preview/"]["get"]
    assert preview["security"] == [{"DraftTokenAuth": []}]
    assert {"200", "304", "400", "401", "404", "429"} <= set(preview["responses"])
    news = schema["paths"]["/api/v3/news/"]["get"]
    assert "security" not in news and "401" not in news["responses"]
    problem = news["responses"]["400"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/APIProblem"}
    assert "parameter" in schema["components"]["schemas"]["APIProblem"]["properties"]
