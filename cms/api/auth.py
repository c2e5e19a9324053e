"""Read-only API tokens that unlock drafts for a headless front end's previews.

The tokens are Wagtail 8's own (``wagtail.models.APIToken``: only an HMAC
digest is stored, the plaintext is shown once; superusers create and revoke
them under Settings → API tokens, or with ``manage.py api_tokens``). The
Delivery API uses them for one thing: ``/pages/{id}/preview/`` returns a
page's latest revision, published or not, if the token's user may edit that
page in the admin (so a country's token previews only that country's drafts).
Everything else stays public and shows published content only, token or not.

Unlike Wagtail's ``BearerTokenAuth``, which silently falls back to
anonymous, a missing, malformed, unknown or revoked token is a 401 whose
``error`` says which of these it is, so a front-end developer can fix it.
That holds on every operation: a public read needs no token, but one that
sends a bad token gets the 401 (before any content is read), and one that
sends a good token is rate-limited as that token, not by the raw header
(``ratelimit.py``).
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
