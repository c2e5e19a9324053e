"""Wagtail's API tokens (``wagtail.models.APIToken``), checked so that a bad one says why.

They unlock the previews of drafts (README, "Drafts"). Wagtail's ``BearerTokenAuth``
silently falls back to anonymous; here a malformed, unknown or revoked token is a 401
naming which, on every operation and before any content is read, so a front-end developer
can fix it.
"""

from __future__ import annotations

from django.http import HttpRequest
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import APIToken

from cms.api.errors import ParameterError

#: Named as the culprit in 401s.
HEADER = "Authorization"
#: Where the request keeps the token once checked (None: no header).
CHECKED = "api_client_token"


def unauthorized(message: str) -> ParameterError:
    return ParameterError(HEADER, message, status=401)


def presented_token(request: HttpRequest) -> APIToken | None:
    """The valid API token the request presents, or None if it sends no ``Authorization``.

    Raises the 401 naming what is wrong with a header that is there. A
    malformed token (wrong prefix, length or checksum) is refused without a
    query. Checked once per request: the answer is kept on the request.
    """
    if hasattr(request, CHECKED):
        return getattr(request, CHECKED)
    value = request.headers.get(HEADER, "")
    api_token = None
    if value:
        scheme, _space, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("expected 'Bearer <API token>'")
        token = token.strip()
        if not APIToken.validate_token_format(token):
            raise unauthorized("malformed API token (wrong prefix, length or checksum)")
        api_token = BearerTokenAuth().authenticate(request, token)
        if api_token is None:
            raise unauthorized("unknown or revoked API token, or its user is inactive")
    setattr(request, CHECKED, api_token)
    return api_token


class DraftTokenAuth(BearerTokenAuth):
    """``Authorization: Bearer <token>`` or a 401 naming what is wrong with it."""

    def __call__(self, request: HttpRequest):
        api_token = presented_token(request)
        if api_token is None:
            raise unauthorized("drafts need 'Authorization: Bearer <API token>'")
        request.api_token = api_token
        return api_token
