"""Alphabetical order as each language's readers expect it: ICU collation keys.

Databases order text by its code points (SQLite always; PostgreSQL in the ``C``
locale) or by the one locale the database was created with. Neither suits a
network of seven languages: by code points every name starting with Ú, Ž, Ś or Ł
comes after Z, and only Czech and Slovak readers expect "Chmel" after "Hrad".
So each stored row that a listing orders by name carries the collation key of
its name in the row's language (``sort_key``), and the database orders those
keys as plain text: the same order on SQLite and PostgreSQL, without database
collations to install.

ICU is the Unicode Consortium's implementation of the Unicode Collation Algorithm
with each language's tailoring (CLDR); ``pyicu-wheels`` ships it as a wheel, so a
fresh machine needs no system library.
"""

from __future__ import annotations

import threading

import icu

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES

#: One collator per language and thread: a collator keeps state while it works.
COLLATORS = threading.local()


def collator(language: str) -> icu.Collator:
    """The collator of ``language``; the common language's for any other value (``all``)."""
    if language not in LANGUAGE_CODES:
        language = COMMON_LANGUAGE
    made = COLLATORS.__dict__
    if language not in made:
        made[language] = icu.Collator.createInstance(icu.Locale(language))
    return made[language]


def sort_key(text: str | None, language: str) -> str | None:
    """``text``'s place in ``language``'s alphabetical order, as text that sorts bytewise.

    The ICU sort key, in hexadecimal: comparing two keys as plain text (any database,
    any collation, since they are digits and ``a``-``f`` only) compares the texts as
    ``language`` does. ``None`` for no text.
    """
    if not text:
        return None
    return collator(language).getSortKey(text).hex()
