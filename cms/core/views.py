"""Visitor views that are not pages: the language-choosing root and error pages."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from wagtail.models import Site

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.pages import site_languages


def preferred_language(request, languages: tuple[str, ...], default: str) -> str:
    """The visitor's language among ``languages``: cookie, then Accept-Language, then default."""
    cookie = request.COOKIES.get("django_language")
    if cookie in languages:
        return cookie
    for accepted, _quality in parse_accept_lang_header(
        request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    ):
        code = accepted.split("-")[0].lower()
        if code in languages:
            return code
    return default


def root_redirect(request):
    """Send ``/`` to the site's home page in the visitor's (or the site's) language."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("Unknown host")
    country = getattr(site, "country", None)
    languages = site_languages(country)
    default = country.default_language if country else languages[0]
    language = preferred_language(request, languages, default)
    response = HttpResponseRedirect(f"/{language}/")
    response["Vary"] = "Accept-Language, Cookie"
    return response


def page_not_found(request, exception=None):
    """A friendly 404 in the visitor's language (from the URL, else their browser)."""
    language = translation.get_language_from_path(request.path_info)
    if language is None:
        language = preferred_language(request, LANGUAGE_CODES, COMMON_LANGUAGE)
    with translation.override(language):
        return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
