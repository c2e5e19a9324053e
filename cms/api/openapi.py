"""What the OpenAPI document says beyond ninja's: problems, ids, servers, headers, webhooks.

Consumers generate clients from it (``.ci/clients`` type-checks one of each kind), so it
names things as a developer would and declares everything the wire carries:

- ``operationId``: the view's name in camelCase (``list_news`` -> ``listNews``), or
  ``OPERATION_IDS``: the generated clients' method names.
- ``servers``: ``/``, resolved against wherever the document was fetched from: every
  country's site serves the same API, the host picking the site, so one document serves all.
- Response headers: each declared once in ``components.headers`` (the site's own in
  ``cms.ops.headers``) and referenced by the statuses that carry it (``RESPONSE_HEADERS``;
  ``tests/api/test_openapi_document.py`` checks that each header sent is declared). Not
  declared: ``Content-Type`` (the media types say it) and the server's framing
  (``Content-Length``, ``Date``, ...).
"""

from __future__ import annotations

from ninja.operation import Operation

from cms.api.errors import problem_schemas
from cms.ops import headers as site_headers
from cms.ops.headers import header
from cms.webhooks.schema import webhooks_openapi

#: What every operation may answer besides its 200, as the wrapper in ``http.py``
#: and the handlers in ``errors.py`` do; documented so that clients (and
#: schemathesis) know each status and its ``application/problem+json`` body.
PROBLEMS = {
    "400": "A query parameter is malformed, unknown or repeated (`errors[]` names each; "
    "`type` says which: see /api/v3/docs/errors/)",
    "401": "An `Authorization` header was sent with a malformed, unknown or revoked API token "
    "(public reads need none)",
    "404": "No such object on this site",
    "429": "Rate limit exceeded (when enabled); see `Retry-After`",
}
#: And for operations behind an API token.
AUTH_PROBLEMS = {"401": "Missing, malformed, unknown or revoked API token"}
PROBLEM_CONTENT = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/APIProblem"}}
}
#: Answered by gunicorn before Django sees the request (``--limit-request-line``).
TOO_LONG = {"description": "Request line longer than the server accepts (4,094 bytes)"}

#: Operation ids that are not the camelCase of their view function's name.
OPERATION_IDS = {"index": "getIndex", "get_news": "getNewsItem"}

SERVERS = [
    {
        "url": "/",
        "description": "The host this document was fetched from. Every country's site "
        "(e.g. cz.example.org) and the hub serve the API; the host picks the site unless "
        "`?site=` names another.",
    }
]


#: ``components.headers``: every response header the API sends, and what it means.
HEADERS: dict[str, dict] = {
    "ETag": header(
        "Strong validator of this representation (a hash of the body); send it back in "
        "`If-None-Match` for a 304 while it is current.",
        example='"3f2a9c0d1e4b5a6978877665544332211f0e0d0c"',
        required=True,
    ),
    "Last-Modified": header(
        "When anything the response shows last changed (for listings: the newest change of "
        "its items, or removal); send it back in `If-Modified-Since`.",
        example="Thu, 03 Dec 2026 10:15:00 GMT",
    ),
    "Cache-Control": header(
        "`public, max-age=60` on reads (`API_CACHE_MAX_AGE`), with or without an API token; "
        "`private, no-store` on previews; `no-store` on errors, on answers that must not "
        "outlive a search engine outage and on syncs holding a change back.",
        example="public, max-age=60",
        required=True,
    ),
    "Vary": header(
        "The request headers the representation depends on: `Accept-Language` always, "
        "`Authorization` with an API token, `Origin` where CORS applies.",
        example="Accept-Language, origin",
    ),
    "Content-Language": header(
        "The served language (`cs`); for `lang=all` the languages the items have text in "
        "(`en, cs`). Fields that fell back to another language are named in `_fallback`.",
        example="cs",
    ),
    "X-Cache": header(
        "`HIT` when served from the API's response cache, `MISS` when computed for this "
        "request (sent only while the response cache is on).",
        enum=["HIT", "MISS"],
    ),
    "Retry-After": header(
        "Seconds until the rate limit's window ends and requests are taken again.",
        example="42",
        required=True,
        pattern="^[0-9]+$",
    ),
    "WWW-Authenticate": header(
        "How to authenticate: a bearer API token (admin -> Settings -> API tokens).",
        example='Bearer realm="drafts"',
        required=True,
    ),
    **site_headers.EVERY_RESPONSE,
}

#: What ``cms.api.http`` adds: on a 200, and repeated on the 304 standing for it.
REPRESENTATION = ("ETag", "Last-Modified", "Cache-Control", "Content-Language")
#: Errors: never kept by a cache; the language when it was negotiated before the error.
ERROR = ("Cache-Control", "Content-Language")
#: Sent with every response: ``Vary`` and the site's middleware's (``cms.ops.headers``).
EVERY_RESPONSE = ("Vary", *site_headers.EVERY_RESPONSE)

#: The headers each status of an operation may carry (``X-Cache`` added where cacheable).
RESPONSE_HEADERS: dict[str, tuple[str, ...]] = {
    "200": (*REPRESENTATION, *EVERY_RESPONSE),
    "304": (*REPRESENTATION, *EVERY_RESPONSE),
    "400": (*ERROR, *EVERY_RESPONSE),
    "401": (*ERROR, "WWW-Authenticate", *EVERY_RESPONSE),
    "404": (*ERROR, *EVERY_RESPONSE),
    "429": (*ERROR, "Retry-After", *EVERY_RESPONSE),
}
#: Statuses whose answer passes the response cache (``cms.api.http.delivery``) and so
#: carries ``X-Cache``: what the operation computed (a 200, or an error it raised).
CACHE_MARKED = ("200", "400", "404")


def operation_id(operation: Operation) -> str:
    """``listNews`` for ``list_news``: what generated clients name their methods."""
    name = operation.view_func.__name__
    first, *rest = name.split("_")
    return OPERATION_IDS.get(name) or first + "".join(word[:1].upper() + word[1:] for word in rest)


def declare_responses(operation: dict) -> None:
    """The 304, the problems and the 414 every operation may answer besides its 200."""
    responses = operation.setdefault("responses", {})
    responses.setdefault("304", {"description": "Not modified (If-None-Match, If-Modified-Since)"})
    problems = {**PROBLEMS, **(AUTH_PROBLEMS if operation.get("security") else {})}
    for status, description in problems.items():
        responses.setdefault(status, {"description": description, "content": PROBLEM_CONTENT})
    responses.setdefault("414", TOO_LONG)


def declare_headers(operation: dict) -> None:
    """Reference every response header from the responses that carry it."""
    cached = not operation.get("security")  # previews are never cached
    for status, response in operation.get("responses", {}).items():
        names = list(RESPONSE_HEADERS.get(str(status), ()))
        if not names:
            continue
        if cached and str(status) in CACHE_MARKED:
            names.insert(len(REPRESENTATION), "X-Cache")
        response["headers"] = {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def complete(schema: dict) -> dict:
    """Problem answers, servers, response headers and webhooks, added to ninja's document."""
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update(problem_schemas())
    schema["servers"] = SERVERS
    components["headers"] = HEADERS
    for operations in schema["paths"].values():
        for operation in operations.values():
            declare_responses(operation)
            declare_headers(operation)
    schema["webhooks"] = webhooks_openapi()
    return schema
