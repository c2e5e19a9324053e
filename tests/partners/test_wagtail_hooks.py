"""The partner snippets' admin listings: searching them works for everyone."""

import pytest

from cms.core.models import Country
from cms.partners.models import ContactPerson, PartnerOrganisation
from tests.factories import country_user, network_admin


@pytest.fixture
def partners(db):
    czechia = Country.objects.get(code="CZ")
    return {
        "own": PartnerOrganisation.objects.create(
            name_en="Ústecký klastr partner",
            name_cs="Ústecký klastr",
            slug="ustecky",
            country=czechia,
        ),
        "other": PartnerOrganisation.objects.create(
            name_en="Alpine partner", slug="alpine", country=Country.objects.get(code="AT")
        ),
    }


@pytest.mark.parametrize("query", ["a", "Ústecký", "klastr"])
def test_a_national_editor_searches_partner_organisations(client, partners, query):
    client.force_login(country_user("CZ"))
    response = client.get("/admin/snippets/partners/partnerorganisation/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ústecký klastr" in body
    assert "Alpine partner" not in body


def test_a_network_administrator_searches_partner_organisations(client, partners):
    client.force_login(network_admin())
    response = client.get("/admin/snippets/partners/partnerorganisation/", {"q": "alpine"})
    assert response.status_code == 200
    assert "Alpine partner" in response.content.decode()
    assert "Ústecký" not in response.content.decode()


def test_contact_people_are_searchable(client, db):
    czechia = Country.objects.get(code="CZ")
    ContactPerson.objects.create(name="Jana Nováková", slug="jana", country=czechia)
    client.force_login(country_user("CZ"))
    response = client.get("/admin/snippets/partners/contactperson/", {"q": "Nová"})
    assert response.status_code == 200
    assert "Jana Nováková" in response.content.decode()


def export(client, path: str) -> str:
    response = client.get(path, {"export": "csv"})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_csv_downloads_hold_the_editors_own_countrys_rows(client, partners):
    """Without ``list_export`` Wagtail wrote one empty line per row."""
    ContactPerson.objects.create(name="Jana Nováková", slug="jana", country=partners["own"].country)
    client.force_login(country_user("CZ"))
    organisations = export(client, "/admin/snippets/partners/partnerorganisation/")
    assert "ustecky" in organisations and "alpine" not in organisations
    contacts = export(client, "/admin/snippets/partners/contactperson/")
    assert "Jana Nováková" in contacts
    assert "kontakt-at" not in contacts  # Austria's, from sites/at.toml
    client.force_login(network_admin())
    assert "ict" in export(client, "/admin/snippets/core/sector/").splitlines()[4]
