"""Translation status: complete/partial/missing, readiness, and that unready text never leaks."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from cms.clusters.models import ClusterProfile
from cms.core import translation_status as ts
from cms.core.translation_report import build_report
from cms.search.documents import documents_for
from tests.factories import country_user, network_admin, news_page, path_of, translated

HREFLANG = re.compile(r'<link rel="alternate" hreflang="([a-z]{2})"')


def cluster(country, slug, names, ready=()):
    return ClusterProfile.objects.create(
        slug=slug, country=country, ready_languages=list(ready), **translated("name", names)
    )


# --- status ----------------------------------------------------------------------


def test_status_follows_the_required_fields(country):
    page = news_page(
        country("CZ"),
        title={"en": "Title", "cs": "Titulek", "de": "Titel"},
        lead={"en": "Lead", "cs": "Úvod"},
    )
    assert ts.status(page, "en") == ts.COMPLETE
    assert ts.status(page, "cs") == ts.COMPLETE
    assert ts.status(page, "de") == ts.PARTIAL  # title but no lead
    assert ts.status(page, "sk") == ts.MISSING


def test_contact_people_are_judged_by_their_translated_role(country):
    from cms.partners.models import ContactPerson

    contact = ContactPerson.objects.create(
        name="Jana", slug="jana-ts", country=country("CZ"), **translated("role", {"en": "Head"})
    )
    assert ts.required_fields(ContactPerson) == ("role",)
    assert ts.status(contact, "en") == ts.COMPLETE
    assert ts.status(contact, "cs") == ts.MISSING


# --- readiness -------------------------------------------------------------------


def test_only_a_complete_language_can_be_marked_ready(country):
    profile = cluster(country("CZ"), "ready-check", {"en": "Food cluster"}, ready=["cs"])
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "ready_languages" in error.value.message_dict
    profile.name_cs = "Potravinářský klastr"
    profile.full_clean()  # complete now: accepted


def test_english_is_always_ready_and_other_languages_need_marking(country):
    profile = cluster(country("CZ"), "ready-en", {"en": "Food", "cs": "Potraviny"})
    assert ts.has_language(profile, "en")
    assert not ts.has_language(profile, "cs")  # complete, not ready
    profile.ready_languages = ["cs"]
    assert ts.has_language(profile, "cs")


def test_the_admin_form_refuses_ready_for_an_incomplete_language(client, country):
    user = get_user_model().objects.create_superuser("ts-root", "ts@example.org", "pw")
    client.force_login(user)
    profile = cluster(country("CZ"), "form-check", {"en": "Food"})
    url = f"/admin/snippets/clusters/clusterprofile/edit/{profile.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="ready_languages"' in form.content.decode()
    data = {
        "name_en": "Food",
        "slug": "form-check",
        "country": country("CZ").pk,
        "ready_languages": ["cs"],
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    profile.refresh_from_db()
    assert profile.ready_languages == []


# --- never leaks -----------------------------------------------------------------


@pytest.fixture
def unready_czech(country):
    """A published news item complete in Czech, but Czech not marked ready."""
    from tests.api.conftest import published_news

    return published_news(
        country("CZ"),
        title={"en": "Open day", "cs": "Den otevřených dveří NEHOTOVO"},
        lead={"en": "Come in", "cs": "Přijďte NEHOTOVO"},
        ready_languages=[],
    )


def test_the_visitor_page_sends_an_unready_language_to_the_fallback_and_links_only_ready_ones(
    site_client, unready_czech
):
    # One URL per real language version (tests/core/test_language_urls.py).
    response = site_client("CZ").get(path_of(unready_czech, "cs"))
    assert response.status_code == 302 and response["Location"] == path_of(unready_czech, "en")
    html = site_client("CZ").get(response["Location"]).content.decode()
    assert "NEHOTOVO" not in html
    assert "Open day" in html and "Come in" in html
    assert set(HREFLANG.findall(html)) == {"en"}


@pytest.mark.parametrize("kind", ["news", "event"])
def test_a_contacts_unready_role_is_not_shown_on_the_pages_naming_it(site_client, country, kind):
    """The page hid its own unready languages, not those of the contact it shows: the
    held-back Czech role was shown, marked as English."""
    from cms.events.models import EventPage
    from cms.partners.models import ContactPerson

    contact = ContactPerson.objects.create(
        name="Jana",
        slug="jana-unready",
        country=country("CZ"),
        ready_languages=[],
        **translated("role", {"en": "Spokesperson", "cs": "Mluvčí NEHOTOVO"}),
    )
    if kind == "news":
        from tests.api.conftest import published_news

        page = published_news(country("CZ"), title={"en": "Day", "cs": "Den"}, contact=contact)
    else:
        page = EventPage.objects.live().descendant_of(country("CZ").site.root_page).first()
        page.contact = contact
        page.save_revision().publish()
    html = site_client("CZ").get(path_of(page, "cs")).content.decode()
    assert "NEHOTOVO" not in html
    assert '<span class="meta" lang="en">Spokesperson</span>' in html


def test_the_listing_does_not_leak_unready_titles(site_client, unready_czech):
    html = site_client("CZ").get(path_of(unready_czech.get_parent(), "cs")).content.decode()
    assert "NEHOTOVO" not in html


def test_search_documents_skip_unready_languages(unready_czech):
    documents = {doc.language: doc for doc in documents_for(unready_czech)}
    assert documents["cs"].served_language == "en"
    assert "NEHOTOVO" not in documents["cs"].display_title + documents["cs"].display_text


def test_the_api_reports_the_fallback_for_an_unready_language(client, unready_czech):
    item = client.get(f"/api/v3/pages/{unready_czech.pk}/?lang=cs", HTTP_HOST="cz.localhost").json()
    assert item["title"] == "Open day"
    assert item["_fallback"]["title"] == "en" and item["_fallback"]["lead"] == "en"
    assert item["meta"]["languages"] == ["en"]
    everything = client.get(
        f"/api/v3/pages/{unready_czech.pk}/?lang=all", HTTP_HOST="cz.localhost"
    ).json()
    assert everything["title"]["cs"] is None


def test_marking_ready_publishes_the_translation(site_client, client, unready_czech):
    unready_czech.ready_languages = ["cs"]
    unready_czech.save_revision().publish()
    html = site_client("CZ").get(path_of(unready_czech, "cs")).content.decode()
    assert "Den otevřených dveří NEHOTOVO" in html
    assert set(HREFLANG.findall(html)) == {"cs", "en"}


def test_an_unready_cluster_profile_redirects_to_the_fallback(site_client, country):
    cluster(country("CZ"), "unready-profile", {"en": "Wood cluster", "cs": "Dřevo NEHOTOVO"})
    response = site_client("CZ").get("/cs/klastry/unready-profile/")
    assert response.status_code == 302
    html = site_client("CZ").get(response["Location"]).content.decode()
    assert "NEHOTOVO" not in html and "Wood cluster" in html


# --- listings ---------------------------------------------------------------------


def test_the_snippet_listing_has_the_column_and_the_filter(client, country):
    client.force_login(network_admin())
    cluster(country("CZ"), "ts-complete", {"en": "Alpha ts", "cs": "Alfa ts"}, ready=["cs"])
    cluster(country("CZ"), "ts-missing", {"en": "Beta ts"})
    html = client.get("/admin/snippets/clusters/clusterprofile/").content.decode()
    assert "Translations" in html
    missing = client.get("/admin/snippets/clusters/clusterprofile/?translation=missing:cs")
    assert "Beta ts" in missing.content.decode() and "Alpha ts" not in missing.content.decode()
    cluster(country("CZ"), "ts-unready", {"en": "Gamma ts", "cs": "Gama ts"})
    unready = client.get("/admin/snippets/clusters/clusterprofile/?translation=complete:cs")
    html = unready.content.decode()
    assert "Gamma ts" in html and "Beta ts" not in html and "Alpha ts" not in html


# --- the report ---------------------------------------------------------------------


def test_the_report_counts_match_the_content(country):
    sk = country("SK")
    before = {row["code"]: row for row in build_report(sk).counts()}
    news_page(sk, title={"en": "A", "sk": "A sk"}, lead={"en": "L", "sk": "L sk"})  # ready
    news_page(
        sk, title={"en": "B", "sk": "B sk"}, lead={"en": "L", "sk": "L"}, ready_languages=[]
    )  # complete, not ready
    news_page(sk, title={"en": "C", "sk": "C sk"}, lead={"en": "L"})  # partial
    news_page(sk, title={"en": "D"}, lead={"en": "L"})  # missing
    after = {row["code"]: row for row in build_report(sk).counts()}
    states = ("ready", "complete", "partial", "missing")
    delta = {state: after["sk"][state] - before["sk"][state] for state in states}
    assert delta == {"ready": 1, "complete": 1, "partial": 1, "missing": 1}
    assert after["en"]["ready"] - before["en"]["ready"] == 4


def test_editors_see_only_their_own_country(client, country):
    client.force_login(country_user("CZ"))
    response = client.get("/admin/translation-status/")
    assert response.status_code == 200
    assert response.context["country"].code == "CZ"
    assert [c.code for c in response.context["countries"]] == ["CZ"]
    assert client.get("/admin/translation-status/?country=IT").status_code == 404


def test_the_report_links_to_a_working_listing_of_every_type_editors_translate(client, country):
    """The links were a list of their own: a type added to the translation listings
    (``translated_page_types``) or served as a translated snippet was counted, not linked."""
    client.force_login(country_user("CZ"))
    links = client.get("/admin/translation-status/").context["listings"]
    addresses = [address for _name, address in links]
    assert "/admin/translations-newspage/" in addresses
    assert "/admin/snippets/partners/contactperson/" in addresses
    assert len(links) == 6  # news, events, standard pages; clusters, partners, contacts
    for address in addresses:
        assert client.get(address, {"translation": "missing:cs"}).status_code == 200, address


def test_network_admins_see_every_country(client, country):
    client.force_login(network_admin())
    assert client.get("/admin/translation-status/?country=IT").status_code == 200


def test_the_csv_lists_the_items_to_translate(client, country):
    client.force_login(country_user("CZ"))
    news_page(country("CZ"), title={"en": "Needs Czech"}, lead={"en": "Lead"})
    response = client.get("/admin/translation-status/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    (row,) = [r for r in rows if r["title"] == "Needs Czech"]
    assert row["country"] == "CZ" and row["cs"] == "missing" and row["en"] == "ready"
    assert row["edit_url"].startswith("/admin/pages/")


def test_page_listings_have_the_column_and_the_filter(client, country):
    client.force_login(country_user("CZ", "moderators"))
    done = news_page(country("CZ"), title={"en": "Done ts", "cs": "Hotovo ts"})
    todo = news_page(country("CZ"), title={"en": "Todo ts"})
    news_page(country("IT"), title={"en": "Italian ts"})
    listing = client.get("/admin/translations-newspage/?translation=missing:cs").content.decode()
    assert "Todo ts" in listing and "Done ts" not in listing and "Italian ts" not in listing
    explorer = client.get(f"/admin/pages/{todo.get_parent().pk}/").content.decode()
    with translation.override("cs"):  # the moderator's admin is in Czech
        column = gettext("Translations")
    assert column != "Translations"
    assert column in explorer and "Hotovo ts" in explorer  # its Czech title, for a Czech admin
    edit = client.get(f"/admin/pages/{done.pk}/edit/").content.decode()
    assert 'name="ready_languages"' in edit


def test_the_report_names_an_item_without_the_admin_language(country):
    """A Polish-only item in the English admin: its row (and its CSV line) had no title."""
    pl = country("PL")
    page = news_page(pl, title={"en": "Only Polish", "pl": "Tylko po polsku"})
    page.title_en = ""
    page.save()
    with translation.override("en"):
        titles = [row.title for row in build_report(pl).items]
    assert "Tylko po polsku" in titles
