"""Purge the CDN when a snippet, an image or a document that visitors see changes.

None of these is a page, so nothing else purges for them, and the CDN served
the old text (a corrected cluster profile, a renamed sector, a contact's new
number, a replaced logo) for up to ``VISITOR_CACHE_S_MAXAGE``. Which served
items show something of an object is what the projections already know
(``cms.projections.dependents.dependents_of``; before a deletion,
``cms.projections.signals.note_dependents`` keeps it on the instance); this
module turns that into visitor URLs, in every language of each site:

- a page that shows the object: the page and its listings (its ancestors);
- a cluster profile (the one changed, or one that shows the changed object):
  its address under its own country's directory and under the hub's
  (``<directory>/<slug>/``), before and after the save (a new slug or country
  moves it), and those directories' listings, unfiltered and per sector
  filter (``?sector=``), and their home pages (three cluster cards);
- a sector: every directory's listing and home page (their sector filters);
- a partner organisation or contact person that a site's footer names
  (``cms.core.templatetags.chrome``): every page and profile of that site, the
  sites that named it before the change too (read before the save or the
  deletion: a deleted partner, or one moved to another country, is no longer in
  the footers that showed it).

Listing pages beyond the first (``?page=N``) and search results are left to
expire, as for pages. One purge per change, after the commit, as a background
task (``cms.core.frontend_cache.purge_urls``); at most
``FRONTEND_CACHE_MAX_URLS`` URLs, the object's own addresses and listings
first: none of Wagtail's backends can purge a whole site (CloudFront takes
3000 paths in progress, Cloudflare 30 URLs a call, a proxy one ``PURGE`` a
URL), so the rest are logged and expire.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import translation
from wagtail.models import Page

from cms.core.frontend_cache import enabled, purge_urls
from cms.core.languages import site_languages
from cms.core.pages import BasePage

logger = logging.getLogger(__name__)

#: A cluster profile's address: its slug and its country's id.
Address = tuple[str, int]


def page_ids(found: dict[str, set[int]]) -> set[int]:
    """The ids of the pages among ``dependents_of``'s answer."""
    return {
        pk for label, ids in found.items() if issubclass(apps.get_model(label), Page) for pk in ids
    }


def urls_in_languages(pages: Iterable[Page], scope, suffixes: Iterable[str] = ("",)) -> set[str]:
    """Each page's full URL (plus each suffix) in every language of its site: no query
    (the site root paths are cached by Wagtail, the countries are ``scope``'s)."""
    urls = set()
    for page in pages:
        for code in site_languages(scope.country_of(page)):
            with translation.override(code):
                url = page.get_full_url()
            if url is not None:
                urls.update(url + suffix for suffix in suffixes)
    return urls


def listed_urls(ids: Iterable[int], scope) -> set[str]:
    """The live pages ``ids`` and the pages listing them (their ancestors): the same few
    queries however many pages (the pages, their ancestors, one per page type of each)."""
    pages = list(Page.objects.filter(pk__in=list(ids)).live().specific())
    paths = {page.path[: Page.steplen * depth] for page in pages for depth in range(2, page.depth)}
    above = Page.objects.filter(path__in=paths).specific() if paths else []
    shown = [page for page in [*pages, *above] if isinstance(page, BasePage)]
    return urls_in_languages(shown, scope)


def directories_by_country(scope) -> dict[int, list[Page]]:
    """The live cluster directories, by the id of the country whose site holds them."""
    from cms.clusters.models import ClusterDirectoryPage

    found: dict[int, list[Page]] = defaultdict(list)
    for directory in ClusterDirectoryPage.objects.live().order_by("path"):
        country = scope.country_of(directory)
        if country is not None:
            found[country.pk].append(directory)
    return found


def profile_urls(addresses: Iterable[Address], scope, directories) -> set[str]:
    """Each profile under its own country's directories and the hub's, every language."""
    hub = scope.country.pk
    urls = set()
    for slug, country_id in addresses:
        served_on = directories.get(country_id, []) + directories.get(hub, [])
        urls |= urls_in_languages(served_on, scope, suffixes=(f"{slug}/",))
    return urls


def listing_urls(directories: list[Page], scope) -> set[str]:
    """The directories' listings (unfiltered and per sector filter) and their home pages."""
    from cms.core.models import Sector

    filters = [f"?sector={slug}" for slug in Sector.objects.values_list("slug", flat=True)]
    homes = listed_urls([directory.pk for directory in directories], scope)
    return homes | urls_in_languages(directories, scope, suffixes=("", *filters))


def footer_urls(obj, scope, directories) -> set[str]:
    """Every page and profile of the sites whose footer names ``obj`` (a partner or contact),
    or did before the change (``on_footer_snippet_changing``)."""
    from cms.projections.dependents import on_site

    before = getattr(obj, "frontend_cache_footers", set())
    countries = [c for c in scope.countries.values() if c.pk in before]
    urls = set()
    for country in {c.pk: c for c in [*countries, *footer_countries(obj, scope)]}.values():
        if not country.root_path:
            continue
        urls |= listed_urls(page_ids(on_site(country.root_path)), scope)
        for directory in directories.get(country.pk, []):
            slugs = directory.clusters().values_list("slug", flat=True)
            urls |= urls_in_languages([directory], scope, suffixes=[f"{slug}/" for slug in slugs])
    return urls


def footer_countries(obj, scope) -> list:
    """The countries whose sites' footers name ``obj``: two queries a country, for
    partner organisations and contact persons only."""
    from cms.core.templatetags.chrome import footer_contact, footer_partner
    from cms.partners.models import ContactPerson, PartnerOrganisation

    if not isinstance(obj, PartnerOrganisation | ContactPerson):
        return []
    found = []
    for country in scope.countries.values():
        partner = footer_partner(country)
        shown = partner if isinstance(obj, PartnerOrganisation) else footer_contact(partner)
        if shown is not None and shown.pk == obj.pk:
            found.append(country)
    return found


def snippet_urls(obj, found: dict[str, set[int]], own: set[Address], about: str) -> list[str]:
    """The visitor URLs showing ``obj``, most important first: its own addresses (``own``,
    a profile's before and after the save), the listings, the pages and profiles that show
    it (``found``, from ``dependents_of``), and the sites whose footer names it."""
    from cms.clusters.models import ClusterProfile
    from cms.projections.rendering import network_scope

    scope = network_scope()
    directories = directories_by_country(scope)
    profiles = ClusterProfile.objects.filter(pk__in=found.get(ClusterProfile._meta.label, ()))
    showing = set(profiles.values_list("slug", "country_id"))
    listed = listing_directories(obj, own | showing, scope, directories)
    groups = (
        profile_urls(own, scope, directories),
        listing_urls(listed, scope) if listed else set(),
        listed_urls(page_ids(found), scope),
        profile_urls(showing, scope, directories),
        footer_urls(obj, scope, directories),
    )
    ordered = list(dict.fromkeys(url for group in groups for url in sorted(group)))
    return capped(ordered, about)


def listing_directories(obj, addresses: set[Address], scope, directories) -> list[Page]:
    """The directories whose listings (and home pages) show ``obj``: every one for a sector
    (their sector filters), else those of the profiles' countries, and the hub's."""
    from cms.core.models import Sector

    if isinstance(obj, Sector):
        countries = set(directories)
    else:
        countries = {country_id for _, country_id in addresses}
        countries |= {scope.country.pk} if countries else set()
    return [directory for pk in sorted(countries) for directory in directories.get(pk, [])]


def capped(urls: list[str], about: str) -> list[str]:
    """The first ``FRONTEND_CACHE_MAX_URLS`` of ``urls``; the rest are logged (they expire)."""
    limit = settings.FRONTEND_CACHE_MAX_URLS
    if len(urls) <= limit:
        return urls
    logger.warning(
        "frontend cache: %s is shown at %d URLs; purging the first %d "
        "(FRONTEND_CACHE_MAX_URLS), the others expire within VISITOR_CACHE_S_MAXAGE",
        about,
        len(urls),
        limit,
    )
    return urls[:limit]


def address_of(obj) -> set[Address]:
    """A cluster profile's address as it is now (in memory); nothing for other objects."""
    from cms.clusters.models import ClusterProfile

    if isinstance(obj, ClusterProfile) and obj.slug and obj.country_id:
        return {(obj.slug, obj.country_id)}
    return set()


def purge_snippet(obj, *, found: dict[str, set[int]] | None, own: set[Address], about: str):
    """After the commit: purge what shows ``obj`` (``found``: its dependents noted before a
    deletion; None: ask now). Logs instead of raising, whatever goes wrong."""
    from cms.projections.dependents import dependents_of

    def urls() -> list[str]:
        dependents = dependents_of(obj) if found is None else found
        return snippet_urls(obj, dependents, own, about)

    purge_urls(urls, about)


def purge_profiles_written_in_bulk(addresses: set[Address], about: str, written=()) -> None:
    """After the commit: the profiles an import wrote, at their addresses before and after
    (``addresses``), the listings and home pages of their countries and the hub, and the
    pages that show them (``written``'s dependents: the news and events relating them, in a
    fixed number of queries however many).

    An import writes in bulk, without ``post_save``: no profile it changed, created or
    moved to another country was purged, and the CDN served the old text (or the old
    country's page) for ``VISITOR_CACHE_S_MAXAGE``. Capped as every purge is.
    """
    from cms.projections.dependents import dependents_of_all
    from cms.projections.rendering import network_scope

    if not enabled() or not addresses:
        return

    def urls() -> list[str]:
        scope = network_scope()
        directories = directories_by_country(scope)
        listed = listing_directories(None, addresses, scope, directories)
        showing = listed_urls(page_ids(dependents_of_all(list(written))), scope)
        groups = (
            profile_urls(addresses, scope, directories),
            listing_urls(listed, scope),
            showing,
        )
        return capped(list(dict.fromkeys(url for g in groups for url in sorted(g))), about)

    transaction.on_commit(lambda: purge_urls(urls, about), robust=True)


def on_profile_saving(sender, instance, raw=False, **kwargs) -> None:
    """A profile about to be saved: its address before (one query), so that the one the
    CDN keeps under an old slug or in the old country's directory is purged too."""
    if raw or not enabled() or instance.pk is None:
        return
    try:
        # A savepoint: a read that fails leaves the save's transaction usable (PostgreSQL).
        with transaction.atomic():
            before = sender.objects.filter(pk=instance.pk).values_list("slug", "country_id").first()
    except Exception:  # nothing here may fail the editor's save
        logger.warning("frontend cache: could not read profile %s", instance.pk, exc_info=True)
        before = None
    instance.frontend_cache_address = {tuple(before)} if before else set()


def on_footer_snippet_changing(sender, instance, raw=False, **kwargs) -> None:
    """A partner or contact about to be saved or deleted: the countries whose footers name
    it now, as the database still says (a few queries a country), so that their sites are
    purged even when the change takes it out of them."""
    from cms.projections.rendering import network_scope

    if raw or not enabled() or instance.pk is None:
        return
    try:
        # A savepoint: a read that fails leaves the save's transaction usable (PostgreSQL).
        with transaction.atomic():
            countries = footer_countries(instance, network_scope())
    except Exception:  # nothing here may fail the editor's save
        logger.warning("frontend cache: could not read the footers of %s", instance, exc_info=True)
        countries = []
    instance.frontend_cache_footers = {country.pk for country in countries}


def on_snippet_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw or not enabled():
        return
    own = getattr(instance, "frontend_cache_address", set()) | address_of(instance)
    about = f"{sender._meta.label} {instance.pk}"
    transaction.on_commit(
        lambda: purge_snippet(instance, found=None, own=own, about=about), robust=True
    )


def on_snippet_deleted(sender, instance, **kwargs) -> None:
    """Deleted: what showed it, as noted before the deletion (after it, links are cleared)."""
    if not enabled():
        return
    # Set on pre_delete by cms.projections.signals.note_dependents.
    found = getattr(instance, "projection_dependents", {})
    own, about = address_of(instance), f"{sender._meta.label} {instance.pk}"
    transaction.on_commit(
        lambda: purge_snippet(instance, found=found, own=own, about=about), robust=True
    )


def connect() -> None:
    """Called from ``CoreConfig.ready``: the served snippets, images and documents."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from cms.clusters.models import ClusterProfile
    from cms.partners.models import ContactPerson, PartnerOrganisation
    from cms.projections.registry import served_types

    snippets = [model for model in served_types() if not issubclass(model, Page)]
    for model in [*snippets, get_image_model(), get_document_model()]:
        label = model._meta.label
        post_save.connect(
            on_snippet_saved, sender=model, dispatch_uid=f"frontend_cache_saved_{label}"
        )
        post_delete.connect(
            on_snippet_deleted, sender=model, dispatch_uid=f"frontend_cache_deleted_{label}"
        )
    pre_save.connect(
        on_profile_saving, sender=ClusterProfile, dispatch_uid="frontend_cache_profile_saving"
    )
    for model in (PartnerOrganisation, ContactPerson):
        label = model._meta.label
        for signal, name in ((pre_save, "saving"), (pre_delete, "deleting")):
            signal.connect(
                on_footer_snippet_changing,
                sender=model,
                dispatch_uid=f"frontend_cache_footer_{name}_{label}",
            )
