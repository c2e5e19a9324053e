"""Keep visitors inside the languages their country's site publishes in."""

from __future__ import annotations

import re

from django.http import Http404
from django.utils.translation import get_language_from_path
from wagtail.models import Site

from cms.core.languages import LANGUAGE_CODES

#: Paths that are not visitor pages and carry no language prefix.
UNPREFIXED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/api/")
LANGUAGE_SEGMENT = re.compile(r"^/([a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})?)(?:/|$)")


class SiteLanguageMiddleware:
    """404 for an unknown host or language, or a language this site does not publish in.

    Runs after Django's LocaleMiddleware. Without it ``/xx/`` would be
    redirected to ``/en/xx/`` and ``/de/`` on the Czech site would serve a
    German shell around Czech fallback text.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.check_language(request)
        return self.get_response(request)

    def check_language(self, request) -> None:
        path = request.path_info
        if path.startswith(UNPREFIXED_PREFIXES):
            return
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("Unknown host")
        language = get_language_from_path(path)
        if language is None:
            match = LANGUAGE_SEGMENT.match(path)
            if match and match.group(1).lower() not in LANGUAGE_CODES:
                raise Http404(f"Unknown language {match.group(1)!r}")
            return
        country = getattr(site, "country", None)
        if country is not None and country.languages and language not in country.languages:
            raise Http404(f"This site does not publish in {language!r}")
