"""An editor's admin opens in their country's language, and they can change it."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile

from cms.core.models import Country
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
