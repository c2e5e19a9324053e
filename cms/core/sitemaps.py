"""``/sitemap.xml`` and ``/robots.txt`` of each site (a country or the hub).

Built on Django's sitemap framework: each site's sitemap lists every ready
language version of every live, public page of its tree, and of every cluster
profile its directory page serves, each with ``xhtml:link`` hreflang
alternates to all of that item's language versions (so every set is
reciprocal) and an ``x-default`` (``cms.core.alternates.x_default_language``: the
site's default language, else English, else the item's first language).

A language counts only when the item really has it on this site
(``available_languages`` among the site's languages): drafts, unready and
incomplete translations, and languages the site does not publish in never
appear. The items, their URLs and languages are read from their stored
projections: one query per section, whatever the size of the site.

A file holds at most 50,000 URLs (the protocol's limit, Django's ``Sitemap.limit``).
While every section fits in one, ``/sitemap.xml`` lists the URLs themselves; past that it
is a sitemap index naming each section's pages (``/sitemap-pages.xml?p=2``), so a crawler
finds them all (Django's ``?p=2`` of the combined sitemap was a 404 as soon as one section
had no second page, and nothing named it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import index as index_view
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from wagtail.models import Site

from cms.core.alternates import country_of, x_default_language
from cms.core.caching import renew_last_modified
from cms.core.languages import site_languages


class SiteSitemap(Sitemap):
    """A sitemap section bound to one Wagtail site: i18n, with hreflang alternates.

    Django asks ``location`` for each (item, language) pair with that language
    active; the framework prefixes the request's scheme and host.
    """

    i18n = True
    alternates = True

    def __init__(self, site: Site):
        self.site = site
        self.country = country_of(site)
        self.languages = list(site_languages(self.country))

    def get_urls(self, page=1, site=None, protocol=None):
        """Django's URLs, plus an ``x-default`` alternate chosen by this project's rule.

        (Django's own ``x_default`` names ``settings.LANGUAGE_CODE`` without a
        language prefix: a URL these sites do not serve.)
        """
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {link["lang_code"]: link["location"] for link in url["alternates"]}
            default = x_default_language(list(by_language), self.country)
            if default is not None and len(by_language) > 1:
                url["alternates"].append(
                    {"lang_code": "x-default", "location": by_language[default]}
                )
        return urls


@dataclass(frozen=True)
class Entry:
    """One item of a sitemap: its URL path in each language it has here, and its last change."""

    urls: dict[str, str]
    lastmod: datetime | None


class ProjectedSitemap(SiteSitemap):
    """Items read from their stored projections (``cms.projections``): one query for the site.

    Each language's row of an item holds its visitor URL in that language
    (``meta.html_url``, or the cluster's ``html_url``) and the languages the
    item is really written in; a row exists only for a live, public item.
    """

    def rows(self):
        raise NotImplementedError

    def url_of(self, data: dict) -> str | None:
        raise NotImplementedError

    def items(self):
        return self.entries

    @cached_property
    def entries(self) -> list[Entry]:
        """Read once: the index counts them, then the sitemap lists them."""
        found: dict[int, dict] = {}
        for object_id, language, data, last_modified in self.rows().values_list(
            "object_id", "language", "listing", "last_modified"
        ):
            entry = found.setdefault(object_id, {"urls": {}, "lastmod": last_modified})
            url = self.url_of(data or {})
            if url and language in data["meta"]["languages"]:
                entry["urls"][language] = urlsplit(url).path
        entries = [Entry(**entry) for entry in found.values() if entry["urls"]]
        return sorted(entries, key=lambda entry: min(entry.urls.values()))

    def get_languages_for_item(self, item):
        return [code for code in self.languages if code in item.urls]

    def location(self, item):
        return item.urls[get_language()]

    def lastmod(self, item):
        return item.lastmod


class PageSitemap(ProjectedSitemap):
    """Every live, public page of the site's tree."""

    def rows(self):
        from cms.projections.registry import served_page_labels

        return projections_of(served_page_labels(), self.country, self.languages)

    def url_of(self, data: dict) -> str | None:
        return data.get("meta", {}).get("html_url")


class ClusterSitemap(ProjectedSitemap):
    """The cluster profiles whose address is on this site: those its directory serves at
    ``<directory>/<slug>/`` as their one canonical address (their stored ``html_url``,
    from ``ClusterDirectoryPage.directories_serving``). That is its own country's, and on
    the hub those of the countries with no live directory of their own. (The hub's
    directory serves every country's profiles, but the others name their own site's
    address canonical: ``cms.core.alternates.own_profile_url``.)"""

    def rows(self):
        from cms.clusters.models import ClusterProfile
        from cms.projections.models import Projection

        return Projection.objects.filter(
            object_type=ClusterProfile._meta.label,
            language__in=self.languages,
            listing__html_url__startswith=f"{self.site.root_url}/",
        )

    def url_of(self, data: dict) -> str | None:
        return data.get("html_url")


def projections_of(labels: Sequence[str], country, languages: list[str]):
    from cms.projections.models import Projection

    return Projection.objects.filter(
        object_type__in=labels,
        country=country.code if country else "",
        language__in=languages,
    )


def site_for(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("Unknown host")
    return site


def sections_of(site: Site) -> dict[str, ProjectedSitemap]:
    return {"pages": PageSitemap(site), "clusters": ClusterSitemap(site)}


def sitemap(request):
    """The requesting site's sitemap, or its index once a section needs more than one file
    (Django's views; ``?p=`` pages the combined sitemap, 404 past the end)."""
    sections = sections_of(site_for(request))
    too_large = any(section.paginator.num_pages > 1 for section in sections.values())
    if too_large and "p" not in request.GET:
        response = index_view(request, sitemaps=sections, sitemap_url_name="sitemap_section")
    else:
        response = sitemap_view(request, sitemaps=sections)
    renew_last_modified(response)
    return response


def section_sitemap(request, section: str):
    """One section of the requesting site's sitemap (``?p=`` its pages), as the index names
    them; an unknown section is a 404."""
    response = sitemap_view(request, sitemaps=sections_of(site_for(request)), section=section)
    renew_last_modified(response)
    return response


def robots_txt(request):
    """Crawl everything public; skip the admin and search results; name this site's sitemap."""
    site = site_for(request)
    lines = ["User-agent: *", "Disallow: /admin/"]
    lines += [f"Disallow: /{code}/search/" for code in site_languages(country_of(site))]
    lines += ["", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
