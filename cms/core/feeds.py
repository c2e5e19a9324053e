"""What news feeds and event calendars share: whose items, in which language, filtered how.

A feed or calendar belongs to the site that answers it and to the language of
its URL prefix (``/cs/feeds/news.rss`` on cz.localhost: Czech news of the
Czech site). The hub's are network-wide: they read every site that publishes
in the language, and link each item on its own site. Only live, public items
that really have the language (complete and marked ready) are listed: the same
readiness rule as the pages, the sitemaps and the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cms.core.languages import site_languages
from cms.core.models import Country, Sector
from cms.core.translation_status import has_language, hide_unready
from cms.core.views import bad_request_page
from cms.core.visibility import shown_to_visitors

#: Characters XML 1.0 cannot hold and calendar text may not (RFC 5545): control characters
#: (tab, LF and CR aside), the noncharacters U+FFFE and U+FFFF, and lone surrogates. Editors'
#: text can hold them: a line break pasted from a word processor is often a vertical tab,
#: and one in a lead made every feed listing the item a 500; a U+FFFE made it invalid XML,
#: which feed readers refuse whole.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def feed_text(text: str | None) -> str:
    """``text`` as a feed or a calendar carries it: each control character a space."""
    return CONTROL_CHARACTERS.sub(" ", text or "")


class BadParameter(ValueError):
    """A query parameter a feed cannot use; its message names the parameter."""

    def response(self, request):
        """The visitors' 400 page naming the parameter (a feed reader gets the status)."""
        return bad_request_page(request, str(self))


@dataclass(frozen=True)
class FeedScope:
    """One feed's site, language and filters, read from the request."""

    site: Site
    country: Country | None
    language: str
    sector: Sector | None
    #: The page trees whose items the feed lists (the site's own; every site's on the hub).
    roots: tuple[Page, ...]

    @property
    def site_name(self) -> str:
        home = hide_unready(self.site.root_page.specific)
        return home.title

    def filter(self, queryset):
        """Live, public items of ``queryset`` under this feed's trees (and sector)."""
        in_trees = Q()
        for root in self.roots:
            in_trees |= Q(path__startswith=root.path, depth__gt=root.depth)
        queryset = shown_to_visitors(queryset).filter(in_trees)
        if self.sector is not None:
            queryset = queryset.filter(sectors=self.sector)
        return queryset

    def ready(self, queryset, limit: int | None = None) -> list:
        """The items of ``queryset`` (in its order) that have this feed's language, as
        visitors see them (unready languages hidden), at most ``limit``."""
        items = []
        for item in queryset.iterator(chunk_size=200):
            if has_language(item, self.language):
                items.append(hide_unready(item))
                if limit is not None and len(items) >= limit:
                    break
        return items


def sector_parameter(request) -> Sector | None:
    """``?sector=<slug>``: only items in that sector. Empty or absent: every sector."""
    value = request.GET.get("sector", "").strip()
    if not value:
        return None
    sector = Sector.for_slug(value)
    if sector is None:
        slugs = ", ".join(Sector.objects.values_list("slug", flat=True))
        raise BadParameter(
            _("Unknown value in the “sector” parameter; use one of: %(slugs)s.") % {"slugs": slugs}
        )
    return sector


def feed_roots(site: Site, country, language: str) -> tuple[Page, ...]:
    """The site's own tree; on the hub, the tree of every site that publishes in ``language``."""
    if country is None or not country.is_hub:
        return (site.root_page,)
    sites = Site.objects.filter(country__isnull=False).select_related("root_page", "country")
    return tuple(other.root_page for other in sites if language in site_languages(other.country))


def feed_scope(request) -> FeedScope:
    """The scope of the feed at ``request`` (404: unknown host; 400: a bad parameter)."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("Unknown host")
    country = getattr(site, "country", None)
    language = translation.get_language()
    if language not in site_languages(country):
        raise Http404(f"This site does not publish in {language!r}")
    return FeedScope(
        site=site,
        country=country,
        language=language,
        sector=sector_parameter(request),
        roots=feed_roots(site, country, language),
    )
