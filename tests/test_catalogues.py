"""Our gettext catalogues: complete, their placeholders kept, nothing left in English.

No entry empty or fuzzy, no translation left in English (``SAME_AS_ENGLISH`` lists the ones
that rightly are), and every placeholder of the msgid in every translation; for our own
catalogues (``locale/``) and the hand-kept ones for Wagtail's strings (``locale/_wagtail/``).
``tests/test_admin_languages.py`` looks for English in the admin's screens.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.settings.paths import BASE_DIR

#: The editors' languages (every network language but the common one).
EDITOR_LANGUAGES = sorted(code for code in LANGUAGE_CODES if code != COMMON_LANGUAGE)


def catalogue(language: str):
    with open(BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po)


def msgid_texts(message) -> list[str]:
    return list(message.id) if isinstance(message.id, list | tuple) else [message.id]


def msgstr_texts(message) -> list[str]:
    return list(message.string) if isinstance(message.string, list | tuple) else [message.string]


#: Catalogue entries rightly the same as the English, in these languages, and why.
SAME_AS_ENGLISH: dict[str, tuple[str, str]] = {
    "Clusters Cord": ("cs de it pl sk sl", "the network's name"),
    "CSV": ("cs de it pl sk sl", "a file format's name"),
    "slug": ("cs it pl sk", "the term Wagtail's own forms use in these languages"),
    "token": ("cs it pl sk", "the technical term (API tokens)"),
    "logo": ("cs it pl sk", "the same word"),
    "Menu": ("cs it pl sk", "the same word"),
    "region": ("cs pl", "the same word"),
    "Text": ("cs de sk", "the same word"),
    "System": ("de pl", "the same word (Wagtail's own translation in both)"),
    "Cluster": ("de it", "the same word"),
    "Name": ("de", "the same word"),
    "Links": ("de", "the same word (the block of links)"),
    "Website": ("de", "the same word"),
    "Workflow": ("de", "the word German uses, as Wagtail's own German does"),
    "Password": ("it", "the word Italian uses (Wagtail's own Italian admin too)"),
    "Moderation – %(country)s": ("de", "the same word"),
    "email": ("it", "the word Italian uses"),
    "Email": ("it", "the word Italian uses"),
    "Home": ("it", "the word Italian sites use for their home page"),
    "webhook": ("cs it pl sk", "the technical term (the webhooks admin)"),
    "Webhooks": ("de", "the same word"),
}

PO_PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}")


def catalogue_files() -> list[Path]:
    """Our catalogues and the hand-kept ones for Wagtail's strings (``locale/_wagtail/``)."""
    return sorted((BASE_DIR / "locale").glob("**/LC_MESSAGES/*.po"))


@pytest.mark.parametrize(
    "path",
    catalogue_files(),
    ids=lambda path: str(path.relative_to(BASE_DIR / "locale")).replace("/LC_MESSAGES", ""),
)
def test_every_catalogue_entry_is_translated_with_its_placeholders(path):
    """No entry empty or fuzzy (gettext shows the English of both), and every translation
    keeps the msgid's placeholders, ``%(name)s`` and ``{name}`` alike: a lost
    ``%(language)s`` shows a sentence without its subject, a misspelt one is an error in
    the editor's request."""
    with open(path, "rb") as po:
        messages = [message for message in read_po(po) if message.id]
    problems = []
    for message in messages:
        ids, strings = msgid_texts(message), msgstr_texts(message)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(strings):
            problems.append(f"empty: {ids[0]!r}")
        wanted = [sorted(set(PO_PLACEHOLDER.findall(text))) for text in ids]
        for text in strings:
            if text and sorted(set(PO_PLACEHOLDER.findall(text))) not in wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    assert messages
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", EDITOR_LANGUAGES)
def test_no_entry_of_ours_is_left_in_english(language):
    """A translation that is the msgid is English in the editor's admin, unless the word is
    the same in the language (``SAME_AS_ENGLISH``)."""
    left = []
    for message in catalogue(language):
        for text in set(msgid_texts(message)) & set(msgstr_texts(message)) - {""}:
            allowed = SAME_AS_ENGLISH.get(text)
            if allowed is None or language not in allowed[0].split():
                left.append(text)
    assert not left, f"still English in {language}: {left}"


def test_the_same_as_english_list_names_only_real_entries():
    """An entry removed or translated since leaves this list; so does its allowance."""
    for text, (languages, _reason) in SAME_AS_ENGLISH.items():
        for language in languages.split():
            same = [m for m in catalogue(language) if m.id == text and text in msgstr_texts(m)]
            assert same, (language, text)
