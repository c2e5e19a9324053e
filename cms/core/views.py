"""Visitor views that are not pages: the language-choosing root, the switcher's
remembered choice, error pages, and media files in development."""

import posixpath
import re
from functools import wraps

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import (
    Http404,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Site

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES, language_name
from cms.core.middleware import is_visitor_path, languages_of, preferred_language


def root_redirect(request):
    """Send ``/`` to the site's home page in the visitor's (or the site's) language.

    The answer depends on the visitor's cookie and browser, so it is theirs
    alone: ``Vary`` names both and shared caches are told not to keep it.
    """
    if Site.find_for_request(request) is None:
        raise Http404("Unknown host")
    languages, default = languages_of(request)
    target = f"/{preferred_language(request, languages, default)}/"
    query = request.META.get("QUERY_STRING", "")  # a campaign's ?utm_source=… goes along
    response = HttpResponseRedirect(f"{target}?{query}" if query else target)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    patch_cache_control(response, private=True, max_age=0)
    return response


def choose_language(request):
    """The language switcher's links: remember the choice, then go to the page.

    ``/language/?next=/de/news/x/`` sets the language cookie to ``de`` and
    redirects (302) to ``next``. A plain link, so it works without
    JavaScript; only this never-cached redirect sets the cookie, so pages
    themselves stay cacheable by a CDN. ``next`` must be a path on this site
    that starts with a language the site publishes in, once its ``..`` are resolved
    (``resolved_path``: ``/en/../admin/`` is the admin, where a browser would go).
    """
    target = resolved_path(request.GET.get("next", ""))
    safe = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    language = translation.get_language_from_path(target) if safe else None
    languages, default = languages_of(request)
    if language not in languages:
        with translation.override(preferred_language(request, languages, default)):
            message = _("The address to go to (next) is not a page of this site.")
        response = bad_request_page(request, message)
        add_never_cache_headers(response)
        return response
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    add_never_cache_headers(response)
    return response


#: A dot percent-encoded, which browsers resolve in a path as the dot itself.
DOT = re.compile("%2e", re.IGNORECASE)


def resolved_path(target: str) -> str:
    """A path as a browser resolves it: the dot segments of the part before the query
    (``.`` and ``..``, also percent-encoded: ``%2e%2e``) resolved as ``posixpath.normpath``
    does, the trailing slash and the query kept. Anything that is not a path is returned
    as it is (the caller refuses it)."""
    path, mark, query = target.partition("?")
    if not path.startswith("/"):
        return target
    dotted = DOT.sub(".", path)
    resolved = posixpath.normpath(dotted)
    if dotted.endswith(("/", "/.", "/..")) and not resolved.endswith("/"):
        resolved += "/"
    return resolved + mark + query


def error_language(request) -> str:
    """The language of an error page: the URL's, if this site publishes in it, else the
    visitor's among the site's (so its links never lead to a language the site lacks)."""
    languages, default = languages_of(request)
    language = translation.get_language_from_path(request.path_info)
    if language in languages:
        return language
    return preferred_language(request, languages, default)


def page_not_found(request, exception=None):
    """A friendly 404 in the visitor's language, for any bad address.

    Inside the admin (a refused or missing object) it is Wagtail's own admin 404,
    in the editor's language: the visitor chrome would show the hub's navigation
    to an editor, and nothing of a site belongs on a refusal.
    """
    if request.path_info.startswith(reverse("wagtailadmin_home")):
        return render(request, "wagtailadmin/404.html", status=404)
    return error_page(request, "404.html", {"alternates": home_alternates(request)}, status=404)


def error_page(request, template: str, context: dict, *, status: int):
    """An error page in the visitor's language (``error_language``), saying which it is and
    what chose it: a 404 raised before the locale middleware ran (``/xx/``) had neither."""
    language = error_language(request)
    with translation.override(language):
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def bad_request_page(request, message: str, *, status: int = 400, **texts):
    """A friendly 400 in the visitor's language (as the 404), saying what is wrong.

    Not named ``400.html``: Django's own ``handler400`` would render that without a
    request context for a bad ``Host`` (which no site chrome can be built for). Another 4xx
    names itself in ``texts`` (``heading``, ``code_label``).
    """
    context = {"message": message, "alternates": home_alternates(request), **texts}
    return error_page(request, "bad_request.html", context, status=status)


def bad_request(request, exception=None):
    """Django's own 400 (``handler400``): a request it refused as a view read it, e.g. a
    query string of more parameters than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``.

    On the visitor sites it is the visitors' 400 page in their language (it was Django's
    bare English "Bad Request (400)"). A host outside ``ALLOWED_HOSTS`` keeps Django's
    page, as do the admin and the API: no site chrome can be built for a host that is
    not allowed, and neither of those is a visitor page.
    """
    if isinstance(exception, DisallowedHost) or not is_visitor_path(request.path_info):
        return defaults.bad_request(request, exception)
    with translation.override(error_language(request)):
        message = _(
            "This request cannot be read: the address or the form sent is malformed or too large."
        )
    response = bad_request_page(request, message)
    add_never_cache_headers(response)
    return response


def reads_only(view):
    """GET and HEAD only, as Django's ``require_safe``, but another method gets the visitors'
    page in their language (405, ``Allow``) instead of an empty English 405: for the
    addresses that are read, never sent a form (sitemap, robots.txt, feeds, calendars;
    Django's feed views answered a POST with the feed), and the other visitor views that
    are not pages: the search (its form is sent with GET; it answered TRACE and OPTIONS
    with results), ``/``, the language switcher and development's media files.

    Exempt from the CSRF check, which would otherwise refuse a POST without a token (a
    bot's, anyone's: visitors never get one here) with the 403 of a refused form before
    this 405: a view that changes nothing for any method has nothing to protect."""

    @wraps(view)
    def only_read(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return method_not_allowed(request)

    return csrf_exempt(only_read)


def method_not_allowed(request):
    """The 405 of an address that is only read, as a page in the visitor's language."""
    language = error_language(request)
    with translation.override(language):
        message = _("This address can only be read; it takes no form.")
        texts = {"heading": _("Method not allowed"), "code_label": _("Error 405")}
    response = bad_request_page(request, message, status=405, **texts)
    response["Allow"] = "GET, HEAD"
    response["Content-Language"] = language  # /sitemap.xml has no language of its own
    add_never_cache_headers(response)
    return response


def csrf_failure(request, reason=""):
    """A form refused for its missing or stale CSRF token (``CSRF_FAILURE_VIEW``).

    On the visitor sites (a password form left open too long, a POST from elsewhere) a
    friendly 403 in the visitor's language instead of Django's bare page; the admin keeps
    Django's, which tells an editor about cookies and the reason.
    """
    if request.path_info.startswith(reverse("wagtailadmin_home")):
        return csrf.csrf_failure(request, reason)
    with translation.override(error_language(request)):
        message = _(
            "The form has expired or was not sent from this site. "
            "Go back, reload the page and try again."
        )
        texts = {"heading": _("This form was not accepted"), "code_label": _("Error 403")}
    response = bad_request_page(request, message, status=403, **texts)
    add_never_cache_headers(response)
    return response


def home_alternates(request) -> list[dict]:
    """The language switcher of an error page: the site's home page in each of its languages
    (the address that failed has no versions to offer)."""
    languages, _default = languages_of(request)
    return [{"code": code, "name": language_name(code), "url": f"/{code}/"} for code in languages]


def server_error(request):
    """The 500 page in the URL's language, else English.

    Rendered like Django's own: without the request's context processors (the
    user, the session), since the database may be what failed; the language
    comes from the address alone.
    """
    language = translation.get_language_from_path(request.path_info)
    with translation.override(language if language in LANGUAGE_CODES else COMMON_LANGUAGE):
        return HttpResponseServerError(loader.get_template("500.html").render())


def serve_media(request, path):
    """``MEDIA_ROOT`` as the reverse proxy serves it in production, for ``DEBUG`` only: every
    file but the documents, which Wagtail's view serves after checking their collection's
    privacy (a file name is easy to guess; README, "Media")."""
    from django.views.static import serve
    from wagtail.documents import get_document_model

    documents = get_document_model()._meta.get_field("file").upload_to  # "documents"
    if posixpath.normpath(path).lstrip("/").split("/")[0] == documents:  # also ./documents/
        raise Http404("Documents are served at /documents/<id>/<file name>")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
