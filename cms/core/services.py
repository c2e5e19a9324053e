"""Writes that set up the network: countries, sites, groups, permissions.

``sync_network`` turns the validated definitions from ``site_files`` into
database rows. It is idempotent: each object is looked up by a stable key,
compared, and saved only when something differs, so a second run changes
nothing (and creates no page revisions).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html import escape

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.rich_text import RichText

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.models import Country, Sector
from cms.core.permissions import NETWORK_ADMINISTRATORS
from cms.core.site_files import (
    LegalPageDefinition,
    Network,
    SectionDefinition,
    SiteDefinition,
)
from cms.core.translation_status import mark_complete_ready
from cms.core.workflows import legacy_moderation_names, moderation_names

#: Page permissions per role, on the country's home page and everything below it.
#: Wagtail lets "change" delete leaf pages: editors only unpublished drafts (they
#: cannot publish, so cannot unpublish either), moderators published pages too.
PAGE_PERMISSIONS = {
    "editors": ("add_page", "change_page", "lock_page"),
    "moderators": ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}
#: Model permissions on the snippets a country keeps. ``CountryPermissionPolicy``
#: limits them to the group's own country; sectors are shared and read-only.
SNIPPET_PERMISSIONS = (
    ("clusters", "clusterprofile", ("add", "change", "delete", "view")),
    ("partners", "partnerorganisation", ("add", "change", "delete", "view")),
    ("partners", "contactperson", ("add", "change", "delete", "view")),
    ("core", "sector", ("view",)),
)
#: Network administrators keep every country's snippets and the shared taxonomy.
NETWORK_SNIPPET_PERMISSIONS = (
    ("clusters", "clusterprofile", ("add", "change", "delete", "view")),
    ("partners", "partnerorganisation", ("add", "change", "delete", "view")),
    ("partners", "contactperson", ("add", "change", "delete", "view")),
    ("core", "sector", ("add", "change", "delete", "view")),
)
COLLECTION_PERMISSIONS = (
    # Wagtail checks image permissions on its own Image model, even with a custom one.
    ("wagtailimages", "image", ("add", "change", "choose")),
    ("wagtaildocs", "document", ("add", "change", "choose")),
)
#: What every country's groups may do in the shared collection: pick, not change.
SHARED_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "image", ("choose",)),
    ("wagtaildocs", "document", ("choose",)),
)
#: The collection of images and documents that belong to no one country.
SHARED_COLLECTION = "Network – shared"


@dataclass
class SyncReport:
    """What a sync created and updated, per kind of object."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated)

    def summary(self) -> str:
        parts = [f"created {n} {kind}" for kind, n in sorted((+self.created).items())]
        parts += [f"updated {n} {kind}" for kind, n in sorted((+self.updated).items())]
        return ", ".join(parts) or "nothing to change"


def same_value(current, value) -> bool:
    """Equality that also understands a StreamField value against ``[(type, value), …]``."""
    if hasattr(current, "raw_data"):  # StreamValue: compare block types and rendered values
        return [(b.block_type, str(b.value)) for b in current] == [(k, str(v)) for k, v in value]
    return current == value


def assign(obj, values: dict) -> bool:
    """Set ``values`` on ``obj``; return True when any attribute really changed."""
    changed = False
    for name, value in values.items():
        if not same_value(getattr(obj, name, None), value):
            setattr(obj, name, value)
            changed = True
    return changed


def localized(field_name: str, texts: dict[str, str], languages=LANGUAGE_CODES) -> dict:
    """``{"title_cs": ..., "title_en": ...}`` for each language (blank where missing)."""
    return {build_localized_fieldname(field_name, code): texts.get(code, "") for code in languages}


def upsert(model, report: SyncReport, kind: str, lookup: dict, values: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup)
        assign(obj, values)
        mark_complete_ready(obj)
        obj.save()
        report.created[kind] += 1
    elif assign(obj, values) | mark_complete_ready(obj):
        obj.save()
        report.updated[kind] += 1
    return obj


@transaction.atomic
def sync_network(network: Network) -> SyncReport:
    """Create or update everything the site files describe, in one transaction."""
    from cms.core.languages import LANGUAGE_CODES

    report = SyncReport()
    with translation.override(COMMON_LANGUAGE):
        for sector_position, sector in enumerate(network.sectors):
            upsert(
                Sector,
                report,
                "sectors",
                {"slug": sector.slug},
                {**localized("name", sector.name, LANGUAGE_CODES), "sort_order": sector_position},
            )
        remove_wagtail_welcome_site(report)
        disarm_wagtail_default_groups(report)
        shared = sync_shared_collection(report)
        for definition in network.sites:
            home = sync_site(definition, network.sections, shared, report)
            publisher = publisher_of(definition, network)
            for legal_page in network.legal_pages:
                sync_legal_page(home, legal_page, definition.languages, publisher, report)
        sync_network_administrators(report)
    return report


#: Groups a fresh Wagtail install creates with rights over the whole page tree.
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")


def disarm_wagtail_default_groups(report: SyncReport) -> None:
    """Take the whole-tree page and collection rights from Wagtail's default groups.

    Otherwise adding a national editor to "Editors" would quietly bypass
    country isolation. The groups (and their members) stay; rights come from
    the per-country groups only.
    """
    groups = Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS)
    deleted, _ = GroupPagePermission.objects.filter(group__in=groups).delete()
    deleted_collections, _ = GroupCollectionPermission.objects.filter(group__in=groups).delete()
    if deleted or deleted_collections:
        report.updated["wagtail default groups disarmed"] += 1


def remove_wagtail_welcome_site(report: SyncReport) -> None:
    """Drop the "Welcome to Wagtail" page and default site a fresh install creates."""
    for site in Site.objects.filter(is_default_site=True, root_page__content_type__model="page"):
        page = site.root_page
        site.delete()
        if page.specific_class is Page and not page.get_children().exists():
            page.delete()
        report.updated["wagtail defaults removed"] += 1


def sync_site(
    definition: SiteDefinition,
    sections: dict[str, SectionDefinition],
    shared: Collection,
    report: SyncReport,
) -> None:
    from cms.core.languages import LANGUAGE_CODES

    country = upsert(
        Country,
        report,
        "countries",
        {"code": definition.code},
        {
            **localized("name", definition.name, LANGUAGE_CODES),
            "default_language": definition.default_language,
            "languages": list(definition.languages),
            "is_hub": definition.is_hub,
            "sort_order": definition.sort_order,
        },
    )
    home = sync_home_page(country, definition, report)
    for key, section in sections.items():
        sync_section(home, section, key, definition.languages, report)
    site = upsert(
        Site,
        report,
        "sites",
        {"root_page": home},
        {
            "hostname": definition.hostname,
            "port": definition.port,
            "site_name": definition.name.get(COMMON_LANGUAGE, definition.code),
            "is_default_site": False,
        },
    )
    if country.site_id != site.pk:
        country.site = site
        country.save(update_fields=["site"])
    collection = sync_collection(country, report)
    sync_groups(country, home, collection, shared, report)
    sync_workflow(country, home, report)
    sync_partner(country, definition, report)
    return home


def publish_changes(page: Page, values: dict, report: SyncReport, kind: str) -> None:
    if assign(page, values) | mark_complete_ready(page):  # the site files are reviewed text
        page.save_revision().publish()
        report.updated[kind] += 1


def sync_home_page(country: Country, definition: SiteDefinition, report: SyncReport):
    from cms.core.languages import LANGUAGE_CODES
    from cms.home.models import CountryHomePage

    values = {
        **localized("title", definition.home_title, LANGUAGE_CODES),
        **localized("intro", definition.home_intro, LANGUAGE_CODES),
    }
    home = CountryHomePage.objects.filter(country=country).first()
    if home is not None:
        publish_changes(home, values, report, "home pages")
        return home
    slug = definition.code.lower()
    home = CountryHomePage(country=country, slug=slug, title=definition.home_title[COMMON_LANGUAGE])
    assign(home, values)
    mark_complete_ready(home)
    assign(home, localized("slug", dict.fromkeys(LANGUAGE_CODES, slug), LANGUAGE_CODES))
    Page.get_first_root_node().add_child(instance=home)
    report.created["home pages"] += 1
    return home


def section_model(key: str):
    from cms.clusters.models import ClusterDirectoryPage
    from cms.events.models import EventIndexPage
    from cms.news.models import NewsIndexPage

    return {"news": NewsIndexPage, "events": EventIndexPage, "clusters": ClusterDirectoryPage}[key]


def sync_section(home, section: SectionDefinition, key: str, languages, report: SyncReport):
    model = section_model(key)
    # Titles and slugs in the site's languages and the common language; others fall back.
    shown = (*languages, COMMON_LANGUAGE)
    values = localized("title", section.title, shown)
    return place_child_page(
        home,
        model.objects.child_of(home).first(),
        model(
            title=section.title[COMMON_LANGUAGE],
            slug=section.slug[COMMON_LANGUAGE],
            show_in_menus=True,
        ),
        values=values,
        slugs=localized("slug", section.slug, shown),
        report=report,
        kind="section pages",
    )


def place_child_page(home, existing, new, *, values: dict, slugs: dict, report, kind: str):
    """``existing`` brought up to ``values`` (published only if they changed), or else
    ``new`` filled with them, its languages marked ready, added below ``home``."""
    if existing is not None:
        publish_changes(existing, values, report, kind)
        return existing
    assign(new, values)
    mark_complete_ready(new)
    assign(new, slugs)
    home.add_child(instance=new)
    report.created[kind] += 1
    return new


def publisher_of(definition: SiteDefinition, network: Network) -> SiteDefinition:
    """The site whose partner and contact a site's legal pages name: its own; the hub's
    (which has no partner of its own) name the lead partner's."""
    if definition.partner is not None:
        return definition
    lead = (site for site in network.sites if site.partner is not None and site.partner.lead)
    return next(lead, definition)


def legal_placeholders(publisher: SiteDefinition, language: str) -> dict[str, str]:
    """``{partner}``, ``{city}``, ``{contact}``, ``{email}``, ``{website}`` in ``language``."""
    partner, contact = publisher.partner, publisher.contact

    def pick(texts: dict[str, str]) -> str:
        return texts.get(language) or texts.get(COMMON_LANGUAGE, "")

    return {
        "partner": pick(partner.name) if partner else "",
        "city": pick(partner.city) if partner else "",
        "website": partner.website if partner else "",
        "contact": contact.name if contact else "",
        "email": contact.email if contact else "",
    }


def sync_legal_page(
    home,
    page: LegalPageDefinition,
    languages,
    publisher: SiteDefinition,
    report: SyncReport,
):
    """The site's imprint, privacy or accessibility page (``sites/legal.toml``).

    A standard page below the home page, left out of the menu (the footer
    links it), found again by its English slug. Texts name the publisher's
    partner and contact, so a change in a site file reaches the page on the
    next sync; an unchanged page is not published again.
    """
    from cms.home.models import StandardPage

    shown = tuple(dict.fromkeys((*languages, COMMON_LANGUAGE)))
    values = {**localized("title", page.title, shown)}
    for code in shown:
        placeholders = legal_placeholders(publisher, code)
        lead = page.lead.get(code, "")
        values[build_localized_fieldname("lead", code)] = lead.format_map(placeholders)
        values[build_localized_fieldname("body", code)] = [
            ("paragraph", RichText(f"<p>{escape(text.format_map(placeholders))}</p>"))
            for text in page.body.get(code, ())
        ]
    existing = StandardPage.objects.child_of(home).filter(slug_en=page.slug[COMMON_LANGUAGE])
    return place_child_page(
        home,
        existing.first(),
        StandardPage(
            title=page.title[COMMON_LANGUAGE], slug=page.slug[COMMON_LANGUAGE], show_in_menus=False
        ),
        values=values,
        slugs=localized("slug", page.slug, shown),
        report=report,
        kind="legal pages",
    )


def sync_collection(country: Country, report: SyncReport) -> Collection:
    """The country's collection of images and documents, linked from ``Country.collection``.

    A collection made before the link existed is found by its name ("CZ – …")
    and linked, so a second run creates nothing.
    """
    name = f"{country.code} – {country.name_en}"
    collection = country.collection or find_child_collection(f"{country.code} – ")
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=name)
        report.created["collections"] += 1
    elif collection.name != name:
        collection.name = name
        collection.save()
        report.updated["collections"] += 1
    if country.collection_id != collection.pk:
        country.collection = collection
        country.save(update_fields=["collection"])
        report.updated["country collections linked"] += 1
    return collection


def find_child_collection(prefix: str) -> Collection | None:
    """The top-level collection whose name starts with ``prefix``, if any."""
    for child in Collection.get_first_root_node().get_children():
        if child.name.startswith(prefix):
            return child
    return None


def sync_shared_collection(report: SyncReport) -> Collection:
    """The network's shared collection: images and documents every country may choose.

    Network administrators keep it (their rights on the root collection reach
    it); each country's groups get only ``choose`` on it (``sync_groups``), so
    the project's and the funding programme's marks can be used on every
    site but changed by none of them.
    """
    collection = find_child_collection(SHARED_COLLECTION)
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=SHARED_COLLECTION)
        report.created["collections"] += 1
    return collection


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_group(name: str, model_permissions, collection: Collection, report: SyncReport) -> Group:
    """The group ``name`` with admin access, ``model_permissions`` and image/document access."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        report.created["groups"] += 1
    wanted = {_permission("wagtailadmin", "access_admin")}
    for app_label, model, actions in model_permissions:
        wanted |= {_permission(app_label, f"{action}_{model}") for action in actions}
    missing = wanted - set(group.permissions.all())
    if missing:
        group.permissions.add(*missing)
        report.updated["group permissions"] += len(missing)
    grant_collection_permissions(group, collection, COLLECTION_PERMISSIONS, report)
    return group


def grant_collection_permissions(group, collection, permissions, report: SyncReport) -> None:
    """Give ``group`` each of ``permissions`` on ``collection`` (and so its descendants)."""
    for app_label, model, actions in permissions:
        for action in actions:
            _, created = GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(app_label, f"{action}_{model}"),
            )
            report.created["collection permissions"] += int(created)


def sync_network_administrators(report: SyncReport) -> None:
    """Network administrators: every country's snippets, the sectors, all images.

    They get no page permissions here; whoever runs the hub is added to the
    "INT" groups, and a country's pages stay with that country's groups.
    """
    sync_group(
        NETWORK_ADMINISTRATORS,
        NETWORK_SNIPPET_PERMISSIONS,
        Collection.get_first_root_node(),
        report,
    )


def sync_groups(
    country: Country, home, collection: Collection, shared: Collection, report: SyncReport
) -> None:
    page_type = ContentType.objects.get_for_model(Page)
    for role, page_codenames in PAGE_PERMISSIONS.items():
        group = sync_group(f"{country.code} {role}", SNIPPET_PERMISSIONS, collection, report)
        grant_collection_permissions(group, shared, SHARED_COLLECTION_PERMISSIONS, report)
        for codename in page_codenames:
            permission = Permission.objects.get(content_type=page_type, codename=codename)
            _, created = GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=permission
            )
            report.created["page permissions"] += int(created)
        field_name = f"{role}_group"
        if getattr(country, f"{field_name}_id") != group.pk:
            setattr(country, field_name, group)
            country.save(update_fields=[field_name])


def sync_workflow(country: Country, home, report: SyncReport) -> None:
    """The country's moderation: its editors submit, its moderators approve.

    Wagtail's own machinery: one ``Workflow`` with one ``GroupApprovalTask``
    for the country's moderators, assigned to the home page and so to the
    whole country tree (it overrides Wagtail's default workflow on the root).
    Both are named in the country's language (``cms.core.workflows``): Wagtail
    shows the names in its buttons. The workflow is the one assigned to the
    home page (else found by its name, or the English name it had before), its
    task the workflow's own, so a second run, or a renamed row, changes nothing.
    """
    workflow_name, task_name = moderation_names(country)
    old_workflow_name, old_task_name = legacy_moderation_names(country)
    assigned = WorkflowPage.objects.filter(page=home).select_related("workflow").first()
    workflow = (
        assigned.workflow
        if assigned is not None
        else Workflow.objects.filter(name__in=[workflow_name, old_workflow_name]).first()
    )
    if workflow is None:
        workflow = Workflow.objects.create(name=workflow_name, active=True)
        report.created["workflows"] += 1
    elif (workflow.name, workflow.active) != (workflow_name, True):
        workflow.name, workflow.active = workflow_name, True
        workflow.save(update_fields=["name", "active"])
        report.updated["workflows"] += 1
    task = (
        GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
        or GroupApprovalTask.objects.filter(name__in=[task_name, old_task_name]).first()
    )
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        report.created["workflow tasks"] += 1
    elif (task.name, task.active) != (task_name, True):
        task.name, task.active = task_name, True
        task.save(update_fields=["name", "active"])
        report.updated["workflow tasks"] += 1
    if set(task.groups.all()) != {country.moderators_group}:
        task.groups.set([country.moderators_group])
        report.updated["workflow task groups"] += 1
    if list(workflow.workflow_tasks.values_list("task", flat=True)) != [task.pk]:
        workflow.workflow_tasks.all().delete()
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        report.updated["workflow steps"] += 1
    upsert(WorkflowPage, report, "workflow pages", {"page": home}, {"workflow": workflow})


def sync_partner(country: Country, definition: SiteDefinition, report: SyncReport) -> None:
    from cms.core.languages import LANGUAGE_CODES
    from cms.partners.models import ContactPerson, PartnerOrganisation

    organisation = None
    partner = definition.partner
    if partner is not None:
        organisation = upsert(
            PartnerOrganisation,
            report,
            "partner organisations",
            {"slug": partner.slug},
            {
                **localized("name", partner.name, LANGUAGE_CODES),
                **localized("city", partner.city, LANGUAGE_CODES),
                "short_name": partner.short_name,
                "website": partner.website,
                "is_lead_partner": partner.lead,
                "country": country,
            },
        )
    contact = definition.contact
    if contact is not None:
        upsert(
            ContactPerson,
            report,
            "contact people",
            {"slug": contact.slug},
            {
                "name": contact.name,
                **localized("role", contact.role, LANGUAGE_CODES),
                "email": contact.email,
                "phone": contact.phone,
                "organisation": organisation,
                "country": country,
            },
        )
