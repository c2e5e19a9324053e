"""Pages: news, events and every other page type, in the served language."""

from django.http import HttpRequest
from django.utils import translation
from ninja import Query, Router

from cms.api import selectors
from cms.api.auth import DraftTokenAuth
from cms.api.http import Prewritten, read
from cms.api.params import (
    EventDetailParams,
    EventParams,
    NewsDetailParams,
    NewsParams,
    ObjectId,
    PageDetailParams,
    PageParams,
)
from cms.api.responses import detail, listing, read_context, rendered
from cms.api.schemas import events, news, pages
from cms.events.models import EventPage
from cms.news.models import NewsPage
from cms.projections import reading as projections
from cms.projections.fields import RenderContext
from cms.projections.representations import representations

router = Router(tags=["pages"])
OUTPUT = {"by_alias": True, "exclude_unset": True}


@read(router, "/pages/", response=pages.listing, url_name="pages_list", **OUTPUT)
def list_pages(request: HttpRequest, params: Query[PageParams]):
    """Published pages of every type (or of `type`), each in its own typed shape."""
    context = read_context(request, params)
    reps = representations()
    types = params.type or [rep.type_label for rep in reps.pages.values()]
    return listing(
        context,
        params,
        selectors.pages(context.scope, params, context.localizer),
        types=types,
        live=_live_pages(context),
        available=reps.page_field_names,
        defaults=frozenset({"title", "slug"}),
    )


def public(context: RenderContext, representation):
    """The public pages of the representation's model, when some must be rendered."""
    return lambda: selectors.public_pages(representation.model, context.scope)


def _live_pages(context: RenderContext):
    """Pages of mixed types rendered for this request: a query per type present."""
    reps = representations()

    def live(ids: list, selected: frozenset) -> dict:
        def load(model, queryset):
            return reps.page(model).load(queryset, selected & reps.page(model).field_names, context)

        pages = selectors.specific_pages(
            selectors.public_pages(selectors.Page, context.scope).filter(pk__in=ids),
            context.scope,
            load,
        )
        return {
            page.pk: reps.page(type(page)).represent(
                page, context, selected & reps.page(type(page)).field_names
            )
            for page in pages
        }

    return live


@read(router, "/pages/{page_id}/", response=pages.detail, url_name="pages_detail", **OUTPUT)
def get_page(
    request: HttpRequest,
    page_id: ObjectId,
    params: Query[PageDetailParams],
):
    """One published page, with every field of its type."""
    context = read_context(request, params)
    if not params.fields:  # its stored text, whatever its type: one query
        text = projections.stored_body(context, selectors.served_page_models(), page_id)
        if text is not None:
            return Prewritten([text])
    model = selectors.page_type(context.scope, page_id)
    queryset = selectors.public_pages(model, context.scope)
    return detail(context, params, queryset, page_id, representations().page(model))


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


@read(router, "/news/", response=news.listing, url_name="news_list", **OUTPUT)
def list_news(request: HttpRequest, params: Query[NewsParams]):
    """News items and press releases, newest first."""
    context = read_context(request, params)
    representation = representations().page(NewsPage)
    return listing(
        context,
        params,
        selectors.news(context.scope, params, context.localizer),
        types=[representation.type_label],
        live=rendered(context, representation, public(context, representation)),
        available=representation.field_names,
        defaults=representation.listing_fields,
    )


@read(router, "/events/", response=events.listing, url_name="events_list", **OUTPUT)
def list_events(request: HttpRequest, params: Query[EventParams]):
    """Info days, exchange forums, study trips and conferences, latest first."""
    context = read_context(request, params)
    representation = representations().page(EventPage)
    return listing(
        context,
        params,
        selectors.events(context.scope, params, context.localizer),
        types=[representation.type_label],
        live=rendered(context, representation, public(context, representation)),
        available=representation.field_names,
        defaults=representation.listing_fields,
    )


@read(router, "/news/{page_id}/", response=news.detail, url_name="news_detail", **OUTPUT)
def get_news(request: HttpRequest, page_id: ObjectId, params: Query[NewsDetailParams]):
    """One news item or press release, with every field (404 for any other page)."""
    context = read_context(request, params)
    queryset = selectors.public_pages(NewsPage, context.scope)
    return detail(context, params, queryset, page_id, representations().page(NewsPage))


@read(router, "/events/{page_id}/", response=events.detail, url_name="events_detail", **OUTPUT)
def get_event(request: HttpRequest, page_id: ObjectId, params: Query[EventDetailParams]):
    """One event, with every field (404 for any other page)."""
    context = read_context(request, params)
    queryset = selectors.public_pages(EventPage, context.scope)
    return detail(context, params, queryset, page_id, representations().page(EventPage))
