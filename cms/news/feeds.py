"""RSS 2.0 and Atom feeds of news, per site and language (network-wide on the hub).

``/<lang>/feeds/news.rss`` and ``/<lang>/feeds/news.atom`` (optionally
``?sector=<slug>``), built with ``django.contrib.syndication``. Each entry is
computed once per request (``NewsEntry``), in the feed's language, with an
absolute link to the item on its own site and an id that survives edits of
its title, slug or date: ``tag:<site host>,2011:news/<pk>/<lang>``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cms.core.caching import renew_last_modified
from cms.core.feeds import BadParameter, FeedScope, feed_scope, feed_text
from cms.core.visibility import shown_to_visitors
from cms.news.models import NewsIndexPage, NewsPage

#: Newest items per feed.
FEED_LENGTH = 30
#: The year in the feeds' tag URIs (RFC 4151): the project's first year, fixed for good.
TAG_YEAR = 2011


@dataclass(frozen=True)
class NewsEntry:
    """One news item as a feed shows it, in the feed's language."""

    guid: str
    title: str
    description: str
    link: str
    published: datetime.datetime
    updated: datetime.datetime | None
    categories: tuple[str, ...]


@dataclass(frozen=True)
class NewsChannel:
    """The feed itself: its scope, its texts and its entries."""

    scope: FeedScope
    title: str
    description: str
    link: str
    entries: list[NewsEntry]


def entry_for(request, page: NewsPage, language: str) -> NewsEntry:
    site = page.get_site()
    return NewsEntry(
        guid=f"tag:{site.hostname},{TAG_YEAR}:news/{page.pk}/{language}",
        title=feed_text(page.title),
        description=feed_text(page.lead),
        link=request.build_absolute_uri(page.get_url(request=request)),
        # A press release is dated by day: midnight where the network works.
        published=timezone.make_aware(datetime.datetime.combine(page.date, datetime.time())),
        updated=page.last_published_at,
        categories=tuple(feed_text(sector.name) for sector in page.sectors.all()),
    )


def channel_for(request) -> NewsChannel:
    scope = feed_scope(request)
    items = scope.ready(
        scope.filter(NewsPage.objects.order_by("-date", "-pk")).prefetch_related("sectors"),
        limit=FEED_LENGTH,
    )
    index = shown_to_visitors(NewsIndexPage.objects.child_of(scope.site.root_page)).first()
    section = index or scope.site.root_page
    title = f"{scope.site_name} – {_('News')}"
    if scope.sector is not None:
        title = f"{title} ({scope.sector.name})"
    title = feed_text(title)
    return NewsChannel(
        scope=scope,
        title=title,
        description=title,
        link=request.build_absolute_uri(section.get_url(request=request)),
        entries=[entry_for(request, page, scope.language) for page in items],
    )


class NewsRssFeed(Feed):
    """RSS 2.0; the channel's ``<language>`` is the URL's language."""

    feed_type = Rss201rev2Feed
    url_name = "news_feed_rss"
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except BadParameter as error:
            return error.response(request)
        renew_last_modified(response)
        return response

    def get_object(self, request, *args, **kwargs):
        return channel_for(request)

    def title(self, channel):
        return channel.title

    def description(self, channel):
        return channel.description

    def subtitle(self, channel):
        return channel.description

    def author_name(self, channel):
        """Atom requires an author (RFC 4287): the site's partner, who publishes it."""
        return channel.scope.site_name

    def link(self, channel):
        return channel.link

    def feed_url(self, channel):
        """This feed's address: a sector's feed names its sector (a reader that moves the
        subscription to the self link kept the sector's readers on the whole feed)."""
        url = reverse(self.url_name)
        if channel.scope.sector is not None:
            url += "?" + urlencode({"sector": channel.scope.sector.slug})
        return url

    def feed_guid(self, channel):
        """Atom's feed id: the section's address, as ever, and for a sector's feed the
        section's address filtered by it (RFC 4287: an id per feed; both had the section's)."""
        if channel.scope.sector is None:
            return None  # Django's default: the link
        return f"{channel.link}?{urlencode({'sector': channel.scope.sector.slug})}"

    def items(self, channel):
        return channel.entries

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        """The lead, plain text: escaped, as RSS readers and Atom's ``type="html"`` read the
        description as HTML ("Preis <5 Euro" would lose its words, a tag would be live)."""
        return escape(entry.description)

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return entry.guid

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return entry.categories


class NewsAtomFeed(NewsRssFeed):
    """Atom 1.0; the feed's ``xml:lang`` is the URL's language."""

    feed_type = Atom1Feed
    url_name = "news_feed_atom"
