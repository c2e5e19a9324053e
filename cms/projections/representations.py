"""What a reader sees of each served type: its fields, declared once, and its meta.

Each resource declares its fields once, as a ``Representation``: which are
translated, which appear in listings by default, and what each needs from the
database. From that one declaration come the ``?fields=`` vocabulary, the
``select_related``/``prefetch_related`` calls that load a batch of items in a
fixed number of queries, the stored projections (``cms.projections``) and the
API's JSON, and its OpenAPI schemas (``cms/projections/schemas.py`` makes them from
these declarations: the types of the fields, translated or not). The pieces
(context, translated values, field makers) are in ``cms.projections.fields``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property, lru_cache
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.utils import translation

from cms.core.collation import sort_key
from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES, site_languages
from cms.core.pages import link_language
from cms.core.translation_status import available_languages, has_a_language
from cms.projections.declarations import (
    FieldSpec,
    contact_field,
    image_field,
    plain,
    related,
    sectors_field,
    tags_field,
    text,
)
from cms.projections.fields import (
    CLUSTER_REF,
    ORGANISATION_REF,
    RenderContext,
    cluster_ref,
    organisation_ref,
    render_rich_text,
    render_stream,
    with_fallback,
)

# --- representations -----------------------------------------------------------


class Representation:
    """How one model appears in the API: its fields, its meta, what to load."""

    #: The API path of the resource, for ``meta.detail_url``.
    route: str = ""
    #: The field whose value says when the object last changed for the API.
    modified_attr: str = "updated_at"
    #: The type of ``id`` (a site's is its country code).
    id_schema: type = int

    def __init__(self, model: type[Model], fields: Iterable[FieldSpec]):
        self.model = model
        self.specs: dict[str, FieldSpec] = {spec.name: spec for spec in fields}

    @property
    def type_label(self) -> str:
        return self.model._meta.label

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(self.specs)

    @property
    def listing_fields(self) -> frozenset[str]:
        return frozenset(name for name, spec in self.specs.items() if spec.listing)

    @property
    def translated_fields(self) -> frozenset[str]:
        return frozenset(name for name, spec in self.specs.items() if spec.translated)

    def optimise(self, queryset: QuerySet, selected: Iterable[str]) -> QuerySet:
        """Load in bulk what the ``selected`` fields read: a fixed number of queries."""
        select, prefetch = [], []
        for name in frozenset(selected):
            spec = self.specs.get(name)
            if spec is None:
                continue
            select.extend(spec.select_related)
            prefetch.extend(p() if callable(p) else p for p in spec.prefetch)
        return queryset.select_related(*select).prefetch_related(*prefetch)

    def load(self, queryset: QuerySet, selected: Iterable[str], ctx: RenderContext) -> list:
        """The objects of ``queryset`` with everything the ``selected`` fields read."""
        return list(self.optimise(queryset, selected))

    def modified(self, obj: Model) -> datetime | None:
        return getattr(obj, self.modified_attr, None)

    def meta(self, obj: Model, ctx: RenderContext) -> dict:
        return {
            "type": self.type_label,
            "detail_url": ctx.api_url(f"{self.route}/{obj.pk}/"),
            "language": ctx.localizer.language,
            "languages": available_languages(obj),
            "updated_at": self.modified(obj),
        }

    def represent(self, obj: Model, ctx: RenderContext, selected: Iterable[str]) -> dict:
        ctx.seen(self.modified(obj))
        fallback: dict[str, str] = {}
        data: dict[str, Any] = {
            "id": obj.pk,
            "type": self.type_label,
            "language": ctx.localizer.language,
            "meta": self.meta(obj, ctx),
        }
        for name in self.specs:
            if name in selected:
                data[name] = self.specs[name].read(obj, ctx, fallback)
        return with_fallback(ctx, data, fallback)


class PageRepresentation(Representation):
    """Pages: title and slug for all, URLs on the visitor site, publishing dates."""

    route = "pages"
    modified_attr = "last_published_at"

    def __init__(self, model, fields: Iterable[FieldSpec]):
        super().__init__(model, [text("title"), text("slug"), *fields])

    def meta(self, obj, ctx: RenderContext) -> dict:
        country = ctx.scope.country_of(obj)
        return {
            "type": self.type_label,
            "detail_url": ctx.api_url(f"pages/{obj.pk}/"),
            "html_url": html_url(obj, ctx, country),
            "site": country.code if country else None,
            "language": ctx.localizer.language,
            "languages": available_languages(obj),
            "first_published_at": obj.first_published_at,
            "last_published_at": obj.last_published_at,
            "updated_at": obj.last_published_at,
        }


def html_url(page, ctx: RenderContext, country, item=None) -> str | None:
    """``page`` on its visitor site (Wagtail's URL), for ``item`` on it (a profile on its
    directory; else the page itself), in the language the reader lands on
    (``cms.core.pages.link_language``: what search links too): the first of the served
    language's fallback chain that the item has and the site publishes, so the link
    neither 404s nor redirects."""
    language = link_language(item or page, ctx.url_language, country)
    with translation.override(language):
        parts = page.get_url_parts()
    return None if parts is None else f"{parts[1]}{parts[2]}"


# --- pages --------------------------------------------------------------------


def _event_kind_label(obj, ctx: RenderContext):
    from cms.events.models import EventPage

    kind = EventPage.Kind(obj.kind) if obj.kind in EventPage.Kind.values else None
    if kind is None:
        return None
    if ctx.localizer.is_all:
        labels = {}
        for code in LANGUAGE_CODES:
            with translation.override(code):
                labels[code] = str(kind.label)
        return labels
    with translation.override(ctx.localizer.language):
        return str(kind.label)


def _related_clusters(obj, ctx: RenderContext) -> list[dict]:
    """By the name shown, in the alphabetical order of the row's language (``lang=all``:
    the common language's), whatever loaded them; none that visitors read in no language
    (``has_a_language``: it has no projection)."""
    clusters = [cluster for cluster in obj.related_clusters.all() if has_a_language(cluster)]
    refs = [cluster_ref(cluster, ctx, obj) for cluster in clusters]
    language = ctx.localizer.language
    return sorted(refs, key=lambda ref: (sort_key(_shown(ref["name"]), language) or "", ref["id"]))


def _shown(name: str | dict | None) -> str:
    if isinstance(name, dict):
        name = name.get(COMMON_LANGUAGE)
    return name or ""


def _clusters_prefetch() -> Prefetch:
    from cms.clusters.models import ClusterProfile

    return Prefetch("related_clusters", queryset=ClusterProfile.objects.select_related("country"))


def page_representations() -> dict[type[Model], PageRepresentation]:
    """Every page type the API serves, with its fields."""
    from cms.clusters.models import ClusterDirectoryPage
    from cms.events.models import EventIndexPage, EventPage
    from cms.home.models import CountryHomePage, StandardPage
    from cms.news.models import NewsIndexPage, NewsPage

    body = text("body", render=render_stream, listing=False)
    intro = text("intro", listing=False)
    return {
        CountryHomePage: PageRepresentation(CountryHomePage, [intro]),
        StandardPage: PageRepresentation(StandardPage, [text("lead", listing=False), body]),
        NewsIndexPage: PageRepresentation(NewsIndexPage, [intro]),
        EventIndexPage: PageRepresentation(EventIndexPage, [intro]),
        ClusterDirectoryPage: PageRepresentation(ClusterDirectoryPage, [intro]),
        NewsPage: PageRepresentation(
            NewsPage,
            [
                plain("date"),
                text("lead"),
                body,
                image_field("image"),
                sectors_field(),
                tags_field(),
                related(
                    "related_clusters",
                    _related_clusters,
                    schema=list[CLUSTER_REF],
                    listing=False,
                    prefetch=(_clusters_prefetch,),
                ),
                contact_field(),
                text("funding_note", listing=False),
            ],
        ),
        EventPage: PageRepresentation(
            EventPage,
            [
                plain("kind"),
                related("kind_label", _event_kind_label, schema=str, translated=True),
                plain("start"),
                plain("end"),
                text("place"),
                text("lead"),
                body,
                plain("registration_url", listing=False),
                sectors_field(),
                tags_field(),
                contact_field(),
            ],
        ),
    }


# --- snippets -------------------------------------------------------------------


class SnippetRepresentation(Representation):
    def __init__(self, model, fields: Iterable[FieldSpec]):
        super().__init__(model, fields)
        self.route = model.api_listing.path  # its listing's (``cms.api.listings``)


def _country_code(obj, ctx: RenderContext) -> str:
    return obj.country.code


def country_field():
    return related(
        "country",
        _country_code,
        schema=str,
        select_related=("country",),
        doc="Code of the country it belongs to",
    )


def _cluster_html_url(obj, ctx: RenderContext) -> str | None:
    directory, country = cluster_directories(ctx).get(obj.country_id, (None, None))
    url = html_url(directory, ctx, country, item=obj) if directory else None
    return f"{url}{obj.slug}/" if url else None


def cluster_directories(ctx: RenderContext) -> dict[int, tuple]:
    """The directory serving each country's profiles, and the country whose site it is on:
    looked up once per context.

    The directory is ``ClusterDirectoryPage.directories_serving``'s (what search and the
    canonical link name too): the country's own, or the hub's when the country has no
    live directory; a country whose directory refuses visitors has none. A fixed number
    of queries for every country.
    """
    if ctx.cluster_directories is None:
        from cms.clusters.models import ClusterDirectoryPage

        countries = ctx.scope.countries.values()
        serving = ClusterDirectoryPage.directories_serving(country.pk for country in countries)
        ctx.cluster_directories = {
            country_id: (page, ctx.scope.country_of(page))
            for country_id, page in serving.items()
            if page is not None
        }
    return ctx.cluster_directories


def cluster_representation():
    from cms.clusters.models import ClusterProfile

    return SnippetRepresentation(
        ClusterProfile,
        [
            text("name"),
            plain("slug"),
            country_field(),
            text("region"),
            text("city"),
            sectors_field(),
            text("description", render=render_rich_text, listing=False),
            plain("members"),
            plain("founded"),
            plain("website"),
            plain("email", listing=False),
            plain("phone", listing=False),
            contact_field(),
            image_field("logo"),
            related(
                "html_url",
                _cluster_html_url,
                schema=str,
                select_related=("country",),
                doc=(
                    "The profile on the visitor site that serves it: its country's, or the"
                    " hub's when its country has no cluster directory; null when its"
                    " country's directory refuses visitors"
                ),
            ),
        ],
    )


def partner_representation():
    from cms.partners.models import PartnerOrganisation

    return SnippetRepresentation(
        PartnerOrganisation,
        [
            text("name"),
            plain("short_name"),
            plain("slug"),
            country_field(),
            text("city"),
            plain("website"),
            text("description", listing=False),
            plain("is_lead_partner"),
        ],
    )


def contact_representation():
    from cms.partners.models import ContactPerson

    return SnippetRepresentation(
        ContactPerson,
        [
            plain("name"),
            plain("slug"),
            text("role"),
            related(
                "organisation",
                lambda obj, ctx: organisation_ref(obj.organisation, ctx, obj),
                schema=ORGANISATION_REF,
                select_related=("organisation",),
            ),
            country_field(),
            plain("email"),
            plain("phone"),
        ],
    )


def sector_representation():
    from cms.core.models import Sector

    return SnippetRepresentation(
        Sector,
        [plain("slug"), text("name"), text("description", listing=False), plain("sort_order")],
    )


class SiteRepresentation(Representation):
    """A partner country's site (or the hub): where it answers, in which languages."""

    route = "sites"
    id_schema = str

    def meta(self, obj, ctx: RenderContext) -> dict:
        return {
            "type": self.type_label,
            "detail_url": ctx.api_url(f"sites/{obj.code}/"),
            "language": ctx.localizer.language,
            "languages": available_languages(obj),
            "updated_at": obj.updated_at,
        }

    def represent(self, obj, ctx: RenderContext, selected: Iterable[str]) -> dict:
        data = super().represent(obj, ctx, selected)
        data["id"] = obj.code
        return data


def _site_attr(name: str):
    return lambda obj, ctx: getattr(obj.site, name) if obj.site else None


def site_representation():
    from cms.core.models import Country

    return SiteRepresentation(
        Country,
        [
            plain("code"),
            text("name"),
            related("hostname", _site_attr("hostname"), schema=str, select_related=("site",)),
            related("port", _site_attr("port"), schema=int, select_related=("site",)),
            related("base_url", _site_attr("root_url"), schema=str, select_related=("site",)),
            related(
                "home_page_id", _site_attr("root_page_id"), schema=int, select_related=("site",)
            ),
            related(
                "languages",
                lambda obj, ctx: list(site_languages(obj)),
                schema=list[str],
                doc="Languages the site publishes in",
            ),
            plain("default_language"),
            plain("is_hub"),
        ],
    )


@dataclass
class Representations:
    """Every representation, built once (after the apps are loaded)."""

    pages: dict = field(default_factory=page_representations)
    cluster: Representation = field(default_factory=cluster_representation)
    partner: Representation = field(default_factory=partner_representation)
    contact: Representation = field(default_factory=contact_representation)
    sector: Representation = field(default_factory=sector_representation)
    site: Representation = field(default_factory=site_representation)

    #: The fields above that are not snippets served from projections: the page types, and
    #: the sites (which the API reads from their model).
    NOT_SNIPPETS = ("pages", "site")

    @cached_property
    def snippets(self) -> tuple[Representation, ...]:
        """Every snippet type's representation, in the order declared: a field added above
        is served (projections, signals, tombstones, checks, sync) with no other list to edit."""
        return tuple(
            getattr(self, each.name) for each in fields(self) if each.name not in self.NOT_SNIPPETS
        )

    def page(self, model) -> PageRepresentation:
        return self.pages[model]

    @cached_property
    def page_field_names(self) -> frozenset[str]:
        return frozenset().union(*(rep.field_names for rep in self.pages.values()))


@lru_cache(maxsize=1)
def representations() -> Representations:
    return Representations()
