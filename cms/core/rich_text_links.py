"""Links to pages inside rich text, in the language their reader lands on.

Wagtail's ``PageLinkHandler`` writes a page link in the active language: an
Austrian page linked from a Czech text became ``/cs/news/...`` on the Austrian
site, which publishes German and English only (a 404), and a Czech page linked
from a Slovak reading became ``/sk/...`` on the Czech site (a 404 too). Rich text
is rendered in the reader's language on visitor pages and in the served language
for the API's projections; both now link in the language ``link_language`` picks,
the one ``html_url``, search results and listing cards use: the first of the
reader's fallback chain that the target page has *and* its site publishes.

A link to a page that is not live (unpublished since, or never published) keeps its
words without an address, as Wagtail does for a deleted page: its address would be a
404, and a never-published page's slug is a draft's.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.html import escape
from wagtail.rich_text.pages import PageLinkHandler

from cms.core.models import Country
from cms.core.pages import BasePage, link_language


class LanguagePageLinkHandler(PageLinkHandler):
    """Wagtail's page links, each in its reader's language: a text's pages in Wagtail's
    queries, their countries in one more (``countries_of``), however many links it has."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        pages = cls.get_many(attrs_list)
        countries = countries_of([page for page in pages if page is not None and page.live])
        return [anchor(page, countries.get(getattr(page, "pk", None))) for page in pages]


def countries_of(pages) -> dict[int, Country]:
    """The country whose site each of ``pages`` is on, by page id (none off every site).

    The site from Wagtail's site root paths, which ``page.url`` reads anyway (cached); the
    countries in one query. (``BasePage.get_country`` asks two per page outside a request:
    a text with 30 links cost its projection 662 queries.)
    """
    sites = {}
    for page in pages:
        parts = page.get_url_parts()
        if parts is not None:
            sites[page.pk] = parts[0]
    if not sites:
        return {}
    by_site = {c.site_id: c for c in Country.objects.filter(site_id__in=set(sites.values()))}
    return {pk: by_site.get(site_id) for pk, site_id in sites.items()}


def anchor(page, country) -> str:
    """The opening ``<a>`` of a link to ``page`` (on ``country``'s site): without ``href``
    when it has no address."""
    if page is None or not page.live:
        return "<a>"
    language = translation.get_language()
    if isinstance(page, BasePage):
        language = link_language(page, language, country)
    with translation.override(language):
        url = page.url
    return f'<a href="{escape(url)}">' if url else "<a>"
