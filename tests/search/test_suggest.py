"""“Did you mean …?” on the demo content: typos corrected, correct queries left alone."""

import threading

import pytest

from cms.search import suggest
from cms.search.analysis import fold
from cms.search.service import SearchRequest, search
from cms.search.vocabulary import warm_vocabularies
from tests.factories import news_page
from tests.search.conftest import settle


def suggestion(query, language, **filters):
    return search(SearchRequest(query=query, language=language, **filters)).did_you_mean


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("cs", "potravyny", "potraviny"),
        # the misspelt word is corrected, the right one gets its diacritics back
        ("cs", "regionálni potravyny", "regionální potraviny"),
        ("sk", "Žilinska univerzta", "Žilinská univerzita"),
        ("de", "Zusamenarbeit", "Zusammenarbeit"),
        ("de", "Mechatronk Dresden", "Mechatronik Dresden"),
        ("pl", "zywnocsi", "żywności"),  # a transposition, and the diacritics restored
        ("sl", "laboratorje", "laboratorije"),
        ("sl", "zivilksi", "živilski"),
        ("en", "benchmarkng", "benchmarking"),
        ("en", "tourizm", "tourism"),
        ("en", "Clustr", "Cluster"),  # the visitor's capitalisation is kept
    ],
)
def test_typos_get_the_right_suggestion(db, language, typed, expected):
    assert suggestion(typed, language) == expected
    assert search(SearchRequest(query=expected, language=language)).total >= 1


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("cs", "regionální potraviny"),
        ("cs", "regionalni potraviny"),  # no diacritics, but it matches: not a typo
        ("cs", "regionalni"),
        ("cs", "kyberneticka bezpecnost"),
        ("pl", "Małopolsca"),  # another inflection of a known word
        ("de", "Zusammenarbeit"),
        ("sl", "živilski"),
        ("en", "benchmarking"),
        ("en", "zzxqvw"),  # nothing near enough: no suggestion rather than a wild one
    ],
)
def test_known_words_and_hopeless_ones_get_no_suggestion(db, language, query):
    assert suggestion(query, language) is None


def test_a_suggestion_respects_the_filters(db):
    assert suggestion("potravyny", "cs") == "potraviny"
    # potraviny is only in Czech content: with Slovenia as the only country it finds nothing
    assert suggestion("potravyny", "cs", countries=("SI",)) is None


def test_many_results_get_no_suggestion_work(db, monkeypatch):
    monkeypatch.setattr(suggest, "correct", lambda *args: pytest.fail("suggestion work"))
    assert search(SearchRequest(query="cluster clustr", language="en")).total >= suggest.FEW_RESULTS


def test_a_draft_word_is_never_suggested(db, country):
    page = news_page(country("CZ"), title={"en": "Zanzibar harbour", "cs": "Zanzibarský přístav"})
    page.save_revision().publish()
    settle()
    # only ever seen at the start of a title: offered with its capital
    assert suggestion("zanzibarsky pristaw", "cs") == "Zanzibarský přístav"

    page.title_cs = "Quetzalkoatlův chrám"
    page.save_revision()  # a draft: its words must not reach the vocabulary
    settle()
    assert fold("quetzalkoatlův") not in suggest.vocabulary("cs").words
    assert suggestion("quetzalkoatlow", "cs") is None


@pytest.mark.parametrize("ready", [True, False])
def test_a_word_of_an_unready_translation_is_never_suggested(db, country, ready):
    page = news_page(
        country("CZ"),
        title={"en": "Harbour news", "cs": "Pelikánový přístav"},
        lead={"en": "Harbour lead", "cs": "Nový pelikánový přístav v Ústí"},
        ready_languages=["en", "cs"] if ready else ["en"],
    )
    page.save_revision().publish()
    settle()
    expected = "pelikánový" if ready else None
    assert suggestion("pelikánowý", "cs") == expected


def test_the_vocabulary_follows_published_changes(db, country):
    before = suggest.vocabulary("en")
    page = news_page(country("CZ"), title={"en": "Quokka sanctuary"})
    page.save_revision().publish()
    settle()
    assert "quokka" not in before.words
    assert "quokka" in suggest.vocabulary("en").words
    page.unpublish()
    settle()
    assert "quokka" not in suggest.vocabulary("en").words


def test_a_stale_vocabulary_keeps_serving_while_a_thread_rebuilds_it(
    db, country, settings, django_assert_num_queries, monkeypatch
):
    settings.SEARCH_VOCABULARY_BACKGROUND = True
    settings.SEARCH_VOCABULARY_CHECK_SECONDS = 0
    cache = suggest.vocabularies
    # Built afresh here, not a stale one an earlier test left (whose refresh would swap in
    # its own build during this test), and no earlier refresh still running.
    for thread in [t for t in threading.enumerate() if t.name == "vocabulary-en"]:
        thread.join(timeout=30)
    cache.clear()
    refreshed, refresh = [], cache.refresh_in_background

    def noting_refresh(key):  # the real refresh, noted: its thread may end at once
        refreshed.append(key)
        refresh(key)

    monkeypatch.setattr(cache, "refresh_in_background", noting_refresh)
    before = suggest.vocabulary("en")
    page = news_page(country("CZ"), title={"en": "Quokka sanctuary"})
    page.save_revision().publish()
    settle()
    with django_assert_num_queries(1):  # the fingerprint; the build is not the visitor's
        assert suggest.vocabulary("en") is before
    # Started in a thread; it reads committed documents only (this test's are not, and
    # SQLite may refuse its read while this test's transaction writes: it logs, and the
    # stale vocabulary stays), so the thread may be over already: what it built is not
    # asserted here.
    assert refreshed == ["en"]
    for thread in [t for t in threading.enumerate() if t.name == "vocabulary-en"]:
        thread.join(timeout=30)


def test_an_answer_made_with_a_vocabulary_still_rebuilding_is_not_kept(
    client, db, country, settings
):
    """A search just after a change is answered with the old vocabulary while a thread
    builds the new one: the API's response cache kept that answer (its "did you mean")
    for its whole life, minutes after the new vocabulary was there."""
    settings.SEARCH_VOCABULARY_BACKGROUND = True
    settings.SEARCH_VOCABULARY_CHECK_SECONDS = 0
    settings.API_RESPONSE_CACHE_SECONDS = 300
    cache = suggest.vocabularies
    for thread in [t for t in threading.enumerate() if t.name == "vocabulary-cs"]:
        thread.join(timeout=30)
    cache.clear()

    def ask():
        query = {"q": "potravyny", "lang": "cs"}
        return client.get("/api/v3/search/", query, HTTP_HOST="cz.localhost")

    assert ask()["X-Cache"] == "MISS"  # built now, at the first use: current
    assert ask()["X-Cache"] == "HIT"
    news_page(country("CZ"), title={"cs": "Kvokka v potravinách"}).save_revision().publish()
    settle()
    provisional = ask()  # the vocabulary's rows changed: the old one serves meanwhile
    assert provisional.status_code == 200 and provisional["Cache-Control"] == "no-store"
    assert ask().get("X-Cache") != "HIT"  # not kept: asked again, computed again
    for thread in [t for t in threading.enumerate() if t.name == "vocabulary-cs"]:
        thread.join(timeout=30)


def test_warmed_vocabularies_are_served_without_a_build(db, django_assert_num_queries):
    """What gunicorn's master does before forking (``cms.gunicorn_conf.when_ready``)."""
    suggest.vocabularies.clear()
    assert suggest.vocabularies.warm(["en", "cs"]) == ["en", "cs"]
    assert suggest.vocabularies.warm(["en", "cs", "de"]) == ["de"]  # only what is missing
    with django_assert_num_queries(1):  # the fingerprint, not the documents
        assert "benchmarking" in suggest.vocabulary("en").words
    assert warm_vocabularies() == ["it", "pl", "sk", "sl"]


def test_the_fingerprint_is_checked_at_most_every_check_interval(
    db, settings, django_assert_num_queries
):
    settings.SEARCH_VOCABULARY_CHECK_SECONDS = 60
    suggest.vocabulary("en")
    with django_assert_num_queries(0):
        suggest.vocabulary("en")


def test_edit_distance():
    assert suggest.distance("potravyny", "potraviny", 2) == 1
    assert suggest.distance("zywnocsi", "zywnosci", 2) == 1  # transposition
    assert suggest.distance("benchmarkng", "benchmarking", 2) == 1
    assert suggest.distance("abc", "xyzabc", 2) == 3  # above the limit: limit + 1


def test_the_search_page_shows_the_link(site_client):
    response = site_client("CZ").get("/cs/search/", {"q": "potravyny", "page": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="did-you-mean"' in html
    assert '<a href="?q=potraviny">potraviny</a>' in html


def test_the_search_page_shows_no_link_for_a_good_query(site_client):
    html = site_client("CZ").get("/cs/search/", {"q": "potraviny"}).content.decode()
    assert "did-you-mean" not in html


def test_the_api_returns_the_suggestion(client, db):
    url = "/api/v3/search/"
    typo = client.get(url, {"q": "potravyny", "lang": "cs"}, HTTP_HOST="cz.localhost").json()
    # found through typo-tolerant matching (cms.search.expansion), and still corrected
    assert typo["count"] >= 1 and typo["did_you_mean"] == "potraviny"
    good = client.get(url, {"q": "potraviny", "lang": "cs"}, HTTP_HOST="cz.localhost").json()
    assert good["count"] >= 1 and good["did_you_mean"] is None


def test_a_query_of_many_unknown_words_is_not_a_typo(db):
    many = suggest.MAX_UNKNOWN_WORDS
    assert suggestion(" ".join(["potravyny"] * (many + 1)), "cs") is None
    assert suggestion(" ".join(["potravyny"] * many), "cs") == " ".join(["potraviny"] * many)
