"""Harder queries: German compounds split at index and query time, typo-tolerant matching."""

import pytest
from django.utils.html import strip_tags

from cms.search import expansion, vocabulary
from cms.search.analysis import analyse, analyse_to_string, compound_parts
from cms.search.expansion import build_query
from cms.search.query import Term, query_tokens
from cms.search.service import SearchRequest, search
from tests.factories import news_page
from tests.search.conftest import settle

# --- compounds --------------------------------------------------------------------------------


def test_a_german_compound_is_split_into_its_parts():
    parts = compound_parts("Kunststofftechnikcluster", "de")
    assert {"kunststoff", "technik", "cluster"} <= set(parts)
    assert compound_parts("Wirtschaftsförderung", "de") == ("wirtschafts", "förderung")
    assert compound_parts("Clusterorganisationen", "de") == ("cluster", "organisationen")


@pytest.mark.parametrize(
    "word",
    [
        "Netzwerk",  # a known word whose parts are short: kept whole
        "Technischen",  # an adjective: known only in lower case
        "Ergebnisse",  # no noun parts
        "Mitarbeiterinnen",  # a feminine form, not a compound
        "Kunstoff",  # a typo: "Off" is no part (three letters)
        "Oberösterreich",
    ],
)
def test_words_that_are_not_compounds_stay_whole(word):
    assert compound_parts(word, "de") == ()


def test_only_german_is_split():
    assert compound_parts("Kunststofftechnikcluster", "en") == ()
    assert len(analyse_to_string("Kunststofftechnikcluster", "cs").split()) == 1


def test_documents_carry_the_parts_queries_do_not():
    indexed = analyse_to_string("Kunststofftechnikcluster Oberösterreich", "de").split()
    assert indexed[0] == "kunststofftechnikclust"
    assert {"kunststoff", "technik", "clust", "oberosterreich"} <= set(indexed)
    # the query side: only the visitor's own word (expansion adds the parts, weaker)
    assert analyse("Kunststofftechnikcluster Oberösterreich", "de") == [
        "kunststofftechnikclust",
        "oberosterreich",
    ]
    # a lower-case word in a text is not a noun: not split
    assert analyse_to_string("die kunststofftechnikcluster", "de") == "kunststofftechnikclust"


def test_a_typed_compound_adds_its_parts_as_weaker_terms():
    exact = [Term(token) for token in query_tokens("kunststofftechnikcluster", "de")]
    terms = expansion.compound_terms("kunststofftechnikcluster", "de", exact)
    assert {"kunststoff", "technik", "clust"} <= {term.token for term in terms}
    assert all(term.origin == "compound" and term.weight < 1 for term in terms)
    assert expansion.compound_terms("Kunststofftechnikcluster", "en", []) == []


# --- typos ------------------------------------------------------------------------------------


def vocabulary_of(tokens: dict[str, int]) -> vocabulary.Vocabulary:
    """A vocabulary whose documents hold ``tokens`` (token -> in how many documents)."""
    rows = []
    for token, documents in tokens.items():
        rows += [(token, "", token, "", "en")] * documents
    return vocabulary.vocabulary_from_rows(rows, "en")


@pytest.fixture
def language_vocabulary(monkeypatch):
    def use(tokens):
        built = vocabulary_of(tokens)
        monkeypatch.setattr(expansion, "language_vocabulary", lambda language: built)
        return built

    return use


def typos(text, language="en"):
    exact = [Term(token) for token in query_tokens(text, language)]
    terms = expansion.typo_terms(text, language, exact)
    assert all(term.origin == "typo" and term.weight < 1 for term in terms)
    return [term.token for term in terms]


def test_one_edit_from_five_letters(language_vocabulary):
    language_vocabulary({"cluster": 3, "plastic": 2, "tomato": 1})
    assert analyse("clustr", "en") == ["clustr"]
    assert typos("clustr") == ["cluster"]  # one letter missing
    assert typos("plastci") == ["plastic"]  # a transposition is one edit
    assert typos("tomto") == ["tomato"]  # five letters
    assert typos("tomt") == []  # four letters: no variants


def test_two_edits_from_nine_letters(language_vocabulary):
    language_vocabulary({"benchmark": 1, "cluster": 1})
    assert typos("bnchmarkk") == ["benchmark"]  # nine letters, two edits
    assert typos("clustrrr") == []  # eight letters, two edits: too far


def test_the_first_letter_is_never_changed(language_vocabulary):
    language_vocabulary({"cluster": 1})
    assert typos("kluster") == []
    assert typos("lcuster") == []  # not even by a transposition


def test_a_known_word_gets_no_variants(language_vocabulary):
    language_vocabulary({"cluster": 1, "clusters": 1, "clustery": 1})
    assert typos("cluster") == []
    assert typos("clusters") == []  # analysed to the known "cluster"


def test_variants_are_few_nearest_and_most_frequent_first(language_vocabulary):
    language_vocabulary(
        {"markez": 1, "market": 5, "marked": 2, "marker": 4, "markey": 3, "maxkey": 9}
    )
    assert typos("markex") == ["market", "marker", "markey"]
    assert len(typos("markex")) == expansion.MAX_TYPO_VARIANTS


def test_a_query_of_short_words_reads_no_vocabulary(monkeypatch):
    monkeypatch.setattr(expansion, "language_vocabulary", lambda _: pytest.fail("vocabulary read"))
    assert expansion.typo_terms("IT and ICT", "en", []) == []


# --- through the query and the search ---------------------------------------------------------


def test_build_query_adds_compound_and_typo_terms_below_the_visitor_s_own(db):
    query = build_query("Kunststofftechnikcluster Zusamenarbeit", "de")
    by_origin = {}
    for term in query.terms:
        by_origin.setdefault(term.origin, set()).add(term.token)
        assert term.weight == 1 if term.exact else term.weight < 1
    assert {"kunststofftechnikclust", "zusamenarbeit"} <= by_origin["exact"]
    assert {"kunststoff", "technik"} <= by_origin["compound"]
    assert "zusammenarbeit" in by_origin["typo"]  # in the German demo content


@pytest.fixture
def plastics_cluster(db, country):
    page = news_page(
        country("AT"),
        title={
            "en": "Plastics technology cluster Upper Austria",
            "de": "Kunststofftechnikcluster Oberösterreich",
        },
        lead={"en": "Plastics processors meet in Linz.", "de": "Kunststoffverarbeiter in Linz."},
    )
    page.save_revision().publish()
    settle()
    return page


def titles(query, language):
    hits = search(SearchRequest(query=query, language=language)).hits
    return [strip_tags(hit.title) for hit in hits]  # without the highlighting


def test_a_compound_s_part_finds_it(plastics_cluster):
    assert "Kunststofftechnikcluster Oberösterreich" in titles("Kunststoff", "de")
    assert "Kunststofftechnikcluster Oberösterreich" in titles("Technik", "de")
    # and the compound typed whole finds it first
    assert titles("Kunststofftechnikcluster", "de")[0] == "Kunststofftechnikcluster Oberösterreich"


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("Kunststof", "de"),  # one letter missing, a compound's part
        ("Kunststofftechnikclustre", "de"),  # a transposition in the compound
        ("Plastcs", "en"),  # one letter missing in a seven-letter word
    ],
)
def test_a_one_letter_typo_finds_it(plastics_cluster, query, language):
    found = titles(query, language)
    expected = "Kunststofftechnikcluster Oberösterreich" if language == "de" else "Plastics"
    assert any(title.startswith(expected) for title in found), found


def test_a_typo_that_finds_by_tolerance_is_still_offered_the_right_spelling(db):
    response = search(SearchRequest(query="potravyny", language="cs"))
    assert response.total >= 1  # found through the near spelling "potraviny"
    assert response.did_you_mean == "potraviny"
