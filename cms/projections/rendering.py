"""Render an item's projections: its API JSON in every language variant.

The same ``Representation`` that answered requests renders here, once per
variant, with a context that belongs to no request: URLs stay relative to the
host (``meta.detail_url`` without the request's ``?site=``/``?lang=``), and
``cms.projections.reading`` makes them absolute when a response is written.
Rich text is rendered in the API's default format (``html``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Model
from django.utils import translation

from cms.projections.fields import RenderContext
from cms.projections.registry import VARIANTS, ServedType
from cms.projections.scope import Localizer, Scope, load_countries


@dataclass
class StoredContext(RenderContext):
    """A ``RenderContext`` for no request: host-relative URLs, no carried query."""

    def absolute(self, url: str | None) -> str | None:
        return url

    def api_url(self, path: str) -> str:
        return f"{self.api_root}{path}"


@dataclass(frozen=True)
class Rendered:
    data: dict
    digest: str
    last_modified: datetime.datetime | None


@dataclass
class Renderer:
    """Renders items of any served type; shares what every item reads: the countries, and
    the directory serving each country's cluster profiles once an item has looked them up.

    Kept for one batch (``writing.project_ids`` forgets them at each, in its transaction:
    an editor may publish or unpublish a directory between two), whose items all see the
    same directories: looked up per item and language, an import of 5,000 profiles asked
    the database 40,000 times for the same answer.
    """

    scope: Scope = field(default_factory=lambda: network_scope())
    cluster_directories: dict[int, tuple] | None = None

    def context(self, variant: str) -> StoredContext:
        return StoredContext(
            request=None,
            scope=self.scope,
            localizer=Localizer(variant),
            cluster_directories=self.cluster_directories,
        )

    def render(self, served: ServedType, obj: Model) -> dict[str, Rendered]:
        """Every variant of ``obj`` (loaded as is: in-memory relations count)."""
        representation = served.representation
        fields = representation.field_names
        rendered = {}
        for variant in VARIANTS:
            ctx = self.context(variant)
            with translation.override(ctx.url_language):
                data = representation.represent(obj, ctx, fields)
            self.cluster_directories = ctx.cluster_directories
            data = plain_json(data)
            rendered[variant] = Rendered(data, digest_of(data), ctx.last_modified)
        return rendered

    def load(self, served: ServedType, ids: Iterable[int]) -> list[Model]:
        """The public objects of ``served`` among ``ids``, with what every field reads."""
        representation = served.representation
        queryset = served.public().filter(pk__in=list(ids)).order_by("pk")
        return representation.load(queryset, representation.field_names, self.context("en"))


def network_scope() -> Scope:
    """Every country at once (an item is rendered the same whichever site asks)."""
    from cms.core.models import Country

    countries = load_countries()
    hub = next((c for c in countries.values() if c.is_hub), None)
    if hub is None:  # before the sites are synced: no item is on a site yet
        hub = Country(code="", is_hub=True)
    return Scope(country=hub, countries=countries)


class Encoder(json.JSONEncoder):
    """Dates and times in full ISO 8601 (microseconds kept: the API's output parses them back).

    Aware times in UTC, as the database returns them: an object saved with a
    time in another zone renders as it will when read back.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime) and o.tzinfo is not None:
            o = o.astimezone(datetime.UTC)
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def plain_json(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=Encoder))


#: Attributes Wagtail regenerates on every save of a StreamField's rich text: no change to a reader.
VOLATILE = re.compile(r' data-block-key="[^"]*"')


#: Stamps of the last save or publication: saving again without a change is no change.
SAVE_STAMPS = ("updated_at", "last_published_at")


#: A time and its fraction of a second, compared to the millisecond: what the API serves
#: stops there, and Wagtail's revisions keep no more (publishing a stored revision, as scheduled
#: publishing and approving do, wrote the page's ``first_published_at`` back without its
#: microseconds: a change in every language nobody could see).
SUB_MILLISECONDS = re.compile(r"(T\d{2}:\d{2}:\d{2})(?:\.(\d{3})\d*)?")


def to_milliseconds(match: re.Match) -> str:
    """A time to the millisecond, written one way (``.000456`` and no fraction: none)."""
    seconds, milliseconds = match.groups()
    return seconds + (f".{milliseconds}" if milliseconds and milliseconds != "000" else "")


def digest_of(data: dict) -> str:
    """A fingerprint of what a reader sees: the same text gives the same digest."""
    meta = {k: v for k, v in data.get("meta", {}).items() if k not in SAVE_STAMPS}
    text = json.dumps({**data, "meta": meta}, sort_keys=True, ensure_ascii=False)
    text = SUB_MILLISECONDS.sub(to_milliseconds, VOLATILE.sub("", text))
    return hashlib.sha256(text.encode()).hexdigest()
