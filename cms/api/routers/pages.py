"""Pages of every type, in the served language (news and events also have their own
listings: ``api_listing`` on their models, ``cms.api.resources``)."""

from django.http import HttpRequest
from django.utils import translation
from ninja import Query, Router

from cms.api import selectors
from cms.api.auth import DraftTokenAuth
from cms.api.http import Prewritten, read
from cms.api.params import ObjectId, PageDetailParams, PageParams
from cms.api.resources import OUTPUT
from cms.api.responses import detail, listing, read_context
from cms.api.schemas import pages
from cms.projections import reading as projections
from cms.projections.registry import by_label
from cms.projections.representations import representations

router = Router(tags=["pages"])


@read(router, "/pages/", response=pages.listing, url_name="pages_list", **OUTPUT)
def list_pages(request: HttpRequest, params: Query[PageParams]):
    """Published pages of every type (or of `type`), each in its own typed shape."""
    context = read_context(request, params)
    query = selectors.pages(context, params)
    fields = representations().page_field_names
    return listing(context, params, query, available=fields, defaults=frozenset({"title", "slug"}))


@read(router, "/pages/{page_id}/", response=pages.detail, url_name="pages_detail", **OUTPUT)
def get_page(
    request: HttpRequest,
    page_id: ObjectId,
    params: Query[PageDetailParams],
):
    """One published page, with every field of its type."""
    context = read_context(request, params)
    if not params.fields:  # its stored text, whatever its type: one query
        text = projections.stored_body(context, list(representations().pages), page_id)
        if text is not None:
            return Prewritten([text])
    object_type = selectors.page_type(context, page_id)
    return detail(context, params, by_label(object_type).representation, page_id)


@read(
    router,
    "/pages/{page_id}/preview/",
    response=pages.detail,
    url_name="pages_preview",
    auth=DraftTokenAuth(),
    **OUTPUT,
)
def preview_page(
    request: HttpRequest,
    page_id: ObjectId,
    params: Query[PageDetailParams],
):
    """The latest revision of a page, published or not (needs an API token)."""
    context = read_context(request, params)
    page = selectors.latest_draft(context.scope, page_id, request.api_token.user)
    representation = representations().page(type(page))
    fields = representation.field_names
    with translation.override(context.url_language):
        return representation.represent(page, context, params.selected_fields(fields, fields))
