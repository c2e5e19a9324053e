"""Which site and language content is read for: a ``Scope`` and a ``Localizer``.

A scope is one country's site, or the whole network (the hub); a localizer reads
translated fields in one language (or ``all``), noting every fallback along
``fallback_chain`` from ``cms.core.languages``. Projections are rendered for them
(``cms.projections.rendering``) and the Delivery API reads with them; which ones a
request gets (``?site=``/host, ``?lang=``/``Accept-Language``) is the API's
negotiation (``cms.api.negotiation``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import F, Q

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES, fallback_chain, site_languages
from cms.core.models import Country

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

    def content_language_of(self, content: bytes) -> str:
        """``Content-Language`` for a response with this body.

        One language: the one served (RFC 9110: the audience's), even where fields
        fell back to another (``_fallback`` names them per object).
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
