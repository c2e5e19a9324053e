"""The Delivery API: Wagtail 8's v3 API (django-ninja, OpenAPI 3), made language-aware.

Mounted at ``/api/v3/`` with ``openapi.json`` and interactive ``docs/``.

What comes from Wagtail's v3 API: the NinjaAPI setup (docs gated by
``WAGTAILAPI_DOCS_ENABLED``), its problem-details error handlers (extended in
``errors.py`` to name the parameter), its limit/offset pagination (extended
with next/previous links and a schema-checked maximum), its rich text
rendering (``WAGTAILAPI_RICH_TEXT_FORMAT``, ``?rich_text_format=``), its
discriminated union of page schemas (keyed here on the items' top-level ``type``), and its
StreamField API representations. What is ours: scope and language
negotiation with per-field fallback reporting, the resources and filters,
HTTP caching, and incremental sync with tombstones.

Wagtail's own ``wagtail.api.v3.api`` instance is not mounted: its ``/pages/``
reads and writes pages without languages, and the Delivery API must be the
one public, read-only, language-aware view of the content.

Search (``cms/search/api.py``'s router) is mounted at ``/api/v3/search/`` and
inherits the error format, caching headers and unknown-parameter check.
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
