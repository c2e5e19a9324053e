"""Content-Security-Policy (django-csp) and browser security headers (imported by base.py).

The policy is the same everywhere; production (``production.py``) enforces it, development
and tests send it as ``Content-Security-Policy-Report-Only``, so a violation shows up in the
browser console during development (and the browser tests) before it breaks production.

What the pages need, checked in headless Chromium against the admin (dashboard, page
editor, image chooser) and the visitor pages (README, "Content-Security-Policy"):

- scripts only from this site: no inline scripts, no ``eval`` (data passed in
  ``<script type="application/json">`` is not executed, so not subject to ``script-src``).
  The admin also needs inline scripts, added under ``/admin/`` only (``cms/ops/csp.py``);
- styles from this site and inline (``'unsafe-inline'``): the admin sets ``style``
  attributes from its JavaScript, and the visitor pages' base template carries its CSS
  in a ``<style>`` element. Inline *styles* cannot run code;
- images also from ``data:`` and ``blob:`` (the admin's upload previews) and from the
  media store when it is another origin (``MEDIA_STORAGE=s3``);
- frames from this site only (Wagtail's live preview) and this site may frame itself
  only (``frame-ancestors``, as ``X-Frame-Options: SAMEORIGIN``).

``CSP_EXTRA_IMG_SRC``, ``CSP_EXTRA_FRAME_SRC``, ``CSP_EXTRA_CONNECT_SRC`` (comma-separated
origins) add sources, e.g. a video host for embeds; ``CSP_REPORT_URI`` collects reports.
"""

from csp.constants import NONE, SELF, UNSAFE_INLINE

from cms.settings.environment import checked_url, env_list, env_str


def content_security_policy(media_origins: list[str]) -> dict:
    """django-csp's ``CONTENT_SECURITY_POLICY`` (or ``…_REPORT_ONLY``) setting."""
    directives = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *media_origins, *env_list("CSP_EXTRA_IMG_SRC")],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF, *env_list("CSP_EXTRA_CONNECT_SRC")],
        "frame-src": [SELF, *env_list("CSP_EXTRA_FRAME_SRC")],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
    if report_uri := env_str("CSP_REPORT_URI"):
        if not report_uri.startswith("/"):  # a path on this site, or another site's address
            checked_url("CSP_REPORT_URI", report_uri, ("https", "http"), "https://csp.example/r")
        directives["report-uri"] = [report_uri]
    return {"DIRECTIVES": directives}


#: Sent by Django's SecurityMiddleware everywhere (its defaults, stated here on purpose).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
