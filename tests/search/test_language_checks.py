"""A language the network publishes in without search analysis is an error at start-up:
with Hungarian added to a copy of the project, every search in it was a 500."""

import pytest

from cms.core.languages import LANGUAGE_CODES
from cms.search.checks import unanalysed_languages

pytestmark = pytest.mark.django_db  # the search tests' fixtures read the demo content


def test_every_language_of_the_network_is_analysed():
    assert unanalysed_languages(LANGUAGE_CODES) == []


def test_a_new_language_without_search_analysis_is_an_error():
    errors = unanalysed_languages(("sk", "hu"))
    assert [error.id for error in errors] == ["sitesearch.E001"]
    assert "'hu'" in errors[0].msg
    assert "cms/search/lexicon.py" in errors[0].hint
