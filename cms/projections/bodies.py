"""A projection's JSON text, written once when the row is, and served as it is.

A response writes each item through its type's schema (``cms.projections.schemas``):
validated, then dumped by pydantic. A stored row's item is the same every time it
is read, so the row keeps that text (``Projection.body``, and ``listing_body`` for
the fields a listing shows by default), written by the same schema when the row is
written; a listing joins its items' texts instead of decoding, checking and
encoding twenty items again on every request.

What depends on the request is done on the text: the row's links are host-relative
(``"url":"/cs/…"``, ``"detail_url":"/api/v3/…"``) and get the request's origin
here, the API links also its scope parameters (``RenderContext.carried``), exactly
as ``cms.projections.reading.absolutised`` does on decoded JSON. In pydantic's
compact output a structural ``"url":"`` can only be a key and its string value (a
quote inside a string is escaped), so the replacement is exact; a link written
with an escape is left to the decoding path (``serve`` returns None).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from pydantic import TypeAdapter

from cms.projections.fields import URI_AS_IS, RenderContext
from cms.projections.registry import ALL, ServedType

#: A host-relative link: its key, then its value up to the next quote (an escaped
#: quote included: ``serve`` then leaves the item to the decoding path).
LINK = re.compile(r'"(url|detail_url)":"(/[^"]*)"')


@cache
def adapter(served: ServedType, every_language: bool) -> TypeAdapter:
    from cms.projections.schemas import item_schema

    return TypeAdapter(item_schema(served.representation, every_language))


def body_of(served: ServedType, language: str, data: dict, updated_at: datetime) -> str:
    """``data`` (a row's item) as a response writes it, with ``meta.updated_at`` the row's."""
    item = {**data, "meta": {**data["meta"], "updated_at": updated_at}}
    written = adapter(served, language == ALL)
    return written.dump_json(
        written.validate_python(item), by_alias=True, exclude_unset=True
    ).decode()


#: A host-relative link ``RenderContext.absolute`` would do more with than prefix the
#: origin: not a path of ``URI_AS_IS`` characters, or starting ``//`` (dot segments
#: are looked for on the whole text).
NOT_PLAIN = re.compile(rf'"(?:url|detail_url)":"(?=/)(?!/(?!/){URI_AS_IS.pattern}")')
PLAIN_DETAIL_URL = re.compile(rf'"detail_url":"(/{URI_AS_IS.pattern})"')


def serve(ctx: RenderContext, body: str) -> str | None:
    """``body`` with absolute links for this request, or None if a link cannot be rewritten.

    Usually every link is a plain path, and the origin is put before each by
    replacing text (``prefixed``); otherwise each link is made absolute as
    ``RenderContext`` does.
    """
    return prefixed(ctx, body) or rewritten(ctx, body)


def prefixed(ctx: RenderContext, body: str) -> str | None:
    """``body`` with the origin before every link, when every link is a plain path."""
    origin, carried = ctx.origin, ctx.carried("")
    if "/./" in body or "/../" in body or NOT_PLAIN.search(body):
        return None
    if not URI_AS_IS.fullmatch(origin + carried):
        return None
    served = body.replace('"url":"/', f'"url":"{origin}/')
    if not carried:
        return served.replace('"detail_url":"/', f'"detail_url":"{origin}/')
    return PLAIN_DETAIL_URL.sub(
        lambda link: f'"detail_url":"{origin}{ctx.carried(link[1])}"', served
    )


def rewritten(ctx: RenderContext, body: str) -> str | None:
    """``body`` with each link made absolute by ``RenderContext.absolute``."""

    def absolute(match: re.Match) -> str:
        key, path = match.groups()
        if "\\" in path:  # an escape: not a plain path
            raise ValueError(path)
        url = ctx.absolute(ctx.carried(path) if key == "detail_url" else path)
        if '"' in url or "\\" in url:
            raise ValueError(url)
        return f'"{key}":"{url}"'

    try:
        return LINK.sub(absolute, body)
    except ValueError:
        return None
