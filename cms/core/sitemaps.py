"""``/sitemap.xml`` and ``/robots.txt`` of each site (a country or the hub).

Built on Django's sitemap framework: each site's sitemap lists every ready
language version of every live, public page of its tree, and of every cluster
profile its directory page serves, each with ``xhtml:link`` hreflang
alternates to all of that item's language versions (so every set is
reciprocal) and an ``x-default`` (``cms.core.seo.x_default_language``: the
site's default language, else English, else the item's first language).

A language counts only when the item really has it on this site
(``available_languages`` among the site's languages): drafts, unready and
incomplete translations, and languages the site does not publish in never
appear.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from cms.core.pages import site_languages
from cms.core.seo import country_of, x_default_language
from cms.core.translation_status import available_languages


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

    def get_languages_for_item(self, item):
        return available_languages(item, self.languages)

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


class PageSitemap(SiteSitemap):
    """Every live, public page of the site's tree."""

    def items(self):
        root = self.site.root_page
        pages = Page.objects.descendant_of(root, inclusive=True).live().public().order_by("path")
        return [page for page in pages.specific() if hasattr(page, "ready_languages")]

    def location(self, page):
        # The active language (set by the framework) picks the translated url_path.
        return page.get_url_parts()[2]

    def lastmod(self, page):
        return page.last_published_at


class ClusterSitemap(SiteSitemap):
    """The cluster profiles the site's live directory page serves at ``<directory>/<slug>/``."""

    def __init__(self, site: Site):
        super().__init__(site)
        from cms.clusters.models import ClusterDirectoryPage

        self.directory = (
            ClusterDirectoryPage.objects.descendant_of(site.root_page).live().public().first()
        )

    def items(self):
        if self.directory is None:
            return []
        return list(self.directory.clusters().order_by("slug"))

    def location(self, cluster):
        return self.directory.get_url_parts()[2] + f"{cluster.slug}/"

    def lastmod(self, cluster):
        return cluster.updated_at


def site_for(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("Unknown host")
    return site


@require_safe
def sitemap(request):
    """The requesting site's sitemap (Django's view; ``?p=`` pages it, 404 past the end)."""
    site = site_for(request)
    sections = {"pages": PageSitemap(site), "clusters": ClusterSitemap(site)}
    return sitemap_view(request, sitemaps=sections)


@require_safe
def robots_txt(request):
    """Crawl everything public; skip the admin and search results; name this site's sitemap."""
    site = site_for(request)
    lines = ["User-agent: *", "Disallow: /admin/"]
    lines += [f"Disallow: /{code}/search/" for code in site_languages(country_of(site))]
    lines += ["", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
