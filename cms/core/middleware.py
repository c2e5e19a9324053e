"""Keep visitors inside their site's languages, and editors inside their country's pages."""

from __future__ import annotations

import logging
import re

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponseBadRequest
from django.http.request import split_domain_port
from django.middleware.http import ConditionalGetMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language_from_path
from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.core.caching import apply_cache_policy
from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES, accepted_languages, site_languages
from cms.core.oversized_numbers import LARGEST_INTEGER
from cms.core.permissions import reachable_pages, visible_media
from cms.core.request_memo import known_for_request

logger = logging.getLogger(__name__)

#: The explorer's reordering of a page among its siblings (drag and drop).
REORDER = "wagtailadmin_pages:set_page_position"

#: Paths that are not visitor pages and carry no language prefix.
UNPREFIXED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/api/")
LANGUAGE_SEGMENT = re.compile(r"^/([a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})?)(?:/|$)")


def is_visitor_path(path: str) -> bool:
    """Visitor pages, search, feeds, sitemaps: not the admin, the API or files."""
    return not path.startswith(UNPREFIXED_PREFIXES)


#: Documents served by Wagtail's view: cached as visitor pages are (``cms.core.caching``):
#: kept by shared caches only when sent to an anonymous visitor; one sent past a privacy
#: check (an editor, a member, a password given: a session) is no-store.
DOCUMENTS_PREFIX = "/documents/"


def normalise_host(request) -> None:
    """Read the request's host as the site's hostname is configured: lower case, without
    the trailing dot of a fully qualified name (the port stays).

    Wagtail finds ``CZ.localhost``'s and ``cz.localhost.``'s site (Django's
    ``split_domain_port`` reads both as ``cz.localhost``), but every absolute URL built
    from the request (canonical, hreflang, ``og:url``, JSON-LD ids, sitemaps, robots.txt,
    feeds, calendars) copied the header, so a client or proxy sending ``CZ.localhost``
    (and a cache keyed on the normalised host) published ``http://CZ.localhost/…`` as the
    canonical address. Changes ``request.META``: every later ``request.get_host()``
    (redirects, CSRF's origin check) reads the normalised host. A malformed host is left
    for Django's host check to refuse.
    """
    for name in ("HTTP_HOST", "HTTP_X_FORWARDED_HOST"):
        host = request.META.get(name)
        if not host:
            continue
        domain, port = split_domain_port(host)
        if domain:
            request.META[name] = f"{domain}:{port}" if port else domain


def preferred_language(request, languages: tuple[str, ...], default: str) -> str:
    """The visitor's language among ``languages``: cookie, then Accept-Language, then default."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in languages:
        return cookie
    return next((code for code in accepted_languages(request) if code in languages), default)


def languages_of(request) -> tuple[tuple[str, ...], str]:
    """The languages of the request's site and its default (every language on an unknown host)."""
    site = Site.find_for_request(request)
    country = getattr(site, "country", None) if site else None
    languages = site_languages(country)
    default = country.default_language if country else COMMON_LANGUAGE
    return languages, default if default in languages else languages[0]


class SiteLanguageMiddleware:
    """The gate of the visitor sites, on the way in and out.

    In: 404 for an unknown host or language, or a language this site does not
    publish in. It runs before Django's LocaleMiddleware; without it ``/xx/``
    would be redirected to ``/en/xx/`` and ``/de/`` on the Czech site would
    serve a German shell around Czech fallback text.

    Out: HTTP caching of visitor responses (``cms.core.caching``): their
    ``Cache-Control``, then Django's ``ConditionalGetMiddleware`` for an ETag
    and the 304 on ``If-None-Match`` / ``If-Modified-Since`` (pages set
    ``Last-Modified`` as they are served). It sits inside the session
    middleware and outside CSRF and authentication, so it sees every cookie
    the response sets. The API keeps its own validators (``cms.api``).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Used for its process_response only: ETag and 304, Django's own rules.
        self.conditional_get = ConditionalGetMiddleware(get_response)

    def __call__(self, request):
        normalise_host(request)
        self.check_language(request)
        response = self.get_response(request)
        if is_visitor_path(request.path_info):
            apply_cache_policy(request, response)
            response = self.validated(request, response)
        elif request.path_info.startswith(DOCUMENTS_PREFIX):
            apply_cache_policy(request, response)
            if response.get("Content-Encoding") == str(None):  # what Wagtail's sendfile writes
                del response["Content-Encoding"]
        return response

    def validated(self, request, response):
        """The response with its ETag, or the 304 standing for it (``ConditionalGetMiddleware``).

        Django's middleware does nothing for HEAD, so a HEAD had no ETag and never a 304,
        where RFC 9110 wants the GET's headers. A HEAD's response still holds the GET's
        body here (the server drops it), so it is validated as the GET it stands for.
        """
        if request.method != "HEAD":
            return self.conditional_get.process_response(request, response)
        request.method = "GET"
        try:
            return self.conditional_get.process_response(request, response)
        finally:
            request.method = "HEAD"

    def check_language(self, request) -> None:
        path = request.path_info
        if path.startswith(UNPREFIXED_PREFIXES):
            return
        # Django's host check first: a host outside ALLOWED_HOSTS is its 400 (DisallowedHost).
        # Wagtail's site lookup reads the raw host, and the 404 page it would lead to fails
        # on that host while building its absolute links: a 500 for any scanner.
        request.get_host()
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("Unknown host")
        # The page served here is on this site: its get_site shares the object (and country).
        known_for_request(("site", site.pk), site)
        language = get_language_from_path(path)
        if language is None:
            match = LANGUAGE_SEGMENT.match(path)
            if match and match.group(1).lower() not in LANGUAGE_CODES:
                raise Http404(f"Unknown language {match.group(1)!r}")
            return
        country = getattr(site, "country", None)
        if country is not None and country.languages and language not in country.languages:
            raise Http404(f"This site does not publish in {language!r}")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that an admin 404 stays a 404 and the sitemap and
    robots.txt do not vary by the browser's language.

    With ``i18n_patterns`` and Wagtail's catch-all page route, every unknown
    path "exists" under ``/en/``, so Django answers a 404 on ``/admin/…`` with
    a redirect to ``/en/admin/…`` (the visitor 404 page). Admin URLs carry no
    language, so their 404s (e.g. another country's snippet) are returned as they are.
    """

    NO_REDIRECT_PREFIXES = ("/admin/", "/api/", "/documents/")
    #: Unprefixed visitor files that read no language: Django would mark them as varying
    #: by ``Accept-Language`` (and name the browser's language in ``Content-Language``),
    #: so a CDN kept one copy per browser language of the same sitemap.
    #: The sitemap index, its sections (``/sitemap-pages.xml``) and robots.txt.
    LANGUAGE_NEUTRAL_PATHS = re.compile(r"/(sitemap(-[\w-]+)?\.xml|robots\.txt)")

    def process_response(self, request, response):
        path = request.path_info
        if self.LANGUAGE_NEUTRAL_PATHS.fullmatch(path) and response.status_code == 200:
            return response
        if response.status_code == 404 and path.startswith(self.NO_REDIRECT_PREFIXES):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        if response.status_code == 404 and get_language_from_path(path) is None:
            return self.redirect_into_site_language(request, response)
        return super().process_response(request, response)

    def redirect_into_site_language(self, request, response):
        """An address without a language (``/aktuality/``), sent to it in the visitor's
        language among the site's, as ``/`` is (``cms.core.views.root_redirect``).

        Django chose among every language the project has (the browser's, else
        English): a Slovak browser on the Czech site, or a crawler sending no
        ``Accept-Language``, was sent to ``/sk/…`` or ``/en/aktuality/``, both 404s.
        A slug that is not the visitor's language's (``/aktuality/`` for an English
        browser) goes to the language it is written in (``/cs/aktuality/``). The answer
        depends on the cookie and the browser: theirs alone.
        """
        languages, default = languages_of(request)
        preferred = preferred_language(request, languages, default)
        with translation.override(language_of_address(request, preferred, languages, default)):
            response = super().process_response(request, response)
        if response.status_code in (301, 302):
            patch_vary_headers(response, ("Cookie",))
            patch_cache_control(response, private=True, max_age=0)
        return response


def language_of_address(request, preferred: str, languages, default: str) -> str:
    """The language whose slugs make ``request``'s path a page of its site: ``preferred``
    if they do (or if no language's do: its 404 is in the visitor's language), else the
    first other one, the site's default first."""
    site = Site.find_for_request(request)
    components = [part for part in request.path_info.split("/") if part]
    if site is None or not components:
        return preferred
    root = site.root_page.specific
    for language in dict.fromkeys((preferred, default, *languages)):
        with translation.override(language):
            try:
                root.route(request, components)
            except Http404:
                continue
        return language
    return preferred


class AdminLanguageMiddleware:
    """The whole admin request in the editor's chosen admin language, not only its view.

    Wagtail switches to the user's preferred language around each admin view, but
    answers a view's ``PermissionDenied`` ("Sorry, you do not have permission to access
    this area.") after that switch has ended, and the admin 404 of a refused or missing
    object (``AdminPageScopeMiddleware``, the snippet views) is rendered outside it too:
    both came in the browser's language. The preference is Wagtail's own
    (its ``UserProfile.get_preferred_language``); a user without a profile keeps the
    language Django's ``LocaleMiddleware`` chose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.editor_language(request)
        if language is None:
            return self.get_response(request)
        with translation.override(language):
            return self.get_response(request)

    @staticmethod
    def editor_language(request) -> str | None:
        if not request.path_info.startswith("/admin/"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            profile = user.wagtail_userprofile  # cached on the user: Wagtail reads it again
        except ObjectDoesNotExist:
            return None
        return profile.get_preferred_language()


def scoped_admin_user(request):
    """The user of an admin request whom the country scopes apply to: signed in, not a
    superuser (None for any other request)."""
    if not request.path_info.startswith("/admin/"):
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    return user


class AdminPageScopeMiddleware:
    """404 for any admin URL that names a page outside the user's country trees.

    Wagtail already refuses to let a Czech editor edit, publish, move, copy
    or delete an Italian page (its page permissions are per tree), but it
    answers with a redirect to the dashboard, and some views show the other
    country's page titles: bulk actions list the pages "you cannot act on",
    the page chooser browses any tree, and its "chosen" step echoes any page.
    This middleware answers all of them alike with a 404, before the view
    runs, for every page id in the URL, in the ``id``/``childOf`` query of
    bulk actions and the chooser, and in the destination posted to "copy"
    and "bulk move" (whose refusal would name the destination). Pages on the
    way down to the user's own tree (the root) stay reachable so the
    explorer and chooser can be walked.
    """

    #: URL keyword arguments that carry a page id in Wagtail's admin URLs.
    PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
    #: Admin URL names whose query string carries page ids.
    PAGE_ID_QUERIES = {"wagtail_bulk_action", "wagtailadmin_choose_page_chosen_multiple"}
    #: Posted form fields that name a destination page: copy to, bulk move to.
    PAGE_ID_FIELDS = {
        "wagtailadmin_pages:copy": "new_parent_page",
        "wagtail_bulk_action": "chooser",
    }
    #: Reports that summarise every country's pages at once (with page titles): superusers only.
    NETWORK_WIDE_VIEWS = {
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = scoped_admin_user(request)
        if user is None:
            return None
        match = request.resolver_match
        if match.view_name in self.NETWORK_WIDE_VIEWS:
            raise Http404("A network-wide report")
        ids = {view_kwargs[name] for name in self.PAGE_ID_KWARGS if name in view_kwargs}
        if "pk" in view_kwargs and "wagtailadmin_pages" in match.namespaces:
            ids.add(view_kwargs["pk"])  # the revisions comparison names its page "pk"
        if self.names_pages_in_query(match, view_kwargs):
            ids |= {value for value in request.GET.getlist("id") if value != "all"}
            if request.GET.get("childOf"):
                ids.add(request.GET["childOf"])
        field = self.PAGE_ID_FIELDS.get(match.view_name)
        if field and request.method == "POST" and request.POST.get(field):
            if match.view_name != "wagtail_bulk_action" or self.is_page_model(view_kwargs):
                ids.add(request.POST[field])
        if ids:
            self.check_reachable(user, ids)
        return None

    def names_pages_in_query(self, match, view_kwargs) -> bool:
        if match.url_name not in self.PAGE_ID_QUERIES:
            return False
        return match.url_name != "wagtail_bulk_action" or self.is_page_model(view_kwargs)

    def is_page_model(self, view_kwargs) -> bool:
        """Whether a bulk action URL acts on pages (rather than snippets, images, users)."""
        try:
            model = apps.get_model(view_kwargs["app_label"], view_kwargs["model_name"])
        except (KeyError, LookupError):
            return False
        return issubclass(model, Page)

    def check_reachable(self, user, ids) -> None:
        try:
            wanted = {int(value) for value in ids}
        except (TypeError, ValueError) as error:
            raise Http404("Not a page id") from error
        if any(not 0 < pk <= LARGEST_INTEGER for pk in wanted):
            raise Http404("No such page")  # SQLite would refuse to bind it: a 500
        if reachable_pages(user).filter(pk__in=wanted).count() != len(wanted):
            raise Http404("No such page")


class AdminMediaScopeMiddleware:
    """404 for any admin URL that names an image or document the user may not see.

    Wagtail refuses another country's image or document (its collection permissions) with
    ``PermissionDenied``, which its admin answers with a redirect to the dashboard (a 403
    for the chooser), while an id that exists nowhere is a 404: the difference told a Czech
    editor which ids another country's images and documents have. Answered alike here,
    before the view runs, as ``AdminPageScopeMiddleware`` does for pages. Seen: in the
    user's or the shared collections (``visible_media``), or uploaded by the user (Wagtail's
    ownership rule), so nothing the user could open before is refused.
    """

    #: URL keyword arguments that name an image or a document in Wagtail's admin URLs.
    MEDIA_ID_KWARGS = {"image_id": "image", "document_id": "document", "doc_id": "document"}
    #: Namespaces whose ``pk`` names one: the choosers' "chosen" step.
    MEDIA_PK_NAMESPACES = {"wagtailimages_chooser": "image", "wagtaildocs_chooser": "document"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = scoped_admin_user(request)
        if user is None:
            return None
        for kind, pk in self.named_media(request.resolver_match, view_kwargs):
            self.check_visible(user, media_model(kind), pk)
        return None

    def named_media(self, match, view_kwargs) -> list[tuple[str, object]]:
        """The (kind, id) of each image or document the URL names."""
        named = [
            (kind, view_kwargs[name])
            for name, kind in self.MEDIA_ID_KWARGS.items()
            if name in view_kwargs
        ]
        if "pk" in view_kwargs:
            for namespace in match.namespaces:
                if namespace in self.MEDIA_PK_NAMESPACES:
                    named.append((self.MEDIA_PK_NAMESPACES[namespace], view_kwargs["pk"]))
        return named

    @staticmethod
    def check_visible(user, model, pk) -> None:
        try:
            pk = int(pk)
        except (TypeError, ValueError) as error:
            raise Http404("Not an id") from error
        seen = visible_media(model, user).filter(pk=pk).exists()
        if not seen and not model.objects.filter(pk=pk, uploaded_by_user=user).exists():
            raise Http404("No such image or document")


def media_model(kind: str):
    """The image or the document model (Wagtail's settings may swap either)."""
    return get_image_model() if kind == "image" else get_document_model()


class RedirectKeepingQueryMiddleware(RedirectMiddleware):
    """Wagtail's redirects, keeping the query string when a redirect was made for the path.

    A redirect is stored for an address without its query (an old slug's, or an editor's
    ``/akce``), and Wagtail answers ``/cs/aktuality/?page=2&tag=ict`` with its target
    alone: the visitor following an old link to page 2 of a filtered listing landed on
    page 1, unfiltered, and campaign parameters were lost. A redirect an editor made for
    an address with its query (``/?p=12``) still goes where it says.
    """

    def process_response(self, request, response):
        answer = super().process_response(request, response)
        query = request.META.get("QUERY_STRING", "")
        if answer is response or not query or "?" in answer["Location"]:
            return answer
        full_path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        if get_redirect(request, full_path) is not None:
            return answer  # made for this very query: its target is the editor's choice
        location, hash_mark, fragment = answer["Location"].partition("#")
        answer["Location"] = f"{location}?{query}{hash_mark}{fragment}"  # before a #fragment
        return answer


class AdminNextMiddleware:
    """A ``next`` that is no address is dropped from admin requests before the view.

    Wagtail's views follow a safe ``?next=`` with Django's ``redirect``, which takes a
    value without a slash (``next=foo``) for a URL's name: a 500 (``NoReverseMatch``)
    after the action, which rolled back the atomic ones (an image's edit, a page's
    deletion) and left the others done (an unpublish) with an error saying it failed.
    Without it, each view goes where it goes when no ``next`` is given.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            request.GET = without_odd_next(request.GET)
            if request.method == "POST" and "next" in request.POST:
                request.POST = without_odd_next(request.POST)
        return self.get_response(request)


def without_odd_next(query):
    """``query`` without its ``next`` values that are not an address (``/…``)."""
    values = query.getlist("next")
    if all(value.startswith("/") for value in values):
        return query
    query = query.copy()
    query.setlist("next", [value for value in values if value.startswith("/")])
    return query


class ReorderRefusalMiddleware:
    """A 400 naming the reason for the explorer's reordering of a page Wagtail's move cannot
    save (no English title and slug: ``cms.core.page_moves.cannot_be_moved``): the
    reordering is a move, with no hook before it, and it was a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match.view_name != REORDER:
            return None
        from cms.core.page_moves import cannot_be_moved, refusal  # noqa: PLC0415 - admin code

        page = Page.objects.filter(pk=view_kwargs.get("page_to_move_id")).first()
        if page is None or not cannot_be_moved(page):
            return None
        return HttpResponseBadRequest(refusal(page), content_type="text/plain; charset=utf-8")
