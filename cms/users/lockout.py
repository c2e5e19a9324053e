"""The answer to a sign-in the throttle refused (django-axes' ``AXES_LOCKOUT_CALLABLE``).

Without it axes answers with a bare English page, or with the sign-in form again
saying the password is wrong, which sends an editor who has just remembered it round
in circles. Here the page says what happened and when to try again, in the
language of whoever signs in: the admin's sign-in page in the admin's look, a visitor
site's member sign-in as that site's error page in the visitor's language. 429 with
``Retry-After``, never cached.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from cms.core.views import bad_request_page, error_language


def locked_out(request, original_response=None, credentials=None):
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if request.path_info.startswith(reverse("wagtailadmin_home")):
        response = render(
            request,
            "users/locked_out.html",
            {"message": refusal(seconds)},
            status=429,
        )
    else:
        with translation.override(error_language(request)):
            texts = {"heading": _("Sign-in paused"), "code_label": _("Error 429")}
            response = bad_request_page(request, refusal(seconds), status=429, **texts)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def refusal(seconds: int) -> str:
    """What the refused user is told, in the active language."""
    return _(
        "Too many failed sign-ins with this user name from your address. Try again in "
        "%(minutes)s min, or ask your network administrator to unlock it."
    ) % {"minutes": max(1, seconds // 60)}
