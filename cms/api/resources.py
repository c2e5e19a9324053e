"""The listings and details that read alike: one pair for every type declaring ``api_listing``.

The same two views but for what the model declares (``cms.api.listings``), as a DRF
ViewSet's ``list`` and ``retrieve`` are; named ``list_<path>`` and ``get_<item>`` as a
function written out would be, for the OpenAPI operation ids. Pages of every type, previews,
sites and the index read differently: ``routers/``.
"""

# No ``from __future__ import annotations`` here: ninja reads the views' annotations,
# which are made from ``register``'s arguments.

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router

from cms.api import selectors
from cms.api.http import read
from cms.api.params import MAX_ID, listing_params
from cms.api.responses import detail, listing, read_context
from cms.api.schemas import Resource, resource
from cms.projections.registry import ServedType, served_types

#: How every read writes its JSON (``cms.api.http.read``).
OUTPUT = {"by_alias": True, "exclude_unset": True}
#: The response schemas of each resource registered, by path: what its answers are checked by.
SCHEMAS: dict[str, Resource] = {}


def add_listings(routers: dict[str, Router]) -> None:
    """The listing and detail of every type that declares ``api_listing``, in
    ``cms.projections.registry``'s order, on the router of its OpenAPI tag (``routers``,
    by tag; one is made for a tag it lacks)."""
    for served in served_types().values():
        declared = getattr(served.model, "api_listing", None)
        if declared is not None:
            tag = declared.tag
            register(routers.setdefault(tag, Router(tags=[tag])), served)


def register(router: Router, served: ServedType) -> None:
    """``GET /<path>/``, the rows its ``api_listing`` picks, and ``GET /<path>/{<item>_id}/``
    (a page's: ``page_id``), one item; response schemas named after the item (``Cluster``,
    ``ClusterListing``)."""
    declared, representation = served.model.api_listing, served.representation
    parameters = listing_params(served)
    name = declared.path
    schemas = SCHEMAS[name] = resource(declared.item.title().replace("_", ""), [representation])
    id_name = "page_id" if served.is_page else f"{declared.item}_id"
    ItemId = Annotated[int, Path(alias=id_name, ge=1, le=MAX_ID)]

    def list_items(request: HttpRequest, params: Query[parameters]):
        context = read_context(request, params)
        return listing(context, params, selectors.listed(served, context, params))

    def get_item(request: HttpRequest, pk: ItemId, params: Query[parameters.detail()]):
        context = read_context(request, params)
        return detail(context, params, representation, pk)

    list_items.__name__ = f"list_{name.replace('-', '_')}"
    list_items.__doc__ = declared.listed
    get_item.__name__, get_item.__doc__ = f"get_{declared.item}", declared.detailed
    path = f"/{name}/"
    read(router, path, response=schemas.listing, url_name=f"{name}_list", **OUTPUT)(list_items)
    read(
        router,
        f"{path}{{{id_name}}}/",
        response=schemas.detail,
        url_name=f"{name}_detail",
        **OUTPUT,
    )(get_item)
