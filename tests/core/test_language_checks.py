"""A language added to ``cms.core.languages`` without the rest is named at start-up.

The gaps are the ones found by adding Hungarian to a copy of the project: the page
editor failed (no name for editors) and visitor pages came out in English (no
catalogue); search is ``tests/search/test_language_checks.py``.
"""

from django.core.management import call_command

from cms.core.checks import language_gaps, unknown_fallbacks
from cms.core.languages import FALLBACK_CHAINS, LANGUAGE_CODES


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_the_networks_languages_are_complete():
    assert language_gaps(LANGUAGE_CODES) == []
    assert unknown_fallbacks(FALLBACK_CHAINS, LANGUAGE_CODES) == []
    call_command("check", "--fail-level", "WARNING", tags=["languages"])


def test_a_new_language_is_named_with_each_file_it_still_needs():
    gaps = language_gaps(("cs", "hu"))
    assert ids(gaps) == ["cms.E002", "cms.W003", "cms.W004"]
    assert all("'hu'" in gap.msg for gap in gaps)
    assert "cms/core/publication.py" in gaps[0].hint
    assert "cms/core/seo.py" in gaps[1].hint
    assert "locale/hu/LC_MESSAGES/django.po" in gaps[2].hint


def test_a_chain_naming_an_unknown_language_is_an_error():
    chains = {"default": ("en",), "sk": ("cs", "en"), "hu": ("de", "en"), "sl": ("hr", "en")}
    errors = unknown_fallbacks(chains, ("en", "cs", "de", "sk", "sl"))
    assert [error.id for error in errors] == ["cms.E003", "cms.E003"]
    assert "FALLBACK_CHAINS['hu'] names 'hu'" in errors[0].msg
    assert "FALLBACK_CHAINS['sl'] names 'hr'" in errors[1].msg


def test_an_installed_package_with_compiled_catalogues_only_has_them(settings, tmp_path):
    """The wheel carries ``django.mo`` without its ``.po`` (pyproject's data-files): every
    language was "without a catalogue", and ``check --deploy`` failed on an installed package
    (``make package-check``)."""
    settings.BASE_DIR = tmp_path
    messages = tmp_path / "locale" / "cs" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    assert ids(language_gaps(("cs",))) == ["cms.W004"]
    (messages / "django.mo").write_bytes(b"")
    assert ids(language_gaps(("cs",))) == []
