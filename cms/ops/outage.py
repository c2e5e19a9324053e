"""503 and ``Retry-After``, not 500, while the database cannot be reached.

When PostgreSQL restarts or fails over, every request that needs it fails for a second
or a few. Answered with 500, that looks like a bug, and a load balancer must not send a
request that got an answer again. Answered with **503 Service Unavailable** and
``Retry-After``, it says what it is: HAProxy sends an idempotent request (GET/HEAD) that
got a 503 to another app server (``retry-on 503`` with ``option redispatch``, see
``.ci/prod/lib.sh``), clients and crawlers come back later, and monitoring can tell an
outage from an error. Visitors get a short page in their language; the API its problem
details (``application/problem+json``) naming the cause.

What counts as *unreachable*: a ``django.db.InterfaceError`` (the connection is closed),
or an ``OperationalError`` whose driver error has no SQLSTATE (the connection could not
be made or broke: refused, reset, timed out) or a SQLSTATE of class 08 (connection
exception) or 57P01-57P03 (the server is shutting down, crashed or is starting up). A
deadlock or a cancelled statement is an OperationalError too, but the database is there:
that stays a 500. SQLite has no SQLSTATE; its result code says: the file busy or locked
past the timeout, unreadable or not there (``UNREACHABLE_SQLITE_CODES``). Any other
SQLite error (a query it cannot parse) is a bug, a 500, not an outage.

Where the error is seen:

- raised in a view: ``process_exception`` answers the 503 at once;
- raised in a middleware below this one (``SiteLanguageMiddleware`` looks the site up
  before any view runs, the API's response cache reads its generation number): Django
  turns it into the 500 page there, and sends ``got_request_exception`` while handling
  it. The receiver below marks the request; this middleware, near the top of the stack,
  replaces the marked 500 with the 503. (Django's ``django.request`` logger has then
  logged it as an error with its traceback, which an outage deserves.)
- caught on the way and answered with a 500 of its own: the Delivery API's handler of
  unexpected errors answers its problem details, and sends ``got_request_exception`` as
  Django would, so the receiver marks it too (asking the database afterwards missed the
  restart that had ended by then). For any other 500 that is not marked this middleware
  asks the database for ``SELECT 1``; if it does not answer, the 500 was the outage and
  becomes the 503. Only 500s pay for the question.
"""

from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.utils import translation

logger = logging.getLogger(__name__)

#: Seconds a client should wait; a restart takes one or two, a failover a few more.
RETRY_AFTER_SECONDS = 5
#: SQLSTATEs that mean "no server to talk to right now" (PostgreSQL's appendix A).
UNREACHABLE_SQLSTATES = ("57P01", "57P02", "57P03")
#: SQLite's primary result codes for a database file it cannot use now: SQLITE_BUSY,
#: SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CANTOPEN (https://sqlite.org/rescode.html).
UNREACHABLE_SQLITE_CODES = frozenset({5, 6, 10, 14})
#: The request attribute the signal receiver sets.
MARK = "cms_database_unreachable"

API_PREFIX = "/api/"


def database_unreachable(exc: BaseException | None) -> bool:
    """True when ``exc`` says the database cannot be reached (module docstring)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    # Django re-raises the driver's exception as its own, ``from`` the original.
    sqlite_code = getattr(exc.__cause__, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in UNREACHABLE_SQLITE_CODES  # extended codes: low byte
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in UNREACHABLE_SQLSTATES


def database_answers() -> bool:
    """One ``SELECT 1`` on the request's connection (reconnecting if it was lost)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def mark_unreachable(sender, request=None, **kwargs) -> None:
    """``got_request_exception`` receiver: Django is handling an exception; note its kind."""
    if request is not None and database_unreachable(sys.exc_info()[1]):
        setattr(request, MARK, True)


got_request_exception.connect(mark_unreachable, dispatch_uid="cms.ops.outage")


class DatabaseOutageMiddleware:
    """Answers 503 with ``Retry-After`` for any request that failed on an unreachable
    database (module docstring). Near the top of ``MIDDLEWARE``, below the request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and (
            getattr(request, MARK, False) or not database_answers()
        ):
            return outage_response(request)
        return response

    def process_exception(self, request, exception):
        if not database_unreachable(exception):
            return None
        logger.error(
            "Database unreachable on %s %s: %s",
            request.method,
            request.get_full_path(),
            exception,
            exc_info=exception,
        )
        return outage_response(request)


def outage_response(request) -> HttpResponse:
    """The 503: problem details for the API, else the page in the visitor's language."""
    if wants_problem_json(request):
        from cms.api.errors import error_response  # the API's one error shape

        response = error_response(
            status=503,
            error="The database is unavailable for a moment; try again in a few seconds.",
        )
    else:
        with translation.override(page_language(request)):
            body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # An outage is about this moment: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


def wants_problem_json(request) -> bool:
    """The API's addresses, and clients that ask for JSON rather than a page."""
    if request.path_info.startswith(API_PREFIX):
        return True
    accept = request.headers.get("Accept", "")
    return "json" in accept and "html" not in accept


def page_language(request) -> str:
    """The URL's language, else the visitor's (cookie, ``Accept-Language``); no database:
    the site's own languages need it, so unlike the 404 this cannot narrow to them."""
    return translation.get_language_from_request(request, check_path=True)
