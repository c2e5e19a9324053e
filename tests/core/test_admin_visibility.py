"""What the admin's reports, filters and bulk actions show a country's editors and moderators.

Found by an audit (``/admin/reports/site-history/``, ``/admin/bulk/…``): Wagtail asks
these routes for a permission on the *model*, not on each object, so a Czech editor
read the Italian profiles' log entries, a network administrator's webhook with its
address, and the Italian moderators' synonyms and promoted results. Another
country's (or a forbidden) object must be answered as one that does not exist, and
no filter may offer another country's people. Network administrators see everything.
"""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from cms.clusters.models import ClusterProfile
from cms.core.models import Country
from cms.core.workflows import moderation_names
from cms.partners.models import ContactPerson, PartnerOrganisation
from cms.search.models import Promotion, SynonymGroup
from cms.webhooks.models import Webhook
from tests.factories import country_user, lock_in_moderation, network_admin, news_page

MISSING_ID = 987654


def body(response) -> str:
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8-sig")


# Site history ----------------------------------------------------------------


@pytest.fixture
def history(country):
    """A cluster profile, partner and contact of Czechia and of Italy, each edited by its
    country's editor and logged as the admin's edit view logs it; and a Czech profile
    edited, then deleted."""
    editors = {
        "CZ": country_user("CZ", username="czech-editor"),
        "IT": country_user("IT", username="italian-editor"),
    }
    for code, editor in editors.items():
        place = country(code)
        objects = [
            ClusterProfile.objects.create(
                name_en=f"Cluster of {code}", slug=f"c-{code}", country=place
            ),
            PartnerOrganisation.objects.create(
                name_en=f"Partner of {code}", slug=f"p-{code}", country=place
            ),
            ContactPerson.objects.create(
                name=f"Contact of {code}", slug=f"k-{code}", country=place
            ),
        ]
        for obj in objects:
            log(instance=obj, action="wagtail.edit", user=editor)
    gone = ClusterProfile.objects.create(name_en="Gone of CZ", slug="gone", country=country("CZ"))
    log(instance=gone, action="wagtail.edit", user=editors["CZ"])
    log(instance=gone, action="wagtail.delete", user=editors["CZ"])
    gone.delete()
    return editors


def site_history(client, user) -> dict[str, str]:
    client.force_login(user)
    return {
        url: body(client.get(url))
        for url in (
            "/admin/reports/site-history/",
            "/admin/reports/site-history/results/",
            "/admin/reports/site-history/?export=csv",
        )
    }


OWN = ["Cluster of CZ", "Partner of CZ", "Contact of CZ"]
ITALIAN = ["Cluster of IT", "Partner of IT", "Contact of IT", "italian-editor"]


@pytest.mark.parametrize("role", ["editors", "moderators"])
def test_site_history_shows_only_the_own_countrys_snippets(client, history, role):
    for url, text in site_history(client, country_user("CZ", role)).items():
        assert all(name in text for name in OWN), url
        assert [secret for secret in ITALIAN if secret in text] == [], url
        # A deleted object's entries name no country: they are not shown (as Wagtail
        # does with deleted pages), even to the country that had it.
        assert "Gone of CZ" not in text, url


def test_site_history_names_a_page_in_the_readers_language(client, country):
    """Wagtail keeps the title an entry was logged with, in the actor's admin language."""
    page = news_page(country("CZ"), title={"en": "Local info day", "cs": "Místní info den"})
    with translation.override("en"):  # a moderator whose admin is in English
        log(instance=page, action="wagtail.edit", user=country_user("CZ", "moderators"))
    editor = country_user("CZ")
    assert UserProfile.get_for_user(editor).preferred_language == "cs"
    client.force_login(editor)
    text = body(client.get("/admin/reports/site-history/results/"))
    assert "Místní info den" in text
    assert "Local info day" not in text


def test_site_history_user_filter_offers_only_authors_of_shown_entries(client, history):
    client.force_login(country_user("CZ"))
    response = client.get("/admin/reports/site-history/")
    users = {user.username for user in response.context["filters"].form.fields["user"].queryset}
    assert users == {"czech-editor"}


def test_site_history_csv_holds_only_the_own_countrys_rows(client, history):
    text = site_history(client, country_user("CZ"))["/admin/reports/site-history/?export=csv"]
    names = {row[1] for row in list(csv.reader(io.StringIO(text)))[1:]}
    assert set(OWN) <= names
    assert not names & set(ITALIAN)


@pytest.mark.parametrize("who", ["superuser", "network admin"])
def test_network_administrators_see_every_countrys_history(client, history, who):
    user = (
        get_user_model().objects.create_superuser("root", password="pw")
        if who == "superuser"
        else network_admin()
    )
    for url, text in site_history(client, user).items():
        for name in [*OWN, *ITALIAN, "Gone of CZ"]:
            assert name in text, (url, name)


# Snippets not every editor may see: webhooks, other languages' search lists ------------


@pytest.fixture
def forbidden(country):
    """Objects a Czech editor or moderator may not see, and what of them must not show."""
    target = news_page(country("IT"), title={"en": "Secret Italian target", "it": "Bersaglio"})
    webhook = Webhook.objects.create(
        country=country("IT"), name="SECRETHOOK", url="https://secret.example/hook"
    )
    promotion = Promotion.objects.create(language="it", query="SECRETQUERY", page=target)
    synonyms = SynonymGroup.objects.create(language="it", terms="segretissimo, riservatissimo")
    return {
        "webhooks/webhook": (webhook, ["SECRETHOOK", "secret.example"]),
        "sitesearch/promotion": (promotion, ["SECRETQUERY", "Secret Italian target"]),
        "sitesearch/synonymgroup": (synonyms, ["segretissimo"]),
    }


def by_id(model: str, pk) -> list[str]:
    """Every admin route that names one object of ``model`` by its id."""
    return [
        f"/admin/bulk/{model}/delete/?id={pk}",
        f"/admin/snippets/choose/{model}/chosen/{pk}/",
        f"/admin/snippets/choose/{model}/chosen-multiple/?id={pk}",
        *(
            f"/admin/snippets/{model}/{view}/{pk}/"
            for view in ("edit", "delete", "copy", "inspect", "usage", "history")
        ),
    ]


def listings(model: str) -> list[str]:
    return [
        f"/admin/bulk/{model}/delete/?id=all",
        f"/admin/snippets/choose/{model}/",
        f"/admin/snippets/choose/{model}/results/?q=",
        f"/admin/snippets/{model}/",
    ]


@pytest.mark.parametrize("role", ["editors", "moderators"])
@pytest.mark.parametrize(
    "model", ["webhooks/webhook", "sitesearch/promotion", "sitesearch/synonymgroup"]
)
def test_a_forbidden_snippet_is_answered_as_a_missing_one(client, forbidden, role, model):
    obj, secrets = forbidden[model]
    client.force_login(country_user("CZ", role))
    for url, missing in zip(by_id(model, obj.pk), by_id(model, MISSING_ID), strict=True):
        response = client.get(url)
        assert response.status_code == client.get(missing).status_code, url
        assert [secret for secret in secrets if secret in body(response)] == [], url
    assert client.get(f"/admin/bulk/{model}/delete/?id={obj.pk}").status_code == 404
    for url in listings(model):
        assert [secret for secret in secrets if secret in body(client.get(url))] == [], url
    response = client.post(f"/admin/bulk/{model}/delete/?id={obj.pk}")
    assert response.status_code == 404
    assert [secret for secret in secrets if secret in body(response)] == []
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_moderators_still_bulk_delete_their_own_languages_lists(client, country):
    own = SynonymGroup.objects.create(language="cs", terms="tajne, skryte")
    client.force_login(country_user("CZ", "moderators"))
    url = f"/admin/bulk/sitesearch/synonymgroup/delete/?id={own.pk}"
    assert "tajne" in body(client.get(url))
    assert "tajne" in body(
        client.get(f"/admin/snippets/choose/sitesearch/synonymgroup/chosen/{own.pk}/")
    )
    assert client.post(url).status_code == 302
    assert not SynonymGroup.objects.filter(pk=own.pk).exists()


def test_network_administrators_still_see_and_bulk_delete_webhooks(client, forbidden):
    webhook, _secrets = forbidden["webhooks/webhook"]
    client.force_login(network_admin())
    url = f"/admin/bulk/webhooks/webhook/delete/?id={webhook.pk}"
    assert "SECRETHOOK" in body(client.get(url))
    assert "SECRETHOOK" in body(client.get("/admin/snippets/choose/webhooks/webhook/results/?q="))
    assert client.post(url).status_code == 302
    assert not Webhook.objects.filter(pk=webhook.pk).exists()


# Filters that list people ---------------------------------------------------------


@pytest.fixture
def people(country):
    """In Czechia and in Italy, a page owned, edited, locked and sent to moderation by
    that country's editor."""
    editors = {}
    for code, name in (("CZ", "czech-editor"), ("IT", "italian-editor")):
        editor = editors[code] = country_user(code, username=name)
        page = news_page(country(code), title={"en": f"Page of {code}"}, owner=editor)
        log(instance=page, action="wagtail.edit", user=editor)
        lock_in_moderation(page, editor)
    return editors


def offered(response, name: str) -> set[str]:
    return {user.username for user in response.context["filters"].form.fields[name].queryset}


def test_report_and_explorer_filters_offer_only_the_own_countrys_people(client, people, country):
    client.force_login(country_user("CZ", "moderators"))
    home = country("CZ").home_page
    filters = {
        ("/admin/reports/workflow/", "requested_by"),
        ("/admin/reports/locked/", "locked_by"),
        (f"/admin/pages/{home.pk}/", "owner"),
        (f"/admin/pages/{home.pk}/", "edited_by"),
        ("/admin/translations-newspage/", "owner"),
        ("/admin/translations-newspage/", "edited_by"),
    }
    for url, name in filters:
        response = client.get(url)
        assert response.status_code == 200, url
        users = offered(response, name)
        assert "czech-editor" in users and "italian-editor" not in users, (url, name, users)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/admin/reports/workflow/", "workflow"),
        ("/admin/reports/workflow_tasks/", "workflow"),
        ("/admin/reports/workflow_tasks/", "task"),
    ],
)
def test_workflow_reports_offer_only_the_own_countrys_workflows(client, people, url, name):
    """Wagtail's filters offered every workflow and task: "Moderation – Österreich" and the
    others' names to a Czech editor."""
    client.force_login(country_user("CZ", "moderators"))
    response = client.get(url)
    assert response.status_code == 200
    listed = {str(item) for item in response.context["filters"].form.fields[name].queryset}
    workflow, task = moderation_names(Country.objects.get(code="CZ"))
    assert listed == {workflow if name == "workflow" else task}
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "x"))
    response = client.get(url)
    every = response.context["filters"].form.fields[name].queryset
    assert len({str(item) for item in every}) == 2  # the Czech and the Italian


def test_no_admin_listing_of_forms_offers_other_countries_editors(client, country):
    """No page type is a form: Wagtail's "Forms" listing is not installed (its "Edited by"
    filter named every country's editors)."""
    country_user("PL", "moderators", username="piotr-polish")
    client.force_login(country_user("SK"))
    assert client.get("/admin/forms/").status_code == 404
