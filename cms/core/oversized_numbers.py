"""A number in the request too large for the database: a bad request, never a 500."""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest
from django.db import DataError, IntegrityError

logger = logging.getLogger(__name__)


class OversizedNumberMiddleware:
    """A 400 for a number in the request beyond what the database takes (64 bits).

    Wagtail's and django-filter's admin filters pass a value from the query string to
    the database as it is (``?user=99999999999999999999`` in a history), and SQLite
    refuses to bind it: an ``OverflowError``, a 500. Wagtail's admin API writes its
    ``?offset=`` into the SQL, which SQLite refuses as a datatype mismatch
    (``IntegrityError``) and PostgreSQL as out of range (``DataError``). It is the
    request's fault, so it is a bad request, logged as a warning with where it happened.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if self.refused_a_number(exception) or (
            isinstance(exception, (IntegrityError, DataError)) and oversized_number_in(request.GET)
        ):
            logger.warning("Oversized number in %s", request.get_full_path(), exc_info=exception)
            raise BadRequest("A number in the request is too large") from exception
        return None

    @staticmethod
    def refused_a_number(exception) -> bool:
        return isinstance(exception, OverflowError) and "SQLite INTEGER" in str(exception)


#: The largest integer the databases store (a signed 64-bit BIGINT): the largest id too.
LARGEST_INTEGER = 2**63 - 1
#: Longer than any integer a view would read from the query (and cheap to refuse).
LONGEST_NUMBER = 64


def oversized_number_in(query) -> bool:
    """Whether a value in ``query`` is an integer no database column holds, as Python's
    ``int()`` reads it (``+1``, `` 1``, ``1_000``): as the views read it."""
    return any(
        abs(number) > LARGEST_INTEGER
        for _name, values in query.lists()
        for value in values
        if (number := as_integer(value)) is not None
    )


def as_integer(value: str) -> int | None:
    if len(value) > LONGEST_NUMBER:
        return None
    try:
        return int(value)
    except ValueError:
        return None
