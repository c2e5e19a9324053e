"""Which languages an item really has, as opposed to what fallback would show.

modeltranslation makes ``obj.title`` answer in the active language and fall
back along the chain when it is empty. The language switcher, hreflang links
and the API need the opposite question: is this item *itself* written in
language X? Each translated model names the fields that must be filled for a
language version to count (``translation_required_fields``).
"""

from __future__ import annotations

from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import LANGUAGE_CODES


def has_language(obj, language: str) -> bool:
    """True when every required translated field of ``obj`` is filled in ``language``."""
    fields = getattr(obj, "translation_required_fields", ("title",))
    for field in fields:
        value = getattr(obj, build_localized_fieldname(field, language), None)
        if value is None:
            return False
        if hasattr(value, "raw_data"):  # a StreamField value
            if not len(value):
                return False
        elif not str(value).strip():
            return False
    return True


def available_languages(obj, among: tuple[str, ...] | list[str] = LANGUAGE_CODES) -> list[str]:
    """Languages (in the order given) in which ``obj`` is really written."""
    return [code for code in among if has_language(obj, code)]
