"""Every address Wagtail gives a page is served: redirected when the page lacks the language.

wagtail-modeltranslation builds a page's address in a language it has no slug in from
another language's slug: a Polish-only item's English address is its parent's English
path and its Polish slug (``/en/news/dzien-b/``), and so is the English address of an
English page below a Polish-only section (``/en/o-nas/team/``). Its routing, though,
looks for each slug in the active language only, so these addresses, the ones "View
live", the language switcher and the sitemap give, were 404s. This finds the page on a
404 only (what routing finds is served as before): one lacking the language redirects
(302) to its best real language, as every other address of a language an item lacks
does (``cms.core.pages.serve_in_real_languages``); one having it is served.

Routing itself is where this belongs, but wagtail-modeltranslation sets ``route`` on
every translated page class, over any ``BasePage.route``.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import translation
from wagtail import hooks
from wagtail.models import Page, Site
from wagtail.views import serve_chain

from cms.core.translation_status import localized


class LanguageAddressMiddleware:
    """A 404 at an address a live page has: the page, as routing would have served it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        page = page_at_address(request)
        if page is None:
            return response
        try:
            return served(page, request)
        except Http404:  # a routable page without a view at its own address
            return response


def served(page, request) -> HttpResponse:
    """``page`` answered as Wagtail's ``serve`` view answers the page routing finds: its
    ``before_serve_page`` hooks first (a view restriction's password form or sign-in),
    then through its ``on_serve_page`` hooks (a language it lacks redirects)."""
    page, args, kwargs = page.route(request, [])
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    chain = serve_chain
    for hook in reversed(hooks.get_hooks("on_serve_page")):
        chain = hook(chain)
    response = chain(page, request, args, kwargs)
    if hasattr(response, "render"):
        response.render()  # a view's TemplateResponse is rendered by Django; this is not a view
    return response


def page_at_address(request):
    """The live page whose address in the active language is the request's path (its
    ``url_path`` in that language below the site's root), if it is one of the site's own
    (which know their languages); restricted ones too, as routing finds them."""
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
    found = list(Page.objects.live().filter(**{url_path: address}).specific()[:10])
    # A Polish-only sibling with the same slug has this address too: the page that has the
    # language is the one its switcher, the sitemap and "View live" mean.
    slug = localized("slug", language)
    found.sort(key=lambda page: not getattr(page, slug, ""))
    return next((page for page in found if hasattr(page, "language_redirect")), None)
