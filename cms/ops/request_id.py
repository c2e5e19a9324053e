"""One id per request, in every log line it causes and in its ``X-Request-ID`` header.

An operator who has a visitor's or an editor's response (or a proxy's access log line)
finds every log line of that request by its id. A proxy in front may already have
given the request an id (nginx's ``$request_id``, a load balancer's trace header):
then ``REQUEST_ID_TRUSTED_HEADER`` names that header and the id is kept, so the
proxy's and the app's logs share it. A header is only trusted when configured,
since any client can send one, and only an id of plain characters is taken.
"""

from __future__ import annotations

import contextvars
import re
import uuid

from django.conf import settings

#: The id of the request this thread or task is serving ("-" outside a request).
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default="-"
)

#: What an incoming id may look like: no spaces, quotes or control characters in logs.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
RESPONSE_HEADER = "X-Request-ID"


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_for(request) -> str:
    """The trusted incoming id if configured and well-formed, else a new one."""
    header = getattr(settings, "REQUEST_ID_TRUSTED_HEADER", "")
    incoming = request.headers.get(header, "") if header else ""
    if incoming and ACCEPTED_ID.fullmatch(incoming):
        return incoming
    return new_request_id()


class RequestIdMiddleware:
    """Sets the request's id for the logs and sends it back as ``X-Request-ID``.

    First in ``MIDDLEWARE``, so redirects, 404s and errors from the other middleware
    carry the id too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        request.request_id = request_id
        # Not reset on the way out: Django logs 4xx/5xx responses ("Not Found: …") after
        # the middleware has returned. The next request in this thread sets its own; under
        # ASGI each request runs in a context of its own.
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[RESPONSE_HEADER] = request_id
        return response
