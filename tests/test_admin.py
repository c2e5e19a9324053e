"""A superuser edits every language of a news item in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile

from cms.core.languages import LANGUAGE_CODES
from cms.news.models import NewsPage


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


def test_news_edit_form_has_every_language(admin_client):
    item = NewsPage.objects.get(title_cs="Klastrové organizace ze střední Evropy a Clusters – Cord")
    response = admin_client.get(f"/admin/pages/{item.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    for code in LANGUAGE_CODES:
        for field in ("title", "lead", "funding_note"):
            assert f'name="{field}_{code}"' in html, (field, code)


def test_admin_follows_the_editors_language(admin_client):
    user = get_user_model().objects.get(username="root")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "cs"
    profile.save()
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert 'lang="cs"' in response.content.decode()


@pytest.mark.parametrize("model", ["clusters/clusterprofile", "partners/partnerorganisation"])
def test_snippet_edit_forms_have_every_language(admin_client, model):
    app, name = model.split("/")
    from django.apps import apps

    obj = apps.get_model(app, name).objects.first()
    response = admin_client.get(f"/admin/snippets/{app}/{name}/edit/{obj.pk}/")
    assert response.status_code == 200
    for code in LANGUAGE_CODES:
        assert f'name="name_{code}"' in response.content.decode()
