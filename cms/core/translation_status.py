"""Which languages an item really has, as opposed to what fallback would show.

modeltranslation makes ``obj.title`` answer in the active language and fall
back along the chain when it is empty. The language switcher, hreflang links,
search documents and the API need the opposite question: is this item
*itself* published in language X? Two things must hold:

- **complete**: every field the model names in ``translation_required_fields``
  is filled in that language (``status`` also tells "partial" from "missing"
  for the admin's listings and report);
- **ready**: an editor marked the language ready (``ready_languages``, see
  ``TranslationReadiness`` in ``cms.core.models``). The common language is
  always ready; models that do not track readiness (sectors, countries, image
  alt texts, all maintained centrally) count every language as ready.

Every reader asks this module, so an unfinished translation never leaks: a
language that is not ready is treated exactly like a missing one, and the
fallback chain serves instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, TextField
from django.db.models.functions import Cast, Trim
from django.db.models.lookups import Contains, Exact
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES

Status = Literal["complete", "partial", "missing"]
COMPLETE: Status = "complete"
PARTIAL: Status = "partial"
MISSING: Status = "missing"

#: Translated fields that are addresses or page metadata, not text to translate.
NOT_CONTENT = frozenset({"slug", "url_path", "seo_title", "search_description"})


def registered_fields(model) -> tuple[str, ...]:
    """Every field modeltranslation translates on ``model`` (addresses and SEO too)."""
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()


def translated_fields(model) -> tuple[str, ...]:
    """The model's translated content fields (empty for a model modeltranslation ignores)."""
    return _fields_of(model)[0]


def required_fields(model) -> tuple[str, ...]:
    """The fields that must be filled for a language version to count.

    ``translation_required_fields`` names them; any that are not translated
    (a contact person's name is the same in every language) are left out, and
    if none is left, every translated field is required.
    """
    return _fields_of(model)[1]


#: Per registered model: (translated content fields, required fields). Asked for
#: every object and language an API listing or a search document shows, so
#: kept once known; an unregistered model is not kept (it may register later).
_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _fields_of(model) -> tuple[tuple[str, ...], tuple[str, ...]]:
    known = _FIELDS.get(model)
    if known is not None:
        return known
    registered = registered_fields(model)
    translated = tuple(name for name in registered if name not in NOT_CONTENT)
    wanted = getattr(model, "translation_required_fields", ("title",))
    required = tuple(name for name in wanted if name in translated) or translated
    if registered:
        _FIELDS[model] = (translated, required)
    return translated, required


def required_originals(model) -> tuple[str, ...]:
    """Translated fields whose untranslated original may not be blank (title, slug, lead…).

    modeltranslation would make them required in English only; ``LanguageRule``
    decides per site instead.
    """
    names = []
    for name in registered_fields(model):
        try:
            field = model._meta.get_field(name)  # Django's public Meta API
        except FieldDoesNotExist:
            continue
        if not field.blank:
            names.append(name)
    return tuple(names)


@dataclass(frozen=True)
class LanguageRule:
    """What a site asks to be filled, and when.

    - a **draft** (saved, autosaved, previewed, submitted for moderation) needs
      the site's default language only: a Czech partner writes Czech first;
    - **publication** also needs the languages the network requires of every
      item the site publishes in (``TRANSLATIONS_REQUIRED_AT_PUBLICATION``,
      none by default: visitors of other languages follow the fallback chain);
    - the **ready choice** offers the site's languages other than the common
      one, which is always ready.
    """

    default: str
    languages: tuple[str, ...]
    required_at_publication: tuple[str, ...]

    @classmethod
    def for_country(cls, country) -> LanguageRule:
        """The rule of a country's site; with no country (the tree's root), the network's."""
        if country is None:
            default, languages = COMMON_LANGUAGE, LANGUAGE_CODES
        else:
            default = country.default_language
            own = [code for code in (country.languages or ()) if code in LANGUAGE_CODES]
            languages = tuple(own) or LANGUAGE_CODES
        network = getattr(settings, "TRANSLATIONS_REQUIRED_AT_PUBLICATION", ())
        extra = tuple(code for code in network if code in languages and code != default)
        return cls(default=default, languages=languages, required_at_publication=extra)

    @property
    def ready_choices(self) -> tuple[str, ...]:
        return tuple(code for code in self.languages if code != COMMON_LANGUAGE)


def is_filled(value) -> bool:
    if value is None:
        return False
    if hasattr(value, "raw_data"):  # a StreamField value
        return len(value) > 0
    return bool(str(value).strip())


def value_in(obj, field: str, language: str):
    """The raw value of a translated field in one language, without any fallback."""
    return getattr(obj, localized(field, language), None)


@lru_cache(maxsize=1024)
def localized(field: str, language: str) -> str:
    """``title``, ``cs`` -> ``title_cs`` (modeltranslation's naming, looked up once)."""
    return build_localized_fieldname(field, language)


def text_in_any_language(obj, field: str) -> str:
    """``field`` in the active language (along its fallback chain), else in the first language
    that has it: how the admin names an object written in one language only.

    A Czech partner may save a cluster profile with only its Czech name; an
    English-speaking administrator's listing must still show a name, not "".
    """
    value = getattr(obj, field, None)
    if is_filled(value):
        return str(value)
    for code in LANGUAGE_CODES:
        value = value_in(obj, field, code)
        if is_filled(value):
            return str(value)
    return ""


def status(obj, language: str) -> Status:
    """``complete`` (all required fields filled), ``partial`` (some text) or ``missing``."""
    model = type(obj)
    required = required_fields(model)
    if required and all(is_filled(value_in(obj, name, language)) for name in required):
        return COMPLETE
    fields = set(translated_fields(model)) | set(required)
    if any(is_filled(value_in(obj, name, language)) for name in fields):
        return PARTIAL
    return MISSING


def missing_fields(model, language: str, value_of) -> list[str]:
    """Required fields of ``model`` empty in ``language``; ``value_of(name)`` reads a
    localized field (from a form's cleaned data, or an object)."""
    return [
        name
        for name in required_fields(model)
        if not is_filled(value_of(localized(name, language)))
    ]


def tracks_readiness(obj) -> bool:
    """True for content editors mark ready per language (pages and country snippets)."""
    return hasattr(obj, "ready_languages")


#: Translated fields that are addresses, shown whether or not their language is ready.
ADDRESS_FIELDS = frozenset({"slug", "url_path"})


def is_ready(obj, language: str, field: str | None = None) -> bool:
    """May this language's own text (of ``field``) be shown? (Not whether it is complete.)

    The common language is always ready, and so is every language of a model
    that does not track readiness, and a page's address in every language.
    """
    if language == COMMON_LANGUAGE or field in ADDRESS_FIELDS or not tracks_readiness(obj):
        return True
    return language in (obj.ready_languages or ())


def has_language(obj, language: str) -> bool:
    """True when ``obj`` is published in ``language``: complete *and* ready."""
    return is_ready(obj, language) and status(obj, language) == COMPLETE


def names_it_in_translated_fields(model) -> bool:
    """Whether what names an object of ``model`` is translated text an editor may hold back.

    True for content that tracks readiness and whose ``translation_required_fields`` are
    translated (cluster profiles, partner organisations; pages too, though publishing one
    asks for its site's language): with every translation
    held back and the English text empty, visitors would read it in no language. False
    for a contact person (the name is the same in every language) and for what does not
    track readiness (sectors, countries).
    """
    wanted = set(getattr(model, "translation_required_fields", ()))
    return (
        hasattr(model, "ready_languages") and bool(wanted) and wanted == set(required_fields(model))
    )


def has_a_language(obj) -> bool:
    """Whether visitors read ``obj`` in any language at all (``has_language`` in one).

    The edit forms and the spreadsheet import refuse an object without one, but rows
    saved before they did exist: every channel that shows such objects to visitors
    (``cms.core.visibility.in_a_language``) leaves them out, as it leaves out a
    translation that is not ready. ``in_a_language_q`` is the same rule in SQL.
    """
    return not names_it_in_translated_fields(type(obj)) or any(
        has_language(obj, code) for code in LANGUAGE_CODES
    )


def available_languages(obj, among: tuple[str, ...] | list[str] = LANGUAGE_CODES) -> list[str]:
    """Languages (in the order given) in which ``obj`` is really published."""
    return [code for code in among if has_language(obj, code)]


def complete_languages(obj) -> list[str]:
    """Languages other than the common one whose required fields are all filled."""
    return [
        code for code in LANGUAGE_CODES if code != COMMON_LANGUAGE and status(obj, code) == COMPLETE
    ]


def mark_complete_ready(obj, languages=None) -> bool:
    """Mark every complete language ready; True when that changed anything.

    For content written from reviewed files (``sync_sites``, the demo seed),
    where there is no editor to tick the boxes. ``languages``: tick only these (the
    ones a file just wrote); the others keep an editor's choice while complete.
    """
    if not tracks_readiness(obj):
        return False
    ready = complete_languages(obj)
    if languages is not None:
        chosen = set(obj.ready_languages or ()) | set(languages)
        ready = [code for code in ready if code in chosen]
    if list(obj.ready_languages or []) == ready:
        return False
    obj.ready_languages = ready
    return True


def incomplete_ready_languages(obj) -> list[str]:
    """Languages marked ready that are not complete (the edit form refuses them)."""
    return [
        code
        for code in (obj.ready_languages or [])
        if code != COMMON_LANGUAGE and status(obj, code) != COMPLETE
    ]


# --- the same rules in SQL: listings of thousands of objects are filtered in the database ----
# Each condition mirrors a function above (tests/core/test_translation_filter.py checks
# that they agree on the demo content).

#: Matches no row (and, negated, every row); an empty ``Q()`` matches every row either way.
NOTHING = Q(pk__in=[])


def filled_q(model, column: str) -> Q:
    """Rows where ``column`` is filled, as ``is_filled`` judges it.

    Text: not NULL and not blank after trimming spaces (SQL ``TRIM`` strips
    spaces only, so a value of nothing but tabs or line breaks counts as
    filled here; the edit forms strip those anyway). A StreamField or other
    JSON column is filled when it holds at least one block, i.e. its JSON
    text is not ``[]`` (both SQLite and PostgreSQL write an empty list that
    way); this is ``len(stream) > 0``, the rule ``is_filled`` applies.
    """
    field = model._meta.get_field(column)
    if field.get_internal_type() == "JSONField":
        empty = Exact(Cast(column, TextField()), "[]")
    else:
        empty = Exact(Trim(column), "")
    return Q(**{f"{column}__isnull": False}) & ~Q(empty)


def complete_q(model, language: str) -> Q:
    """Objects whose required fields are all filled in ``language`` (``status == COMPLETE``)."""
    required = required_fields(model)
    if not required:  # nothing can be complete (status() agrees)
        return NOTHING
    condition = Q()
    for name in required:
        condition &= filled_q(model, build_localized_fieldname(name, language))
    return condition


def ready_q(model, language: str) -> Q | None:
    """Objects marked ready in ``language``; None when every object is (``is_ready``).

    ``ready_languages`` is a JSON list on the row (``ReadyLanguagesField``).
    JSON ``contains`` does not work on SQLite, so the list is read as text and
    searched for the quoted code: portable, and exact since codes are quoted.
    """
    if language == COMMON_LANGUAGE or not hasattr(model, "ready_languages"):
        return None
    return Q(Contains(Cast("ready_languages", TextField()), f'"{language}"'))


def published_q(model, language: str) -> Q:
    """Objects published in ``language``, complete and ready: ``has_language`` in SQL."""
    complete = complete_q(model, language)
    ready = ready_q(model, language)
    return complete if ready is None else complete & ready


def in_a_language_q(model) -> Q:
    """Objects visitors read in some language: ``has_a_language`` in SQL."""
    if not names_it_in_translated_fields(model):
        return Q()
    condition = NOTHING
    for code in LANGUAGE_CODES:
        condition |= published_q(model, code)
    return condition


def hide_unready(obj):
    """Blank, in memory only, every translated field in a language that is not ready.

    modeltranslation then falls back along the chain for those languages, so a
    visitor page renders the fallback text instead of an unfinished translation.
    Returns ``obj``; never save an object after this.
    """
    if not tracks_readiness(obj):
        return obj
    # Page SEO texts too; only addresses (slug, url_path) stay, so routing still works.
    fields = [name for name in registered_fields(type(obj)) if name not in ADDRESS_FIELDS]
    for code in LANGUAGE_CODES:
        if is_ready(obj, code):
            continue
        for name in fields:
            attname = build_localized_fieldname(name, code)
            current = getattr(obj, attname, None)
            if hasattr(current, "raw_data"):
                setattr(obj, attname, [])
            elif current is not None:
                setattr(obj, attname, "")
    obj._unready_hidden = True
    return obj


def hide_unready_in(items) -> list:
    """``hide_unready`` for each item of a listing (evaluates a queryset)."""
    return [hide_unready(item) for item in items]


def backfill_ready_languages(*labels: str):
    """A migration step: mark every complete language of existing content ready.

    Content published before readiness existed was public in those languages;
    without this, deploying readiness would hide every translation at once.
    """

    def forwards(apps, schema_editor):
        from django.apps import apps as current_apps

        for label in labels:
            model = apps.get_model(label)
            if not model.objects.exists():  # a fresh database: nothing was ever public
                continue
            # Read the text through the current model: page titles are translated
            # columns that Wagtail's historical Page model does not know about.
            current = current_apps.get_model(label)
            required = required_fields(current)
            columns = [build_localized_fieldname(f, c) for f in required for c in LANGUAGE_CODES]
            for obj in current.objects.only("pk", *columns):
                ready = [
                    code
                    for code in LANGUAGE_CODES
                    if code != COMMON_LANGUAGE
                    and all(is_filled(value_in(obj, name, code)) for name in required)
                ]
                model.objects.filter(pk=obj.pk).update(ready_languages=ready)

    return forwards
