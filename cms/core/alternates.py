"""Where else an address is: the language versions of a visitor page, and which one is canonical.

A visitor page is one item (a page, or a cluster profile served by a directory
page) in the languages the item really has on its site
(``cms.core.translation_status``). At a language URL the item lacks, a visitor
reads the text of the first language of the fallback chain it has
(``served_language``); the canonical address, ``hreflang`` links, a listing
card's link and a sitemap's alternates all name that language's address, never
one nobody has made ready. A cluster profile has one canonical address, on its
own country's directory (``own_profile_url``), though the hub shows it too.

``cms.core.seo`` prints these in the page's ``<head>``; ``cms.core.sitemaps`` and the
cards of listings read them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from wagtail.models import Page, Site

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES, fallback_chain, site_languages
from cms.core.request_memo import once_per_request
from cms.core.translation_status import available_languages, is_filled, value_in


def country_of(site):
    """The site's country (or hub), or ``None`` for a site ``sync_sites`` does not know."""
    return getattr(site, "country", None) if site is not None else None


def x_default_language(languages, country) -> str | None:
    """The language version search engines offer to everyone else (hreflang ``x-default``).

    The site's own default language when the item has it, else the network's
    common language (English), else the first language the item has.
    """
    if not languages:
        return None
    default = country.default_language if country is not None else COMMON_LANGUAGE
    for code in (default, COMMON_LANGUAGE):
        if code in languages:
            return code
    return languages[0]


def served_language(languages, current: str) -> str:
    """The language whose text a visitor at ``current``'s URL actually reads.

    ``current`` itself when the item has it; otherwise the first language of
    ``current``'s fallback chain that the item has (among ``languages``, the
    item's languages on this site).
    """
    for code in fallback_chain(current):
        if code in languages:
            return code
    return languages[0] if languages else current


def language_read(obj, country) -> str:
    """The language whose text of ``obj`` a visitor reads at the current language's URL of
    ``country``'s site (``served_language`` among the languages ``obj`` has there)."""
    languages = available_languages(obj, site_languages(country))
    return served_language(languages, translation.get_language())


def other_language(request, obj) -> str:
    """The language of ``obj``'s text at this URL when it is not the page's, else "".

    For an element showing a snippet's translated text (a partner's name, a contact's
    role) to say so with ``lang``: the hub's German footer shows the lead partner's
    English name, which a screen reader would otherwise read with German rules.
    """
    language = language_read(obj, country_of(Site.find_for_request(request)))
    return "" if language == translation.get_language() else language


def text_language(obj, field: str) -> str:
    """The language ``obj``'s translated ``field`` is shown in when it is not the page's,
    else "": its own is empty (or held back), so the next language along the fallback
    chain shows, and an element marked with ``lang`` says so. A Polish page whose body
    was left in English read it out with Polish rules, as if it were Polish."""
    current = translation.get_language()
    if current not in LANGUAGE_CODES:
        return ""
    for code in fallback_chain(current):
        if is_filled(value_in(obj, field, code)):
            return "" if code == current else code
    return ""


@dataclass(frozen=True)
class CardLink:
    """Where a listing's card of an item links, and the language of the text it shows."""

    url: str | None
    language: str
    #: ``language`` when it is not the page's (the card marks it with ``lang``), else "".
    other_language: str


def card_link(request, item, directory=None) -> CardLink:
    """A card of ``item`` (a page, or a cluster profile served by ``directory``) on a listing.

    It shows the text a visitor at this URL reads (``served_language``); the link goes to
    the item's own address in that language, not to the address of the page's language,
    which would redirect there and makes public a slug nobody has made ready.
    """
    current = translation.get_language()
    language = language_read(item, country_of(Site.find_for_request(request)))
    if directory is not None:
        url = directory.url_in(request, language, tail=f"{item.slug}/")
    else:
        url = item.url_in(request, language)
    return CardLink(
        url=url, language=language, other_language="" if language == current else language
    )


def crumb(request, page: Page) -> tuple[str, CardLink]:
    """(title, link) of a page on a visitor's trail, as its card would show it: an English
    page below a Polish-only section names that section in Polish and links it in Polish
    (its English title is empty and its English address redirects there)."""
    link = card_link(request, page)
    return value_in(page, "title", link.language) or page.title, link


def page_url(request, page: Page, language: str, suffix: str = "") -> str | None:
    """Absolute URL of ``page`` (plus a routable ``suffix``) in ``language``."""
    with translation.override(language):
        url = page.get_url(request=request)
    if url is None:
        return None
    return request.build_absolute_uri(url + suffix)


def page_query(context) -> str:
    """``?page=N`` for page N > 1 of a listing page's items (each page is its own address)."""
    listed = context.get("page_obj")
    if context.get("cluster") is None and listed is not None and listed.number > 1:
        return f"?page={listed.number}"
    return ""


def canonical_elsewhere(request, context, country) -> str | None:
    """The canonical address of a cluster profile shown on another country's site (the
    hub's directory shows every country's), if it has one there; ``None`` for any other
    page, which is its own canonical address."""
    cluster = context.get("cluster")
    if cluster is None or country is None or cluster.country_id == country.pk:
        return None
    page, language = context["page"], translation.get_language()

    def elsewhere() -> str | None:
        found = own_profile_url(request, cluster)
        return found if found != page_url(request, page, language, f"{cluster.slug}/") else None

    # Asked by the head's metadata and by its hreflang links: read once.
    return once_per_request(("canonical elsewhere", cluster.pk, page.pk, language), elsewhere)


def hreflang_links(context) -> list[dict]:
    """``<link rel="alternate" hreflang>``: this address in each language the item really
    has (the language switcher's links), absolute, and on a listing's page N that page N.

    None on an address whose canonical one is elsewhere (the hub's copy of a country's
    cluster profile): search engines read the language versions where the item is
    canonical, and drop a set whose members name another canonical.
    """
    request = context.get("request")
    alternates = context.get("alternates") or []
    if request is None or not alternates:
        return []
    if isinstance(context.get("page"), Page):
        country = context.get("country")
        if context.get("cluster") is not None and country is None:
            country = country_of(Site.find_for_request(request))
        if canonical_elsewhere(request, context, country):
            return []
        query = page_query(context)
    else:  # a plain view (search): its links are its own
        query = ""
    return [
        {"code": link["code"], "url": request.build_absolute_uri(link["url"]) + query}
        for link in alternates
    ]


def own_profile_url(request, cluster) -> str | None:
    """A cluster profile's address where it belongs, in the language a visitor there reads it:
    the hub's directory serves every country's profiles too, but each profile is one item with
    one canonical address (and that site's sitemap lists it). Where it belongs is the directory
    search and the API link (``ClusterDirectoryPage.directory_serving``): its own country's,
    or the hub's when its country has no live directory."""
    from cms.clusters.models import ClusterDirectoryPage

    directory = ClusterDirectoryPage.directory_serving(cluster.country_id)
    if directory is None:
        return None
    language = language_read(cluster, directory.get_country())
    return page_url(request, directory, language, f"{cluster.slug}/")
