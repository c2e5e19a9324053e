"""The admin's search in every language, with and without diacritics.

Wagtail indexes a field through its attribute, and modeltranslation answers an
attribute in the language active at the save: a seeded item (saved in English)
was found in the admin only by its English words, an item a Czech editor saved
only by its Czech ones, and "Studijní cesta" typed with or without its accents
found nothing.

So every page and snippet also indexes :meth:`AllLanguagesSearch.admin_search_text`:
the words of each of its translated text fields in every language, each word
as typed (lower case), folded (no diacritics) and analysed in its own language
by ``cms.search.analysis``, as the visitor search does. The admin's query goes
through :func:`admin_query`: each word must match one of its own forms (as
typed, folded, or analysed in the editor's language and its fallback chain),
which the database backend of ``cms.search.backends.database`` applies to
every admin search. Change this or the analysis, and the index needs
``python manage.py update_index``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from wagtail.search import index
from wagtail.search.query import And, Or, PlainText

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES, fallback_chain
from cms.search.analysis import analyse, fold, words
from cms.search.text import is_rich_text, to_text

#: Fields of a page that are never words an editor searches for.
NOT_SEARCHED = frozenset({"slug", "url_path"})

#: What a model mixing in :class:`AllLanguagesSearch` adds to its ``search_fields``.
ALL_LANGUAGES_FIELDS = [
    index.SearchField("admin_search_text"),
    index.AutocompleteField("admin_search_text"),
]


def searched_text_fields(model) -> list[str]:
    """The translated text fields of ``model`` (names without a language suffix)."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    names = []
    for name in sorted(options.all_fields):
        field = model._meta.get_field(name)
        if name not in NOT_SEARCHED and isinstance(field, models.CharField | models.TextField):
            names.append(name)
    return names


def word_forms(text: str, language: str) -> set[str]:
    """Each word of ``text`` as typed (lower case) and folded, and its analysed tokens."""
    forms = set()
    for word in words(text):
        forms.add(word.lower())
        forms.add(fold(word))
    forms.update(analyse(text, language))
    return forms


class AllLanguagesSearch(models.Model):
    """Mixed into indexed models: their translated text in every language, for the admin.

    A (fieldless, abstract) model, because the engine backends name an indexed
    method after the model that defines it.
    """

    class Meta:
        abstract = True

    def admin_search_text(self) -> str:
        forms: set[str] = set()
        for name in searched_text_fields(type(self)):
            for code in LANGUAGE_CODES:
                value = getattr(self, build_localized_fieldname(name, code), None)
                if value:
                    forms |= word_forms(to_text(value, rich=is_rich_text(type(self), name)), code)
        return " ".join(sorted(forms))


def query_languages() -> tuple[str, ...]:
    """The editor's language and its fallback chain: the analyses a query goes through."""
    language = (get_language() or COMMON_LANGUAGE).split("-")[0]
    return fallback_chain(language if language in LANGUAGE_CODES else COMMON_LANGUAGE)


def admin_query(text: str):
    """``text`` as a query: every word must match one of its forms (``None``: no words).

    A word's forms are what :meth:`AllLanguagesSearch.admin_search_text` indexes for
    it: as typed, folded, and analysed (here in the editor's languages, since the
    query's own language is unknown).
    """
    languages = query_languages()
    per_word = []
    for word in words(text):
        forms = {word.lower(), fold(word)}
        for code in languages:
            forms.update(analyse(word, code))
        alternatives = [PlainText(form) for form in sorted(forms)]
        per_word.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    if not per_word:
        return None
    return per_word[0] if len(per_word) == 1 else And(per_word)
