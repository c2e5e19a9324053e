"""The visitor site's chrome: header, navigation, search box, breadcrumbs and footer.

Every visitor template (pages, the search page, the 404 page) extends
``base.html``, which asks ``{% site_chrome as chrome %}`` for what the frame
around the content needs. It is computed from the request alone, so that pages
that are not Wagtail pages (search, errors) get the same header and footer as
the pages do. ``500.html`` does not use it: a server error may come from the
database, so that template is static.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from cms.core.alternates import crumb
from cms.core.languages import COMMON_LANGUAGE, site_languages
from cms.core.pages import navigation, trail
from cms.core.translation_status import hide_unready
from cms.core.visibility import in_a_language, shown_to_visitors

register = template.Library()

#: The legal pages every site has (``sites/legal.toml``), found by their English slug.
LEGAL_PAGE_SLUGS = ("imprint", "privacy", "accessibility")


def site_of(request) -> Site | None:
    return Site.find_for_request(request) if request is not None else None


def country_of(site):
    """The site's country, or None (a site sync_sites did not make has none)."""
    from cms.core.models import Country

    if site is None:
        return None
    return Country.objects.filter(site=site).first()


def home_language(country) -> str:
    """The language links to this site should use: the visitor's if the site serves it."""
    current = translation.get_language() or COMMON_LANGUAGE
    languages = site_languages(country)
    if current in languages:
        return current
    if country is not None and country.default_language in languages:
        return country.default_language
    return languages[0] if languages else COMMON_LANGUAGE


def navigation_items(request, pages, current_path: str) -> list[dict]:
    """Each section with its URL and whether the visitor is on it (``page``) or inside it."""
    items = []
    for page in pages:
        url = page.get_url(request=request)
        if not url:
            continue
        if current_path == url:
            current = "page"
        elif current_path.startswith(url):
            current = "true"
        else:
            current = ""
        items.append({"title": page.title, "url": url, "current": current})
    return items


def footer_partner(country):
    """The partner organisation to name in the footer: the country's, on the hub the lead's
    (none when visitors read it in no language: the footer's general text instead)."""
    from cms.partners.models import PartnerOrganisation

    partners = in_a_language(PartnerOrganisation.objects.all())
    if country is None or country.is_hub:
        partners = partners.filter(is_lead_partner=True)
    else:
        partners = partners.filter(country=country)
    partner = partners.first()
    return hide_unready(partner) if partner is not None else None


def footer_contact(partner):
    from cms.partners.models import ContactPerson

    if partner is None:
        return None
    contact = ContactPerson.objects.filter(organisation=partner).order_by("pk").first()
    return hide_unready(contact) if contact is not None else None


def legal_links(request, site) -> list[dict]:
    """Imprint, privacy and accessibility statement of the site, in that order."""
    from cms.home.models import StandardPage

    if site is None:
        return []
    pages = {
        page.slug_en: page
        for page in shown_to_visitors(StandardPage.objects.child_of(site.root_page)).filter(
            slug_en__in=LEGAL_PAGE_SLUGS
        )
    }
    links = []
    for slug in LEGAL_PAGE_SLUGS:
        page = pages.get(slug)
        if page is None:
            continue
        hide_unready(page)
        links.append({"title": page.title, "url": page.get_url(request=request)})
    return links


@register.simple_tag(takes_context=True)
def site_chrome(context) -> dict:
    """What the header and footer show, for the site and language of this request."""
    request = context.get("request")
    site = site_of(request)
    country = context.get("country") or country_of(site)
    language = home_language(country)
    pages = context.get("navigation")
    if pages is None:
        pages = navigation(request) if site is not None else []
    with translation.override(language):
        search_url = reverse("search")
    partner = footer_partner(country)
    page = context.get("page")
    return {
        "is_home": site is not None and getattr(page, "pk", None) == site.root_page_id,
        "site_name": country.name if country is not None else "Clusters Cord",
        "is_hub": country is None or country.is_hub,
        "country": country,
        "language": language,
        "home_url": f"/{language}/",
        "search_url": search_url,
        "search_max_chars": settings.SEARCH_MAX_QUERY_CHARS,
        "navigation": navigation_items(request, pages, request.path if request else ""),
        "partner": partner,
        "contact": footer_contact(partner),
        "legal": legal_links(request, site),
    }


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None, last_title: str = "") -> dict:
    """The trail from the site's home page to ``page``.

    ``page`` itself is the current (unlinked) crumb, unless ``last_title`` names
    something below it (a cluster profile, a search): then ``page`` is linked
    and ``last_title`` is the current crumb. The home page has no trail.
    """
    request = context.get("request")
    site = site_of(request)
    crumbs: list[dict] = []
    if site is not None and page is not None and page.depth > site.root_page.depth:
        for ancestor in trail(page, site):
            title, link = crumb(request, ancestor)
            crumbs.append({"title": title, "url": link.url, "lang": link.other_language})
    elif last_title:
        crumbs.append({"title": "", "url": f"/{home_language(country_of(site))}/"})
    if crumbs:
        crumbs[0]["is_home"] = True
    if last_title:
        crumbs.append({"title": last_title, "url": ""})
    elif crumbs:
        crumbs[-1]["url"] = ""
    return {"crumbs": crumbs if len(crumbs) > 1 else []}


@register.simple_tag
def search_max_chars() -> int:
    """The longest query the search accepts, for a box's ``maxlength`` (no database: 500.html)."""
    return settings.SEARCH_MAX_QUERY_CHARS
