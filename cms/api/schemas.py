"""The Delivery API's JSON, described for OpenAPI and checked on the way out.

Written out by hand, one schema per page type and per snippet, so the
contract is readable here and in ``/api/v3/docs``. The JSON itself is built
by ``cms/projections/representations.py``; ``tests/api/test_schemas.py`` keeps both in step.

Every field but ``id`` and ``meta`` is optional because ``?fields=`` may
leave it out. A translated field is a string in the served language, or with
``?lang=all`` an object of every language (``null`` where not written).
"""

import datetime as dt
from datetime import datetime
from typing import Annotated, Literal, Union

from django.core.serializers.json import DjangoJSONEncoder
from ninja import Field
from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema, create_model

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.core.models import Sector
from cms.events.models import EventIndexPage, EventPage
from cms.home.models import CountryHomePage, StandardPage
from cms.news.models import NewsIndexPage, NewsPage
from cms.partners.models import ContactPerson, PartnerOrganisation

ByLanguage = dict[str, str | None]
#: A translated text: in the served language, or by language with ``lang=all``.
Text = str | ByLanguage
OptionalText = str | None | ByLanguage


Fallback = dict[str, str] | None


def fallback_field():
    """``_fallback``, last in every object that has translated fields."""
    return Field(
        None,
        alias="_fallback",
        description="Translated fields served in another language than asked for: "
        "field -> language actually served. Absent with lang=all.",
    )


def _django_json(value: datetime) -> str:
    return _ENCODER.default(value)


_ENCODER = DjangoJSONEncoder()


#: A date and time written as Django's JSON encoder writes it (milliseconds, ``Z``
#: for UTC), as the API always has, now that pydantic writes the JSON itself
#: (``cms.api.http.read``); documented as the date-time string it is.
Timestamp = Annotated[
    datetime,
    PlainSerializer(_django_json, when_used="json"),
    WithJsonSchema({"format": "date-time", "type": "string"}, mode="serialization"),
]


class Out(BaseModel):
    """Base of every response schema: plain pydantic, validated in C.

    Not ``ninja.Schema``: that one reads its input through a Python-level
    getter (so it can take ORM objects), which made checking a listing's JSON
    on the way out cost a tenth of the request. Our endpoints return dicts.
    """

    model_config = ConfigDict(populate_by_name=True)


# --- nested ---------------------------------------------------------------------


class Rendition(Out):
    url: str
    width: int
    height: int


class Image(Out):
    id: int
    title: str
    alt: OptionalText = Field(description="Alternative text (translated)")
    width: int
    height: int
    renditions: dict[str, Rendition] = Field(
        description="Named renditions (thumbnail, large): sized copies to use directly"
    )
    fallback: Fallback = fallback_field()


class SectorRef(Out):
    id: int
    slug: str
    name: Text
    fallback: Fallback = fallback_field()


class TagRef(Out):
    name: str = Field(description="The keyword (the same in every language)")
    slug: str = Field(description="For the `tag` filter")


class ClusterRef(Out):
    id: int
    slug: str
    name: Text
    country: str
    detail_url: str
    fallback: Fallback = fallback_field()


class ContactRef(Out):
    id: int
    name: str
    role: OptionalText
    email: str
    phone: str
    detail_url: str
    fallback: Fallback = fallback_field()


class OrganisationRef(Out):
    id: int
    slug: str
    name: Text
    detail_url: str
    fallback: Fallback = fallback_field()


# --- StreamField ----------------------------------------------------------------


class HeadingBlock(Out):
    type: Literal["heading"]
    value: str
    id: str | None = None


class ParagraphBlock(Out):
    type: Literal["paragraph"]
    value: str = Field(description="Rich text, rendered as `rich_text_format` says")
    id: str | None = None


class ImageBlockValue(Out):
    url: str
    width: int
    height: int
    alt: str
    caption: str


class ImageBlock(Out):
    type: Literal["image"]
    value: ImageBlockValue | None
    id: str | None = None


class QuoteBlockValue(Out):
    text: str
    attribution: str | None = None


class QuoteBlock(Out):
    type: Literal["quote"]
    value: QuoteBlockValue
    id: str | None = None


Block = Annotated[
    HeadingBlock | ParagraphBlock | ImageBlock | QuoteBlock, Field(discriminator="type")
]
Body = list[Block] | dict[str, list[Block] | None]


# --- pages ------------------------------------------------------------------------


class PageMeta(Out):
    type: str = Field(description="The page type (model label)")
    detail_url: str
    html_url: str | None = Field(description="The page on its visitor site")
    site: str | None = Field(description="Country code of the page's site")
    language: str = Field(description="The language served (or `all`)")
    languages: list[str] = Field(description="Languages the page is really written in")
    first_published_at: Timestamp | None
    last_published_at: Timestamp | None
    updated_at: Timestamp | None = Field(
        description="When what a reader in this language sees of the page last changed "
        "(what `updated_since` compares with): its own edits and those of anything it shows"
    )


def page_meta(model) -> type[PageMeta]:
    """``PageMeta`` with ``type`` narrowed to ``model``: what tells the union apart."""
    label = model._meta.label
    return create_model(
        f"{model._meta.object_name}Meta",
        __base__=PageMeta,
        type=(Literal[label], ...),
    )


class PageFields(Out):
    """What every page type has; each type narrows ``meta`` and adds its fields."""

    id: int
    type: str = Field(description="The page type (model label): the same as `meta.type`")
    meta: PageMeta
    title: Text | None = None
    slug: Text | None = None


class CountryHomePageSchema(PageFields):
    type: Literal[CountryHomePage._meta.label]
    meta: page_meta(CountryHomePage)
    intro: OptionalText = None
    fallback: Fallback = fallback_field()


class StandardPageSchema(PageFields):
    type: Literal[StandardPage._meta.label]
    meta: page_meta(StandardPage)
    lead: OptionalText = None
    body: Body | None = None
    fallback: Fallback = fallback_field()


class NewsIndexPageSchema(PageFields):
    type: Literal[NewsIndexPage._meta.label]
    meta: page_meta(NewsIndexPage)
    intro: OptionalText = None
    fallback: Fallback = fallback_field()


class EventIndexPageSchema(PageFields):
    type: Literal[EventIndexPage._meta.label]
    meta: page_meta(EventIndexPage)
    intro: OptionalText = None
    fallback: Fallback = fallback_field()


class ClusterDirectoryPageSchema(PageFields):
    type: Literal[ClusterDirectoryPage._meta.label]
    meta: page_meta(ClusterDirectoryPage)
    intro: OptionalText = None
    fallback: Fallback = fallback_field()


class NewsPageSchema(PageFields):
    """A news item or press release."""

    type: Literal[NewsPage._meta.label]
    meta: page_meta(NewsPage)
    date: dt.date | None = None
    lead: OptionalText = None
    body: Body | None = None
    image: Image | None = None
    sectors: list[SectorRef] | None = None
    tags: list[TagRef] | None = None
    related_clusters: list[ClusterRef] | None = None
    contact: ContactRef | None = None
    funding_note: OptionalText = None
    fallback: Fallback = fallback_field()


class EventPageSchema(PageFields):
    """An info day, exchange forum, study trip or conference."""

    type: Literal[EventPage._meta.label]
    meta: page_meta(EventPage)
    kind: Literal["info-day", "exchange-forum", "study-trip", "conference"] | None = None
    kind_label: OptionalText = None
    start: Timestamp | None = None
    end: Timestamp | None = None
    place: OptionalText = None
    lead: OptionalText = None
    body: Body | None = None
    registration_url: str | None = None
    sectors: list[SectorRef] | None = None
    tags: list[TagRef] | None = None
    contact: ContactRef | None = None
    fallback: Fallback = fallback_field()


PAGE_SCHEMAS = {
    CountryHomePage: CountryHomePageSchema,
    StandardPage: StandardPageSchema,
    NewsIndexPage: NewsIndexPageSchema,
    EventIndexPage: EventIndexPageSchema,
    ClusterDirectoryPage: ClusterDirectoryPageSchema,
    NewsPage: NewsPageSchema,
    EventPage: EventPageSchema,
}


def discriminated(schemas) -> object:
    """Any of ``schemas``, told apart by their top-level ``type`` (an OpenAPI discriminator)."""
    return Annotated[Union[tuple(schemas)], Field(discriminator="type")]  # noqa: UP007


#: Any page, told apart by ``type``.
AnyPage = discriminated(PAGE_SCHEMAS.values())


# --- snippets and sites --------------------------------------------------------------


class SnippetMeta(Out):
    type: str
    detail_url: str
    language: str
    languages: list[str] = Field(description="Languages the item is really written in")
    updated_at: Timestamp | None = Field(
        description="When what a reader in this language sees of the item last changed "
        "(what `updated_since` compares with)"
    )


def snippet_meta(model) -> type[SnippetMeta]:
    """``SnippetMeta`` with ``type`` narrowed to ``model`` (tells a sync's items apart)."""
    return create_model(
        f"{model._meta.object_name}Meta",
        __base__=SnippetMeta,
        type=(Literal[model._meta.label], ...),
    )


class ClusterSchema(Out):
    """A cluster organisation's profile."""

    id: int
    type: Literal[ClusterProfile._meta.label]
    meta: snippet_meta(ClusterProfile)
    name: Text | None = None
    slug: str | None = None
    country: str | None = None
    region: OptionalText = None
    city: OptionalText = None
    sectors: list[SectorRef] | None = None
    description: OptionalText = None
    members: int | None = None
    founded: int | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    contact: ContactRef | None = None
    logo: Image | None = None
    html_url: str | None = None
    fallback: Fallback = fallback_field()


class PartnerSchema(Out):
    """A project partner organisation."""

    id: int
    type: Literal[PartnerOrganisation._meta.label]
    meta: snippet_meta(PartnerOrganisation)
    name: Text | None = None
    short_name: str | None = None
    slug: str | None = None
    country: str | None = None
    city: OptionalText = None
    website: str | None = None
    description: OptionalText = None
    is_lead_partner: bool | None = None
    fallback: Fallback = fallback_field()


class ContactSchema(Out):
    """A person to write to about news and events."""

    id: int
    type: Literal[ContactPerson._meta.label]
    meta: snippet_meta(ContactPerson)
    name: str | None = None
    slug: str | None = None
    role: OptionalText = None
    organisation: OrganisationRef | None = None
    country: str | None = None
    email: str | None = None
    phone: str | None = None
    fallback: Fallback = fallback_field()


class SectorSchema(Out):
    """One of the network's industry areas."""

    id: int
    type: Literal[Sector._meta.label]
    meta: snippet_meta(Sector)
    slug: str | None = None
    name: Text | None = None
    description: OptionalText = None
    sort_order: int | None = None
    fallback: Fallback = fallback_field()


class SiteSchema(Out):
    """A partner country's site, or the international hub."""

    id: str = Field(description="The country code")
    type: Literal["core.Country"]
    meta: SnippetMeta
    code: str | None = None
    name: Text | None = None
    hostname: str | None = None
    port: int | None = None
    base_url: str | None = None
    home_page_id: int | None = None
    languages: list[str] | None = Field(None, description="Languages the site publishes in")
    default_language: str | None = None
    is_hub: bool | None = None
    fallback: Fallback = fallback_field()


# --- listings -------------------------------------------------------------------------


class Removed(Out):
    """A tombstone: an item that left the API (unpublished or deleted) or this site (moved)."""

    id: int
    type: str
    reason: Literal["unpublished", "deleted", "moved"]
    removed_at: Timestamp
    site: str | None


class Listing(Out):
    count: int = Field(description="Items matching, on every page together")
    limit: int
    offset: int
    next: str | None = Field(description="The next page, if there is one")
    previous: str | None = Field(description="The previous page, if there is one")
    language: str = Field(description="The language served (or `all`)")
    site: str = Field(description="The site read")
    deleted: list[Removed] | None = Field(
        None, description="With updated_since: what was removed since then"
    )


class PageListing(Listing):
    items: list[AnyPage]


class NewsListing(Listing):
    items: list[NewsPageSchema]


class EventListing(Listing):
    items: list[EventPageSchema]


class ClusterListing(Listing):
    items: list[ClusterSchema]


class PartnerListing(Listing):
    items: list[PartnerSchema]


class ContactListing(Listing):
    items: list[ContactSchema]


class SectorListing(Listing):
    items: list[SectorSchema]


class SiteListing(Listing):
    items: list[SiteSchema]


#: Any item a sync can carry, told apart by ``type``.
ITEM_SCHEMAS = {
    **PAGE_SCHEMAS,
    ClusterProfile: ClusterSchema,
    PartnerOrganisation: PartnerSchema,
    ContactPerson: ContactSchema,
    Sector: SectorSchema,
}
AnyItem = discriminated(ITEM_SCHEMAS.values())


class SyncPage(Out):
    """One page of a sync: what changed and what was removed since the cursor, in order."""

    site: str = Field(description="The site followed")
    language: str = Field(description="The language followed (or `all`)")
    items: list[AnyItem] = Field(
        description="Items whose projection in this language changed, oldest change first, "
        "each with every field"
    )
    deleted: list[Removed] = Field(description="What left this site since the cursor")
    cursor: str = Field(description="Pass as `cursor` to continue where this page ends")
    more: bool = Field(
        description="Whether more changes are waiting now; when false, keep the cursor and "
        "ask again later for what changes next"
    )


class ApiIndex(Out):
    site: str
    language: str
    resources: dict[str, str]
    openapi: str
    docs: str
