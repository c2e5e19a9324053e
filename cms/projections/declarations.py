"""How a representation declares its fields: ``text``, ``plain``, ``related`` and the
fields several types share (sectors, tags, a contact, an image), each a ``FieldSpec``: how
to read the value (``cms.projections.fields``), what to load with it, what it is for the
schemas. ``cms.projections.representations`` lists each served type's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from cms.core.collation import sort_key
from cms.projections.fields import (
    CONTACT_REF,
    IMAGE,
    SECTOR_REF,
    TAG_REF,
    RenderContext,
    contact_ref,
    image,
    sector_ref,
    translated,
)


def tags_of(obj, ctx: RenderContext) -> list[dict]:
    """In the alphabetical order of the row's language (``lang=all``: the common one's)."""
    language = ctx.localizer.language
    pairs = sorted(
        ((tag.name, tag.slug) for tag in obj.tags.all()),
        key=lambda pair: (sort_key(pair[0], language) or "", pair[1]),
    )
    return [{"name": name, "slug": slug} for name, slug in pairs]


def tags_field(*, listing: bool = False) -> FieldSpec:
    """Keywords, the same in every language; not in listings unless asked for."""
    return FieldSpec(
        "tags",
        lambda obj, ctx, fallback: tags_of(obj, ctx),
        listing=listing,
        prefetch=("tags",),
        schema=list[TAG_REF],
    )


def sectors_of(obj, ctx: RenderContext) -> list[dict]:
    """In the network's order of sectors."""
    sectors = sorted(obj.sectors.all(), key=lambda sector: (sector.sort_order, sector.pk))
    return [sector_ref(sector, ctx) for sector in sectors]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a representation: how to read it, what it needs loaded, what it is."""

    name: str
    read: Callable[[Any, RenderContext, dict], Any]
    #: Written per language: a map of every language with ``lang=all``.
    translated: bool = False
    #: Shown in listings without ``?fields=`` (details show every field).
    listing: bool = True
    select_related: tuple[str, ...] = ()
    prefetch: tuple[str | Callable[[], Prefetch], ...] = ()
    #: The value's type in one language (a ``Shape`` for a nested object); ``None``: the
    #: model field's own (``cms/projections/schemas.py``).
    schema: Any = None
    doc: str = ""


def text(name: str, *, render=None, listing: bool = True, doc: str = "") -> FieldSpec:
    """A translated field."""
    return FieldSpec(
        name,
        lambda obj, ctx, fallback: translated(obj, name, ctx, fallback, render),
        translated=True,
        listing=listing,
        doc=doc,
    )


def plain(name: str, *, listing: bool = True, doc: str = "") -> FieldSpec:
    """A field that is the same in every language."""
    return FieldSpec(name, lambda obj, ctx, fallback: getattr(obj, name), listing=listing, doc=doc)


def related(
    name: str,
    read,
    *,
    schema,
    translated: bool = False,
    listing: bool = True,
    select_related=(),
    prefetch=(),
    doc: str = "",
):
    """A field computed from related objects (loaded as declared), of type ``schema``."""
    return FieldSpec(
        name,
        lambda obj, ctx, fallback: read(obj, ctx),
        translated=translated,
        listing=listing,
        select_related=tuple(select_related),
        prefetch=tuple(prefetch),
        schema=schema,
        doc=doc,
    )


def sectors_field(*, listing: bool = True) -> FieldSpec:
    return FieldSpec(
        "sectors",
        lambda obj, ctx, fallback: sectors_of(obj, ctx),
        listing=listing,
        prefetch=("sectors",),
        schema=list[SECTOR_REF],
    )


def contact_field(*, listing: bool = False) -> FieldSpec:
    return related(
        "contact",
        lambda obj, ctx: contact_ref(obj.contact, ctx, obj),
        schema=CONTACT_REF,
        listing=listing,
        select_related=("contact",),
    )


def image_field(name: str, *, listing: bool = True) -> FieldSpec:
    """An image and its renditions (Wagtail reads prefetched renditions before the database)."""
    return FieldSpec(
        name,
        lambda obj, ctx, fallback: image(getattr(obj, name), ctx),
        listing=listing,
        select_related=(name,),
        prefetch=(f"{name}__renditions",),
        schema=IMAGE,
    )
