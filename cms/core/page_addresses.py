"""Where a page's addresses are: in every language its site publishes and routing finds it
in, and the routes it serves below its own (a cluster directory's profiles). Read before
and after a save or a move (``cms.core.redirects``, ``cms.clusters.redirects``), so that
every old address can redirect to where the same thing is now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import translation
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from cms.core.languages import LANGUAGE_CODES, fallback_chain, site_languages
from cms.core.pages import link_language
from cms.core.translation_status import localized

#: The stored url path of a page in each language: where its address comes from.
URL_PATHS = tuple(localized("url_path", code) for code in LANGUAGE_CODES)
#: Its own slug in each language: without one, it has no address in that language.
SLUGS = tuple(localized("slug", code) for code in LANGUAGE_CODES)
#: The slugs routing finds a page by in each language: its own, then along its fallback chain.
ROUTED_SLUGS = {
    code: tuple(localized("slug", other) for other in fallback_chain(code))
    for code in LANGUAGE_CODES
}

#: What has an address: (page id, language, route below the page: "" or "<slug>/").
Key = tuple[int, str, str]


@dataclass(frozen=True)
class Address:
    site_id: int
    root_url: str
    path: str  # on the site, with the language: "/cs/aktuality/x/"

    def normalised(self) -> tuple[int, str]:
        """(site, path) as a ``Redirect`` stores and looks up its ``old_path``."""
        return self.site_id, Redirect.normalise_path(self.path)


def languages_by_site() -> dict[int, tuple[str, ...]]:
    """The languages each site publishes in (``site_languages`` of its country): one query."""
    return {
        site.pk: site_languages(getattr(site, "country", None))
        for site in Site.objects.select_related("country")
    }


def route_paths(pages: Iterable[Page]) -> dict[int, list[str]]:
    """The routes each page serves below its own address ("" itself, "<slug>/" a profile),
    for the page types that list them (``get_route_paths``); one query per such type."""
    by_type = defaultdict(list)
    for page in pages:
        model = page.specific_class
        if model is not None and model.get_route_paths is not Page.get_route_paths:
            by_type[model].append(page.pk)
    routes = {}
    for model, pks in by_type.items():
        for specific in model.objects.filter(pk__in=pks):
            routes[specific.pk] = [route.lstrip("/") for route in specific.get_route_paths()]
    return routes


def addresses(
    pages: Iterable[Page],
    *,
    languages: Mapping[int, Sequence[str]],
    routes: Mapping[int, list[str]],
) -> dict[Key, Address]:
    """Where visitors find ``pages`` (and their ``routes``), in each language their site
    publishes and routing finds them in, as their url paths say (``get_url_parts``, no
    query per page).

    Routing finds a page by its slug in the language or along its fallback chain (a Slovak
    address by the Czech or English slug). Without any of those, modeltranslation's url
    path falls back to the untranslated slug (the Slovene ``/en/news/zalski-grozdi/``),
    which nothing serves: a reader of that language lands on the page in another
    (``in_languages_of_new_sites``).
    """
    pages = list(pages)
    found = {}
    # get_url_parts keeps the sites' root paths on the request: one cache read per language.
    request = HttpRequest()
    for code in LANGUAGE_CODES:
        with translation.override(code):
            for page in pages:
                if not any(getattr(page, slug, None) for slug in ROUTED_SLUGS[code]):
                    continue
                parts = page.get_url_parts(request=request)
                if parts is None or not parts[2] or code not in languages.get(parts[0], ()):
                    continue
                site_id, root_url, path = parts
                for route in routes.get(page.pk, [""]):
                    found[page.pk, code, route] = Address(site_id, root_url, path + route)
    return found


def in_languages_of_new_sites(
    before: Mapping[Key, Address], after: Mapping[Key, Address]
) -> dict[Key, Address]:
    """``after``'s address for each old address in a language the page's new site does not
    publish (it moved to another country's site) or it has no slug in any more (a cleared
    translation): the page there in the language a reader
    of the old one lands on (``link_language``: its fallback chain among the languages the
    page has there, else the site's default). Nothing to read for a save that kept every
    language (a new slug, a move within a site); else two queries and one per page type.
    """
    new_sites = {pk: address.site_id for (pk, _, _), address in after.items()}
    missing = [key for key in before if key not in after and key[0] in new_sites]
    if not missing:
        return {}
    from cms.core.models import Country

    countries = {c.site_id: c for c in Country.objects.filter(site_id__in=new_sites.values())}
    pages = Page.objects.filter(pk__in={pk for pk, _, _ in missing}).specific()
    pages = {page.pk: page for page in pages}
    found = {}
    for pk, language, route in missing:
        page = pages.get(pk)
        if page is None:
            continue
        landing = link_language(page, language, countries.get(new_sites[pk]))
        address = after.get((pk, landing, route))
        if address is not None:
            found[pk, language, route] = address
    return found


def as_served_now(after: dict[Key, Address], pages: Sequence[Page]) -> dict[Key, Address]:
    """``after`` with each route a page no longer serves where it is served now.

    A cluster directory moved to another country's site serves that country's profiles,
    not those it served: their old addresses would redirect to a 404 below it. They go to
    the directory serving them now (``ClusterDirectoryPage.directories_serving``: the
    hub's, when their country has none left), in the language their readers land on
    there (``link_language``), or nowhere when no page serves them. Nothing to read
    unless a page with routes is among ``pages``.
    """
    now = route_paths(pages)
    gone = [key for key in after if key[2] and key[2] not in now.get(key[0], [key[2]])]
    if not gone:
        return after
    from cms.clusters.models import ClusterDirectoryPage, ClusterProfile

    profiles = ClusterProfile.objects.filter(slug__in={route[:-1] for _, _, route in gone})
    profiles = {profile.slug: profile for profile in profiles}
    serving = ClusterDirectoryPage.directories_serving(p.country_id for p in profiles.values())
    served = {key: address for key, address in after.items() if key not in gone}
    request = HttpRequest()  # get_url_parts keeps the sites' root paths on it
    for key in gone:
        profile = profiles.get(key[2][:-1])
        directory = serving.get(profile.country_id) if profile else None
        if directory is None:
            continue
        with translation.override(link_language(profile, key[1], directory.get_country())):
            parts = directory.get_url_parts(request=request)
        if parts is not None:
            served[key] = Address(parts[0], parts[1], parts[2] + key[2])
    return served
