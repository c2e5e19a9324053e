"""The Delivery API at ``/api/v3/``: Wagtail 8's v3 API (django-ninja, OpenAPI 3), made
language-aware.

From Wagtail's v3 API come the NinjaAPI set-up (docs gated by ``WAGTAILAPI_DOCS_ENABLED``),
its problem-details errors (``errors.py`` names the parameter), its limit/offset pagination,
rich text formats and StreamField representations. Ours: scope and language negotiation,
the resources, HTTP caching and sync. Wagtail's own ``/pages/`` API is not mounted: it
reads and writes pages without languages, and this must be the one public, read-only view.
"""

from django.conf import settings
from ninja import NinjaAPI

from cms.api import resources
from cms.api.errors import error_response, register_error_handlers
from cms.api.http import delivery, delivery_view
from cms.api.openapi import complete, operation_id
from cms.api.params import SingleValueParser
from cms.api.routers import network, pages, sync
from cms.search import api as search


def _docs(view):
    """Wagtail's docs gate (``WAGTAILAPI_DOCS_ENABLED``), plus our caching headers."""

    def gated(request, *args, **kwargs):
        if not getattr(settings, "WAGTAILAPI_DOCS_ENABLED", True):
            return error_response(status=404, error="The API documentation is switched off")
        return view(request, *args, **kwargs)

    return delivery_view(gated)


class DeliveryAPI(NinjaAPI):
    """Ninja's API, with the error answers, 304s, response headers, servers, operation ids
    a developer would write and the webhooks in the OpenAPI document (``openapi.complete``)."""

    def get_openapi_operation_id(self, operation):
        return operation_id(operation)

    def get_openapi_schema(self, *args, **kwargs):
        return complete(super().get_openapi_schema(*args, **kwargs))


api = DeliveryAPI(
    title="Clusters Cord Delivery API",
    version="3.0.0",
    description=(
        "Read-only, language-aware content of the Clusters Cord network. "
        "Pick the site with `?site=<country code>` (or the host) and the language with "
        "`?lang=` or `Accept-Language`; every translated field served in another language "
        "is listed in the object's `_fallback`. `?lang=all` returns every language."
    ),
    urls_namespace="delivery_api",
    docs_decorator=_docs,
    openapi_url="/openapi.json",
    docs_url="/docs/",
    parser=SingleValueParser(),
)
register_error_handlers(api)
api.add_decorator(delivery, mode="view")

# The hand-written reads first, the declared listings (``cms.api.listings``) joining their tag's.
routers = {"network": network.router, "pages": pages.router}
resources.add_listings(routers)
for router in routers.values():
    api.add_router("/", router)
api.add_router("/", sync.router)
api.add_router("/search/", search.router)
