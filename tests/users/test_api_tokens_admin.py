"""Partners make and revoke their own API tokens in the admin (Settings -> API tokens), as
README and the API guide say: the token their front end previews drafts with. The screens
are Wagtail's, added with its ``wagtail.api.v3`` app; without it they were a 404 and a
token could only be made in a shell. A token acts for its maker only."""

from __future__ import annotations

from wagtail.models import APIToken

from tests.factories import country_user, draft_page, logged_in, network_admin

TOKENS = "/admin/api-tokens/"


def preview(client, page, token: str):
    return client.get(
        f"/api/v3/pages/{page.pk}/preview/?lang=en",
        HTTP_HOST="cz.localhost",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_an_editor_makes_a_token_previews_a_draft_with_it_and_revokes_it(client, country):
    editor = country_user("CZ", "editors")
    admin = logged_in(editor)
    form = admin.get(f"{TOKENS}new/")
    assert form.status_code == 200
    assert list(form.context["form"].fields["user"].queryset) == [editor]

    created = admin.post(f"{TOKENS}new/", {"name": "Front end", "user": editor.pk})
    assert created.status_code == 200
    plaintext = created.context["token"]
    page = draft_page(country("CZ"), "news", title="Not yet")
    answer = preview(client, page, plaintext)
    assert answer.status_code == 200
    assert answer.json()["title"] == "Not yet"

    (token,) = APIToken.objects.filter(user=editor)
    assert admin.get(TOKENS).status_code == 200
    admin.post(f"{TOKENS}delete/{token.pk}/")
    assert preview(client, page, plaintext).status_code == 401


def test_a_token_is_never_made_for_a_colleague_or_seen_by_one(client, country):
    czech, slovak = country_user("CZ", "editors"), country_user("SK", "moderators")
    refused = logged_in(czech).post(f"{TOKENS}new/", {"name": "As SK", "user": slovak.pk})
    assert refused.status_code == 200  # the form again, with the error
    assert refused.context["form"].errors["user"]
    assert not APIToken.objects.filter(user=slovak).exists()

    token, _ = APIToken.create_token(user=czech, name="Czech front end")
    for other in (slovak, network_admin()):
        admin = logged_in(other)
        assert token.name not in admin.get(TOKENS).content.decode()
        assert admin.get(f"{TOKENS}edit/{token.pk}/").status_code == 404
        assert admin.post(f"{TOKENS}delete/{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
