"""Imprint, privacy and accessibility statement: declared once in sites/legal.toml,
a standard page on every site, naming that site's partner and contact."""

import pytest
from django.conf import settings

from cms.core.models import Country
from cms.core.services import sync_network
from cms.core.site_files import SiteFileError, load_network
from cms.core.translation_status import available_languages
from cms.home.models import StandardPage
from tests.factories import path_of

LEGAL = ("imprint", "privacy", "accessibility")


def legal_pages(country) -> dict[str, StandardPage]:
    pages = StandardPage.objects.child_of(country.home_page).filter(slug_en__in=LEGAL)
    return {page.slug_en: page for page in pages}


def test_every_site_has_the_three_pages_out_of_the_menu(db):
    for country in Country.objects.all():
        pages = legal_pages(country)
        assert sorted(pages) == sorted(LEGAL), country.code
        for page in pages.values():
            assert page.live and not page.show_in_menus
            assert available_languages(page, country.languages) == list(country.languages)


def test_texts_name_the_sites_own_partner_in_its_language(db, site_client):
    german = legal_pages(Country.objects.get(code="DE"))["imprint"]
    assert path_of(german, "de") == "/de/impressum/"
    html = site_client("DE").get("/de/impressum/").content.decode()
    assert "Herausgeber: Clusterentwicklungsagentur Sachsen, Dresden." in html
    assert "Kontakt: Jonas Weber, de@clustercord.eu." in html


def test_the_hub_names_the_lead_partner(db, site_client):
    html = site_client("INT").get("/en/privacy/").content.decode()
    assert "Mgr. Petra Mašková, info@rrauk.cz" in html


def test_a_second_sync_publishes_nothing(db):
    report = sync_network(load_network(settings.SITES_DIR))
    assert not report.updated["legal pages"]
    assert not report.created["legal pages"]


def test_a_changed_contact_reaches_the_pages(db, sites_dir):
    path = sites_dir / "cz.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("info@rrauk.cz", "klastry@rrauk.cz"),
        encoding="utf-8",
    )
    report = sync_network(load_network(sites_dir))
    # The Czech site's three, and the hub's, which name the lead partner (the Czech one).
    assert report.updated["legal pages"] == 6
    privacy = legal_pages(Country.objects.get(code="CZ"))["privacy"]
    assert "klastry@rrauk.cz" in str(privacy.body_cs)
    assert "klastry@rrauk.cz" in str(
        legal_pages(Country.objects.get(code="INT"))["privacy"].body_en
    )


def test_an_unknown_placeholder_names_the_file_and_field(sites_dir):
    path = sites_dir / "legal.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Publisher: {partner}", "Publisher: {publisher}"), "utf-8")
    with pytest.raises(SiteFileError) as error:
        load_network(sites_dir)
    assert str(error.value).startswith("legal.toml: imprint.body.en[0]: unknown placeholder")
