"""The headers the site's middleware adds to every response, as OpenAPI header objects.

Sent on API and visitor responses alike: request ids (``cms.ops.request_id``), CORS
(django-cors-headers, ``CORS_*`` in ``cms/settings/api.py``), the content security policy
(``cms.ops.csp``) and Django's ``SecurityMiddleware`` (``cms/settings/security.py``). The
Delivery API's document declares them (``cms.api.openapi``); a middleware that adds a
header declares it here (``tests/api/test_openapi_document.py`` checks every header sent).
"""

from __future__ import annotations

from typing import Any


def header(
    description: str, *, required: bool = False, example: str | None = None, **schema: Any
) -> dict:
    """A header object; ``required``: sent on every response that declares it."""
    declared: dict[str, Any] = {"description": description, "schema": {"type": "string", **schema}}
    if required:
        declared["required"] = True
    if example is not None:
        declared["example"] = example
    return declared


EVERY_RESPONSE: dict[str, dict] = {
    "X-Request-ID": header(
        "This request's id in the server's logs: quote it when reporting a problem.",
        example="6f1c0b3e9d2a4c7b8e5f0a1b2c3d4e5f",
        required=True,
    ),
    "Access-Control-Allow-Origin": header(
        "CORS: the calling page's origin, when it is one of `CORS_ALLOWED_ORIGINS`.",
        example="https://partner.example.org",
    ),
    "Access-Control-Expose-Headers": header(
        "CORS: the response headers a browser script may read besides the safe ones.",
        example="ETag, Last-Modified, Content-Language, Retry-After, X-Request-ID",
    ),
    "Content-Security-Policy": header(
        "Sent on every response of the site (django-csp); irrelevant to JSON consumers."
    ),
    "Content-Security-Policy-Report-Only": header(
        "Instead of `Content-Security-Policy` when the policy is only reported."
    ),
    "X-Content-Type-Options": header("Sent on every response of the site.", enum=["nosniff"]),
    "X-Frame-Options": header("Sent on every response of the site.", example="SAMEORIGIN"),
    "Referrer-Policy": header(
        "Sent on every response of the site.", example="strict-origin-when-cross-origin"
    ),
    "Cross-Origin-Opener-Policy": header(
        "Sent on every response of the site.", example="same-origin"
    ),
    "Strict-Transport-Security": header(
        "Sent on every HTTPS response in production.",
        example="max-age=31536000; includeSubDomains; preload",
    ),
}
