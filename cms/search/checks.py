"""A system check: every language the network publishes in can be searched.

Search analyses text per language (``cms.search.analysis``) and refuses a
language it has no stopwords and stemmer for: a language added to
``cms.core.languages`` without them would make every search in it a 500.
"""

from __future__ import annotations

from django.core import checks

from cms.core.languages import LANGUAGE_CODES
from cms.search.lexicon import SUPPORTED_LANGUAGES


@checks.register("languages")
def check_every_language_is_analysed(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return unanalysed_languages(LANGUAGE_CODES)


def unanalysed_languages(codes) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"Language {code!r} has no search analysis: every search in it would fail.",
            hint=f"In cms/search/lexicon.py add {code!r} to SUPPORTED_LANGUAGES, its STOPWORDS "
            "and its Snowball stemmer (_SNOWBALL_CLASSES), or its endings in "
            "cms/search/analysis.py for a Slavic language; then "
            "python manage.py rebuild_search_documents.",
            id="sitesearch.E001",
        )
        for code in codes
        if code not in SUPPORTED_LANGUAGES
    ]
