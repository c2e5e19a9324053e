"""The Content-Security-Policy, with the one exception the Wagtail admin needs.

Visitor pages and the API get the policy of ``cms/settings/security.py`` as it is:
scripts from this site only. The admin (``/admin/``, its previews included) also needs
inline scripts: Wagtail 8 still initialises some form widgets with an inline
``<script>`` per field (the date and date-time pickers, the image and snippet choosers:
``new ImageChooser("id_image", …)``), and wagtail-modeltranslation declares its
``wagtailModelTranslations`` settings in one. Their text varies with the field, so no
fixed hash fits, and neither library adds a nonce. Only logged-in editors see those
pages, and every other directive still applies to them.
"""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware

ADMIN_PREFIX = "/admin/"
ADMIN_ADDITIONS = {"script-src": [UNSAFE_INLINE]}


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, adding ``'unsafe-inline'`` scripts under ``/admin/`` only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**ADMIN_ADDITIONS, **(parts.update or {})}
        return parts
