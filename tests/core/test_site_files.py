"""Malformed site files are rejected with the file and field named, before any write."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Site

from cms.core.models import Country
from cms.core.site_files import SiteFileError, load_network


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_files_are_valid():
    network = load_network(settings.SITES_DIR)
    assert {site.code for site in network.sites} == {
        "CZ",
        "IT",
        "DE",
        "PL",
        "AT",
        "SK",
        "SI",
        "INT",
    }
    assert [sector.slug for sector in network.sectors] == [
        "food",
        "energy-environment",
        "tourism",
        "ict",
        "manufacturing",
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("cz.toml", 'code = "CZ"\n', "", "code"),
        ("cz.toml", 'languages = ["cs", "en"]', 'languages = ["cs", "xx"]', "languages"),
        ("cz.toml", 'default_language = "cs"', 'default_language = "de"', "default_language"),
        ("cz.toml", 'hostname = "cz.localhost"', 'hostname = "not a host"', "hostname"),
        ("it.toml", 'hostname = "it.localhost"', 'hostname = "cz.localhost"', "hostname"),
        ("cz.toml", "port = 80", "port = 99999", "port"),
        ("cz.toml", 'en = "Czech Republic"\n', "", "name.en"),
        ("cz.toml", 'slug = "rra-usteckeho-kraje"', 'slug = "RRA ÚK"', "partner.slug"),
        ("cz.toml", 'code = "CZ"', 'code = "CZ', "(syntax)"),
        ("sectors.toml", 'slug = "food"', 'slug = "Food & drink"', "sector[0].slug"),
        # A misspelt key was read as no value, and the sync emptied the stored one.
        ("cz.toml", "website = ", "websit = ", "partner.websit"),
        ("cz.toml", "email = ", "emial = ", "contact.emial"),
        ("cz.toml", "[home.intro]", "[home.intor]", "home.intor"),
        ("cz.toml", "sort_order = ", "sortorder = ", "sortorder"),
        # A slug used twice: one country's contact written over by the other's, each sync.
        ("sk.toml", 'slug = "kontakt-sk"', 'slug = "kontakt-at"', "contact.slug"),
        ("sectors.toml", 'slug = "tourism"', 'slug = "food"', "sector[2].slug"),
        # Longer than the database keeps (SQLite stored it; the admin could not save it).
        (
            "sk.toml",
            'short_name = "Partner SK"',
            f'short_name = "{"x" * 51}"',
            "partner.short_name",
        ),
    ],
)
def test_errors_name_the_file_and_field(sites_dir, file, old, new, field):
    edit(sites_dir / file, old, new)
    with pytest.raises(SiteFileError) as error:
        load_network(sites_dir)
    assert error.value.path.name == file
    assert error.value.field_name == field
    assert str(error.value).startswith(f"{file}: {field}")


def test_command_reports_the_error_and_writes_nothing(db, sites_dir):
    edit(sites_dir / "si.toml", 'default_language = "sl"', 'default_language = "xx"')
    before = (Country.objects.count(), Site.objects.count())
    Country.objects.filter(code="SI").update(default_language="sl")
    with pytest.raises(CommandError, match=r"si\.toml: default_language"):
        call_command("sync_sites", dir=sites_dir)
    assert (Country.objects.count(), Site.objects.count()) == before


def test_a_new_country_file_with_a_late_error_creates_nothing(db, sites_dir):
    (sites_dir / "hr.toml").write_text(
        'code = "HR"\nhostname = "hr.localhost"\nlanguages = ["en"]\ndefault_language = "en"\n'
        '[name]\nen = "Croatia"\n[home.title]\nen = "Clusters Cord Croatia"\n'
        '[contact]\nslug = "kontakt-hr"\nname = "Ivana"\nemail = "not-an-email"\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"hr\.toml: contact\.email"):
        call_command("sync_sites", dir=sites_dir)
    assert not Country.objects.filter(code="HR").exists()
    assert not Site.objects.filter(hostname="hr.localhost").exists()


def test_check_mode_validates_without_writing(db, sites_dir, capsys):
    call_command("sync_sites", dir=sites_dir, check=True)
    assert "8 site files are valid" in capsys.readouterr().out


def counts():
    """What a sync writes, counted: a refused sync leaves every count as it was."""
    return (
        Country.objects.count(),
        Site.objects.count(),
        Page.objects.count(),
        Revision.objects.count(),
    )


def test_a_changed_code_whose_address_another_country_holds_is_refused(db, sites_dir):
    """``CZ`` renamed ``CZE`` is a new country asking for the address CZ's site holds: the
    files alone are valid, the database would refuse the site halfway (IntegrityError)."""
    edit(sites_dir / "cz.toml", 'code = "CZ"', 'code = "CZE"')
    expected = (
        r"^Invalid site file cz\.toml: hostname: 'cz\.localhost' \(port 80\) is country CZ's "
        r"address, and no site file defines CZ any more \(code 'CZE' here makes a new country\)"
    )
    before = counts()
    with pytest.raises(CommandError, match=expected):
        call_command("sync_sites", dir=sites_dir, check=True)
    with pytest.raises(CommandError, match=expected):
        call_command("sync_sites", dir=sites_dir)
    assert counts() == before
    assert not Country.objects.filter(code="CZE").exists()


def test_a_legal_page_slug_that_a_section_has_is_refused(db, sites_dir):
    """Siblings below every home page: the imprint at ``news`` clashes with the news section
    (Wagtail's ValidationError in the middle of the sync)."""
    edit(sites_dir / "legal.toml", 'en = "imprint"', 'en = "news"')
    with pytest.raises(SiteFileError) as error:
        load_network(sites_dir)
    assert str(error.value) == (
        "legal.toml: imprint.slug.en: 'news' is also the slug of sections.toml: news: "
        "both are pages below the home page of at.toml (in en)"
    )
    with pytest.raises(CommandError, match=r"legal\.toml: imprint\.slug\.en: .*sections\.toml"):
        call_command("sync_sites", dir=sites_dir, check=True)


def test_a_slug_that_clashes_through_a_fallback_is_named_by_the_field_it_falls_back_to(
    sites_dir,
):
    """Without a Slovak slug, the Slovak site's imprint is at its English one (the site
    stores no Czech, the next in Slovak's chain), which the news section has in Slovak."""
    edit(sites_dir / "legal.toml", 'sk = "impresum"\n', "")
    edit(sites_dir / "legal.toml", 'en = "imprint"', 'en = "aktuality"')
    with pytest.raises(SiteFileError) as error:
        load_network(sites_dir)
    assert str(error.value) == (
        "legal.toml: imprint.slug.en: 'aktuality' is also the slug of sections.toml: news: "
        "both are pages below the home page of sk.toml (in sk)"
    )


def test_a_second_hub_is_refused_naming_both_files(db, sites_dir):
    """A hub shows every country's content: cz.localhost would serve the whole network."""
    edit(sites_dir / "cz.toml", "sort_order = 1", "sort_order = 1\nis_hub = true")
    with pytest.raises(CommandError) as error:
        call_command("sync_sites", dir=sites_dir, check=True)
    assert str(error.value) == (
        "Invalid site file int.toml: is_hub: cz.toml declares the hub too; the network has one"
    )
    with pytest.raises(CommandError, match=r"int\.toml: is_hub: cz\.toml"):
        call_command("sync_sites", dir=sites_dir)
    assert not Country.objects.get(code="CZ").is_hub


def test_the_sync_names_the_file_for_what_the_database_refuses(db, sites_dir, monkeypatch):
    """Defence in depth: with the checks before it missed, the site's IntegrityError is
    still a message naming the file and field, and the sync's transaction is rolled back."""
    from cms.core import services

    monkeypatch.setattr(services, "check_against_database", lambda network: None)
    edit(sites_dir / "cz.toml", 'code = "CZ"', 'code = "CZE"')
    before = counts()
    with pytest.raises(
        CommandError,
        match=r"^Invalid site file cz\.toml: hostname: the database refused it: .*"
        r"\(nothing was synced\)$",
    ):
        call_command("sync_sites", dir=sites_dir)
    assert counts() == before
    assert not Country.objects.filter(code="CZE").exists()


def test_the_sync_names_the_file_for_what_a_page_refuses(db, sites_dir):
    """A renamed imprint (found again by its English slug) is a new page whose other
    slugs the old one still holds: no check of the files sees that, the page's own
    validation does, and the sync names legal.toml's field for it."""
    edit(sites_dir / "legal.toml", 'en = "imprint"', 'en = "legal-notice"')
    before = counts()
    with pytest.raises(
        CommandError,
        match=r"^Invalid site file legal\.toml: imprint\.slug\.de: This slug is already in use",
    ):
        call_command("sync_sites", dir=sites_dir)
    assert counts() == before
