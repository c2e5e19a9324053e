"""The network's languages and fallback chains, in one place.

Every other module (settings, templates, search, API) asks this one which
languages exist and where an untranslated field falls back to. Change a chain
here and every reader follows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the settings read this module: it imports no more of Django than they need
    from django.http import HttpRequest

#: The network's common language: the last fallback of every chain.
COMMON_LANGUAGE = "en"

#: Languages in the order editors and visitors see them, with their own names.
LANGUAGES: list[tuple[str, str]] = [
    ("en", "English"),
    ("cs", "Čeština"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("pl", "Polski"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
]

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _ in LANGUAGES)

#: Where an untranslated field looks next. Slovak readers understand Czech
#: better than English, so Slovak falls back to Czech first. Every chain ends
#: in the common language; languages not listed use ``"default"``.
FALLBACK_CHAINS: dict[str, tuple[str, ...]] = {
    "default": (COMMON_LANGUAGE,),
    "sk": ("cs", COMMON_LANGUAGE),
    "sl": (COMMON_LANGUAGE,),
}


def fallback_chain(language: str) -> tuple[str, ...]:
    """Return the languages to try, in order, for ``language`` (itself first)."""
    if language not in LANGUAGE_CODES:
        raise ValueError(f"Unknown language {language!r}; known: {', '.join(LANGUAGE_CODES)}")
    chain = FALLBACK_CHAINS.get(language, FALLBACK_CHAINS["default"])
    ordered = [language]
    ordered.extend(code for code in chain if code not in ordered)
    return tuple(ordered)


def site_languages(country) -> tuple[str, ...]:
    """Languages a country's site publishes in (all of them on the hub or with no country;
    ``country``: a ``cms.core.models.Country``)."""
    if country is None or not country.languages:
        return LANGUAGE_CODES
    return tuple(code for code in country.languages if code in LANGUAGE_CODES)


def best_language(requested: str, available: Sequence[str], default: str) -> str | None:
    """The language to send a visitor who asked for ``requested`` to.

    The first of ``requested``'s fallback chain the item has (Slovak readers
    get Czech before English), else the site's default language, else the
    first language the item has; None when it has none.
    """
    for code in fallback_chain(requested):
        if code in available:
            return code
    if default in available:
        return default
    return available[0] if available else None


def language_name(code: str) -> str:
    return dict(LANGUAGES)[code]


#: A language tag: a primary subtag, then any subtags (``cs-CZ``, ``sr-Latn-RS``, ``en_GB``).
LANGUAGE_TAG = re.compile(r"([A-Za-z]{1,8})(?:[-_][A-Za-z0-9]{1,8})*")


def language_of(tag: str) -> str | None:
    """The network language ``tag`` names (``cs-CZ`` and ``CS`` are ``cs``), else None."""
    match = LANGUAGE_TAG.fullmatch(tag.strip())
    if match is None:
        return None
    code = match.group(1).lower()
    return code if code in LANGUAGE_CODES else None


#: As much of ``Accept-Language`` as is read (Django reads 500 characters).
ACCEPT_LANGUAGE_MAX_CHARS = 500


def accepted_languages(request: HttpRequest) -> list[str]:
    """The network languages the request's ``Accept-Language`` names, by quality then
    order, each once: what the API negotiates, its response cache keys on and the
    visitor's root redirect picks from. A tag with ``q=0`` refuses its language.

    Each member of the header is read on its own: Django's parser drops the whole header
    for one malformed member (``sl;q=abc, de`` served the site's default, not German)."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if len(header) > ACCEPT_LANGUAGE_MAX_CHARS:  # whole members only, as Django cuts it
        header = header[: max(header.rfind(",", 0, ACCEPT_LANGUAGE_MAX_CHARS), 0)]
    members = [
        found for member in header.split(",") for found in parse_accept_lang_header(member.strip())
    ]
    members.sort(key=lambda member: member[1], reverse=True)  # stable: ties keep their order
    codes: list[str] = []
    for tag, quality in members:
        code = language_of(tag)
        if code is not None and code not in codes and quality > 0:
            codes.append(code)
    return codes
