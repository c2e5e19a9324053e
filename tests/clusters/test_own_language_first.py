"""Snippets follow the pages' rule: the site's own language first, English only if the network
asks for it at publication (``TRANSLATIONS_REQUIRED_AT_PUBLICATION``).

Driven through the real snippet admin views as a Czech editor and a network administrator.
"""

import re

import pytest
from django.test import Client, override_settings
from django.utils import translation

from cms.clusters.models import ClusterProfile
from cms.core.models import Country
from cms.partners.models import PartnerOrganisation
from tests.factories import country_user, network_admin

ADD_CLUSTER = "/admin/snippets/clusters/clusterprofile/add/"
ADD_PARTNER = "/admin/snippets/partners/partnerorganisation/add/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def czech_cluster(**extra) -> dict:
    """What the browser posts: the Czech name, and the ready ticks as offered (all ticked)."""
    return {"name_cs": "Klastr sklářů", "slug": "klastr-skraru", "ready_languages": ["cs"], **extra}


def errors_of(response) -> dict:
    return {
        name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()
    }


def required_inputs(html: str) -> set[str]:
    """Names of the form's text inputs marked required."""
    tags = re.findall(r"<input[^>]*>", html)
    return {re.search(r'name="(\w+)"', t).group(1) for t in tags if " required" in t}


@pytest.fixture
def cz(db):
    return Country.objects.get(code="CZ")


def test_a_czech_editor_saves_a_czech_only_cluster_profile(cz):
    client = logged_in(country_user("CZ"))
    response = client.post(ADD_CLUSTER, czech_cluster(country=cz.pk))
    assert response.status_code == 302, errors_of(response)
    cluster = ClusterProfile.objects.get(slug="klastr-skraru")
    assert cluster.name_cs == "Klastr sklářů" and not cluster.name_en
    assert cluster.country == cz and cluster.ready_languages == ["cs"]


def test_the_form_asks_for_the_sites_language_not_english(cz):
    html = logged_in(country_user("CZ")).get(ADD_CLUSTER).content.decode()
    required = required_inputs(html)
    assert "name_cs" in required and "name_en" not in required


def test_an_empty_main_language_is_refused_with_a_message_naming_it(cz):
    """The Czech editor's admin is in Czech: the message too."""
    client = logged_in(country_user("CZ"))
    response = client.post(
        ADD_CLUSTER, {"name_en": "Glass cluster", "slug": "glass", "country": cz.pk}
    )
    assert response.status_code == 200
    assert errors_of(response) == {"name_cs": ["Povinné: čeština je hlavní jazyk tohoto webu."]}


def test_the_rule_follows_the_country_chosen_in_the_form(db):
    """A network administrator picks the country: a Slovak profile needs Slovak, not Czech."""
    sk = Country.objects.get(code="SK")
    client = logged_in(network_admin())
    response = client.post(
        ADD_CLUSTER,
        {"name_sk": "Klaster", "slug": "klaster", "country": sk.pk, "ready_languages": ["sk"]},
    )
    assert response.status_code == 302, errors_of(response)
    response = client.post(ADD_CLUSTER, {"name_cs": "Klastr", "slug": "klastr", "country": sk.pk})
    assert "name_sk" in errors_of(response)


@override_settings(TRANSLATIONS_REQUIRED_AT_PUBLICATION=("en",))
def test_english_is_required_on_save_when_the_network_requires_it(cz):
    """A snippet without drafts is published by every save: the network's rule applies."""
    client = logged_in(country_user("CZ"))
    response = client.post(ADD_CLUSTER, czech_cluster(country=cz.pk))
    assert response.status_code == 200
    assert list(errors_of(response)) == ["name_en"]
    response = client.post(ADD_CLUSTER, czech_cluster(country=cz.pk, name_en="Glass cluster"))
    assert response.status_code == 302, errors_of(response)


def test_an_existing_profile_saves_after_its_english_name_is_cleared(cz):
    cluster = ClusterProfile.objects.filter(country=cz).exclude(name_cs="").first()
    client = logged_in(country_user("CZ"))
    url = f"/admin/snippets/clusters/clusterprofile/edit/{cluster.pk}/"
    response = client.post(
        url,
        {
            "name_cs": cluster.name_cs,
            "name_en": "",
            "slug": cluster.slug,
            "country": cz.pk,
            "ready_languages": ["cs"],  # ticked, as the form offers it
        },
    )
    assert response.status_code == 302, errors_of(response)
    cluster.refresh_from_db()
    assert not cluster.name_en


def test_a_profile_visitors_would_find_in_no_language_is_refused(cz):
    """A snippet is live on save: with Czech unticked and no English, the directory showed
    a card without a name and a profile page with an empty heading."""
    client = logged_in(country_user("CZ"))
    response = client.post(ADD_CLUSTER, czech_cluster(country=cz.pk, ready_languages=[]))
    assert response.status_code == 200
    assert errors_of(response)["ready_languages"] == [
        "Návštěvníci by tuto položku nenašli v žádném jazyce: zaškrtněte jazyk čeština "
        "nebo vyplňte anglickou verzi."
    ]
    assert not ClusterProfile.objects.filter(slug="klastr-skraru").exists()
    # Held back with an English version to fall back on, it saves.
    response = client.post(
        ADD_CLUSTER, czech_cluster(country=cz.pk, ready_languages=[], name_en="Glass cluster")
    )
    assert response.status_code == 302, errors_of(response)


def test_a_czech_only_profile_is_named_in_any_admin_language(cz):
    """An English-speaking administrator's listing names it by its Czech name, not ''."""
    logged_in(country_user("CZ")).post(ADD_CLUSTER, czech_cluster(country=cz.pk))
    cluster = ClusterProfile.objects.get(slug="klastr-skraru")
    for language in ("en", "cs", "sk", "de"):
        with translation.override(language):
            assert str(cluster) == "Klastr sklářů"
    html = (
        logged_in(network_admin()).get("/admin/snippets/clusters/clusterprofile/?q=sklářů").content
    )
    assert "Klastr sklářů" in html.decode()


def test_partner_organisations_follow_the_same_rule(cz):
    client = logged_in(country_user("CZ"))
    response = client.post(
        ADD_PARTNER,
        {"name_cs": "Sdružení", "slug": "sdruzeni", "country": cz.pk, "ready_languages": ["cs"]},
    )
    assert response.status_code == 302, errors_of(response)
    partner = PartnerOrganisation.objects.get(slug="sdruzeni")
    with translation.override("en"):
        assert str(partner) == "Sdružení"


def test_a_year_founded_in_the_future_or_long_ago_is_refused(cz):
    client = logged_in(country_user("CZ"))
    for year in ("3000", "1066"):
        response = client.post(ADD_CLUSTER, czech_cluster(country=cz.pk, founded=year))
        assert response.status_code == 200
        assert list(errors_of(response)) == ["founded"], year
    response = client.post(ADD_CLUSTER, czech_cluster(country=cz.pk, founded="1998"))
    assert response.status_code == 302, errors_of(response)


def test_a_slug_another_countrys_cluster_holds_is_refused_saying_so(cz):
    """The Austrian editor cannot see the German profile whose slug clashes: the message
    says that it may be another country's, in the editor's language."""
    taken = ClusterProfile.objects.exclude(country=cz).first().slug
    response = logged_in(country_user("CZ")).post(
        ADD_CLUSTER, czech_cluster(country=cz.pk, slug=taken)
    )
    assert response.status_code == 200
    assert list(errors_of(response)) == ["slug"]
    assert (
        "Tento slug už má jiná klastrová organizace sítě, možná z jiné země. Zvolte jiný, "
        "například s doplněným městem." in response.content.decode()
    )
