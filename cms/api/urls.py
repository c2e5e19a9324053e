"""The API's URLs, without language prefixes: ``cms/urls.py`` includes them (and
``cms.core.middleware.LocaleMiddleware`` leaves an API 404 a 404)."""

from functools import wraps

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpResponsePermanentRedirect
from django.urls import URLPattern, is_valid_path, path, re_path
from django.views.decorators.csrf import csrf_exempt

from cms.api.api import api
from cms.api.errors import ERROR_TYPES_PATH, error_response, error_types_page
from cms.api.http import API_URLCONF, delivery_view


def http_methods(view):
    """Every API view: HEAD answered like GET, any other method a JSON 405, a query string
    Django will not read (more parameters than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``) a JSON 400.

    Ninja routes GET only; caches and link checkers also send HEAD (its body the server
    leaves out: gunicorn, runserver, Django's test client). Read-only, the API has nothing
    a forged cross-site request could change: Django's CSRF check answered a POST to the
    OpenAPI document, the docs or an unknown path with its HTML 403.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error_response(status=405, error=f"{request.method} is not allowed here")
            response["Allow"] = "GET, HEAD"
            return response
        try:
            request.GET  # noqa: B018 - parsed here, where a refusal can still be JSON
        except TooManyFieldsSent:
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            return error_response(status=400, error=f"more than {limit} query parameters")
        if request.method == "GET":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"

    return wrapper


def wrapped(patterns):
    """Ninja's URL patterns, each answering as ``http_methods`` says."""
    return [
        URLPattern(p.pattern, http_methods(p.callback), p.default_args, p.name) for p in patterns
    ]


#: The name of the pattern answering every other /api/ path.
NOT_FOUND = "api-not-found"


@delivery_view
def not_found(request, rest=""):
    """A JSON 404 for any other /api/ path (or the way to the one with a slash)."""
    if not request.path.endswith("/"):
        match = is_valid_path(f"{request.path}/", API_URLCONF)
        if match and match.url_name != NOT_FOUND:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                f"{request.path}/" + (f"?{query}" if query else "")
            )
    return error_response(status=404, error=f"No API resource at {request.path}")


# Not unpacked into module globals: a module-level ``app_name`` would make
# ``include("cms.api.urls")`` namespace everything under it.
_api_urls = api.urls

urlpatterns = [
    # What the errors' ``type`` URIs point at (``errors.PROBLEM_TYPES``).
    path(
        ERROR_TYPES_PATH.lstrip("/"),
        http_methods(delivery_view(error_types_page)),
        name="api-error-types",
    ),
    path("api/v3/", (wrapped(_api_urls[0]), _api_urls[1], _api_urls[2])),
    re_path(r"^api/(?P<rest>.*)$", http_methods(not_found), name=NOT_FOUND),
]

if settings.API_BENCH:  # the baseline of `make bench-api`, never in a deployment
    from cms.bench.api import ping

    urlpatterns.insert(0, path("api/v3/_ping", ping))
