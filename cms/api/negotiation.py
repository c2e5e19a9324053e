"""Which site a request reads and in which language it is answered.

Scope: ``?site=<country code>`` or else the request's host picks the country
site; the hub (``INT``) reads the whole network.

Language, one rule for ``?lang=`` and ``Accept-Language`` (``negotiate_language``):
a language tag names a network language by its primary subtag, in any case
(``cs-CZ``, ``CS`` and ``cs`` are ``cs``; ``language_of``). ``?lang=`` wins;
else the first tag of ``Accept-Language`` (by quality, then order) that names
a network language; else the site's default. A language so chosen is served
on every site, whether or not the site publishes in it, exactly as ``?lang=``
would: untranslated fields then fall back along ``fallback_chain`` from
``cms.core.languages`` (``sk → cs → en``), and the representation says where
they did (``_fallback``). The header's later tags do not reorder that chain.
``?lang=`` given twice is a 400 (``cms.api.querystring``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import F, Q
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils.translation.trans_real import parse_accept_lang_header
from wagtail.models import PageViewRestriction

from cms.api.errors import ParameterError
from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES, fallback_chain
from cms.core.models import Country
from cms.core.pages import site_languages

#: ``?lang=all``: every language of every translatable field.
ALL_LANGUAGES = "all"


@dataclass(frozen=True)
class Scope:
    """The site a request reads: one country's content, or the whole network (hub).

    Holds every country (one query, a handful of rows), so mapping a page to
    its country and validating ``country`` filters costs nothing more.
    """

    country: Country
    countries: dict[str, Country] = field(repr=False)
    #: ``restricted_paths`` when known already (``current_sites``).
    restricted: tuple[str, ...] | None = field(default=None, repr=False)

    @property
    def code(self) -> str:
        return self.country.code

    @property
    def is_network(self) -> bool:
        return self.country.is_hub

    @property
    def languages(self) -> tuple[str, ...]:
        return site_languages(self.country)

    @property
    def default_language(self) -> str:
        return self.country.default_language or COMMON_LANGUAGE

    @property
    def owners(self) -> list[Country]:
        """Countries whose content this scope shows (with a site, so with pages)."""
        if self.is_network:
            return list(self.countries.values())
        return [self.country]

    def owner_codes(self, wanted: list[str] | None = None) -> list[str]:
        codes = [country.code for country in self.owners]
        if wanted:
            codes = [code for code in codes if code in wanted]
        return codes

    def pages_q(self, wanted: list[str] | None = None) -> Q:
        """Pages on the sites of this scope (narrowed to the ``wanted`` country codes)."""
        q = Q(pk__in=[])
        for code in self.owner_codes(wanted):
            root_path = self.countries[code].root_path
            if root_path:
                q |= Q(path__startswith=root_path)
        return q

    @cached_property
    def _by_root_path(self) -> dict[str, Country]:
        return {c.root_path: c for c in self.countries.values() if c.root_path}

    @cached_property
    def restricted_paths(self) -> tuple[str, ...]:
        """Tree paths of pages under a view restriction: they and their descendants are private."""
        if self.restricted is not None:
            return self.restricted
        return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))

    def country_of(self, page) -> Country | None:
        """The country whose site ``page`` is on (sites' roots are at one depth)."""
        for root_path, country in self._by_root_path.items():
            if page.path.startswith(root_path):
                return country
        return None


def load_countries() -> dict[str, Country]:
    """Every country with its site and the site's root path (``root_path``): one query."""
    rows = (
        Country.objects.select_related("site")
        .annotate(root_path=F("site__root_page__path"))
        .order_by("sort_order", "code")
    )
    return {country.code: country for country in rows}


@dataclass(frozen=True)
class Sites:
    """What every scope reads, kept per process while the response cache's generation
    stays (``cms.api.cache``): saving a country, publishing, unpublishing, restricting or
    moving a page, anything that changes what the API shows, bumps it. So a request
    asks for one number (usually from the cache) instead of loading the countries, their
    sites and the view restrictions every time."""

    generation: int
    countries: dict[str, Country]
    restricted_paths: tuple[str, ...]
    #: Answers that hold as long as the generation: a listing's Last-Modified inputs
    #: (``cms.api.responses.listing``), by what the listing's scope is.
    memo: dict = field(default_factory=dict)

    def remembered(self, key, compute):
        """``compute()``, once per key for this generation (at most ``MEMO_SIZE`` keys)."""
        if key not in self.memo:
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            self.memo[key] = compute()
        return self.memo[key]


MEMO_SIZE = 1000


#: This process's ``Sites``, at most one (the newest generation seen).
SITES: list[Sites] = []


def current_sites() -> Sites:
    from cms.api import cache as response_cache

    generation = response_cache.generation()
    if SITES and SITES[0].generation == generation:
        return SITES[0]
    restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    SITES[:] = [Sites(generation, load_countries(), restricted)]
    return SITES[0]


def resolve_scope(request: HttpRequest, site: str | None) -> Scope:
    """The scope named by ``?site=`` or, without it, by the request's host."""
    sites = current_sites()
    countries, restricted = sites.countries, sites.restricted_paths
    if site:
        country = countries.get(site.upper())
        if country is None:
            known = ", ".join(sorted(countries))
            raise ParameterError("site", f"unknown site {site!r}; known: {known}")
        return Scope(country=country, countries=countries, restricted=restricted)
    country = _country_for_host(request, countries)
    return Scope(country=country, countries=countries, restricted=restricted)


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


#: A language tag: a primary subtag, then any subtags (``cs-CZ``, ``sr-Latn-RS``, ``en_GB``).
LANGUAGE_TAG = re.compile(r"([A-Za-z]{1,8})(?:[-_][A-Za-z0-9]{1,8})*")


def language_of(tag: str) -> str | None:
    """The network language ``tag`` names (``cs-CZ`` and ``CS`` are ``cs``), else None."""
    match = LANGUAGE_TAG.fullmatch(tag.strip())
    if match is None:
        return None
    code = match.group(1).lower()
    return code if code in LANGUAGE_CODES else None


def lang_parameter(value):
    """``?lang=`` as the API serves it: a network language's code or ``all``; else as given."""
    if not isinstance(value, str):
        return value
    if value.strip().lower() == ALL_LANGUAGES:
        return ALL_LANGUAGES
    return language_of(value) or value


@dataclass(frozen=True)
class Localizer:
    """Reads translated fields in the served language, noting every fallback.

    ``language`` is a language code, or ``"all"`` for every language at once.
    """

    language: str

    @property
    def is_all(self) -> bool:
        return self.language == ALL_LANGUAGES

    @cached_property
    def chain(self) -> tuple[str, ...]:
        return () if self.is_all else fallback_chain(self.language)

    @property
    def content_language(self) -> str:
        """The ``Content-Language`` of one language: the one served (RFC 9110: the audience's).

        Fields that fell back to another language are named per object in
        ``_fallback``; the response is still meant for readers of this one.
        """
        return COMMON_LANGUAGE if self.is_all else self.language

    def content_language_of(self, content: bytes) -> str:
        """``Content-Language`` for a response with this body.

        ``lang=all``: the languages its items (a listing's ``items``, else the
        object itself) have text in, in the network's order, not all seven. An
        item's own translated fields are maps of all seven languages, ``null``
        where it has no (ready) text; the objects it embeds (sectors, a contact)
        do not count, they are other items. A body with no such text (an empty
        listing, an error) is the common language, the language of its links.
        """
        if not self.is_all:
            return self.language
        try:
            body = json.loads(content)
        except ValueError:
            return COMMON_LANGUAGE
        items = body.get("items") if isinstance(body, dict) else None
        found: set[str] = set()
        for item in items if isinstance(items, list) else [body]:
            if isinstance(item, dict):
                found.update(_languages_of(item))
        return ", ".join(code for code in LANGUAGE_CODES if code in found) or COMMON_LANGUAGE


_ALL_CODES = frozenset(LANGUAGE_CODES)


def _languages_of(item: dict) -> set[str]:
    """The languages ``item``'s own translated fields (language maps) have a value in."""
    found: set[str] = set()
    for value in item.values():
        if isinstance(value, dict) and value.keys() == _ALL_CODES:
            found.update(code for code, text in value.items() if text not in (None, "", []))
    return found


def negotiate_language(request: HttpRequest, lang: str | None, scope: Scope) -> str:
    """``?lang=`` (already validated), else Accept-Language, else the site's default.

    From ``Accept-Language``, the first tag (by quality) naming a network
    language, whether or not the site publishes in it: the same language
    ``?lang=`` with that tag would serve, falling back along the same chain.
    """
    if lang:
        return lang
    for accepted, _quality in parse_accept_lang_header(
        request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    ):
        code = language_of(accepted)
        if code is not None:
            return code
    return scope.default_language


def localizer_for(request: HttpRequest, lang: str | None, scope: Scope) -> Localizer:
    language = negotiate_language(request, lang, scope)
    if language != ALL_LANGUAGES and language not in LANGUAGE_CODES:  # pragma: no cover
        raise ParameterError("lang", f"unknown language {language!r}")
    return Localizer(language)
