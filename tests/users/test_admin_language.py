"""An editor's admin opens in their country's language, and they can change it."""

import json

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.users.models import UserProfile

from cms.clusters.models import ClusterProfile
from cms.core.models import Country, Sector
from cms.news.models import NewsPage
from tests.factories import country_user


def language_of(user):
    return UserProfile.get_for_user(user).preferred_language


@pytest.mark.parametrize(
    ("code", "language"),
    [("CZ", "cs"), ("IT", "it"), ("DE", "de"), ("PL", "pl"), ("AT", "de"), ("SK", "sk")]
    + [("SI", "sl"), ("INT", "en")],
)
def test_joining_a_country_sets_its_language(db, code, language):
    assert language_of(country_user(code)) == language
    assert language_of(country_user(code, "moderators")) == language


def test_adding_the_user_from_the_groups_side_works_too(db):
    user = get_user_model().objects.create_user("anna", password="pw")
    Country.objects.get(code="PL").editors_group.user_set.add(user)
    assert language_of(user) == "pl"


def test_a_chosen_language_is_never_overridden(db):
    user = country_user("CZ")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    user.groups.add(Country.objects.get(code="IT").editors_group)
    assert language_of(user) == "en"


def account_form_data(response) -> dict:
    """What the account page's forms would post back unchanged."""
    data = {}
    for panels in response.context["panels_by_tab"].values():
        for panel in panels:
            for field in panel.get_form():
                value = field.value()
                if value not in (None, "") and not hasattr(value, "read"):  # no files
                    data[field.html_name] = value
    return data


def test_the_admin_speaks_it_and_the_editor_can_change_it(client, db):
    user = country_user("SK")
    user.first_name, user.last_name, user.email = "Zuzana", "Kováčová", "zuzana@example.sk"
    user.save()
    client.force_login(user)
    assert 'lang="sk"' in client.get("/admin/").content.decode()
    data = account_form_data(client.get("/admin/account/"))
    assert data["locale-preferred_language"] == "sk"
    response = client.post("/admin/account/", {**data, "locale-preferred_language": "en"})
    assert response.status_code == 302
    assert language_of(user) == "en"
    assert 'lang="en"' in client.get("/admin/").content.decode()


# Wagtail's own sk_SK and cs catalogues translate 571 and 1075 of its 1733 admin msgids;
# locale/_wagtail/ (the second LOCALE_PATHS entry) supplies the rest (locale/_wagtail/README.md).


def shown(text: str, html: str) -> bool:
    """``text`` is in the page, as markup or in JSON props (the sidebar's are \\u-escaped)."""
    return text in html or json.dumps(text)[1:-1] in html


def admin_pages(client, code: str, role: str = "editors") -> tuple[str, str]:
    """The dashboard and a news item's edit view, as an editor of country ``code`` sees them."""
    client.force_login(country_user(code, role))
    item = NewsPage.objects.descendant_of(Country.objects.get(code=code).home_page).first()
    home = client.get("/admin/")
    edit = client.get(f"/admin/pages/{item.pk}/edit/")
    assert home.status_code == edit.status_code == 200
    return home.content.decode(), edit.content.decode()


def test_the_slovak_editors_admin_is_in_slovak(client, db):
    home, edit = admin_pages(client, "SK")
    assert 'lang="sk"' in home
    for text in ("Stránky", "Nástenka", "Úryvky", "Pomocník", "Hľadať"):  # menu, dashboard
        assert shown(text, home), text
    for text in ("Uložiť koncept", "Náhľad", "Metriky obsahu", "Čas čítania", "Bočné panely"):
        assert shown(text, edit), text
    for english in ("Save draft", "Content metrics", "Reading time", "Side panels"):
        assert not shown(english, edit), english


def test_the_slovak_moderator_publishes_in_slovak(client, db):
    _, edit = admin_pages(client, "SK", "moderators")
    assert shown("Publikovať", edit)  # Wagtail's sk_SK catalogue had this one...
    assert shown("Publikovanie…", edit)  # ...but not the button's progress label
    assert not shown("Publishing…", edit)


def test_the_czech_admin_has_the_strings_wagtail_leaves_untranslated(client, db):
    home, edit = admin_pages(client, "CZ")
    assert shown("Zobrazit klávesové zkratky", home)  # "Show keyboard shortcuts"
    for text in ("Metriky obsahu", "Doba čtení", "Čitelnost", "Náhled na nové kartě"):
        assert shown(text, edit), text
    for english in ("Content metrics", "Reading time", "Readability", "Preview in new tab"):
        assert not shown(english, edit), english


@pytest.mark.parametrize("language", ["cs", "sk"])
def test_our_own_catalogue_wins_over_the_wagtail_one(language):
    """locale/<lang>/ comes first in LOCALE_PATHS: where both translate a msgid, ours is used
    (e.g. sk "Preview" is "Zobraziť náhľad" in ours, "Náhľad" in locale/_wagtail/sk/)."""
    with open(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as po:
        ours = [m for m in read_po(po) if m.id and m.string and not m.pluralizable and not m.fuzzy]
    assert ours
    with translation.override(language):
        for message in ours:
            if message.context:
                assert translation.pgettext(message.context, message.id) == message.string
            else:
                assert translation.gettext(message.id) == message.string, message.id


def test_wagtail_strings_do_not_leak_into_other_languages(client, db):
    _, edit = admin_pages(client, "PL")
    assert not shown("Uložiť koncept", edit) and not shown("Metriky obsahu", edit)


def refusals_in_the_editors_language(client, code, refused_urls):
    """What ``refused_urls`` answer an editor of ``code`` whose browser asks for English."""
    client.force_login(country_user(code))
    return [client.get(url, HTTP_ACCEPT_LANGUAGE="en", follow=True) for url in refused_urls]


def test_a_refusal_speaks_the_editors_language_not_the_browsers(client, db):
    """Wagtail answers a view's PermissionDenied (a schedule-locked page's unpublish, the
    locked pages report, a sector's edit form) outside its own switch to the editor's
    language: its "Sorry, you do not have permission" came in the browser's language."""
    sector = Sector.objects.first()
    responses = refusals_in_the_editors_language(
        client, "CZ", ["/admin/reports/locked/", f"/admin/snippets/core/sector/edit/{sector.pk}/"]
    )
    for response in responses:
        assert response.status_code == 200  # the dashboard
        assert "Promiňte, ale na přístup k této části nemáte oprávnění." in response.text
        assert "Sorry, you do not have permission" not in response.text


def test_another_countrys_object_is_a_404_in_the_editors_language(client, db, settings):
    settings.DEBUG = False
    italian = ClusterProfile.objects.filter(country__code="IT").first()
    [response] = refusals_in_the_editors_language(
        client, "SK", [f"/admin/snippets/clusters/clusterprofile/edit/{italian.pk}/"]
    )
    assert response.status_code == 404
    assert 'lang="sk"' in response.text
    assert "The requested page could not be found" not in response.text
