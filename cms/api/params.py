"""Query parameters: each validated once, here, so errors can name it.

Every endpoint takes one parameter schema. A malformed value fails pydantic validation with
the parameter in the error's location; a value naming something unknown in the database (a
sector slug, a site) is checked where it is applied (``selectors.py``): either way a 400
naming the parameter. Ninja would read ``?lang=cs&lang=en`` as English; ``SingleValueParser``
refuses a single-valued parameter given twice (parameters taking a list may be repeated).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, ClassVar, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import Field, Path, Schema
from ninja.parser import Parser
from pydantic import BeforeValidator, ConfigDict, field_validator
from pydantic.functional_validators import AfterValidator
from typing_extensions import TypeAliasType
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination

from cms.api.errors import ParameterError, ProblemType
from cms.api.listings import CountryCode, CountryFilter, comma_list, split_commas, written_out
from cms.api.negotiation import lang_parameter
from cms.core.languages import LANGUAGE_CODES
from cms.projections.registry import ServedType, served_page_labels, served_types
from cms.projections.representations import representations

#: Large enough for any real offset, small enough for every database's integers.
MAX_OFFSET = 2**31 - 1
MAX_ID = 2**63 - 1

#: A database id in the path: bounded, so no database ever sees an overflowing integer.
ObjectId = Path[int, {"ge": 1, "le": MAX_ID}]
SiteCode = Path[str, {"pattern": r"^[A-Za-z]{2,3}$"}]

#: Named, so that generated clients have one type for each, not one per operation.
LanguageParam = TypeAliasType("LanguageParameter", Literal[(*LANGUAGE_CODES, "all")])  # type: ignore[valid-type]
RichTextFormat = TypeAliasType("RichTextFormat", Literal["html", "markdown"])


class SingleValueParser(Parser):
    """Ninja's parser, refusing repeats of a single-valued query parameter."""

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict:
        for key in data:
            if key not in list_fields and len(values := data.getlist(key)) > 1:
                raise ParameterError(
                    key,
                    f"given {len(values)} times; it takes one value",
                    kind=ProblemType.REPEATED_PARAMETER,
                )
        return super().parse_querydict(data, list_fields, request)


def in_utc(value: datetime | None) -> datetime | None:
    """A time in UTC (UTC if it names no zone); a ValueError (a 400) if UTC has no such time."""
    try:
        return value and value.replace(tzinfo=value.tzinfo or UTC).astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 is in year 0 in UTC
        raise ValueError("out of range once in UTC") from None


class Pagination(WagtailLimitOffsetPagination.Input):
    """Wagtail's limit/offset, with the maximum stated (and checked) in the schema."""

    limit: int = Field(
        20, ge=1, le=settings.WAGTAILAPI_LIMIT_MAX, description="Items per page (at most the max)"
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")


def documented(schema: dict, params: type[ReadParams]) -> None:
    """The OpenAPI document names what ``fields`` (and a listing's ``order``) take here."""
    properties = schema.get("properties", {})
    if "fields" in properties and (names := params.field_names()):
        properties["fields"]["description"] += f". Fields here: {quoted(sorted(names))}"
    if "order" in properties:
        properties["order"]["description"] += (
            f". Orders here: {quoted(params.orderings)}; "
            f"default: `{','.join(params.default_order)}`"
        )


def quoted(names) -> str:
    return ", ".join(f"`{name}`" for name in names)


class ReadParams(Schema):
    """What every read takes: the site, the language, the fields, the rich text format."""

    model_config = ConfigDict(json_schema_extra=documented)

    #: The names ``?fields=`` may use (set per resource).
    field_names: ClassVar[Callable[[], frozenset[str]]] = staticmethod(frozenset)

    site: CountryCode | None = Field(
        None, description="Country code of the site to read (default: the request's host)"
    )
    lang: Annotated[LanguageParam | None, BeforeValidator(lang_parameter)] = Field(
        None,
        description="Language to serve, or `all` for every language; any case, region "
        "subtags ignored (`cs-CZ` is `cs`). Fields it lacks fall back along its chain, then "
        "to the item's site's language (`_fallback` names them). Default: the first "
        "`Accept-Language` tag naming one of these languages, else the site's default",
    )
    fields: str | None = Field(
        None,
        max_length=2000,
        description="Comma-separated fields to add to the defaults; `-name` removes one, "
        "`*` selects all, `_` clears the defaults",
    )
    rich_text_format: RichTextFormat | None = Field(
        None, description="How rich text is rendered (default: html)"
    )

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: str | None) -> str | None:
        known = cls.field_names() | {"id", "meta"}
        for part in split_commas(value):  # none without ``fields``
            if part in {"*", "_"}:
                continue
            name = part.removeprefix("-")
            if part in {"-id", "-meta"}:
                raise ValueError(f"{name!r} is in every item; it cannot be removed")
            if name not in known:
                available = ", ".join(sorted(cls.field_names())) or "none here"
                raise ValueError(f"unknown field {name!r}; available: {available}")
        return value

    def selected_fields(self, defaults: frozenset[str], available: frozenset[str]) -> frozenset:
        """The fields to show: ``defaults`` changed as ``?fields=`` says."""
        selected = set(defaults)
        for part in split_commas(self.fields):
            if part == "*":
                selected = set(available)
            elif part == "_":
                selected = set()
            elif part.startswith("-"):
                selected.discard(part[1:])
            else:
                selected.add(part)
        return frozenset(selected & available)


class ListParams(ReadParams, Pagination):
    """A listing: paging, ordering and incremental sync on top of a read."""

    #: ``?order=`` names (each also with ``-`` for descending) and the default.
    orderings: ClassVar[tuple[str, ...]] = ()
    default_order: ClassVar[tuple[str, ...]] = ("id",)

    order: str | None = Field(
        None, max_length=200, description="Comma-separated fields, `-` for descending"
    )
    updated_since: Annotated[
        datetime | None, BeforeValidator(written_out), AfterValidator(in_utc)
    ] = Field(
        None,
        description="Only items changed at or after this ISO 8601 time (UTC if no zone given); "
        "the response then also lists what was removed since (`deleted`). A time inside the "
        "interval a restore from a backup undid is a 400: start again with a full sync",
    )

    @field_validator("order")
    @classmethod
    def _known_order(cls, value: str | None) -> str | None:
        for token in split_commas(value):  # none without ``order``
            if token.removeprefix("-") not in cls.orderings:
                raise ValueError(
                    f"cannot order by {token!r}; available: {', '.join(cls.orderings)}"
                )
        return value

    def ordering(self) -> list[str]:
        return split_commas(self.order) or list(self.default_order)  # ``order=,`` too


# --- per resource -------------------------------------------------------------


PageType = Literal[served_page_labels()]  # type: ignore[valid-type]


class ResourceParams(ListParams):
    """A resource's listing; ``detail()`` makes its detail's parameters."""

    @classmethod
    def detail(cls) -> type[ReadParams]:
        """A read that knows the same fields (``NewsParams`` -> ``NewsDetailParams``)."""
        name = cls.__name__.removesuffix("Params") + "DetailParams"
        namespace = {"field_names": staticmethod(cls.field_names), "__module__": __name__}
        return type(name, (ReadParams,), namespace)


class PageParams(ResourceParams, CountryFilter):
    field_names = staticmethod(lambda: representations().page_field_names)
    orderings = ("id", "title", "first_published_at", "last_published_at")

    type: comma_list(PageType) = Field([], description="Only pages of these types (model labels)")
    child_of: int | None = Field(None, ge=1, le=MAX_ID, description="Only children of this page")


def listing_params(served: ServedType) -> type[ResourceParams]:
    """The listing parameters of a type declaring ``api_listing`` (``cms.api.listings``):
    its filters' parameters, its orders and its fields (``news`` -> ``NewsParams``)."""
    listing = served.model.api_listing
    own = [f.field for f in listing.filters if f.field]
    namespace = {
        "__module__": __name__,
        "__annotations__": {name: annotation for name, annotation, _ in own},
        **{name: Field([], description=description) for name, _, description in own},
        "field_names": staticmethod(lambda: served.representation.field_names),
        "orderings": listing.orderings,
        "default_order": listing.default_order,
    }
    name = f"{listing.item.title().replace('_', '')}Params"
    bases = (ResourceParams, *(f.schema for f in listing.filters if f.schema))
    return type(name, bases, namespace)


class SiteParams(ResourceParams):
    field_names = staticmethod(lambda: representations().site.field_names)
    orderings = ("sort_order", "code", "name", "updated_at")
    default_order = ("sort_order", "code")


PageDetailParams = PageParams.detail()
SiteDetailParams = SiteParams.detail()


class IndexParams(ReadParams):
    """The index: the site and the language only matter for its links."""


# --- sync -----------------------------------------------------------------------------

#: The item types a sync can follow: every page type and the snippets the API serves.
ITEM_TYPES = (
    *served_page_labels(),
    *(served.label for served in served_types().values() if not served.is_page),
)
ItemType = Literal[ITEM_TYPES]  # type: ignore[valid-type]


def served_fields() -> frozenset[str]:
    """Every field of every served type: what a sync's ``?fields=`` may name."""
    return frozenset().union(*(s.representation.field_names for s in served_types().values()))


class SyncParams(ReadParams):
    """A sync: the scope (site, language, types), where the consumer got to, a page size."""

    field_names = staticmethod(served_fields)

    type: comma_list(ItemType) = Field(
        [], description="Only these item types (model labels; default: every type)"
    )
    rich_text_format: Literal["html"] | None = Field(
        None, description="How rich text is rendered: a sync carries html only"
    )
    cursor: str | None = Field(
        None,
        max_length=1000,
        description="The `cursor` of the previous response; none for a first, full sync",
    )
    limit: int = Field(
        100,
        ge=1,
        le=settings.WAGTAILAPI_LIMIT_MAX,
        description="Changes and removals per page (each at most the max)",
    )
