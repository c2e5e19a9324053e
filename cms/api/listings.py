"""A served type's listing, declared on its model (``api_listing = Listing(...)``) beside its
panels and ``search_fields``, as Wagtail's ``api_fields`` are: its path, orders and filters
(README, "Adding a content type", step 8). ``cms.api.resources`` writes its two operations.
Light on imports: models import it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from ninja import Field, Schema
from pydantic import BeforeValidator, StringConstraints, model_validator

from cms.api.errors import ParameterError
from cms.core.visibility import in_a_language

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}$", to_upper=True)]
Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]{1,100}$")]
TagSlug = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x20,]{1,100}$")]  # výroba-potravin


def split_commas(value):
    """``?sector=food,ict`` and ``?sector=food&sector=ict`` mean the same."""
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [part.strip() for item in values for part in str(item).split(",") if part.strip()]


def comma_list(item_type):
    return Annotated[list[item_type], BeforeValidator(split_commas)]


NUMBER = re.compile(r"\s*[-+]?\d+(\.\d*)?\s*")


def written_out(value):
    """A date or time as ISO 8601 writes it, never a number: pydantic reads ``20261201`` or
    ``0.5`` as seconds since 1970 (1970-08-23, 1970-01-01), which no consumer meant."""
    if isinstance(value, str) and NUMBER.fullmatch(value):
        raise ValueError("a number, not a date: write it as YYYY-MM-DD (or an ISO 8601 time)")
    return value


#: A date as a query parameter (``2026-12-01``).
Day = Annotated[date, BeforeValidator(written_out)]


# --- the parameters filters share --------------------------------------------------


class DateRange(Schema):
    date_from: Day | None = Field(None, description="On or after this date (YYYY-MM-DD)")
    date_to: Day | None = Field(None, description="On or before this date (YYYY-MM-DD)")

    @model_validator(mode="after")
    def _ordered(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ParameterError("date_to", "must not be before date_from")
        return self


class CountryFilter(Schema):
    country: comma_list(CountryCode) = Field(
        [], description="Only content of these countries (codes; on the hub)"
    )


class SectorFilter(Schema):
    sector: comma_list(Slug) = Field([], description="Only items in any of these sectors (slugs)")


class TagFilter(Schema):
    tag: comma_list(TagSlug) = Field(
        [], description="Only items with any of these tags (keyword slugs, as in `tags`)"
    )


# --- filters -----------------------------------------------------------------------

#: What a filter keeps: the ids of the model's objects to list (None: every one).
Keep = Callable[[type[Model], Any], QuerySet | None]


@dataclass(frozen=True)
class Filter:
    """Query parameters of a listing and the objects they keep.

    ``schema``: parameters several listings share (a mixin above); else ``field``, one
    parameter of this listing's own: ``(name, type, description)``. ``keep``: the ids to
    list, given the model and the validated parameters; None where the stored rows
    answer the filter themselves (``cms.api.selectors.rows``).
    """

    schema: type[Schema] | None = None
    field: tuple[str, Any, str] | None = None
    keep: Keep | None = None


COUNTRY = Filter(CountryFilter)
SECTOR = Filter(SectorFilter)
TAG = Filter(TagFilter, keep=lambda model, params: tagged(model, params.tag))


def dates(on_or_after: Callable[[date], Q], on_or_before: Callable[[date], Q]) -> Filter:
    """``?date_from=`` and ``?date_to=``, each what the model means by it."""

    def keep(model, params):
        found = Q()
        if params.date_from:
            found &= on_or_after(params.date_from)
        if params.date_to:
            found &= on_or_before(params.date_to)
        return ids_of(model, found)

    return Filter(DateRange, keep=keep)


def slugs(name: str, label: str, lookup: str, description: str) -> Filter:
    """``?<name>=`` slugs of ``label`` objects, each of which must exist; the objects kept are
    those whose ``lookup`` is one of them."""

    def keep(model, params):
        given = getattr(params, name)
        if not given:
            return None
        found = check_slugs(apps.get_model(label), given, name)
        return ids_of(model, Q(**{f"{lookup}__in": found}))

    return Filter(field=(name, comma_list(Slug), description), keep=keep)


def choices(name: str, values: Iterable[str], description: str) -> Filter:
    """``?<name>=`` any of ``values`` of the model's field ``name``."""

    def keep(model, params):
        given = getattr(params, name)
        return ids_of(model, Q(**{f"{name}__in": given})) if given else None

    return Filter(field=(name, comma_list(Literal[tuple(values)]), description), keep=keep)


@dataclass(frozen=True)
class Listing:
    """``GET /<path>/`` (described by ``listed``) and ``GET /<path>/{<item>_id}/``.

    ``item`` names the operations and schemas (``funding_programme`` at
    ``funding-programmes``: ``listFundingProgrammes``, ``getFundingProgramme``,
    ``FundingProgrammeListing``); ``tag`` groups them in the OpenAPI document (generated
    clients make a module of each). ``orderings`` may each be given with ``-``.
    """

    path: str
    item: str
    tag: str
    listed: str
    orderings: tuple[str, ...]
    default_order: tuple[str, ...]
    filters: tuple[Filter, ...] = ()
    detailed: str | None = None


# --- what filters look up ------------------------------------------------------------


def ids_of(model: type[Model], found: Q) -> QuerySet | None:
    """The ids of the ``model`` objects ``found`` (None: no condition, every one)."""
    return model.objects.filter(found).values("pk") if found else None


def tagged(model: type[Model], slugs: list[str]) -> QuerySet | None:
    """Ids of ``model`` objects with any of the tags ``slugs`` (each must exist)."""
    if not slugs:
        return None
    from taggit.models import Tag

    through = model._meta.get_field("tags").through
    tags = check_slugs(Tag, slugs, "tag")
    return through.objects.filter(tag_id__in=tags).values("content_object_id")


def check_slugs(model: type[Model], slugs: list[str], parameter: str) -> list[int]:
    """The ids of the ``model`` objects with these slugs; every slug must name one that
    readers see in some language (``in_a_language``): one no language is ready in is
    unknown, not a way to learn that a draft exists."""
    readable = in_a_language(model.objects.all())
    found = dict(readable.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ParameterError(parameter, f"unknown {parameter} {missing[0]!r}")
    return list(found.values())
