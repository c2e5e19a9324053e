"""Writes that set up the network: countries, sites, groups, permissions.

``sync_network`` turns the validated definitions from ``site_files`` into
database rows. It is idempotent: each object is looked up by a stable key,
compared, and saved only when something differs, so a second run changes
nothing (and creates no page revisions).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import (
    Collection,
    Page,
    Site,
)
from wagtail.rich_text import RichText

from cms.core.groups import (
    disarm_wagtail_default_groups,
    sync_collection,
    sync_groups,
    sync_network_administrators,
    sync_shared_collection,
    sync_workflow,
)
from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.models import Country, Sector, SyncedValues
from cms.core.site_files import (
    LegalPageDefinition,
    Network,
    SectionDefinition,
    SiteDefinition,
    SiteFileError,
)
from cms.core.translation_status import mark_complete_ready
from cms.core.upserts import (
    SyncReport,
    assign,
    changes_for,
    held_back,
    languages_written,
    localized,
    record_key,
    remember,
    upsert,
)


@transaction.atomic
def sync_network(network: Network) -> SyncReport:
    """Create or update everything the site files describe, in one transaction.

    ``check_against_database`` runs first, inside the transaction; anything the database
    or a model still refuses is raised as a ``SiteFileError`` naming the file and field
    (``refusals_named``), and the transaction is rolled back: nothing is half-written.
    """

    report = SyncReport()
    check_against_database(network)
    with translation.override(COMMON_LANGUAGE):
        for sector_position, sector in enumerate(network.sectors):
            upsert(
                Sector,
                report,
                "sectors",
                {"slug": sector.slug},
                {**localized("name", sector.name, LANGUAGE_CODES), "sort_order": sector_position},
                editable=True,
            )
        remove_wagtail_welcome_site(report)
        disarm_wagtail_default_groups(report)
        shared = sync_shared_collection(report)
        for definition in network.sites:
            with refusals_named(definition.path):
                home = sync_site(definition, network.sections, shared, report)
            publisher = publisher_of(definition, network)
            for legal_page in network.legal_pages:
                with refusals_named(legal_page.path, legal_page.key):
                    sync_legal_page(home, legal_page, definition.languages, publisher, report)
        sync_network_administrators(report)
    return report


def check_against_database(network: Network) -> None:
    """Refuse, naming the file and field, what valid files would still break in this database.

    ``load_network`` sees only the files. A country is found again by its code and its site
    by its home page, so a file whose code changed (``CZ`` to ``CZE``) makes a new country
    whose site asks for an address the old country's site still holds: the database would
    refuse it halfway through the sync. Likewise a hub left in the database by a country no
    file defines any more would make a second hub. ``sync_sites --check`` runs this too.
    """
    from cms.home.models import CountryHomePage

    defined = {definition.code: definition for definition in network.sites}
    hub = next((definition for definition in network.sites if definition.is_hub), None)
    if hub is not None:
        other = Country.objects.filter(is_hub=True).exclude(code__in=defined).first()
        if other is not None:
            raise SiteFileError(
                hub.path,
                "is_hub",
                f"country {other.code} is the hub in the database and no site file defines "
                "it any more; the network has one hub",
            )
    # Who holds each address as the sync goes: sites move one after another, in file order.
    country_of_home = dict(CountryHomePage.objects.values_list("pk", "country__code"))
    held: dict[tuple[str, int], tuple[str | None, str]] = {
        (site.hostname.lower(), site.port): (country_of_home.get(site.root_page_id), site.site_name)
        for site in Site.objects.exclude(pk__in=wagtail_welcome_sites())
    }
    for definition in network.sites:
        address = (definition.hostname, definition.port)
        holder, site_name = held.get(address, (definition.code, ""))
        if holder != definition.code:
            where = f"{definition.hostname!r} (port {definition.port})"
            if holder is None:
                problem = f"is the address of the site {site_name!r}, which is no country's"
            elif holder in defined:
                problem = (
                    f"is still country {holder}'s address when this file is synced "
                    f"({defined[holder].path.name} moves it later); move one site at a time"
                )
            else:
                problem = (
                    f"is country {holder}'s address, and no site file defines {holder} any more "
                    f"(code {definition.code!r} here makes a new country)"
                )
            raise SiteFileError(definition.path, "hostname", f"{where} {problem}")
        held = {key: value for key, value in held.items() if value[0] != definition.code}
        held[address] = (definition.code, "")


@contextmanager
def refusals_named(path: Path, prefix: str = "") -> Iterator[None]:
    """A model's or the database's refusal while syncing ``path``, as a ``SiteFileError``.

    The checks before the sync should leave nothing to refuse; whatever they cannot see
    (a page an editor made, a concurrent write) still ends as a message naming the file
    and field rather than a traceback. Raising out of ``sync_network`` rolls it back.
    A model's field (``slug_en``) is named as the file's (``imprint.slug.en``).
    """
    try:
        yield
    except ValidationError as error:
        problems = [
            (file_field(prefix, name), " ".join(messages))
            for name, messages in (
                error.message_dict.items()
                if hasattr(error, "error_dict")
                else [("", error.messages)]
            )
        ]
        (field_name, message), *others = problems
        if others:
            message += f" (also {'; '.join(f'{name}: {text}' for name, text in others)})"
        raise SiteFileError(path, field_name, message) from error
    except IntegrityError as error:
        # One line: PostgreSQL's message goes on with a DETAIL line.
        reason = " ".join(str(error).split())
        raise SiteFileError(
            path, prefix or "(database)", f"the database refused it: {reason}"
        ) from error


def file_field(prefix: str, model_field: str) -> str:
    """``("imprint", "slug_en")`` -> ``"imprint.slug.en"``: a site file's name for it."""
    name, _, language = model_field.rpartition("_")
    if name and language in LANGUAGE_CODES:
        model_field = f"{name}.{language}"
    if model_field == NON_FIELD_ERRORS:
        model_field = ""
    return ".".join(part for part in (prefix, model_field) if part) or "(database)"


def wagtail_welcome_sites():
    """The default site a fresh install creates, on its "Welcome to Wagtail" page."""
    return Site.objects.filter(is_default_site=True, root_page__content_type__model="page")


def remove_wagtail_welcome_site(report: SyncReport) -> None:
    """Drop the "Welcome to Wagtail" page and default site a fresh install creates."""
    for site in wagtail_welcome_sites():
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
    with refusals_named(definition.path, "home"):
        home = sync_home_page(country, definition, report)
    for key, section in sections.items():
        with refusals_named(section.path, key):
            sync_section(home, section, key, definition.languages, report)
    with refusals_named(definition.path, "hostname"):  # unique with the port
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
    """Publish the ``values`` the files changed since the last sync (``changed_in_files``):
    an editor's edit of a home page's intro or an imprint stands until the file changes it.

    A page ``held_back`` is not written (nor remembered, so the next sync tries again)."""
    key = record_key(Page, {"pk": page.pk})
    changed = changes_for(page, SyncedValues.objects.filter(key=key).first(), values)
    if changed and held_back(page):
        report.held_back[kind] += 1
        return
    if changed:
        assign(page, changed)
        mark_complete_ready(page, languages_written(changed))  # the files' reviewed text
        page.save_revision().publish()
        report.updated[kind] += 1
    remember(key, values)


def sync_home_page(country: Country, definition: SiteDefinition, report: SyncReport):
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
    home.save_revision().publish()  # as place_child_page does, for the same reasons
    remember(record_key(Page, {"pk": home.pk}), values)
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
    # Published as an editor publishes, so that everything that follows a publication
    # (search documents, projections, webhooks, first_published_at) follows this one.
    new.save_revision().publish()
    remember(record_key(Page, {"pk": new.pk}), values)
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


def sync_partner(country: Country, definition: SiteDefinition, report: SyncReport) -> None:
    from cms.partners.models import ContactPerson, PartnerOrganisation

    organisation = None
    partner = definition.partner
    if partner is not None:
        refuse_another_countrys(PartnerOrganisation, partner.slug, country, definition, "partner")
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
            editable=True,
        )
    contact = definition.contact
    if contact is not None:
        refuse_another_countrys(ContactPerson, contact.slug, country, definition, "contact")
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
            editable=True,
        )


def refuse_another_countrys(model, slug: str, country, definition: SiteDefinition, key: str):
    """Refuse a file's partner or contact whose slug another country's object has, unless a
    sync made that object for this file: the sync would move an editor's contact (made in
    the admin under that slug) to this country and write the file's texts over it."""
    found = model.objects.filter(slug=slug).exclude(country=country).first()
    if found is None:
        return
    if SyncedValues.objects.filter(key=record_key(model, {"slug": slug})).exists():
        return  # the files' own, moved by an administrator: the three-way sync decides
    raise SiteFileError(
        definition.path,
        f"{key}.slug",
        f"{slug!r} is the slug of a {model._meta.verbose_name} of "
        f"{getattr(found.country, 'code', 'no country')} made in the admin; give the file's "
        "another slug",
    )
