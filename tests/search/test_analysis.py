"""Tests for cms.search.analysis: inflection- and diacritics-insensitive tokens.

Pure functions only: no database, no Django settings needed.
"""

import importlib.util
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cms.search.analysis import (
    MAX_INPUT_CHARS,
    SUPPORTED_LANGUAGES,
    analyse,
    analyse_to_string,
    fold,
)

ANALYSIS_FILE = Path(__file__).resolve().parents[2] / "cms" / "search" / "analysis.py"


def matches(query: str, document: str, language: str) -> bool:
    """True when every query token occurs in the document (AND semantics,
    the strictest way a backend can combine the tokens)."""
    query_tokens = analyse(query, language)
    assert query_tokens, f"query {query!r} analysed to nothing"
    return set(query_tokens) <= set(analyse(document, language))


# (language, query, text of a document that must match it)
INFLECTION_CASES = [
    # Czech
    ("cs", "regionální potravina", "propagují regionální potraviny"),
    ("cs", "obnovitelný zdroj energie", "z oblasti obnovitelných zdrojů energie"),
    ("cs", "turistický klastr Rakousko", "Studijní cesta do Rakouska: turistické klastry"),
    ("cs", "konference Milán", "konference proběhne 24. října 2011 v Miláně"),
    ("cs", "Praha", "konference v Praze"),
    # Slovak
    ("sk", "automatizácia výroby", "spolupracujú na automatizácii výroby"),
    ("sk", "elektronická verejná správa", "riešenia pre elektronickú verejnú správu"),
    ("sk", "financovanie inovácie fondy", "o financovaní inovácií z fondov"),
    # Polish
    ("pl", "odnawialne źródło energii", "rozwijają odnawialne źródła energii"),
    ("pl", "turystyka górska", "promują turystykę górską"),
    ("pl", "wizyta studyjna", "możliwości współpracy i wizyt studyjnych"),
    ("pl", "projekt", "w projekcie"),
    # Slovenian
    ("sl", "lesena hiša", "razvijajo lesene hiše in pohištvo"),
    ("sl", "turistična kmetija", "hoteli, turistične kmetije in vodniki"),
    ("sl", "Julijske Alpe", "kolesarjenje v Julijskih Alpah"),
    ("sl", "italijanska izkušnja", "spoznali italijanske izkušnje"),
    # German
    ("de", "regionale Lieferkette", "nachhaltige Verpackungen und regionale Lieferketten"),
    ("de", "Konferenz Mailand Ergebnis", "in Mailand die Ergebnisse der Konferenz"),
    ("de", "Infotage", "Beim lokalen Infotag"),
    # Italian
    ("it", "prodotto tipico vino", "Produttori di vino e prodotti tipici"),
    ("it", "cluster turistico buona pratica", "i cluster turistici condividono buone pratiche"),
    ("it", "sicurezza informatica università", "università lombarde e sicurezza informatica"),
    # English
    ("en", "food laboratory", "Food clusters share laboratories"),
    ("en", "robot manufacturing", "Manufacturers develop robots"),
]


@pytest.mark.parametrize(("language", "query", "document"), INFLECTION_CASES)
def test_inflected_forms_match(language, query, document):
    assert matches(query, document, language)


# Users often type without diacritics: the folded query must still match.
FOLDED_QUERY_CASES = [
    ("cs", "kyberneticka bezpecnost", "řešení pro kybernetickou bezpečnost"),
    ("cs", "usti nad labem info den", "Místní info den v Ústí nad Labem"),
    ("cs", "regionalni potraviny", "regionální potravina"),
    ("sk", "zilinska univerzita", "Strojárske podniky a Žilinská univerzita"),
    ("sk", "elektronicka verejna sprava", "elektronickú verejnú správu"),
    ("pl", "jakosc powietrza", "poprawiają jakość powietrza"),
    ("pl", "turystyke gorska", "promują turystykę górską"),
    ("sl", "turisticna kmetija", "turistične kmetije"),
    ("sl", "lesena hisa", "lesene hiše"),
    ("de", "Oberosterreich", "Hochschulen in Oberösterreich"),
    ("de", "Ernahrungswirtschaft", "Cluster Ernährungswirtschaft Sachsen"),
    ("it", "universita", "le università lombarde"),
]


@pytest.mark.parametrize(("language", "query", "document"), FOLDED_QUERY_CASES)
def test_queries_without_diacritics_match(language, query, document):
    assert matches(query, document, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("cs", "Regionální potraviny z Ústeckého kraje a kybernetická bezpečnost"),
        ("sk", "Žilinská univerzita a elektronická verejná správa"),
        ("pl", "Śląski Klaster Czystej Energii poprawia jakość powietrza"),
        ("sl", "Turistične kmetije in pohodništvo v Julijskih Alpah"),
        ("de", "Ernährungswirtschaft in Oberösterreich, Straße und Maß"),
        ("it", "Città, università e perché"),
        ("en", "Café naïve résumé"),
    ],
)
def test_tokens_are_plain_ascii(language, text):
    tokens = analyse(text, language)
    assert tokens
    assert all(re.fullmatch(r"[a-z0-9]+", t) for t in tokens), tokens


def test_an_email_address_gives_its_domain_only():
    # Its local part is a mailbox's name: "it@" made legal pages match the abbreviation IT.
    text = "Scrivete a it@clustercord.eu o a jan.novak+web@firma-ab.cz."
    assert analyse(text, "it") == ["scriv", "clustercord", "eu", "firm", "ab", "cz"]
    assert analyse("IT @ casa, @it", "it") == ["it", "cas", "it"]  # not an address: words


def test_fold():
    assert fold("Žilinská") == "zilinska"
    assert fold("Łódź") == "lodz"
    assert fold("Straße") == "strasse"
    assert fold("ŠTÝRSKO") == "styrsko"
    assert fold("ﬁnance") == "finance"  # ligature (NFKD)


def test_decomposed_input_equals_composed():
    import unicodedata

    text = "Žilinská univerzita"
    assert analyse(unicodedata.normalize("NFD", text), "sk") == analyse(text, "sk")


def test_different_words_stay_different():
    assert analyse("hiša", "sl") != analyse("hotel", "sl")
    assert analyse("potravina", "cs") != analyse("podnik", "cs")
    # simplemma lemmatises negated words to the positive one; we must not
    assert analyse("nealkoholické", "cs") != analyse("alkoholické", "cs")


def test_stopwords_and_single_letters_are_dropped():
    assert analyse("a v z na pro", "cs") == []
    assert analyse("the of and a", "en") == []
    assert analyse("der die das und", "de") == []
    assert analyse("dell'informatica", "it") == analyse("informatica", "it")


def test_numbers_are_kept():
    assert analyse("24. října 2011", "cs")[0] == "24"
    assert "2011" in analyse("24. října 2011", "cs")


def test_analyse_to_string_joins_tokens():
    text = "Regionální potraviny, místní výrobky!"
    assert analyse_to_string(text, "cs") == " ".join(analyse(text, "cs"))
    assert "  " not in analyse_to_string(text, "cs")


def test_deterministic():
    text = "Zástupci českých klastrů navštívili Štýrsko"
    assert analyse(text, "cs") == analyse(text, "cs") == analyse(text, "cs-CZ")


@pytest.mark.parametrize("language", sorted(SUPPORTED_LANGUAGES))
def test_every_supported_language_works(language):
    assert analyse("cluster 2011", language)


@pytest.mark.parametrize("language", ["fr", "xx", "", "czech", "cz"])
def test_unknown_language_raises(language):
    with pytest.raises(ValueError, match=re.escape(repr(language))):
        analyse("text", language)


def test_unknown_language_raises_even_for_empty_text():
    with pytest.raises(ValueError, match="'hr'"):
        analyse("", "hr")


@pytest.mark.parametrize("language_tag", ["CS", "cs-CZ", "cs_cz", " cs "])
def test_language_tags_are_normalised(language_tag):
    assert analyse("potraviny", language_tag) == analyse("potraviny", "cs")


@pytest.mark.parametrize("text", ["", None, "   ", "\n\t", "…!?–", "a"])
def test_empty_input(text):
    assert analyse(text, "en") == []
    assert analyse_to_string(text, "en") == ""


def test_huge_input_is_truncated_and_fast():
    text = "regionální potraviny " * 200_000  # 4.2 M characters
    start = time.perf_counter()
    tokens = analyse(text, "cs")
    assert time.perf_counter() - start < 10
    assert 0 < len(tokens) <= MAX_INPUT_CHARS // 2
    assert set(tokens) == {"regionaln", "potravin"}  # no mutilated last word


def test_overlong_tokens_are_dropped():
    assert analyse("x" * 500 + " potraviny", "cs") == ["potravin"]


def test_module_does_not_import_django():
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('analysis', {str(ANALYSIS_FILE)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "module.analyse('Regionální potraviny', 'cs')\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603


def test_analysis_file_loads_standalone():
    spec = importlib.util.spec_from_file_location("analysis_standalone", ANALYSIS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.analyse("lesene hiše", "sl") == analyse("lesena hiša", "sl")
