"""Reads for the Delivery API: what a scope may see, filtered and ordered.

Every function returns a lazy queryset (or one object); the representation
decides what to load with it. Only live, publicly viewable pages on the
scope's sites are ever returned; filters that name database values (sector
and cluster slugs, country codes) are checked here and answered with a
``ParameterError`` naming the parameter.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Model, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import Page

from cms.api.errors import ParameterError
from cms.core.languages import COMMON_LANGUAGE, fallback_chain
from cms.core.models import Country, Sector
from cms.projections.models import Tombstone
from cms.projections.rows import RowQuery
from cms.projections.scope import Localizer, Scope


def public_pages(model: type[Page], scope: Scope, countries: list[str] | None = None):
    """Live pages of ``model`` on the scope's sites that anyone may view.

    Pages under a view restriction (password, login, groups), and everything
    below them, are left out, as Wagtail's own public API does. The restricted
    paths are read once per request (``Scope.restricted_paths``, usually none)
    rather than checked by a correlated subquery in every query of a listing.
    """
    queryset = model.objects.live().filter(scope.pages_q(countries))
    if scope.restricted_paths:
        under_restriction = Q(pk__in=[])
        for path in scope.restricted_paths:
            under_restriction |= Q(path__startswith=path)
        queryset = queryset.exclude(under_restriction)
    return queryset


def served_page_models() -> list[type[Page]]:
    from cms.projections.representations import representations

    return list(representations().pages)


# --- straight from the projection table ---------------------------------------------


def projected(
    types: list[str], scope: Scope, params, localizer: Localizer, *, narrowed: bool = False
) -> RowQuery | None:
    """A listing's own rows in the projection table, when they can answer it.

    Their country, sectors, ``updated_at`` and the columns of ``ORDER_COLUMNS``
    (``cms.projections.columns``) answer most listings in one statement, with the
    items' texts (``cms.projections.rows``). A listing that filters on anything
    else (``narrowed``) or orders by another field gets None: the models answer it.
    Rows exist for exactly the public items (``cms.projections.registry``), so no
    view restriction or live flag needs checking here.
    """
    tokens = params.ordering()
    if narrowed or not RowQuery.can_order(tokens):
        return None
    sectors = getattr(params, "sector", None)
    return RowQuery(
        types=types,
        language=localizer.language,
        countries=owned(scope, getattr(params, "country", [])),
        order=tokens,
        sector_ids=check_slugs(Sector, sectors, "sector") if sectors else [],
        updated_since=params.updated_since,
    )


def label(model: type[Model]) -> list[str]:
    return [model._meta.label]


# --- pages --------------------------------------------------------------------------


def news(scope: Scope, params, localizer: Localizer) -> QuerySet:
    from cms.clusters.models import ClusterProfile
    from cms.news.models import NewsPage

    narrowed = bool(params.cluster or params.tag or params.date_from or params.date_to)
    rows = projected(label(NewsPage), scope, params, localizer, narrowed=narrowed)
    if rows is not None:
        return rows
    queryset = public_pages(NewsPage, scope, check_countries(scope, params.country))
    if params.sector:
        queryset = any_of(queryset, "sectors", check_slugs(Sector, params.sector, "sector"))
    if params.cluster:
        clusters = check_slugs(ClusterProfile, params.cluster, "cluster")
        queryset = any_of(queryset, "related_clusters", clusters)
    queryset = tagged(queryset, params.tag)
    if params.date_from:
        queryset = queryset.filter(date__gte=params.date_from)
    if params.date_to:
        queryset = queryset.filter(date__lte=params.date_to)
    queryset = changed_since(queryset, params.updated_since, localizer)
    return ordered(queryset, params.ordering(), localizer, translated={"title"})


def events(scope: Scope, params, localizer: Localizer) -> QuerySet:
    from cms.events.models import EventPage

    narrowed = bool(params.kind or params.tag or params.date_from or params.date_to)
    rows = projected(label(EventPage), scope, params, localizer, narrowed=narrowed)
    if rows is not None:
        return rows
    queryset = public_pages(EventPage, scope, check_countries(scope, params.country))
    if params.sector:
        queryset = any_of(queryset, "sectors", check_slugs(Sector, params.sector, "sector"))
    if params.kind:
        queryset = queryset.filter(kind__in=params.kind)
    queryset = tagged(queryset, params.tag)
    # An event is in a date range when it overlaps it: it has not ended
    # before the range starts and does not start after the range ends.
    if params.date_from:
        queryset = queryset.filter(
            Q(end__date__gte=params.date_from)
            | Q(end__isnull=True, start__date__gte=params.date_from)
        )
    if params.date_to:
        queryset = queryset.filter(start__date__lte=params.date_to)
    queryset = changed_since(queryset, params.updated_since, localizer)
    return ordered(queryset, params.ordering(), localizer, translated={"title"})


def pages(scope: Scope, params, localizer: Localizer) -> QuerySet:
    """Pages of every served type (or of the ``type``s asked for), as base pages."""
    from django.apps import apps

    models = [apps.get_model(name) for name in params.type] or served_page_models()
    labels = [model._meta.label for model in models]
    rows = projected(labels, scope, params, localizer, narrowed=params.child_of is not None)
    if rows is not None:
        return rows
    content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    queryset = public_pages(Page, scope, check_countries(scope, params.country)).filter(
        content_type__in=[content_types[model].pk for model in models]
    )
    if params.child_of is not None:
        parent = public_pages(Page, scope).filter(pk=params.child_of).first()
        if parent is None:
            raise ParameterError("child_of", f"no published page {params.child_of} on this site")
        queryset = queryset.child_of(parent)
    queryset = changed_since(queryset, params.updated_since, localizer, models)
    return ordered(queryset, params.ordering(), localizer, translated={"title"})


def specific_pages(pages: list[Page], scope: Scope, load) -> list[Page]:
    """The specific page objects for ``pages``, one query per page type present.

    ``load(model, queryset)`` adds what that type's representation needs, so a
    mixed listing still costs a fixed number of queries per type.
    """
    by_model: dict[type[Page], list[int]] = {}
    for page in pages:
        model = page.specific_class
        by_model.setdefault(model, []).append(page.pk)
    found: dict[int, Page] = {}
    for model, ids in by_model.items():
        queryset = load(model, public_pages(model, scope).filter(pk__in=ids))
        found.update((page.pk, page) for page in queryset)
    return [found[page.pk] for page in pages if page.pk in found]


def page_type(scope: Scope, page_id: int) -> type[Page]:
    """The type of the published page ``page_id`` on this scope's sites, or 404."""
    content_type_id = (
        public_pages(Page, scope).filter(pk=page_id).values_list("content_type_id", flat=True)
    ).first()
    model = (
        ContentType.objects.get_for_id(content_type_id).model_class() if content_type_id else None
    )
    if model not in served_page_models():
        raise Http404(f"No published page {page_id} on this site")
    return model


def latest_draft(scope: Scope, page_id: int, user) -> Page:
    """The latest revision of page ``page_id`` on this scope's sites, live or not, or 404.

    For previews only (behind an API token): view restrictions do not apply,
    the front end shows the draft to its own editors. A token acts for its
    user, so it previews only what that user may edit in the admin: a Czech
    editor's token never shows a Slovak draft. A page the user may not edit
    is answered exactly like a page that does not exist.
    """
    page = Page.objects.filter(scope.pages_q(), pk=page_id).specific().first()
    if page is None or type(page) not in served_page_models():
        raise Http404(f"No page {page_id} on this site")
    if not page.permissions_for_user(user).can_edit():
        raise Http404(f"No page {page_id} on this site")
    return page.get_latest_revision_as_object()


# --- snippets -----------------------------------------------------------------


def clusters(scope: Scope, params, localizer: Localizer) -> QuerySet:
    from cms.clusters.models import ClusterProfile

    rows = projected(label(ClusterProfile), scope, params, localizer)
    if rows is not None:
        return rows
    queryset = ClusterProfile.objects.filter(country__code__in=owned(scope, params.country))
    if params.sector:
        queryset = any_of(queryset, "sectors", check_slugs(Sector, params.sector, "sector"))
    queryset = changed_since(queryset, params.updated_since, localizer)
    return ordered(queryset, params.ordering(), localizer, translated={"name"})


def partners(scope: Scope, params, localizer: Localizer) -> QuerySet:
    from cms.partners.models import PartnerOrganisation

    queryset = PartnerOrganisation.objects.filter(country__code__in=owned(scope, params.country))
    queryset = changed_since(queryset, params.updated_since, localizer)
    return ordered(
        queryset, params.ordering(), localizer, translated={"name"}, aliases=COUNTRY_ORDER
    )


def contacts(scope: Scope, params, localizer: Localizer) -> QuerySet:
    from cms.partners.models import ContactPerson, PartnerOrganisation

    narrowed = bool(params.organisation)
    rows = projected(label(ContactPerson), scope, params, localizer, narrowed=narrowed)
    if rows is not None:
        return rows
    queryset = ContactPerson.objects.filter(country__code__in=owned(scope, params.country))
    if params.organisation:
        organisations = check_slugs(PartnerOrganisation, params.organisation, "organisation")
        queryset = queryset.filter(organisation__in=organisations)
    queryset = changed_since(queryset, params.updated_since, localizer)
    return ordered(queryset, params.ordering(), localizer, aliases=COUNTRY_ORDER)


def scoped_snippets(model: type[Model], scope: Scope) -> QuerySet:
    """Clusters, partners or contacts this scope may see (for details)."""
    return model.objects.filter(country__code__in=scope.owner_codes())


def sectors(params, localizer: Localizer) -> QuerySet:
    queryset = changed_since(Sector.objects.all(), params.updated_since, localizer)
    return ordered(queryset, params.ordering(), localizer, translated={"name"})


def sites(params, localizer: Localizer) -> QuerySet:
    queryset = updated_since(Country.objects.all(), "updated_at", params.updated_since)
    return ordered(queryset, params.ordering(), localizer, translated={"name"})


# --- sync -----------------------------------------------------------------------


def removals(scope: Scope | None, types: list[str], countries: list[str] | None = None):
    """Tombstones of ``types`` that this scope could have seen (``None``: network-wide)."""
    from cms.projections.reading import has_country

    queryset = Tombstone.objects.filter(object_type__in=types)
    if scope is not None:
        codes = scope.owner_codes(countries)
        if countries or not scope.is_network:
            # Every site shows the network-wide items (sectors): their removals too.
            network_wide = [label for label in types if not has_country(label)]
            queryset = queryset.filter(
                Q(country__in=codes) | Q(country="", object_type__in=network_wide)
            )
        else:  # the whole network still shows what moved from one country to another
            queryset = queryset.exclude(reason=Tombstone.Reason.MOVED)
    return queryset.order_by("removed_at", "pk")


# --- helpers --------------------------------------------------------------------

#: Ordering by country means the network's order of countries.
COUNTRY_ORDER = {"country": "country__sort_order"}


def any_of(queryset: QuerySet, relation: str, ids: list[int]) -> QuerySet:
    """Items related to any of ``ids`` through ``relation``, each item once.

    A subquery rather than a join, so an item in two of the sectors asked for
    is not listed twice and no DISTINCT over every column is needed.
    """
    matching = queryset.model.objects.filter(**{f"{relation}__in": ids}).values("pk")
    return queryset.filter(pk__in=matching)


def tagged(queryset: QuerySet, slugs: list[str]) -> QuerySet:
    """Pages with any of the tags ``slugs`` (each must exist), each page once."""
    if not slugs:
        return queryset
    from taggit.models import Tag

    tags = check_slugs(Tag, slugs, "tag")
    through = queryset.model._meta.get_field("tags").through
    return queryset.filter(
        pk__in=through.objects.filter(tag_id__in=tags).values("content_object_id")
    )


def owned(scope: Scope, countries: list[str]) -> list[str]:
    return scope.owner_codes(check_countries(scope, countries))


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


def changed_since(
    queryset: QuerySet, since: datetime | None, localizer: Localizer, models=None
) -> QuerySet:
    """Items whose projection in the served language changed at or after ``since``.

    What a reader sees of an item changes with the item and with anything it
    shows (a contact's role, a sector's name, an image): its stored projection
    (``cms.projections``) moves its ``updated_at`` exactly then, and not when
    a save changed nothing a reader sees.
    """
    if since is None:
        return queryset
    from cms.projections.models import Projection

    labels = [model._meta.label for model in (models or [queryset.model])]
    changed = Projection.objects.filter(
        object_type__in=labels, language=localizer.language, updated_at__gte=since
    ).values("object_id")
    return queryset.filter(pk__in=changed)


def updated_since(queryset: QuerySet, field: str, since: datetime | None) -> QuerySet:
    if since is None:
        return queryset
    return queryset.filter(**{f"{field}__gte": since})


def ordered(
    queryset: QuerySet,
    tokens: list[str],
    localizer: Localizer,
    *,
    translated: set[str] = frozenset(),
    aliases: dict[str, str] | None = None,
) -> QuerySet:
    """Order by validated ``tokens``; translated fields in the served language's chain.

    Ordering news by title in Slovak sorts untranslated titles by their Czech
    (then English) text, exactly as they are shown.
    """
    chain = fallback_chain(COMMON_LANGUAGE if localizer.is_all else localizer.language)
    expressions = []
    for token in tokens:
        descending = token.startswith("-")
        name = token.removeprefix("-")
        if name in translated:
            columns = [
                NullIf(F(build_localized_fieldname(name, code)), Value("")) for code in chain
            ]
            expression = Coalesce(*columns) if len(columns) > 1 else columns[0]
        else:
            expression = F((aliases or {}).get(name, name))
        expressions.append(expression.desc() if descending else expression.asc())
    # A unique last key keeps paging stable when values tie.
    expressions.append(F("pk").asc())
    return queryset.order_by(*expressions)
