"""Refused sign-ins and password guesses: the throttle's answers, in the user's language.

``locked_out`` answers a sign-in django-axes refused (``AXES_LOCKOUT_CALLABLE``).

Without it axes answers with a bare English page, or with the sign-in form again
saying the password is wrong, which sends an editor who has just remembered it round
in circles. Here the page says what happened and when to try again, in the
language of whoever signs in: the admin's sign-in page in the admin's look, a visitor
site's member sign-in as that site's error page in the visitor's language. 429 with
``Retry-After``, never cached.

``PasswordGuessThrottle`` does the same for the password forms of password-protected
pages and document collections (Wagtail's ``PageViewRestriction`` and
``CollectionViewRestriction``), which no sign-in covers: after ``LOGIN_FAILURE_LIMIT``
wrong passwords for one restriction from one address, that address is refused there
until the window of ``LOGIN_LOCKOUT_MINUTES`` ends. Counted by django-ratelimit in the
cache, as the API's rate limit is: with the cache down it lets guesses through.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from cms.core.views import bad_request_page, error_language
from cms.ops.addresses import client_address

#: Wagtail's password forms (``url_name``s): a page's, a document collection's.
PASSWORD_FORMS = (
    "wagtailcore_authenticate_with_password",
    "wagtaildocs_authenticate_with_password",
)
#: Where ``process_view`` leaves the counter's key of a password sent, for ``__call__``.
GUESS = "password_guess"


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
    return refused(response, seconds)


def refused(response, seconds: int):
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def refusal(seconds: int) -> str:
    """What the refused user is told, in the active language."""
    return _(
        "Too many failed sign-ins with this user name from your address. Try again in "
        "%(minutes)s min, or ask your network administrator to unlock it."
    ) % {"minutes": max(1, seconds // 60)}


class PasswordGuessThrottle:
    """Counts the passwords sent to Wagtail's password forms, refuses them past the limit.

    Each one is counted as it arrives, before it is checked, so that guesses sent in
    parallel cannot all pass a count that only grows once each is answered; a right one
    (Wagtail redirects) is then counted as such, and only the wrong ones weigh. Last in
    ``MIDDLEWARE``, so the CSRF check has run when ``process_view`` refuses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, GUESS, None)
        if key is not None and response.status_code in (301, 302, 303):
            count(request, "password-right", key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.url_name not in PASSWORD_FORMS:
            return None
        restriction = next(iter(view_kwargs.values()), "")  # the restriction's id comes first
        key = f"{match.url_name}:{restriction}:{client_address(request)}"
        sent = count(request, "password-sent", key)
        if sent is None:  # the cache is down: nothing to count with
            return None
        right = count(request, "password-right", key, increment=False)
        if sent["count"] - (right["count"] if right else 0) > settings.AXES_FAILURE_LIMIT:
            seconds = max(sent["time_left"] + 1, 1)
            with translation.override(error_language(request)):
                message = _(
                    "Too many wrong passwords from your address. Try again in %(minutes)s min."
                ) % {"minutes": math.ceil(seconds / 60)}
                texts = {"heading": _("Too many attempts"), "code_label": _("Error 429")}
                response = bad_request_page(request, message, status=429, **texts)
            return refused(response, seconds)
        setattr(request, GUESS, key)
        return None


def count(request, group: str, key: str, *, increment: bool = True) -> dict | None:
    """django-ratelimit's counter ``group`` of ``key`` in the current window of
    ``LOGIN_LOCKOUT_MINUTES`` (the same window for every group of one key); None when the
    cache is down."""
    window = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return get_usage(
        request,
        group=group,
        key=lambda _group, _request: key,
        rate=(settings.AXES_FAILURE_LIMIT, window),
        increment=increment,
    )
