"""What search engines and link previews read in a visitor page's ``<head>``.

One function, ``head_meta(context)``, turns a template context (a Wagtail page,
a cluster profile served by its directory page, or a plain view) into the data
``templates/includes/head_meta.html`` prints: canonical URL, meta description,
OpenGraph and Twitter card tags, feed links and one JSON-LD graph. It reads only
what every visitor template already has (``request``, ``page``, ``cluster``,
``country``), so a redesign of ``base.html`` keeps it working by keeping the
one ``{% include %}`` line.

The readiness rule of ``cms.core.translation_status`` holds here as everywhere:
a language the item does not really have is never named. When a visitor reads
an item at a language URL the item lacks (the fallback chain's text is served),
the canonical URL and ``og:locale`` name the language whose text is shown, so
search engines index one URL per real language version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page, Site
from wagtail.rich_text import get_text_for_indexing

from cms.core.alternates import (
    canonical_elsewhere,
    country_of,
    crumb,
    language_read,
    page_query,
    page_url,
    served_language,
    x_default_language,
)
from cms.core.languages import site_languages
from cms.core.pages import trail
from cms.core.translation_status import available_languages, hide_unready

#: Search engines show about this many characters of a description.
DESCRIPTION_LENGTH = 160
#: The size link previews ask for (Facebook, LinkedIn, Mastodon: 1.91:1).
OG_IMAGE_FILTER = "fill-1200x630"
#: The territory of each language's ``og:locale`` when the site's country does not decide it.
TERRITORIES = {"en": "GB", "cs": "CZ", "de": "DE", "it": "IT", "pl": "PL", "sk": "SK", "sl": "SI"}
#: Characters that could end a ``<script>`` element or open a comment inside it, written
#: as JSON escapes (the same three ``django.utils.html.json_script`` escapes).
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def og_locale(language: str, country) -> str:
    """``cs`` -> ``cs_CZ``; a country's own default language takes its territory (``de_AT``)."""
    if country is not None and not country.is_hub and country.default_language == language:
        return f"{language}_{country.code}"
    return f"{language}_{TERRITORIES.get(language, language.upper())}"


def home_of(site):
    """The site's home page as a visitor sees it (unready languages hidden), or ``None``."""
    if site is None:
        return None
    return hide_unready(site.root_page.specific)


# --- Texts and images ----------------------------------------------------------------


def plain(text) -> str:
    """Plain text on one line (a lead's line breaks made spaces); never read as HTML, so
    "Preis <5 Euro" keeps its words."""
    return " ".join(str(text or "").split())


def describe(*candidates) -> str:
    """The first non-empty candidate as plain text, cut at a word to a search snippet's length."""
    for candidate in candidates:
        text = plain(candidate)
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


@dataclass(frozen=True)
class ImageMeta:
    url: str
    width: int
    height: int
    alt: str


def image_meta(request, image) -> ImageMeta | None:
    """A link-preview rendition of ``image`` (made on first use, like any ``{% image %}``).

    A missing original file gives no preview image rather than a broken page.
    """
    if image is None:
        return None
    try:
        rendition = image.get_rendition(OG_IMAGE_FILTER)
    except OSError:  # wagtail.images' SourceImageIOError: the original file is gone
        return None
    alt = getattr(image, "alt_text", "") or image.title
    return ImageMeta(
        request.build_absolute_uri(rendition.url), rendition.width, rendition.height, alt
    )


# --- JSON-LD ---------------------------------------------------------------------------


def json_ld_script(data) -> SafeString:
    """``data`` as a ``<script type="application/ld+json">`` element that text cannot end.

    ``</script>`` or ``<!--`` in a title become JSON escapes, as in Django's
    ``json_script``. The element is data, not code, so a Content-Security-Policy
    without ``unsafe-inline`` leaves it alone.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def local_iso(value) -> str:
    return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()


def site_organization(site_id: str, name: str, url: str) -> dict:
    return {"@type": "Organization", "@id": site_id, "name": name, "url": url}


def news_article_node(item: Item, publisher_id: str) -> dict:
    page = item.obj
    data = {
        "@type": "NewsArticle",
        "headline": Truncator(page.title).chars(110),
        "description": item.description,
        "datePublished": page.date.isoformat(),
        "inLanguage": item.language,
        "url": item.canonical,
        "mainEntityOfPage": item.canonical,
        "publisher": {"@id": publisher_id},
        "author": {"@id": publisher_id},
    }
    if page.last_published_at:
        data["dateModified"] = local_iso(page.last_published_at)
    if item.image:
        data["image"] = [item.image.url]
    return data


def event_node(item: Item, publisher_id: str) -> dict:
    page = item.obj
    data = {
        "@type": "Event",
        "name": page.title,
        "description": item.description,
        "startDate": local_iso(page.start),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": page.place, "address": page.place},
        "inLanguage": item.language,
        "url": item.canonical,
        "organizer": {"@id": publisher_id},
    }
    if page.end:
        data["endDate"] = local_iso(page.end)
    return data


def cluster_node(item: Item, publisher_id: str) -> dict:
    cluster = item.obj
    address = {"@type": "PostalAddress", "addressCountry": cluster.country.code}
    if cluster.city:
        address["addressLocality"] = cluster.city
    if cluster.region:
        address["addressRegion"] = cluster.region
    data = {
        "@type": "Organization",
        "name": cluster.name,
        "description": item.description,
        "url": item.canonical,
        "address": address,
        "knowsAbout": [sector.name for sector in cluster.sectors.all()],
    }
    optional = {
        "sameAs": cluster.website,
        "email": cluster.email,
        "telephone": cluster.phone,
        "foundingDate": str(cluster.founded) if cluster.founded else "",
        "logo": item.image.url if item.image else "",
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


#: The schema.org type of each page model that has one (by ``app_label.modelname``).
PAGE_SCHEMAS = {"news.newspage": news_article_node, "events.eventpage": event_node}


def breadcrumbs(request, site, page: Page, language: str, extra=()) -> dict | None:
    """A ``BreadcrumbList`` from the site's home down to ``page`` (and ``extra`` (name, url))."""
    if site is None:
        return None
    crumbs = []
    with translation.override(language):
        for ancestor in trail(page, site):
            title, link = crumb(request, ancestor)
            if link.url:
                crumbs.append((title, request.build_absolute_uri(link.url)))
    crumbs.extend(extra)
    if len(crumbs) < 2:
        return None
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


# --- The page's subject ------------------------------------------------------------------


@dataclass
class Item:
    """What a visitor page is about: a page or a cluster profile, in the language served."""

    obj: object
    page: Page
    suffix: str
    languages: list[str]
    language: str
    canonical: str | None
    title: str
    description: str
    image: ImageMeta | None
    og_type: str
    #: ``?page=N`` on a listing's page N (each page is its own address), else "".
    query: str = ""
    #: Whether this address is the item's canonical one (the hub's copy of a country's
    #: cluster profile is not): only then does it list its language versions.
    canonical_here: bool = True


def subject(context, request, country, fallback_description: str) -> Item | None:
    """The cluster profile or page the context shows, or ``None`` for a plain view."""
    page = context.get("page")
    if not isinstance(page, Page):  # e.g. a paginator's page on a listing view
        return None
    among = site_languages(country)
    cluster = context.get("cluster")
    if cluster is not None:
        obj, suffix = cluster, f"{cluster.slug}/"
        title = cluster.name
        # Rich text: a space where paragraphs meet (Wagtail's ``get_text_for_indexing``).
        text = (get_text_for_indexing(cluster.description or ""),)
        image, og_type = cluster.logo, "website"
    else:
        obj, suffix = page, ""
        title = page.seo_title or page.title
        text = (page.search_description, getattr(page, "lead", ""), getattr(page, "intro", ""))
        image = getattr(page, "image", None)
        og_type = "article" if page._meta.label_lower == "news.newspage" else "website"
    languages = available_languages(obj, among)
    language = served_language(languages, translation.get_language())
    query = page_query(context)
    here = page_url(request, page, language, suffix)
    canonical = elsewhere = canonical_elsewhere(request, context, country)
    if canonical is None:
        canonical = here + query if here is not None else None
    return Item(
        obj=obj,
        page=page,
        suffix=suffix,
        languages=languages,
        language=language,
        canonical=canonical,
        title=title,
        description=describe(*text, fallback_description),
        image=image_meta(request, image),
        og_type=og_type,
        query=query,
        canonical_here=elsewhere is None,
    )


def feed_links(request, language: str, site_name: str, event: Item | None) -> list[dict]:
    """``<link rel="alternate">`` to this site's news feeds and calendars in ``language``."""
    # "News" and "Events" are translated already (the home page's headings).
    routes = [
        ("news_feed_rss", {}, "application/rss+xml", f"{_('News')} (RSS)"),
        ("news_feed_atom", {}, "application/atom+xml", f"{_('News')} (Atom)"),
        ("events_calendar", {}, "text/calendar", f"{_('Events')} (iCalendar)"),
    ]
    links = []
    with translation.override(language):
        for name, kwargs, content_type, title in routes:
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:  # the feeds' URLs are not mounted (a headless setup)
                continue
            links.append(
                {
                    "type": content_type,
                    "title": f"{site_name} – {title}",
                    "url": request.build_absolute_uri(url),
                }
            )
    if event is not None:
        links.append(
            {
                "type": "text/calendar",
                "title": event.title,
                "url": calendar_url(request, event.page, event.language),
            }
        )
    return links


def calendar_url(request, event_page, language: str | None = None) -> str:
    """Absolute URL of an event's ``.ics`` in ``language`` (default: the language its
    page is served in at the current language's URL)."""
    if language is None:
        language = language_read(event_page, country_of(Site.find_for_request(request)))
    with translation.override(language):
        return request.build_absolute_uri(reverse("event_calendar", kwargs={"pk": event_page.pk}))


def head_meta(context) -> dict:
    """Everything ``includes/head_meta.html`` prints, computed from a template context.

    Plain views (search, errors) get the site's name, description, feeds and
    Organization; a view may set ``canonical_url`` in its context to have a
    canonical link too.
    """
    request = context.get("request")
    if request is None:
        return {}
    site = Site.find_for_request(request)
    country = context.get("country") or country_of(site)
    current = translation.get_language()
    among = site_languages(country)
    home = home_of(site)
    site_name = home.title if home is not None else _("Clusters Cord")
    site_description = describe(getattr(home, "intro", ""))
    item = subject(context, request, country, site_description)
    language = item.language if item else current
    home_url = page_url(request, home, language) if home is not None else None
    site_id = f"{request.build_absolute_uri('/')}#organization"
    graph = [site_organization(site_id, site_name, home_url or request.build_absolute_uri("/"))]
    meta = {
        "site_name": site_name,
        "language": language,
        "locale": og_locale(language, country),
        "title": item.title if item else site_name,
        "description": item.description if item else site_description,
        "og_type": item.og_type if item else "website",
        "canonical": item.canonical if item else absolute(request, context.get("canonical_url")),
        "image": item.image if item else None,
        "locale_alternates": [],
        "x_default": None,
        "feeds": [],
    }
    if item is not None:
        meta["locale_alternates"] = [
            og_locale(code, country) for code in item.languages if code != item.language
        ]
        x_default = x_default_language(item.languages, country)
        if x_default and len(item.languages) > 1 and item.canonical_here:
            url = page_url(request, item.page, x_default, item.suffix)
            meta["x_default"] = url + item.query if url is not None else None
        graph.extend(item_graph(request, site, item, site_id))
    if current in among:
        meta["feeds"] = feed_links(request, current, site_name, event_item(item))
    meta["json_ld"] = json_ld_script({"@context": "https://schema.org", "@graph": graph})
    return meta


def item_graph(request, site, item: Item, publisher_id: str) -> list[dict]:
    """The item's own schema.org node (if its type has one) and its breadcrumbs."""
    nodes = []
    if item.obj is not item.page:
        nodes.append(cluster_node(item, publisher_id))
        extra = [(item.title, page_url(request, item.page, item.language, item.suffix))]
    else:
        schema = PAGE_SCHEMAS.get(item.page._meta.label_lower)
        if schema is not None:
            nodes.append(schema(item, publisher_id))
        extra = []
    crumbs = breadcrumbs(request, site, item.page, item.language, extra)
    if crumbs is not None:
        nodes.append(crumbs)
    return nodes


def event_item(item: Item | None) -> Item | None:
    """``item`` when it is an event page (whose ``.ics`` the head links), else ``None``."""
    if item is None or item.obj is not item.page:
        return None
    return item if item.page._meta.label_lower == "events.eventpage" else None


def absolute(request, url: str | None) -> str | None:
    return request.build_absolute_uri(url) if url else None
