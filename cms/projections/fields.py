"""The pieces every representation is made of: the request's context, translated values, fields.

Translated fields are read language by language along the fallback chain
(``cms.core.languages.fallback_chain``), not through modeltranslation's
descriptor, because the API must know *which* language it found: every field
served in another language than the one asked for is listed in the object's
``_fallback`` map (field -> language actually served). With ``?lang=all`` a
translated field is instead a map of every language to its value (``null``
where it is not written).

The nested objects items show (a sector, a contact, an image) are declared here as
``Shape``s, beside the functions that build them. How a representation declares a field
with these (``text``, ``plain``, ``related`` ...) is ``cms.projections.declarations``.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.http import urlencode
from wagtail.api.rich_text import APIRichText
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.translation_status import ADDRESS_FIELDS, has_a_language, is_ready, value_in
from cms.projections.scope import Localizer, Scope

logger = logging.getLogger(__name__)

#: Query parameters that detail and pagination links carry over.
SCOPE_PARAMETERS = ("site", "lang", "rich_text_format")

#: A URL ``iri_to_uri`` would return unchanged (its safe characters and the unreserved ones).
URI_AS_IS = re.compile(r"[A-Za-z0-9\-._~/#%\[\]=:;$&()+,!?*@']*")


@dataclass
class RenderContext:
    """One request's view of the content: scope, language, and what it has seen.

    ``last_modified`` grows as objects are represented, so the response's
    Last-Modified covers every object whose data went into it.
    """

    request: HttpRequest
    scope: Scope
    localizer: Localizer
    rich_text_format: str | None = None
    last_modified: datetime | None = None
    #: Each country's cluster directory URL, looked up once when first needed.
    cluster_directories: dict[int, tuple] | None = None
    #: Each sector's JSON in this response, built once however many items name it.
    sector_refs: dict[int, dict] = field(default_factory=dict)

    def seen(self, *stamps: datetime | None) -> None:
        for stamp in stamps:
            if stamp is not None and (self.last_modified is None or stamp > self.last_modified):
                self.last_modified = stamp

    @property
    def url_language(self) -> str:
        """The language of links and labels (the common language for ``lang=all``)."""
        return COMMON_LANGUAGE if self.localizer.is_all else self.localizer.language

    def absolute(self, url: str | None) -> str | None:
        """``request.build_absolute_uri(url)``, without parsing ``url`` when it is a plain path."""
        if url and url[0] == "/" and url[:2] != "//" and "/./" not in url and "/../" not in url:
            url = self.origin + url  # what Django does with such a path, then iri_to_uri
            return url if URI_AS_IS.fullmatch(url) else iri_to_uri(url)
        return self.request.build_absolute_uri(url) if url else url

    @cached_property
    def origin(self) -> str:
        return f"{self.request.scheme}://{self.request.get_host()}"

    @cached_property
    def api_root(self) -> str:
        return reverse("delivery_api:api-root")

    @cached_property
    def _carried_parameters(self) -> dict[str, str]:
        return {k: self.request.GET[k] for k in SCOPE_PARAMETERS if self.request.GET.get(k)}

    @cached_property
    def _carried_query(self) -> str:
        carried = self._carried_parameters
        return f"?{urlencode(carried)}" if carried else ""

    @cached_property
    def _carried_beside_a_site(self) -> str:
        """The carried parameters but ``site``, for a link that names its own."""
        return urlencode({k: v for k, v in self._carried_parameters.items() if k != "site"})

    def api_url(self, path: str) -> str:
        """Absolute URL of an API resource, keeping the scope and language asked for."""
        return self.absolute(self.carried(f"{self.api_root}{path}"))

    def carried(self, url: str) -> str:
        """``url`` with the request's scope and language parameters (``SCOPE_PARAMETERS``);
        one naming its own site (an object of another country, ``owner_site``) keeps it."""
        if "?" not in url:
            return f"{url}{self._carried_query}"
        beside = self._carried_beside_a_site
        return f"{url}&{beside}" if beside else url

    @cached_property
    def rich_text_output(self) -> str:
        return APIRichText.resolve_format(self.rich_text_format)


# --- reading translated values -------------------------------------------------


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if hasattr(value, "raw_data"):  # a StreamValue
        return len(value) == 0
    return isinstance(value, str) and not value.strip()


def served_in(obj: Model, language: str, name: str) -> bool:
    """Whether field ``name``'s text in ``language`` may be served: its language is ready.

    A slug counts as the text it is made from. Routing keeps every language's slug
    (``is_ready`` says yes to addresses), but a consumer must not read the slug of a
    translation nobody has made ready: it is transliterated from its unready title.
    """
    return is_ready(obj, language, None if name in ADDRESS_FIELDS else name)


def translated(
    obj: Model,
    name: str,
    ctx: RenderContext,
    fallback: dict[str, str],
    render: Callable[[Any, RenderContext], Any] | None = None,
) -> Any:
    """The value of translated field ``name`` in the served language (or all of them)."""

    def rendered(raw: Any, language: str) -> Any:
        if render is None:
            return raw
        with translation.override(language):
            return render(raw, ctx)

    localizer = ctx.localizer
    if localizer.is_all:
        values = {}
        for code in LANGUAGE_CODES:
            raw = value_in(obj, name, code)
            values[code] = (
                None if is_blank(raw) or not served_in(obj, code, name) else rendered(raw, code)
            )
        return values
    for code in itertools.chain(localizer.chain, languages_beyond(obj, localizer.chain)):
        raw = value_in(obj, name, code)
        if not is_blank(raw) and served_in(obj, code, name):  # unready counts as missing
            if code != localizer.language:
                fallback[name] = code
            # Links inside fallback text are for a reader of the served language: each in
            # the language such a reader lands on (``cms.core.rich_text_links``).
            return rendered(raw, localizer.language)
    # Blank in every language: the (blank) value in the served language.
    blank = value_in(obj, name, localizer.language)
    if not served_in(obj, localizer.language, name):
        blank = "" if isinstance(blank, str) else None
    return rendered(blank, localizer.language)


def languages_beyond(obj: Model, chain: tuple[str, ...]) -> Iterator[str]:
    """Where a field blank along the served language's ``chain`` is read from next, as a
    visitor is sent (``cms.core.languages.best_language``): the item's site's default
    language, then the others in the network's order. A Polish-only item read in English
    had a ``null`` title and an empty ``_fallback``; the site's English listing shows it
    in Polish. A generator: the site is looked up only when the chain had nothing."""
    default = getattr(obj, "default_language", None)  # a page's method, a country's field
    if callable(default):
        default = default()
    if default is None:
        default = getattr(getattr(obj, "country", None), "default_language", None)
    for code in dict.fromkeys((default, *LANGUAGE_CODES)):
        if code and code not in chain:
            yield code


def with_fallback(ctx: RenderContext, data: dict, fallback: dict[str, str]) -> dict:
    if not ctx.localizer.is_all:
        data["_fallback"] = fallback
    return data


# --- renderers ---------------------------------------------------------------


def render_stream(value, ctx: RenderContext) -> list:
    """StreamField as Wagtail's API represents it, rich text as display HTML."""
    if value is None:
        return []
    return value.stream_block.get_api_representation(value, context={"request": ctx.request})


def render_rich_text(value, ctx: RenderContext) -> str:
    return APIRichText.serialize(value or "", format=ctx.rich_text_output)


# --- what values are, for the schemas -------------------------------------------


@dataclass(frozen=True)
class Translated:
    """A value written per language: ``type`` in one language, with ``lang=all`` a map of
    every language to it (``null`` where not written)."""

    type: Any


@dataclass(frozen=True, eq=False)
class Shape:
    """The JSON of a nested object: each key's type (``(type, description)`` to describe it).

    A shape with a ``Translated`` key also carries ``_fallback`` in one language.
    """

    name: str
    fields: dict[str, Any]
    doc: str = ""


RENDITION = Shape("Rendition", {"url": str, "width": int, "height": int})
IMAGE = Shape(
    "Image",
    {
        "id": int,
        "title": str,
        "alt": (Translated(str | None), "Alternative text"),
        "width": int,
        "height": int,
        "renditions": (
            dict[str, RENDITION],
            "Named renditions (thumbnail, large): sized copies to use directly",
        ),
    },
)
SECTOR_REF = Shape("SectorRef", {"id": int, "slug": str, "name": Translated(str)})
TAG_REF = Shape(
    "TagRef",
    {
        "name": (str, "The keyword (the same in every language)"),
        "slug": (str, "For the `tag` filter"),
    },
)
CLUSTER_REF = Shape(
    "ClusterRef",
    {"id": int, "slug": str, "name": Translated(str), "country": str, "detail_url": str},
)
CONTACT_REF = Shape(
    "ContactRef",
    {
        "id": int,
        "name": str,
        "role": Translated(str | None),
        "email": str,
        "phone": str,
        "detail_url": str,
    },
)
ORGANISATION_REF = Shape(
    "OrganisationRef", {"id": int, "slug": str, "name": Translated(str), "detail_url": str}
)


# --- nested objects ------------------------------------------------------------


def image(img, ctx: RenderContext) -> dict | None:
    """An image as its renditions (``API_IMAGE_RENDITIONS``), never as a bare id.

    Wagtail picks the renditions from those prefetched with the image
    (``image_field``) and makes any that is missing. An image whose file is gone (lost
    storage, a restore without media) has none, as Wagtail's ``{% image %}`` shows it
    broken: failing here held back every later publication of the item from the API.
    """
    if img is None:
        return None
    fallback: dict[str, str] = {}
    specs = settings.API_IMAGE_RENDITIONS
    try:
        renditions = img.get_renditions(*specs.values())
    except SourceImageIOError:
        logger.warning("Image %s has no file: served without renditions", img.pk)
        specs, renditions = {}, {}
    data = {
        "id": img.pk,
        "title": img.title,
        "alt": image_alt(img, ctx, fallback),
        "width": img.width,
        "height": img.height,
        "renditions": {
            name: {
                "url": ctx.absolute(renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in specs.items()
        },
    }
    if "alt_text" in fallback:
        fallback["alt"] = fallback.pop("alt_text")
    return with_fallback(ctx, data, fallback)


def image_alt(img, ctx: RenderContext, fallback: dict[str, str]) -> Any:
    """The alternative text along the served language's chain, else in any language it has.

    An image is not published per language: a description in Czech serves an
    English reader better than none (``_fallback`` names the language).
    """
    alt = translated(img, "alt_text", ctx, fallback)
    if ctx.localizer.is_all or not is_blank(alt):
        return alt
    for code in LANGUAGE_CODES:
        other = value_in(img, "alt_text", code)
        if not is_blank(other):
            fallback["alt_text"] = code
            return other
    return alt


def sector_ref(sector, ctx: RenderContext) -> dict:
    """A sector as items name it, built once per response however many items name it."""
    if sector.pk in ctx.sector_refs:
        return ctx.sector_refs[sector.pk]
    ctx.seen(sector.updated_at)
    fallback: dict[str, str] = {}
    data = {"id": sector.pk, "slug": sector.slug, "name": translated(sector, "name", ctx, fallback)}
    ctx.sector_refs[sector.pk] = with_fallback(ctx, data, fallback)
    return ctx.sector_refs[sector.pk]


def owner_site(obj, holder, ctx: RenderContext) -> str:
    """``?site=<code>`` for ``obj``, embedded in ``holder``, when it belongs to another
    country than ``holder``; else "".

    A country's site serves its own country's objects only, and an item is read on its
    country's site: a link to another country's cluster or contact there was a 404. With
    the object's site named, the link resolves on every host (on the hub's items, which
    the hub serves with every country's objects, it needs none).
    """
    owner_id = getattr(obj, "country_id", None)
    if isinstance(holder, Page):
        home = ctx.scope.country_of(holder)
    else:
        home = next((c for c in ctx.scope.countries.values() if c.pk == holder.country_id), None)
    if owner_id is None or home is None or home.is_hub or home.pk == owner_id:
        return ""
    owner = next((c for c in ctx.scope.countries.values() if c.pk == owner_id), None)
    return f"?{urlencode({'site': owner.code})}" if owner is not None else ""


def cluster_ref(cluster, ctx: RenderContext, holder) -> dict:
    ctx.seen(cluster.updated_at)
    fallback: dict[str, str] = {}
    data = {
        "id": cluster.pk,
        "slug": cluster.slug,
        "name": translated(cluster, "name", ctx, fallback),
        "country": cluster.country.code,
        "detail_url": ctx.api_url(f"clusters/{cluster.pk}/{owner_site(cluster, holder, ctx)}"),
    }
    return with_fallback(ctx, data, fallback)


def contact_ref(contact, ctx: RenderContext, holder) -> dict | None:
    if contact is None:
        return None
    ctx.seen(contact.updated_at)
    fallback: dict[str, str] = {}
    data = {
        "id": contact.pk,
        "name": contact.name,
        "role": translated(contact, "role", ctx, fallback),
        "email": contact.email,
        "phone": contact.phone,
        "detail_url": ctx.api_url(f"contacts/{contact.pk}/{owner_site(contact, holder, ctx)}"),
    }
    return with_fallback(ctx, data, fallback)


def organisation_ref(organisation, ctx: RenderContext, holder) -> dict | None:
    """None too for an organisation visitors read in no language (it has no projection)."""
    if organisation is None or not has_a_language(organisation):
        return None
    ctx.seen(organisation.updated_at)
    fallback: dict[str, str] = {}
    site = owner_site(organisation, holder, ctx)
    data = {
        "id": organisation.pk,
        "slug": organisation.slug,
        "name": translated(organisation, "name", ctx, fallback),
        "detail_url": ctx.api_url(f"partners/{organisation.pk}/{site}"),
    }
    return with_fallback(ctx, data, fallback)
