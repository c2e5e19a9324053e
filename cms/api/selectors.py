"""Which stored items a listing shows, in which order.

A listing of pages or snippets is a ``RowQuery`` over the projection table: rows exist for
exactly the public items, so no view restriction or live flag is checked here. Filters a
row does not hold narrow it to the ids their model finds; orders by a field it does not
hold read it from the model per row. Values naming database objects (slugs, country codes)
are checked: a ``ParameterError`` names the parameter.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import Page

from cms.api.errors import ParameterError
from cms.api.listings import check_slugs
from cms.core.collation import sort_key
from cms.core.languages import COMMON_LANGUAGE, fallback_chain
from cms.core.models import Country, Sector
from cms.projections import reading as projections
from cms.projections.fields import RenderContext
from cms.projections.models import Tombstone
from cms.projections.reading import has_country
from cms.projections.registry import ServedType, served_page_labels
from cms.projections.rows import ORDER_COLUMNS, RowQuery
from cms.projections.scope import Localizer, Scope


def rows(types: list[str], context: RenderContext, params, *, within=(), keys=None) -> RowQuery:
    """The rows of ``types`` a listing's ``params`` ask for (see the module's docstring)."""
    scope = context.scope
    wanted = check_countries(scope, getattr(params, "country", []))
    sectors = getattr(params, "sector", None)
    return RowQuery(
        types=types,
        language=context.localizer.language,
        countries=scope.owner_codes(wanted) if has_country(types[0]) else None,
        order=params.ordering(),
        sector_ids=check_slugs(Sector, sectors, "sector") if sectors else [],
        updated_since=params.updated_since,
        within=[ids for ids in within if ids is not None],
        keys=keys or {},
    )


def field_of(model: type[Model], name: str):
    """An order key: the field ``name`` of the row's object (made only if ordered by)."""
    return lambda: Subquery(model.objects.filter(pk=OuterRef("object_id")).values(name)[:1])


def published(model: type[Model] = Page) -> dict:
    return {name: field_of(model, name) for name in ("first_published_at", "last_published_at")}


def listed(served: ServedType, context: RenderContext, params) -> RowQuery:
    """The rows of a type's own listing, as its ``api_listing`` declares it: narrowed by its
    filters, ordered also by the model's fields its orders name."""
    listing = served.model.api_listing
    within = [f.keep(served.model, params) for f in listing.filters if f.keep]
    keys = {
        name: order_key(served.model, name, context.scope)
        for name in listing.orderings
        if name not in ORDER_COLUMNS
    }
    return rows([served.label], context, params, within=within, keys=keys)


def order_key(model: type[Model], name: str, scope: Scope):
    """Ordering by ``name``, when the rows do not hold it: the country in the network's
    order, else the field of that name, read from the model that has it (a page's
    publication dates from ``Page``)."""
    if name == "country":
        return country_order(scope)
    return field_of(model._meta.get_field(name).model, name)


# --- pages --------------------------------------------------------------------------


def pages(context: RenderContext, params) -> RowQuery:
    """Pages of every served type (or of the ``type``s asked for)."""
    types = params.type or served_page_labels()
    children = None
    if params.child_of is not None:
        published_pages = projections.shown(context, served_page_labels())
        if not published_pages.filter(object_id=params.child_of).exists():
            raise ParameterError("child_of", f"no published page {params.child_of} on this site")
        children = Page.objects.get(pk=params.child_of).get_children().values("pk")
    return rows(types, context, params, within=[children], keys=published())


def page_type(context: RenderContext, page_id: int) -> str:
    """The type label of the published page ``page_id`` on this scope's sites, or 404."""
    found = projections.shown(context, served_page_labels()).filter(object_id=page_id)
    object_type = found.values_list("object_type", flat=True).first()
    if object_type is None:
        raise Http404(f"No published page {page_id} on this site")
    return object_type


def latest_draft(scope: Scope, page_id: int, user) -> Page:
    """The latest revision of page ``page_id`` on this scope's sites, live or not, or 404.

    For previews only (behind an API token): view restrictions do not apply,
    the front end shows the draft to its own editors. A token acts for its
    user, so it previews only what that user may edit in the admin: a Czech
    editor's token never shows a Slovak draft. A page the user may not edit
    is answered exactly like a page that does not exist.
    """
    page = Page.objects.filter(scope.pages_q(), pk=page_id).specific().first()
    if page is None or page.specific_class._meta.label not in served_page_labels():
        raise Http404(f"No page {page_id} on this site")
    if not page.permissions_for_user(user).can_edit():
        raise Http404(f"No page {page_id} on this site")
    return page.get_latest_revision_as_object()


def country_order(scope: Scope):
    """Ordering by country means the network's order of countries."""
    return lambda: Case(
        *(When(country=code, then=Value(c.sort_order)) for code, c in scope.countries.items()),
        output_field=IntegerField(),
    )


def sites(params, localizer: Localizer, scope: Scope) -> QuerySet:
    """Sites have no projections: their listing orders the countries themselves."""
    queryset = Country.objects.all()
    if params.updated_since is not None:
        queryset = queryset.filter(updated_at__gte=params.updated_since)
    order = []
    for token in params.ordering():
        name = token.removeprefix("-")
        key = alphabetical_place(localizer, scope) if name == "name" else F(name)
        order.append(key.desc() if token.startswith("-") else key.asc())
    return queryset.order_by(*order, F("pk").asc())


def alphabetical_place(localizer: Localizer, scope: Scope):
    """Each country's place in the alphabetical order of its name as shown (along the
    served language's fallback chain) in that language's order (``cms.core.collation``):
    a handful of names, ranked here from the countries the scope has loaded."""
    language = COMMON_LANGUAGE if localizer.is_all else localizer.language
    chain = fallback_chain(language)

    def shown(country: Country) -> str:
        names = (getattr(country, build_localized_fieldname("name", code)) for code in chain)
        return next((name for name in names if name), "")

    countries = sorted(
        scope.countries.values(),
        key=lambda country: (sort_key(shown(country), language), country.pk),
    )
    return Case(
        *(When(pk=country.pk, then=Value(place)) for place, country in enumerate(countries)),
        output_field=IntegerField(),
    )


# --- sync -----------------------------------------------------------------------


def removals(scope: Scope | None, types: list[str], countries: list[str] | None = None):
    """Tombstones of ``types`` that this scope could have seen (``None``: network-wide)."""
    queryset = Tombstone.objects.filter(object_type__in=types)
    if scope is not None:
        codes = scope.owner_codes(countries)
        if countries or not scope.is_network:
            # Every site shows the network-wide items (sectors): their removals too.
            network_wide = [name for name in types if not has_country(name)]
            queryset = queryset.filter(
                Q(country__in=codes) | Q(country="", object_type__in=network_wide)
            )
        else:  # the whole network still shows what moved from one country to another
            queryset = queryset.exclude(reason=Tombstone.Reason.MOVED)
    return queryset.order_by("removed_at", "pk")


def check_countries(scope: Scope, codes: list[str]) -> list[str] | None:
    unknown = [code for code in codes if code not in scope.countries]
    if unknown:
        known = ", ".join(sorted(scope.countries))
        raise ParameterError("country", f"unknown country {unknown[0]!r}; known: {known}")
    return codes or None
