"""The network's languages and fallback chains, in one place.

Every other module (settings, templates, search, API) asks this one which
languages exist and where an untranslated field falls back to. Change a chain
here and every reader follows.
"""

from __future__ import annotations

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


def language_name(code: str) -> str:
    return dict(LANGUAGES)[code]
