import pytest

from cms.core.languages import FALLBACK_CHAINS, LANGUAGE_CODES, fallback_chain


def test_every_chain_ends_in_english():
    for code in LANGUAGE_CODES:
        assert fallback_chain(code)[-1] == "en"
        assert fallback_chain(code)[0] == code


def test_slovak_falls_back_to_czech_then_english():
    assert fallback_chain("sk") == ("sk", "cs", "en")


def test_slovenian_falls_back_to_english_only():
    assert fallback_chain("sl") == ("sl", "en")


def test_english_chain_has_no_duplicates():
    assert fallback_chain("en") == ("en",)


def test_unknown_language_is_rejected_by_name():
    with pytest.raises(ValueError, match="'xx'"):
        fallback_chain("xx")


def test_modeltranslation_uses_the_same_chains(settings):
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES is FALLBACK_CHAINS
    assert tuple(code for code, _ in settings.LANGUAGES) == LANGUAGE_CODES


def test_accepted_languages_are_the_network_languages_of_the_header_best_first_each_once(rf):
    """One reading of Accept-Language for the API's negotiation, its cache key and the
    visitor's root redirect: by quality then order, any case, region ignored."""
    from cms.core.languages import accepted_languages

    header = "fr, sk-SK, xx, cs;q=0.9, SK;q=0.8, EN-us;q=0.95"
    assert accepted_languages(rf.get("/", HTTP_ACCEPT_LANGUAGE=header)) == ["sk", "en", "cs"]
    assert accepted_languages(rf.get("/", HTTP_ACCEPT_LANGUAGE="fr, *")) == []
    assert accepted_languages(rf.get("/")) == []
