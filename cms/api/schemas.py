"""The Delivery API's responses, described for OpenAPI and checked on the way out.

The items are each served type's schema (``cms/projections/schemas.py``, made
from its representation); written here is what carries them: the envelopes of
listings and syncs, tombstones, the index, and each resource's listing and
detail in one language or in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from ninja import Field
from pydantic import Discriminator, Tag, create_model

from cms.projections.registry import served_types
from cms.projections.representations import Representation, representations
from cms.projections.schemas import AllLanguages, Language, Out, Timestamp, item_schema, suffix
from cms.projections.scope import ALL_LANGUAGES


def discriminated(schemas: list) -> Any:
    """Any of ``schemas``, told apart by their top-level ``type`` (an OpenAPI discriminator)."""
    if len(schemas) == 1:
        return schemas[0]
    return Annotated[Union[tuple(schemas)], Field(discriminator="type")]  # noqa: UP007


def by_language(one: Any, every: Any) -> Any:
    """``one`` (a language) or ``every`` (``lang=all``), told apart by ``language``."""
    return Annotated[
        Union[Annotated[one, Tag("one")], Annotated[every, Tag("all")]],  # noqa: UP007
        Discriminator(language_of),
    ]


def language_of(value: Any) -> str:
    language = value.get("language") if isinstance(value, dict) else value.language
    return "all" if language == ALL_LANGUAGES else "one"


# --- listings and syncs -----------------------------------------------------------------


class Removed(Out):
    """A tombstone: an item that left the API (unpublished or deleted) or this site (moved)."""

    id: int
    type: str
    reason: Literal["unpublished", "deleted", "moved"]
    removed_at: Timestamp
    site: str | None


class Listing(Out):
    """One page of a listing: its items in one language or in all (``language`` says which)."""

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
    items: list = Field(description="The items of this page")


class Sync(Out):
    """One page of a sync: what changed and what was removed since the cursor, in order."""

    site: str = Field(description="The site followed")
    language: str = Field(description="The language followed (or `all`)")
    items: list = Field(
        description="Items whose projection in this language changed, oldest change first, "
        "each with every field"
    )
    deleted: list[Removed] = Field(description="What left this site since the cursor")
    cursor: str = Field(description="Pass as `cursor` to continue where this page ends")
    more: bool = Field(
        description="Whether more changes are waiting now; when false, keep the cursor and "
        "ask again later for what changes next"
    )


def envelope(base: type[Out], name: str, items: Any, every_language: bool):
    """A listing or a sync of ``items`` in one language or in all (``language`` says which)."""
    return create_model(
        name + suffix(every_language),
        __base__=base,
        __doc__=base.__doc__,
        language=(
            AllLanguages if every_language else Language,
            Field(description="The language served (or `all`)"),
        ),
        items=(list[items], Field(description=base.model_fields["items"].description)),
    )


@dataclass(frozen=True)
class Resource:
    """The response schemas of one resource: its listing and its detail, by language."""

    listing: Any
    detail: Any


def resource(name: str, reps: list[Representation]) -> Resource:
    listings, details = [], []
    for every in (False, True):
        item = discriminated([item_schema(rep, every) for rep in reps])
        details.append(item)
        listings.append(envelope(Listing, f"{name}Listing", item, every))
    return Resource(listing=by_language(*listings), detail=by_language(*details))


REPS = representations()
pages = resource("Page", list(REPS.pages.values()))
sites = resource("Site", [REPS.site])

#: Every type with projections (``cms.projections.registry``): what a sync carries.
SYNCED = [served.representation for served in served_types().values()]
SyncPage = by_language(
    *(
        envelope(Sync, "SyncPage", discriminated([item_schema(r, e) for r in SYNCED]), e)
        for e in (False, True)
    )
)


class ApiIndex(Out):
    site: str
    language: str
    resources: dict[str, str]
    openapi: str
    docs: str
