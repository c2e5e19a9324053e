"""A deploy runs ``sync_sites``: it writes what the site files changed, and leaves what
editors changed in the admin since (``cms.core.upserts``, written three-way)."""

from pathlib import Path

import pytest
from django.conf import settings

from cms.core.models import Country, Sector, SyncedValues
from cms.core.services import sync_network
from cms.core.site_files import SiteFileError, load_network
from cms.home.models import CountryHomePage, StandardPage
from cms.partners.models import ContactPerson


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def sync(directory=None):
    return sync_network(load_network(directory or settings.SITES_DIR))


def test_a_sector_renamed_in_the_admin_keeps_its_name(db, sites_dir):
    Sector.objects.filter(slug="tourism").update(name_cs="Cestovní ruch")
    report = sync()
    assert not report.changed, report.summary()
    assert Sector.objects.get(slug="tourism").name_cs == "Cestovní ruch"
    # What a file changes is still written: another sector, and then this one's name too.
    edit_file(sites_dir / "sectors.toml", 'cs = "Potravinářství"', 'cs = "Potraviny"')
    assert sync(sites_dir).updated["sectors"] == 1
    assert Sector.objects.get(slug="food").name_cs == "Potraviny"
    assert Sector.objects.get(slug="tourism").name_cs == "Cestovní ruch"
    edit_file(sites_dir / "sectors.toml", 'cs = "Turismus"', 'cs = "Turistika"')
    sync(sites_dir)
    assert Sector.objects.get(slug="tourism").name_cs == "Turistika"


def test_a_contact_edited_or_deleted_in_the_admin_stays_so(db):
    contact = ContactPerson.objects.get(slug="petra-maskova")
    contact.phone = "+420 475 000 000"
    contact.save()
    ContactPerson.objects.filter(country__code="SK").delete()
    report = sync()
    assert ContactPerson.objects.get(slug="petra-maskova").phone == "+420 475 000 000"
    assert not ContactPerson.objects.filter(country__code="SK").exists()
    assert report.left_deleted["contact people"] == 1
    assert "did not make again 1 contact people deleted in the admin" in report.summary()


def test_a_deleted_sector_is_not_made_again_under_a_new_id(db):
    Sector.objects.filter(slug="manufacturing").delete()
    report = sync()
    assert not Sector.objects.filter(slug="manufacturing").exists()
    assert report.left_deleted["sectors"] == 1 and not report.created["sectors"]


def test_a_home_pages_intro_and_an_imprint_edited_by_an_editor_stay(db):
    home = CountryHomePage.objects.get(country__code="CZ")
    home.intro_cs = "Úvod, který napsala redakce."
    home.save_revision().publish()
    imprint = StandardPage.objects.child_of(home).get(slug_en="imprint")
    imprint.lead_cs = "Tiráž podle redakce."
    imprint.save_revision().publish()
    report = sync()
    assert not report.updated["home pages"] and not report.updated["legal pages"]
    assert CountryHomePage.objects.get(pk=home.pk).intro_cs == "Úvod, který napsala redakce."
    assert StandardPage.objects.get(pk=imprint.pk).lead_cs == "Tiráž podle redakce."


def test_a_database_synced_before_records_were_kept_takes_the_files_changes(db, sites_dir):
    """Without records every value was taken as written: the file changes an upgrade's
    deploy brought were dropped, for good."""
    SyncedValues.objects.all().delete()
    edit_file(sites_dir / "cz.toml", "info@rrauk.cz", "klastry@rrauk.cz")
    report = sync(sites_dir)
    assert ContactPerson.objects.get(slug="petra-maskova").email == "klastry@rrauk.cz"
    assert report.updated["contact people"] == 1 and report.updated["legal pages"] == 6
    assert not sync(sites_dir).changed


def test_a_page_with_a_draft_or_unpublished_is_held_back_not_overwritten(db, sites_dir):
    home = CountryHomePage.objects.get(country__code="CZ")
    home.intro_cs = "Rozepsaný úvod"
    home.save_revision()  # a draft, not published
    privacy = StandardPage.objects.child_of(home).get(slug_en="privacy")
    privacy.unpublish()
    edit_file(sites_dir / "cz.toml", 'en = "Clusters Cord Czech Republic"', 'en = "CZ network"')
    edit_file(sites_dir / "cz.toml", "info@rrauk.cz", "klastry@rrauk.cz")
    report = sync(sites_dir)
    assert report.held_back["home pages"] == 1 and report.held_back["legal pages"] == 1
    assert "held back 1 home pages" in report.summary()
    home = CountryHomePage.objects.get(pk=home.pk)
    assert home.has_unpublished_changes
    assert home.get_latest_revision_as_object().intro_cs == "Rozepsaný úvod"
    assert not StandardPage.objects.get(pk=privacy.pk).live
    # Once the draft is published, the next sync writes the file's change.
    home.get_latest_revision().publish()
    sync(sites_dir)
    assert CountryHomePage.objects.get(pk=home.pk).title_en == "CZ network"


def test_a_contact_of_another_country_made_in_the_admin_is_not_taken_over(db, sites_dir):
    ContactPerson.objects.create(
        name="CZ reception", slug="office", country=Country.objects.get(code="CZ")
    )
    edit_file(sites_dir / "de.toml", 'slug = "kontakt-de"', 'slug = "office"')
    with pytest.raises(SiteFileError, match=r"de.toml: contact.slug: 'office' is the slug"):
        sync(sites_dir)
    assert ContactPerson.objects.get(slug="office").name == "CZ reception"


def test_a_translation_held_back_in_the_admin_stays_held_back(db, sites_dir):
    """A file's change to another field ticked every complete language: the Czech role an
    editor wrote and held back was published by the next deploy."""
    contact = ContactPerson.objects.get(slug="kontakt-sk")
    contact.role_cs = "Koncept role"
    contact.ready_languages = ["sk"]  # Czech complete, held back
    contact.save()
    edit_file(sites_dir / "sk.toml", 'email = "sk@', 'email = "kontakt@')
    report = sync(sites_dir)
    assert report.updated["contact people"] == 1
    contact = ContactPerson.objects.get(slug="kontakt-sk")
    assert contact.email.startswith("kontakt@") and contact.ready_languages == ["sk"]
