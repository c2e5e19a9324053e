"""Reads for the Delivery API: which stored items a listing shows, in which order.

A listing of pages or snippets is a ``RowQuery`` over the projection table
(``cms.projections.rows``): rows exist for exactly the public items
(``cms.projections.registry``), so no view restriction or live flag is checked
here. Filters a row does not hold (tags, related clusters, kinds, dates,
organisations, a parent page) narrow it to the ids their model finds, and
orders by a field it does not hold are read from the model per row. Filters
that name database values (sector and cluster slugs, country codes) are
checked here and answered with a ``ParameterError`` naming the parameter.
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
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import Page

from cms.api.errors import ParameterError
from cms.core.languages import COMMON_LANGUAGE, fallback_chain
from cms.core.models import Country, Sector
from cms.projections import reading as projections
from cms.projections.fields import RenderContext
from cms.projections.models import Tombstone
from cms.projections.reading import has_country
from cms.projections.registry import served_page_labels
from cms.projections.rows import RowQuery
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


# --- pages --------------------------------------------------------------------------


def news(context: RenderContext, params) -> RowQuery:
    from cms.clusters.models import ClusterProfile
    from cms.news.models import NewsPage

    found = Q()
    if params.cluster:
        found &= Q(related_clusters__in=check_slugs(ClusterProfile, params.cluster, "cluster"))
    if params.date_from:
        found &= Q(date__gte=params.date_from)
    if params.date_to:
        found &= Q(date__lte=params.date_to)
    return tagged_pages(NewsPage, found, context, params)


def events(context: RenderContext, params) -> RowQuery:
    from cms.events.models import EventPage

    found = Q()
    if params.kind:
        found &= Q(kind__in=params.kind)
    # An event is in a date range when it overlaps it: it has not ended
    # before the range starts and does not start after the range ends.
    if params.date_from:
        found &= Q(end__date__gte=params.date_from) | Q(
            end__isnull=True, start__date__gte=params.date_from
        )
    if params.date_to:
        found &= Q(start__date__lte=params.date_to)
    return tagged_pages(EventPage, found, context, params, end=field_of(EventPage, "end"))


def tagged_pages(model: type[Page], found: Q, context, params, **keys) -> RowQuery:
    """Rows of ``model`` pages narrowed to those ``found`` and tagged as asked; ordered also
    by publication dates and ``keys``."""
    within = [ids_of(model, found), tagged(model, params.tag)]
    return rows([model._meta.label], context, params, within=within, keys={**published(), **keys})


def ids_of(model: type[Model], found: Q) -> QuerySet | None:
    """The ids of the ``model`` objects ``found`` (None: no condition, every one)."""
    return model.objects.filter(found).values("pk") if found else None


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


# --- snippets -----------------------------------------------------------------


def clusters(context: RenderContext, params) -> RowQuery:
    from cms.clusters.models import ClusterProfile

    keys = {name: field_of(ClusterProfile, name) for name in ("founded", "members", "updated_at")}
    return rows([ClusterProfile._meta.label], context, params, keys=keys)


def partners(context: RenderContext, params) -> RowQuery:
    from cms.partners.models import PartnerOrganisation

    keys = {
        "country": country_order(context.scope),
        "updated_at": field_of(PartnerOrganisation, "updated_at"),
    }
    return rows([PartnerOrganisation._meta.label], context, params, keys=keys)


def contacts(context: RenderContext, params) -> RowQuery:
    from cms.partners.models import ContactPerson, PartnerOrganisation

    found = Q()
    if params.organisation:
        organisations = check_slugs(PartnerOrganisation, params.organisation, "organisation")
        found = Q(organisation__in=organisations)
    keys = {
        "country": country_order(context.scope),
        "updated_at": field_of(ContactPerson, "updated_at"),
    }
    within = [ids_of(ContactPerson, found)]
    return rows([ContactPerson._meta.label], context, params, within=within, keys=keys)


def sectors(context: RenderContext, params) -> RowQuery:
    keys = {name: field_of(Sector, name) for name in ("sort_order", "slug", "updated_at")}
    return rows([Sector._meta.label], context, params, keys=keys)


def country_order(scope: Scope):
    """Ordering by country means the network's order of countries."""
    return lambda: Case(
        *(When(country=code, then=Value(c.sort_order)) for code, c in scope.countries.items()),
        output_field=IntegerField(),
    )


def sites(params, localizer: Localizer) -> QuerySet:
    """Sites have no projections: their listing orders the countries themselves."""
    queryset = Country.objects.all()
    if params.updated_since is not None:
        queryset = queryset.filter(updated_at__gte=params.updated_since)
    order = []
    for token in params.ordering():
        name = token.removeprefix("-")
        if name == "name":  # as shown: along the served language's fallback chain
            chain = fallback_chain(COMMON_LANGUAGE if localizer.is_all else localizer.language)
            columns = [
                NullIf(F(build_localized_fieldname(name, code)), Value("")) for code in chain
            ]
            key = Coalesce(*columns) if len(columns) > 1 else columns[0]
        else:
            key = F(name)
        order.append(key.desc() if token.startswith("-") else key.asc())
    return queryset.order_by(*order, F("pk").asc())


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


# --- helpers --------------------------------------------------------------------


def tagged(model: type[Page], slugs: list[str]) -> QuerySet | None:
    """Ids of ``model`` pages with any of the tags ``slugs`` (each must exist)."""
    if not slugs:
        return None
    from taggit.models import Tag

    through = model._meta.get_field("tags").through
    tags = check_slugs(Tag, slugs, "tag")
    return through.objects.filter(tag_id__in=tags).values("content_object_id")


def check_countries(scope: Scope, codes: list[str]) -> list[str] | None:
    unknown = [code for code in codes if code not in scope.countries]
    if unknown:
        known = ", ".join(sorted(scope.countries))
        raise ParameterError("country", f"unknown country {unknown[0]!r}; known: {known}")
    return codes or None


def check_slugs(model: type[Model], slugs: list[str], parameter: str) -> list[int]:
    """The ids of ``model`` rows with these slugs; every slug must exist."""
    found = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ParameterError(parameter, f"unknown {parameter} {missing[0]!r}")
    return list(found.values())
