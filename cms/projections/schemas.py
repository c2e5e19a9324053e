"""Each served type's item schema, made from its declaration, for OpenAPI and for checking.

Made from the representation (``cms/projections/representations.py``: every
field, translated or not, and its type; a field of the model gives its own),
twice: for one language, where a translated field is a string and
``_fallback`` names the fields served in another language, and for
``lang=all`` (``…AllLanguages``), where a translated field is a map of every
language. Both carry ``language`` at the top (``"all"`` or the language
served), so a client tells them apart, and ``type`` (the model label), on
which the unions of several types are discriminated. What is written here is
what no declaration says: items' ``meta`` and StreamField blocks. The
envelopes that carry items (listings, syncs) are the API's (``cms/api/schemas.py``).

Every field but ``id``, ``type``, ``language``, ``meta`` and ``_fallback`` is
optional because ``?fields=`` may leave it out.
"""

from __future__ import annotations

import datetime as dt
import inspect
import types
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from ninja import Field
from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema, create_model
from typing_extensions import TypeAliasType
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.core.languages import LANGUAGE_CODES
from cms.projections.fields import Shape, Translated
from cms.projections.representations import Representation
from cms.projections.scope import ALL_LANGUAGES

#: Named (``TypeAliasType``), so that generated clients have one type for each, not one per use.
Language = TypeAliasType("Language", Literal[tuple(LANGUAGE_CODES)])  # type: ignore[valid-type]
AllLanguages = Literal[ALL_LANGUAGES]  # type: ignore[valid-type]
#: Translated fields served in another language than asked for: field -> language served.
Fallback = TypeAliasType("Fallback", dict[str, str])
#: With ``lang=all``: every language's text, ``null`` where not written.
TextByLanguage = TypeAliasType("TextByLanguage", dict[str, str | None])


def utc_json(value: dt.datetime) -> str:
    """In UTC, as Django's JSON encoder writes it (milliseconds, ``Z``): a draft's times
    come back from its revision in the server's zone (``+01:00``), a stored row's in UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return ENCODER.default(value)


ENCODER = DjangoJSONEncoder()


#: A date and time in UTC written as Django's JSON encoder writes it (milliseconds, ``Z``),
#: as the API always has; documented as the date-time string it is.
Timestamp = Annotated[
    dt.datetime,
    PlainSerializer(utc_json, when_used="json"),
    WithJsonSchema({"format": "date-time", "type": "string"}, mode="serialization"),
]


class Out(BaseModel):
    """Base of every response schema: plain pydantic, validated in C (not ``ninja.Schema``,
    which reads its input through a Python-level getter to take ORM objects)."""

    model_config = ConfigDict(populate_by_name=True)


def fallback_field():
    """``_fallback``: in every object with translated fields, in one language."""
    return Field(
        alias="_fallback",
        description="Translated fields served in another language than asked for: "
        "field -> language actually served",
    )


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


# --- meta -------------------------------------------------------------------------


class SnippetMeta(Out):
    type: str = Field(description="The item's type (model label), as `type`")
    detail_url: str
    language: str = Field(description="The language served (or `all`), as `language`")
    languages: list[str] = Field(description="Languages the item is really written in")
    updated_at: Timestamp | None = Field(
        description="When what a reader in this language sees of the item last changed "
        "(what `updated_since` compares with): its own edits and those of anything it shows"
    )


class PageMeta(SnippetMeta):
    html_url: str | None = Field(description="The page on its visitor site")
    site: str | None = Field(description="Country code of the page's site")
    first_published_at: Timestamp | None
    last_published_at: Timestamp | None


# --- from the declarations ---------------------------------------------------------

#: Python types of model fields, by ``get_internal_type()`` (anything else is a string).
MODEL_FIELD_TYPES = {
    "BooleanField": bool,
    "DateField": dt.date,
    "DateTimeField": Timestamp,
    "IntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "SmallIntegerField": int,
    "BigIntegerField": int,
}


def model_field_type(model: type[Model], name: str) -> Any:
    """The type of model field ``name`` in the API (StreamFields as their blocks)."""
    field = model._meta.get_field(name)
    if isinstance(field, StreamField):
        return list[Block]
    if field.choices:
        return choices(model, field)
    return MODEL_FIELD_TYPES.get(field.get_internal_type(), str)


@cache
def choices(model: type[Model], field) -> Any:
    """A field's choices as a named enum (the same ``Language`` for any field of languages)."""
    values = tuple(value for value, _label in field.choices)
    if set(values) == set(LANGUAGE_CODES):
        return Language
    name = "".join(part.title() for part in field.name.split("_"))
    return TypeAliasType(f"{model._meta.object_name}{name}", Literal[values])


BodyByLanguage = TypeAliasType("BodyByLanguage", dict[str, list[Block] | None])


def resolve(declared: Any, every_language: bool) -> Any:
    """A declared type as pydantic takes it, in one language or in all of them."""
    if isinstance(declared, Translated):
        inner = resolve(declared.type, every_language)
        if not every_language:
            return inner
        if inner in (str, str | None):
            return TextByLanguage
        return BodyByLanguage if inner == list[Block] else dict[str, inner | None]
    if isinstance(declared, Shape):
        return shape_schema(declared, every_language and varies(declared))
    origin, args = get_origin(declared), get_args(declared)
    if origin in (list, dict):
        return origin[tuple(resolve(arg, every_language) for arg in args)]
    if origin in (Union, types.UnionType):
        return Union[tuple(resolve(arg, every_language) for arg in args)]  # noqa: UP007
    return declared


def described(value: Any) -> tuple[Any, str | None]:
    return value if isinstance(value, tuple) else (value, None)


def suffix(every_language: bool) -> str:
    return "AllLanguages" if every_language else ""


@cache
def shape_schema(shape: Shape, every_language: bool) -> type[Out]:
    """A nested object's schema (made once per shape and variant)."""
    fields, translated = {}, False
    for name, value in shape.fields.items():
        declared, doc = described(value)
        translated |= isinstance(declared, Translated)
        fields[name] = (resolve(declared, every_language), Field(..., description=doc))
    if translated and not every_language:
        fields["fallback"] = (Fallback, fallback_field())
    return create_model(
        shape.name + suffix(every_language), __base__=Out, __doc__=shape.doc, **fields
    )


def varies(declared: Any) -> bool:
    """Whether a declared type differs with ``lang=all`` (it has a translated part)."""
    if isinstance(declared, Translated):
        return True
    if isinstance(declared, Shape):
        return any(varies(described(value)[0]) for value in declared.fields.values())
    return any(varies(arg) for arg in get_args(declared))


def schema_name(model: type[Model]) -> str:
    return "Site" if model._meta.label == "core.Country" else model._meta.object_name


@cache
def item_schema(representation: Representation, every_language: bool) -> type[Out]:
    """One item type's schema, from its representation (made once per type and variant)."""
    model = representation.model
    name = schema_name(model)
    language = AllLanguages if every_language else Language
    meta = create_model(
        f"{name}Meta{suffix(every_language)}",
        __base__=PageMeta if issubclass(model, Page) else SnippetMeta,
        type=(Literal[representation.type_label], ...),
        language=(language, ...),
    )
    fields: dict[str, Any] = {
        "id": (representation.id_schema, ...),
        "type": (Literal[representation.type_label], Field(description="The model label")),
        "language": (language, Field(description="The language served, or `all`")),
        "meta": (meta, ...),
    }
    for spec in representation.specs.values():
        declared = spec.schema or model_field_type(model, spec.name)
        if spec.translated:
            declared = Translated(declared)
        value = resolve(declared, every_language)
        fields[spec.name] = (value | None, Field(None, description=spec.doc or None))
    if not every_language:
        fields["fallback"] = (Fallback, fallback_field())
    return create_model(
        name + suffix(every_language), __base__=Out, __doc__=first_paragraph(model), **fields
    )


def first_paragraph(model: type[Model]) -> str | None:
    doc = inspect.getdoc(model) if "__doc__" in vars(model) else None
    return doc.split("\n\n")[0].replace("\n", " ") if doc else None
