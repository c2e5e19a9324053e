"""The site command builds every country and is idempotent."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageLogEntry,
    Revision,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.clusters.models import ClusterDirectoryPage
from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country, Sector
from cms.core.services import sync_network
from cms.core.site_files import load_network
from cms.events.models import EventIndexPage
from cms.home.models import CountryHomePage
from cms.news.models import NewsIndexPage
from cms.partners.models import ContactPerson, PartnerOrganisation
from cms.search.models import SearchDocument


def snapshot():
    """Everything the command writes, in comparable form."""
    return {
        "countries": list(Country.objects.values()),
        "sites": list(Site.objects.values()),
        "pages": list(Page.objects.values("pk", "path", "title_en", "title_cs", "live")),
        "revisions": Revision.objects.count(),
        "log entries": PageLogEntry.objects.count(),
        "groups": list(Group.objects.values_list("name", flat=True).order_by("name")),
        "group permissions": sorted(Group.objects.values_list("name", "permissions__codename")),
        "page permissions": GroupPagePermission.objects.count(),
        "collection permissions": sorted(
            GroupCollectionPermission.objects.values_list(
                "group__name", "collection__name", "permission__codename"
            )
        ),
        "workflows": list(Workflow.objects.values().order_by("pk")),
        "workflow steps": list(WorkflowTask.objects.values().order_by("pk")),
        "workflow pages": list(WorkflowPage.objects.values().order_by("pk")),
        "approval tasks": sorted(
            GroupApprovalTask.objects.values_list("name", "active", "groups__name")
        ),
        "sectors": list(Sector.objects.values()),
        "partners": list(PartnerOrganisation.objects.values()),
        "contacts": list(ContactPerson.objects.values()),
    }


def test_running_twice_changes_nothing(db, settings):
    before = snapshot()
    report = sync_network(load_network(settings.SITES_DIR))
    assert not report.changed, report.summary()
    assert snapshot() == before


def test_command_says_nothing_changed_on_a_second_run(db, capsys):
    call_command("sync_sites")
    assert "nothing to change" in capsys.readouterr().out


def test_a_changed_file_updates_in_place(db, settings, tmp_path):
    import shutil

    target = tmp_path / "sites"
    shutil.copytree(settings.SITES_DIR, target, ignore=shutil.ignore_patterns("seed"))
    path = target / "cz.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("port = 80", "port = 8080"), encoding="utf-8"
    )
    pages_before = Page.objects.count()
    report = sync_network(load_network(target))
    assert report.updated["sites"] == 1
    assert Site.objects.get(country__code="CZ").port == 8080
    assert Page.objects.count() == pages_before


def test_every_country_has_a_site_home_sections_and_groups(db):
    countries = Country.objects.all()
    assert sorted(c.code for c in countries) == ["AT", "CZ", "DE", "INT", "IT", "PL", "SI", "SK"]
    for country in countries:
        home = CountryHomePage.objects.get(country=country)
        assert country.site.root_page_id == home.pk
        assert not country.site.is_default_site
        for model in (NewsIndexPage, EventIndexPage, ClusterDirectoryPage):
            assert model.objects.child_of(home).live().count() == 1
        for group in (country.editors_group, country.moderators_group):
            assert GroupPagePermission.objects.filter(group=group, page=home).exists()
            assert group.permissions.filter(codename="access_admin").exists()
    assert not Site.objects.filter(is_default_site=True).exists()


def test_austria_publishes_in_german(db):
    austria = Country.objects.get(code="AT")
    assert austria.default_language == "de"
    assert austria.languages == ["de", "en"]


def test_sectors_are_named_in_every_language(db):
    food = Sector.objects.get(slug="food")
    assert (food.name_en, food.name_cs, food.name_de) == ("Food", "Potravinářství", "Lebensmittel")
    for sector in Sector.objects.all():
        for code in ("en", "cs", "de", "it", "pl", "sk", "sl"):
            assert getattr(sector, f"name_{code}"), (sector.slug, code)


def test_network_administrators_keep_every_snippet_and_the_sectors(db):
    from cms.core.groups import snippet_permissions
    from cms.core.permissions import NETWORK_ADMINISTRATORS

    group = Group.objects.get(name=NETWORK_ADMINISTRATORS)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "access_admin" in codenames
    for _app, model, actions in snippet_permissions(network=True):
        assert {f"{action}_{model}" for action in actions} <= codenames
    assert {"add_sector", "change_sector", "delete_sector"} <= codenames
    assert not GroupPagePermission.objects.filter(group=group).exists()
    cz = Country.objects.get(code="CZ")
    assert not cz.editors_group.permissions.filter(codename="change_sector").exists()


def test_the_groups_cover_every_snippet_type_the_network_serves(db):
    """Declared once: the served snippet types (``Representations``) are what the groups
    get, a country's own types fully and the shared ones read-only, as the lists written
    by hand said (profiles, partners, contacts; sectors)."""
    from cms.core.groups import EVERY_ACTION, snippet_permissions
    from cms.projections.representations import representations

    served = {
        (rep.model._meta.app_label, rep.model._meta.model_name)
        for rep in representations().snippets
    }
    assert {(app, model) for app, model, _ in snippet_permissions()} == served
    assert dict(((app, model), actions) for app, model, actions in snippet_permissions()) == {
        ("clusters", "clusterprofile"): EVERY_ACTION,
        ("partners", "partnerorganisation"): EVERY_ACTION,
        ("partners", "contactperson"): EVERY_ACTION,
        ("core", "sector"): ("view",),
    }
    editors = set(
        Country.objects.get(code="CZ").editors_group.permissions.values_list("codename", flat=True)
    )
    assert {"add_contactperson", "delete_clusterprofile", "view_sector"} <= editors


def test_only_moderators_may_publish(db):
    cz = Country.objects.get(code="CZ")
    codenames = lambda group: set(  # noqa: E731
        GroupPagePermission.objects.filter(group=group).values_list(
            "permission__codename", flat=True
        )
    )
    assert "publish_page" not in codenames(cz.editors_group)
    assert "publish_page" in codenames(cz.moderators_group)


def test_wagtail_default_groups_have_no_rights_over_the_tree(db):
    from wagtail.models import GroupCollectionPermission

    for name in ("Editors", "Moderators"):
        assert not GroupPagePermission.objects.filter(group__name=name).exists()
        assert not GroupCollectionPermission.objects.filter(group__name=name).exists()


def test_the_pages_a_sync_adds_are_published_as_an_editor_publishes(db):
    """Home, section and legal pages were added live without a publication: no revision,
    no first publication date (``first_published_at`` null in the API), no "published"
    in their history, and no search documents, so visitors' search did not find the
    imprint, privacy or accessibility page until a rebuild. Now the index a rebuild
    makes is the one the sync left."""
    home = Country.objects.get(code="CZ").home_page
    imprint = Page.objects.child_of(home).get(slug_en="imprint")
    for page in (home, Page.objects.child_of(home).get(slug_en="news"), imprint):
        assert page.live_revision is not None, page
        assert page.first_published_at is not None, page
        assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists(), page
    documents = SearchDocument.objects.filter(object_id=imprint.pk)
    assert set(documents.values_list("language", flat=True)) == set(LANGUAGE_CODES)
    out = StringIO()
    call_command("rebuild_search_documents", stdout=out)
    assert "(0 changed, 0 stale removed)" in out.getvalue()


def test_a_port_given_serves_every_site_on_it_then_the_files_again(db, capsys):
    """``make run PORT=8101``: links from the hub to a country's pages carry the port."""
    call_command("sync_sites", "--port", "8101")
    assert set(Site.objects.values_list("port", flat=True)) == {8101}
    call_command("sync_sites")
    assert set(Site.objects.values_list("port", flat=True)) == {80}
    with pytest.raises(CommandError):
        call_command("sync_sites", "--port", "70000")
