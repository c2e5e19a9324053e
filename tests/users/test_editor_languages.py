"""Edit forms open in the editor's own languages, then English; the others one click away."""

import json
import re

import pytest
from django.contrib.auth import get_user_model

from cms.clusters.models import ClusterProfile
from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country
from cms.news.models import NewsPage
from cms.users.editor_languages import editor_languages
from tests.factories import country_user, network_admin, page_parent

ELEMENT = re.compile(r'<script id="cms-editor-languages" type="application/json">(.*?)</script>')


def superuser():
    return get_user_model().objects.create_superuser("root-languages", password="pw")


def languages_on(client, user, url) -> dict:
    """The language order the admin page at ``url`` gives the picker script."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    match = ELEMENT.search(html)
    assert match, "no editor languages on the page"
    # After wagtail-modeltranslation's settings, which the script adjusts, and with the script.
    assert html.index("wagtailModelTranslations = {") < match.start()
    assert "cms_users/js/editor_languages.js" in html[match.end() :]
    return json.loads(match.group(1))


@pytest.mark.parametrize(
    ("code", "open_languages"),
    [("CZ", ("cs", "en")), ("SK", ("sk", "en")), ("AT", ("de", "en")), ("SI", ("sl", "en"))],
)
def test_a_national_editor_opens_own_language_then_english(db, code, open_languages):
    for role in ("editors", "moderators"):
        languages = editor_languages(country_user(code, role))
        assert languages.open == open_languages
        assert languages.order[:2] == open_languages
        assert sorted(languages.order) == sorted(LANGUAGE_CODES)
        # The others keep the network's order, collapsed.
        assert languages.collapsed == tuple(c for c in LANGUAGE_CODES if c not in open_languages)


def test_an_editor_of_two_countries_gets_both_languages_before_english(db):
    user = country_user("CZ")
    user.groups.add(Country.objects.get(code="SK").editors_group)
    assert editor_languages(user).open == ("cs", "sk", "en")


def test_the_hubs_editors_see_english_first_and_every_language_open(db):
    languages = editor_languages(country_user("INT"))
    assert languages.order[0] == "en"
    assert set(languages.open) == set(LANGUAGE_CODES)


@pytest.mark.parametrize("make_user", [superuser, network_admin])
def test_network_wide_users_keep_english_open_and_the_network_order(db, make_user):
    languages = editor_languages(make_user())
    assert languages.open == ("en",)
    assert languages.order == LANGUAGE_CODES


def test_a_network_admin_in_a_country_group_gets_that_countrys_languages(db):
    user = network_admin()
    user.groups.add(Country.objects.get(code="PL").editors_group)
    assert editor_languages(user).open == ("pl", "en")


def news_edit_url(code):
    item = NewsPage.objects.descendant_of(Country.objects.get(code=code).home_page).first()
    return f"/admin/pages/{item.pk}/edit/"


def test_the_czech_editors_news_form_opens_czech_then_english(client, db):
    languages = languages_on(client, country_user("CZ"), news_edit_url("CZ"))
    assert languages["open"] == ["cs", "en"]
    assert languages["order"][:2] == ["cs", "en"]
    assert {"sk", "de", "it", "pl", "sl"} == set(languages["order"][2:])


def test_the_slovak_editors_news_form_opens_slovak_then_english(client, db):
    languages = languages_on(client, country_user("SK"), news_edit_url("SK"))
    assert languages["open"] == ["sk", "en"]
    assert languages["order"][:2] == ["sk", "en"]


def test_a_superusers_form_keeps_the_default(client, db):
    languages = languages_on(client, superuser(), news_edit_url("CZ"))
    assert languages == {"open": ["en"], "order": list(LANGUAGE_CODES)}


def test_create_forms_and_snippet_forms_get_it_too(client, db):
    cz = Country.objects.get(code="CZ")
    editor = country_user("CZ")
    parent = page_parent(cz, "news")
    create = languages_on(client, editor, f"/admin/pages/add/news/newspage/{parent.pk}/")
    assert create["open"] == ["cs", "en"]
    profile = ClusterProfile.objects.create(
        name_en="Languages test", slug="languages-test", country=cz
    )
    edit = languages_on(
        client, editor, f"/admin/snippets/clusters/clusterprofile/edit/{profile.pk}/"
    )
    assert edit["open"] == ["cs", "en"]
    add = languages_on(client, editor, "/admin/snippets/clusters/clusterprofile/add/")
    assert add["open"] == ["cs", "en"]
