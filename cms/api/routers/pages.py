"""Pages: news, events and every other page type, in the served language."""

from django.http import HttpRequest
from django.utils import translation
from ninja import Query, Router

from cms.api import selectors
from cms.api.auth import DraftTokenAuth
from cms.api.http import read
from cms.api.params import EventParams, NewsParams, ObjectId, PageDetailParams, PageParams
from cms.api.representations import RenderContext, representations
from cms.api.responses import detail, listing, presenter, read_context
from cms.api.schemas import AnyPage, EventListing, NewsListing, PageListing
from cms.events.models import EventPage
from cms.news.models import NewsPage

router = Router(tags=["pages"])
OUTPUT = {"by_alias": True, "exclude_unset": True}


@read(router, "/pages/", response=PageListing, url_name="pages_list", **OUTPUT)
def list_pages(request: HttpRequest, params: Query[PageParams]):
    """Published pages of every type (or of `type`), each in its own typed shape."""
    context = read_context(request, params)
    reps = representations()
    queryset = selectors.pages(context.scope, params, context.localizer)
    types = params.type or [rep.type_label for rep in reps.pages.values()]
    base_fields = frozenset({"title", "slug"})
    return listing(
        context,
        params,
        lambda: queryset,
        present=_present_pages(context),
        available=reps.page_field_names,
        defaults=base_fields,
        collection=lambda: selectors.public_pages(selectors.Page, context.scope),
        modified_field="last_published_at",
        removals=lambda: selectors.removals(context.scope, types, params.country),
    )


def _present_pages(context: RenderContext):
    """Base pages -> their specific objects (a query per type) -> typed JSON."""
    reps = representations()

    def present(page, selected, key, stamps):
        def load(model, queryset):
            return reps.page(model).load(queryset, selected & reps.page(model).field_names, context)

        pages = selectors.specific_pages(list(page()), context.scope, load)
        represented = [
            reps.page(type(item)).represent(
                item, context, selected & reps.page(type(item)).field_names
            )
            for item in pages
        ]
        return represented, None  # pages of mixed types: the stamps come on their own

    return present


@read(router, "/pages/{page_id}/", response=AnyPage, url_name="pages_detail", **OUTPUT)
def get_page(
    request: HttpRequest,
    page_id: ObjectId,
    params: Query[PageDetailParams],
):
    """One published page, with every field of its type."""
    context = read_context(request, params)
    model = selectors.page_type(context.scope, page_id)
    queryset = selectors.public_pages(model, context.scope)
    return detail(context, params, queryset, page_id, representations().page(model))


@read(
    router,
    "/pages/{page_id}/preview/",
    response=AnyPage,
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


@read(router, "/news/", response=NewsListing, url_name="news_list", **OUTPUT)
def list_news(request: HttpRequest, params: Query[NewsParams]):
    """News items and press releases, newest first."""
    context = read_context(request, params)
    representation = representations().page(NewsPage)
    return listing(
        context,
        params,
        lambda: selectors.news(context.scope, params, context.localizer),
        present=presenter(context, representation),
        available=representation.field_names,
        defaults=representation.listing_fields,
        collection=lambda: selectors.public_pages(NewsPage, context.scope),
        modified_field="last_published_at",
        removals=lambda: selectors.removals(
            context.scope, [representation.type_label], params.country
        ),
    )


@read(router, "/events/", response=EventListing, url_name="events_list", **OUTPUT)
def list_events(request: HttpRequest, params: Query[EventParams]):
    """Info days, exchange forums, study trips and conferences, latest first."""
    context = read_context(request, params)
    representation = representations().page(EventPage)
    return listing(
        context,
        params,
        lambda: selectors.events(context.scope, params, context.localizer),
        present=presenter(context, representation),
        available=representation.field_names,
        defaults=representation.listing_fields,
        collection=lambda: selectors.public_pages(EventPage, context.scope),
        modified_field="last_published_at",
        removals=lambda: selectors.removals(
            context.scope, [representation.type_label], params.country
        ),
    )
