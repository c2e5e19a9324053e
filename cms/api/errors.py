"""Errors as RFC 9457 problem details, as Wagtail's v3 API answers them, made something a
client can switch on: a ``type`` URI per kind (``PROBLEM_TYPES``; resolved against the
API's host, the page documenting it) and ``errors[]``, one entry per parameter at fault.
Malformed input is a 400, never a 422 or a 500: a consumer's URL is wrong, not its body.
"""

from __future__ import annotations

import logging
import re
from enum import Enum
from http.client import responses
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError
from wagtail.api.v3.errors import PROBLEM_JSON, register_exception_handlers

logger = logging.getLogger(__name__)

#: Where ninja puts a request value in an error's ``loc``.
PARAMETER_SOURCES = {"query", "path", "header"}
#: The name every endpoint gives its query parameter schema. Ninja flattens
#: the schema's fields into query parameters but, for errors inside a list
#: value (``sector=a,%00``), reports the unflattened path starting with it.
PARAMS_ARGUMENT = "params"


#: The page documenting every problem type; each kind is an anchor on it.
ERROR_TYPES_PATH = "/api/v3/docs/errors/"


class ProblemType(Enum):
    """One kind of error: its status and title. Its name, lower-case and hyphenated, is its
    anchor on the page of problem types (``uri``), where ``api/problems/<anchor>.html``
    says what it means."""

    INVALID_PARAMETER = (400, "Invalid parameter")
    UNKNOWN_PARAMETER = (400, "Unknown parameter")
    REPEATED_PARAMETER = (400, "Repeated parameter")
    UNAUTHORIZED = (401, "Invalid API token")
    NOT_FOUND = (404, "Not found")
    METHOD_NOT_ALLOWED = (405, "Method not allowed")
    RATE_LIMITED = (429, "Rate limit exceeded")
    INTERNAL_ERROR = (500, "Internal error")
    # The HTTP phrase: monitoring and the outage page already match on it.
    UNAVAILABLE = (503, "Service Unavailable")

    def __init__(self, status: int, title: str):
        self.status = status
        self.title = title

    @property
    def kind(self) -> str:
        return self.name.lower().replace("_", "-")

    @property
    def uri(self) -> str:
        return f"{ERROR_TYPES_PATH}#{self.kind}"

    @property
    def meaning_template(self) -> str:
        """The template saying what it means, on the page of problem types."""
        return f"api/problems/{self.kind}.html"


#: Every kind the API answers with, in the order the docs list them.
PROBLEM_TYPES = tuple(ProblemType)
#: The kind an error of a status is when its raiser does not say: the first listed with it.
KIND_OF_STATUS = {kind.status: kind for kind in reversed(PROBLEM_TYPES)}


class ParameterError(Exception):
    """A query parameter the API cannot honour; answered with ``status`` naming it.

    Deliberately not a ``ValueError``: raised inside a pydantic validator it
    must reach the API's handler unchanged, parameter name included, instead
    of being folded into a generic validation error. ``kind``: the problem
    type (by default the status's, ``KIND_OF_STATUS``).
    """

    def __init__(
        self,
        parameter: str,
        message: str,
        *,
        status: int = 400,
        kind: ProblemType | None = None,
    ):
        self.parameter = parameter
        self.message = message
        self.status = status
        self.kind = kind
        super().__init__(f"{parameter}: {message}")


class ParameterProblem(Schema):
    """What is wrong with one parameter."""

    parameter: str | None = Field(
        None, description="The query or path parameter (or header) at fault"
    )
    error: str = Field(description="What is wrong with it")


PROBLEM_TYPE_DESCRIPTION = (
    "The kind of error, a URI reference the same on every host; resolved against the "
    "API's host it is the page documenting it. One of: "
    + ", ".join(f"`{kind.uri}` ({kind.status})" for kind in PROBLEM_TYPES)
    + "; `about:blank` for any other status."
)


class APIProblem(Schema):
    """RFC 9457 problem details, with the parameters at fault."""

    type: str = Field(description=PROBLEM_TYPE_DESCRIPTION)
    title: str = Field(description="The kind's title, the same for every occurrence")
    status: int = Field(description="The HTTP status code")
    detail: str = Field(description="What is wrong this time, in one sentence")
    errors: list[ParameterProblem] = Field(
        default_factory=list,
        description="One entry per parameter at fault (every 4xx a request can fix); "
        "empty when no parameter is",
    )
    parameter: str | None = Field(
        None, description="The first parameter at fault (`errors[0].parameter`)"
    )
    error: str = Field(
        description="Deprecated: the same as `detail`; will be removed in API version 4",
        json_schema_extra={"deprecated": True},
    )


def problem_schemas() -> dict[str, dict]:
    """``APIProblem`` and the schemas it uses, for the OpenAPI document's components."""
    schema = APIProblem.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = schema.pop("$defs", {})
    return {"APIProblem": schema, **definitions}


def error_response(
    *,
    status: int,
    error: str,
    parameter: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    kind: ProblemType | None = None,
) -> HttpResponse:
    """The problem details of an error: ``kind`` (else the status's), ``error`` as ``detail``."""
    kind = kind or KIND_OF_STATUS.get(status)
    problem = APIProblem(
        type=kind.uri if kind else "about:blank",
        title=kind.title if kind else responses.get(status, "Error"),
        status=status,
        detail=error,
        errors=errors or [],
        parameter=parameter,
        error=error,
    )
    response = HttpResponse(
        problem.model_dump_json(exclude_none=True, fallback=str),
        status=status,
        content_type=PROBLEM_JSON,
    )
    # Errors are about one request; a cache must not keep them.
    response["Cache-Control"] = "no-store"
    return response


def parameter_error_response(exc: ParameterError) -> HttpResponse:
    """The problem details for ``exc``; a 401 also says how to authenticate."""
    response = error_response(
        status=exc.status,
        error=f"{exc.parameter}: {exc.message}",
        parameter=exc.parameter,
        errors=[{"parameter": exc.parameter, "error": exc.message}] if exc.status < 500 else [],
        kind=exc.kind,
    )
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="drafts"'
    return response


#: A time whose zone offset's ``+`` arrived as a space (``…T10:00:00 01:00``): the
#: consumer wrote ``+01:00`` into the URL without encoding it.
UNENCODED_OFFSET = re.compile(r"\d \d{2}(:?\d{2})?$")


def parameter_errors(errors: list[dict[str, Any]], query) -> list[dict[str, Any]]:
    """``[{"parameter": "limit", "error": "..."}]`` from ninja/pydantic error dicts
    (``query``: the request's ``GET``, for the values ninja leaves out of them)."""
    result = []
    for item in errors:
        loc = [str(part) for part in item.get("loc", ())]
        if loc and loc[0] in PARAMETER_SOURCES:
            loc = loc[1:]
        if loc and loc[0] == PARAMS_ARGUMENT:
            # The schema itself (a check across fields) names no parameter.
            loc = loc[1:]
        parameter = loc[0] if loc else None
        message = str(item.get("msg", "is invalid")).removeprefix("Value error, ")
        given = query.get(parameter) if parameter else item.get("input")
        if isinstance(given, str) and UNENCODED_OFFSET.search(given):
            message += (
                "; a '+' in a query string means a space: write the offset's '+' as %2B "
                "(2026-12-01T10:00:00%2B01:00), or give the time in UTC with Z"
            )
        result.append({"parameter": parameter, "error": message})
    return result


def error_types_page(request: HttpRequest) -> HttpResponse:
    """``/api/v3/docs/errors/``: every problem type, an anchor each (``#invalid-parameter``)."""
    body = render_to_string("api/error_types.html", {"kinds": PROBLEM_TYPES})
    return HttpResponse(body, content_type="text/html; charset=utf-8")


def register_error_handlers(api: NinjaAPI) -> None:
    """Wagtail's v3 handlers first, then ours for what the Delivery API changes."""
    register_exception_handlers(api)

    @api.exception_handler(NinjaValidationError)
    @api.exception_handler(PydanticValidationError)
    def validation_error(request: HttpRequest, exc):
        raw = exc.errors if isinstance(exc, NinjaValidationError) else exc.errors()
        errors = parameter_errors(list(raw), request.GET)
        first = errors[0] if errors else {"parameter": None, "error": "Invalid request"}
        parameter = first["parameter"]
        message = f"{parameter}: {first['error']}" if parameter else first["error"]
        return error_response(status=400, error=message, parameter=parameter, errors=errors)

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError):
        return error_response(
            status=400,
            error="; ".join(exc.messages),
            errors=[{"error": message} for message in exc.messages],
        )

    @api.exception_handler(ParameterError)
    def parameter_error(request: HttpRequest, exc: ParameterError):
        return parameter_error_response(exc)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        return error_response(status=404, error=str(exc) or "Not found")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        return error_response(status=exc.status_code, error=str(exc))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception):
        # A bug, not bad input: keep the traceback for the logs (and for the
        # debug page), tell the consumer only that it was our fault.
        if settings.DEBUG:
            raise exc
        logger.exception("Delivery API error on %s", request.get_full_path())
        # As Django does for an exception it handles: error reporters hear of it, and
        # ``cms.ops.outage`` makes the answer a 503 if the database was unreachable.
        got_request_exception.send(sender=None, request=request)
        return error_response(status=500, error="Internal error; it has been logged")
