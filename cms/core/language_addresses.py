"""A page's address in a language it lacks redirects to its best language, as promised.

wagtail-modeltranslation builds a page's address in a language it has no slug in from
another language's slug: a Polish-only item's English address is its parent's English
path and its Polish slug (``/en/news/dzien-b/``). Its routing, though, looks for each
slug in the active language only, so that address, the one "View live" gives an editor
whose admin is in English, was a 404. Every other address of a language an item lacks
redirects (302) to its best real language (``cms.core.pages.serve_in_real_languages``);
this keeps the promise for these, on a 404 only: what routing finds is served as before.
"""

from __future__ import annotations

from django.utils import translation
from wagtail.models import Page, Site

from cms.core.translation_status import localized
from cms.core.visibility import shown_to_visitors


class LanguageAddressMiddleware:
    """A 404 at the address a visible page has in a language it lacks: a redirect instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        page = page_at_address(request)
        redirect = page.language_redirect(request) if page is not None else None
        return redirect or response


def page_at_address(request):
    """The page visitors may see whose address in the active language is the request's path
    (its ``url_path`` in that language below the site's root), if it knows its languages."""
    language = translation.get_language()
    prefix = f"/{language}/"
    if not request.path_info.startswith(prefix):
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    url_path = localized("url_path", language)
    root_path = getattr(site.root_page, url_path, None) or site.root_page.url_path
    address = root_path + request.path_info[len(prefix) :]
    found = shown_to_visitors(Page.objects.filter(**{url_path: address})).specific().first()
    return found if hasattr(found, "language_redirect") else None
