"""Which site a request reads (``?site=``, else the host; the hub reads the whole network) and
in which language it is answered: one rule for ``?lang=`` and ``Accept-Language``, told in
README's "Languages". The scope and the localizer are ``cms.projections.scope``'s.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.http.request import split_domain_port

from cms.api.errors import ParameterError
from cms.core.languages import accepted_languages, language_of
from cms.core.models import Country
from cms.projections.generation import current_sites
from cms.projections.scope import ALL_LANGUAGES, Localizer, Scope


def resolve_scope(request: HttpRequest, site: str | None) -> Scope:
    """The scope named by ``?site=`` or, without it, by the request's host."""
    countries = current_sites().countries
    country = countries.get(site.upper()) if site else _country_for_host(request, countries)
    if country is None:
        known = ", ".join(sorted(countries))
        raise ParameterError("site", f"unknown site {site!r}; known: {known}")
    return Scope(country=country, countries=countries)


def _country_for_host(request: HttpRequest, countries: dict[str, Country]) -> Country:
    """The country whose site answers on this host, else the default site's, else the hub."""
    hostname, port = split_domain_port(request.get_host())
    with_site = [c for c in countries.values() if c.site is not None]
    matches = [c for c in with_site if c.site.hostname == hostname]
    if len(matches) > 1:
        matches = [c for c in matches if str(c.site.port) == (port or "80")] or matches
    if matches:
        return matches[0]
    for country in with_site:
        if country.site.is_default_site:
            return country
    for country in countries.values():
        if country.is_hub:
            return country
    raise ParameterError("site", "no site answers on this host; pass ?site=<country code>")


def lang_parameter(value):
    """``?lang=`` as the API serves it: a network language's code or ``all``; else as given."""
    if not isinstance(value, str):
        return value
    if value.strip().lower() == ALL_LANGUAGES:
        return ALL_LANGUAGES
    return language_of(value) or value


def localizer_for(request: HttpRequest, lang: str | None, scope: Scope) -> Localizer:
    """``?lang=`` (already validated), else Accept-Language, else the site's default.

    From ``Accept-Language``, the first tag (by quality) naming a network
    language, whether or not the site publishes in it: the same language
    ``?lang=`` with that tag would serve, falling back along the same chain.
    """
    if lang:
        return Localizer(lang)
    accepted = accepted_languages(request)
    return Localizer(accepted[0] if accepted else scope.default_language)
