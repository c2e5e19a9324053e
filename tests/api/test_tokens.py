"""Wagtail's API tokens unlock drafts at /pages/{id}/preview/; nothing else changes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import APIToken

from tests.api.conftest import published_news
from tests.factories import country_user, draft_page


@pytest.fixture
def token(api_token):
    return api_token


def token_for(user) -> str:
    return APIToken.create_token(user=user, name=f"{user.username} front end")[1]


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


def timestamps(value) -> list[str]:
    """Every date-time string in a JSON value."""
    if isinstance(value, dict):
        return [stamp for item in value.values() for stamp in timestamps(item)]
    if isinstance(value, list):
        return [stamp for item in value for stamp in timestamps(item)]
    if isinstance(value, str) and len(value) > 19 and value[10:11] == "T":
        return [value]
    return []


def test_the_preview_writes_times_in_utc_as_the_public_read_does(api, country, token):
    page = published_news(country("CZ"), title={"en": "Published title"})
    page.title_en = "Edited, not published"
    page.save_revision()
    public = api(f"pages/{page.pk}/?lang=en").json()
    preview = api(f"pages/{page.pk}/preview/?lang=en", **bearer(token)).json()
    assert timestamps(public) and timestamps(preview)
    assert all(stamp.endswith("Z") for stamp in timestamps(public) + timestamps(preview)), (
        timestamps(preview)
    )


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


@pytest.mark.parametrize("header", ["Basic dXNlcjpwdw==", "Bearer nonsense", "Bearer {unknown}"])
def test_a_bad_token_on_a_public_read_is_a_401_read_nothing(
    api, token, header, django_assert_max_num_queries
):
    value = header.format(unknown=APIToken.generate_token())
    with django_assert_max_num_queries(1):  # at most the token lookup, no content
        response = api("news/", HTTP_AUTHORIZATION=value)
    assert response.status_code == 401
    assert response.json()["parameter"] == "Authorization"


def test_a_good_token_on_a_public_read_changes_nothing(api, token):
    anonymous = api("news/?lang=en")
    with_token = api("news/?lang=en", **bearer(token))
    assert with_token.status_code == 200
    assert with_token.content == anonymous.content
    assert with_token["Cache-Control"] == anonymous["Cache-Control"]
    # …as the document says of the header (it once said a token made any answer private).
    described = api("openapi.json").json()["components"]["headers"]["Cache-Control"]
    assert "any request with an API token" not in described["description"]
    assert "with or without an API token" in described["description"]


def test_the_openapi_document_declares_the_token_and_every_error(api):
    schema = api("openapi.json").json()
    preview = schema["paths"]["/api/v3/pages/{page_id}/preview/"]["get"]
    assert preview["security"] == [{"DraftTokenAuth": []}]
    assert {"200", "304", "400", "401", "404", "429"} <= set(preview["responses"])
    news = schema["paths"]["/api/v3/news/"]["get"]
    assert "security" not in news
    # Public reads need no token, but one that sends a bad token is refused.
    assert "public reads need none" in news["responses"]["401"]["description"]
    problem = news["responses"]["400"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/APIProblem"}
    assert "parameter" in schema["components"]["schemas"]["APIProblem"]["properties"]


def test_a_token_previews_only_what_its_user_may_edit(api, country):
    """A Czech editor's token previews Czech drafts, not Slovak ones (a 404, no data)."""
    czech, slovak = draft_page(country("CZ"), "news"), draft_page(country("SK"), "news")
    cz_token = token_for(country_user("CZ", username="cz-editor-token"))
    assert api(f"pages/{czech.pk}/preview/", **bearer(cz_token)).status_code == 200
    refused = api(f"pages/{slovak.pk}/preview/", host="sk.localhost", **bearer(cz_token))
    assert refused.status_code == 404
    assert refused.json()["detail"] == f"No page {slovak.pk} on this site"  # as if it did not exist

    sk_token = token_for(country_user("SK", username="sk-editor-token"))
    assert (
        api(f"pages/{slovak.pk}/preview/", host="sk.localhost", **bearer(sk_token)).status_code
        == 200
    )

    nobody = token_for(get_user_model().objects.create_user("no-rights", password="pw"))
    assert api(f"pages/{czech.pk}/preview/", **bearer(nobody)).status_code == 404

    superuser = get_user_model().objects.create_superuser("super-token", password="pw")
    admin_token = token_for(superuser)
    for page, host in ((czech, "cz.localhost"), (slovak, "sk.localhost")):
        assert api(f"pages/{page.pk}/preview/", host=host, **bearer(admin_token)).status_code == 200
