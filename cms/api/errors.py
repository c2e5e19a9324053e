"""Errors as JSON that names the culprit, on top of Wagtail v3's problem details.

Wagtail's v3 API answers errors with RFC 7807 ``application/problem+json``.
The Delivery API keeps that shape and adds two members a client can act on:
``error`` (what is wrong, in one sentence) and ``parameter`` (which query
parameter caused it). Malformed input is a 400, never a 422 or a 500: a
consumer's URL is wrong, not its body.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError
from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail, register_exception_handlers

logger = logging.getLogger(__name__)

#: Where ninja puts a request value in an error's ``loc``.
PARAMETER_SOURCES = {"query", "path", "header"}
#: The name every endpoint gives its query parameter schema. Ninja flattens
#: the schema's fields into query parameters but, for errors inside a list
#: value (``sector=a,%00``), reports the unflattened path starting with it.
PARAMS_ARGUMENT = "params"


class ParameterError(Exception):
    """A query parameter the API cannot honour; answered with ``status`` naming it.

    Deliberately not a ``ValueError``: raised inside a pydantic validator it
    must reach the API's handler unchanged, parameter name included, instead
    of being folded into a generic validation error.
    """

    def __init__(self, parameter: str, message: str, *, status: int = 400):
        self.parameter = parameter
        self.message = message
        self.status = status
        super().__init__(f"{parameter}: {message}")


class APIProblem(ProblemDetail):
    """Wagtail's problem details plus the error sentence and the parameter."""

    error: str
    parameter: str | None = None


def error_response(
    *,
    status: int,
    error: str,
    parameter: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    problem = APIProblem(
        type="about:blank",
        title=_title(status),
        status=status,
        detail=error,
        error=error,
        parameter=parameter,
        errors=errors,
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
        status=exc.status, error=f"{exc.parameter}: {exc.message}", parameter=exc.parameter
    )
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="drafts"'
    return response


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def parameter_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``[{"parameter": "limit", "error": "..."}]`` from ninja/pydantic error dicts."""
    result = []
    for item in errors:
        loc = [str(part) for part in item.get("loc", ())]
        if loc and loc[0] in PARAMETER_SOURCES:
            loc = loc[1:]
        if len(loc) > 1 and loc[0] == PARAMS_ARGUMENT:
            loc = loc[1:]
        parameter = loc[0] if loc else None
        message = str(item.get("msg", "is invalid"))
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        result.append({"parameter": parameter, "error": message})
    return result


def register_error_handlers(api: NinjaAPI) -> None:
    """Wagtail's v3 handlers first, then ours for what the Delivery API changes."""
    register_exception_handlers(api)

    @api.exception_handler(NinjaValidationError)
    @api.exception_handler(PydanticValidationError)
    def validation_error(request: HttpRequest, exc):
        raw = exc.errors if isinstance(exc, NinjaValidationError) else exc.errors()
        errors = parameter_errors(list(raw))
        first = errors[0] if errors else {"parameter": None, "error": "Invalid request"}
        parameter = first["parameter"]
        message = f"{parameter}: {first['error']}" if parameter else first["error"]
        return error_response(status=400, error=message, parameter=parameter, errors=errors)

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError):
        return error_response(status=400, error="; ".join(exc.messages))

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
        return error_response(status=500, error="Internal error; it has been logged")
