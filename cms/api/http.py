"""HTTP around every Delivery API response: validators, caching, language headers.

One wrapper, applied by the API to all its operations, so no endpoint can forget: a strong
ETag and the Last-Modified the endpoint found on every successful GET, a 304 when the
consumer's copy is still good, Cache-Control, Content-Language and ``Vary:
Accept-Language``. Before the operation it checks a presented API token (``auth.py``),
applies the rate limit (``ratelimit.py``), refuses unknown query parameters (a misspelt
filter would otherwise return everything) and serves repeats from ``cache.py``.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Annotated, get_args, get_origin

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from ninja import Router
from pydantic import BaseModel, TypeAdapter, ValidationError

from cms.api import cache as response_cache
from cms.api import ratelimit
from cms.api.auth import presented_token
from cms.api.errors import (
    ParameterError,
    ProblemType,
    error_response,
    parameter_error_response,
)

#: The API's URLs alone, for finding its own paths.
API_URLCONF = "cms.api.urls"

#: Headers a 304 must repeat from the 200 it stands for.
REPEATED_ON_304 = ("Content-Language", "Vary", "Cache-Control", "ETag", "Last-Modified")


#: The request attribute that marks an answer as a stopgap (``not_to_be_kept``).
STOPGAP = "api_stopgap"


def not_to_be_kept(request: HttpRequest) -> None:
    """Serve this request's answer, but let no cache keep it (``no-store``).

    For answers that are right now but not for long: search answered from the
    database while the engine is down must not outlive the outage in the
    response cache, a CDN or the consumer's cache.
    """
    setattr(request, STOPGAP, True)


def finish(
    request: HttpRequest, response: HttpResponse, *, conditional_get: bool = True
) -> HttpResponse:
    """Add validators and caching headers; answer 304 when the consumer is up to date.

    ``conditional_get=False`` returns the full 200 (to be cached for everyone).
    """
    patch_vary_headers(response, ("Accept-Language",))
    # Read once, then let go: Django's auth and messages middleware leave the request in
    # reference cycles, and what hangs off it waits for the garbage collector.
    context = request.__dict__.pop("api_context", None)
    if context is not None:
        response["Content-Language"] = context.localizer.content_language_of(response.content)
    if getattr(request, "api_token", None) is not None:
        # Drafts: for this token's holder only, never for a shared cache.
        patch_vary_headers(response, ("Authorization",))
        response["Cache-Control"] = "private, no-store"
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if getattr(request, STOPGAP, False):
        response["Cache-Control"] = "no-store"
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
    response["ETag"] = etag
    last_modified = None
    if context is not None and context.last_modified is not None:
        last_modified = int(context.last_modified.timestamp())
        response["Last-Modified"] = http_date(last_modified)
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
    if not conditional_get:
        return response
    return conditional(request, response, etag=etag, last_modified=last_modified)


def conditional(request: HttpRequest, response: HttpResponse, *, etag, last_modified):
    """The 304 standing for ``response`` if the consumer's copy is current, else ``response``."""
    answer = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    if answer is not response:
        for header in REPEATED_ON_304:
            if response.has_header(header):
                answer[header] = response[header]
    return answer


def revalidate(request: HttpRequest, response: HttpResponse, *, hit: bool) -> HttpResponse:
    """A finished 200 (cached or about to be), answered with a 304 when that is enough."""
    response["X-Cache"] = "HIT" if hit else "MISS"
    last_modified = response.get("Last-Modified")
    return conditional(
        request,
        response,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
    )


#: Where ``read`` notes a view's query parameters, for ``delivery`` to refuse any other.
QUERY_PARAMETERS = "query_parameters"


def query_parameter_names(view) -> frozenset[str]:
    """The query parameters of a view written with ``read``: the fields of its parameter
    schema (``params: Query[NewsParams]``; the path's parameters are plain types)."""
    names: set[str] = set()
    for parameter in inspect.signature(view, eval_str=True).parameters.values():
        annotation = parameter.annotation
        schema = get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            names.update(field.alias or name for name, field in schema.model_fields.items())
    return frozenset(names)


def delivery(run):
    """Wrap an operation's ``run`` (ninja's "view" decorator mode)."""
    operation = getattr(run, "__self__", None)
    known = getattr(getattr(operation, "view_func", None), QUERY_PARAMETERS, None)
    # Operations behind a token (previews) answer for one holder: never cached.
    cacheable = operation is None or not operation.auth_callbacks

    @wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if known is not None:
            unknown = [name for name in request.GET if name not in known]
            if unknown:
                return error_response(
                    status=400,
                    error=f"{unknown[0]}: unknown query parameter; "
                    f"this endpoint takes: {', '.join(sorted(known))}",
                    parameter=unknown[0],
                    errors=[
                        {"parameter": name, "error": "unknown query parameter"} for name in unknown
                    ],
                    kind=ProblemType.UNKNOWN_PARAMETER,
                )
        try:
            presented_token(request)
        except ParameterError as problem:
            # Counted against the address, then refused before any content is read.
            return ratelimit.check(request) or parameter_error_response(problem)
        refused = ratelimit.check(request)
        if refused is not None:
            return refused
        key = response_cache.key_for(request) if cacheable else None
        if key is None:
            return finish(request, run(request, *args, **kwargs))
        cached = response_cache.load(key)
        if cached is not None:
            return revalidate(request, cached, hit=True)
        # The full 200 is stored, before it may become a 304 for this consumer.
        full = finish(request, run(request, *args, **kwargs), conditional_get=False)
        response_cache.store(key, full)
        return revalidate(request, full, hit=False)

    return wrapper


def delivery_view(view):
    """The same for plain Django views (the OpenAPI document and the docs)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        return finish(request, view(request, *args, **kwargs))

    return wrapper


def read(router: Router, path: str, *, response, by_alias=False, exclude_unset=False, **options):
    """``router.get`` for an API read whose JSON pydantic checks and writes in one pass.

    ninja would wrap the result for its own validation, dump it to Python
    objects and give those to ``json.dumps``: on a 20-item listing 1.05 ms,
    where validating and writing the JSON with pydantic takes 0.29 ms (the
    same bytes apart from non-ASCII text, now written as UTF-8). The OpenAPI
    document is the same: the operation still declares ``response``.
    """
    adapter = TypeAdapter(response)

    def checked_json(value) -> bytes:
        try:
            checked = adapter.validate_python(value)
        except ValidationError as problem:
            # Our JSON broke our own contract: a server error, never the caller's 400.
            raise ResponseContractError(str(problem)) from problem
        return adapter.dump_json(checked, by_alias=by_alias, exclude_unset=exclude_unset)

    def register(view):
        @wraps(view)
        def written(request: HttpRequest, *args, **kwargs):
            result = view(request, *args, **kwargs)
            if isinstance(result, HttpResponseBase):
                return result
            if isinstance(result, Prewritten):
                return HttpResponse(result.write(checked_json), content_type=JSON)
            return HttpResponse(checked_json(result), content_type=JSON)

        # Annotations resolved where the view was written (ninja reads them from here).
        written.__signature__ = inspect.signature(view, eval_str=True)
        setattr(written, QUERY_PARAMETERS, query_parameter_names(view))
        return router.get(
            path, response=response, by_alias=by_alias, exclude_unset=exclude_unset, **options
        )(written)

    return register


JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Prewritten:
    """A response whose items are already JSON text: stored projections, written by their
    schema when stored (``cms.projections.bodies``), so they are neither decoded nor
    checked again. ``envelope`` (a listing's, without its items) is checked and written
    here, then the items are put into its ``items``; without an envelope the response is
    the one item (a detail)."""

    items: list[str]
    envelope: dict | None = None

    def write(self, checked_json: Callable[[dict], bytes]) -> bytes:
        """The body; ``checked_json`` checks and writes the envelope (``read``'s)."""
        if self.envelope is None:
            (item,) = self.items
            return item.encode()
        written = checked_json({**self.envelope, "items": []})
        if not written.endswith(EMPTY_ITEMS):
            raise ResponseContractError("a listing's envelope must end with its items")
        items = ",".join(self.items).encode()
        return b"".join((written[: -len(EMPTY_ITEMS)], b'"items":[', items, b"]}"))


EMPTY_ITEMS = b'"items":[]}'


class ResponseContractError(RuntimeError):
    """A response body that does not match the operation's declared schema."""
