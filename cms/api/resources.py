"""The listings and details that read alike, each pair declared once (``register``).

News, events, clusters, partners, contacts and sectors are each a listing of
stored rows (their selector in ``cms.api.selectors``) and one stored item by
id: the same two views but for their parameters, selector, representation and
descriptions, as a DRF ViewSet's ``list`` and ``retrieve`` are. ``register``
writes both; the operations are named ``list_<name>`` and ``get_<item>``, as a
function written out would be (the OpenAPI operation ids and summaries come from
those names). Pages of every type, previews, sites and the index read
differently and are written out in ``routers/``.
"""

# No ``from __future__ import annotations`` here: ninja reads the views' annotations,
# which are made from ``register``'s arguments.

from collections.abc import Callable
from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router

from cms.api.http import read
from cms.api.params import MAX_ID, ResourceParams
from cms.api.responses import detail, listing, read_context
from cms.api.schemas import Resource, resource
from cms.projections.fields import RenderContext
from cms.projections.representations import Representation
from cms.projections.rows import RowQuery

#: How every read writes its JSON (``cms.api.http.read``).
OUTPUT = {"by_alias": True, "exclude_unset": True}
#: The response schemas of each resource registered, by name: what its answers are checked by.
SCHEMAS: dict[str, Resource] = {}


def register(
    router: Router,
    name: str,
    *,
    item: str,
    parameters: type[ResourceParams],
    select: Callable[[RenderContext, ResourceParams], RowQuery],
    representation: Representation,
    listed: str,
    detailed: str | None = None,
    id_name: str = "page_id",
) -> None:
    """``GET /<name>/``, the rows ``select`` picks, and ``GET /<name>/{<id_name>}/``, one
    item; their response schemas are named after ``item`` (``Cluster``, ``ClusterListing``;
    ``funding_programme`` at ``funding-programmes``: ``FundingProgrammeListing``, and the
    operations ``listFundingProgrammes``, ``getFundingProgramme``)."""
    schemas = SCHEMAS[name] = resource(item.title().replace("_", ""), [representation])
    ItemId = Annotated[int, Path(alias=id_name, ge=1, le=MAX_ID)]

    def list_items(request: HttpRequest, params: Query[parameters]):
        context = read_context(request, params)
        return listing(context, params, select(context, params))

    def get_item(request: HttpRequest, pk: ItemId, params: Query[parameters.detail()]):
        context = read_context(request, params)
        return detail(context, params, representation, pk)

    list_items.__name__, list_items.__doc__ = f"list_{name.replace('-', '_')}", listed
    get_item.__name__, get_item.__doc__ = f"get_{item}", detailed
    path = f"/{name}/"
    read(router, path, response=schemas.listing, url_name=f"{name}_list", **OUTPUT)(list_items)
    read(
        router,
        f"{path}{{{id_name}}}/",
        response=schemas.detail,
        url_name=f"{name}_detail",
        **OUTPUT,
    )(get_item)
