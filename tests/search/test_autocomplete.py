"""Autocomplete finds a title from a prefix of its words, however the visitor types it.

Runs on every backend. On OpenSearch the titles' edge n-grams used to be folded to ASCII
while the typed prefix was only lower-cased, so a prefix with a diacritic ("Šťov", "Říj",
"Für") found nothing; a typed word longer than the 15-character n-grams found nothing
either. The benchmark takes its prefixes from real titles: the ones with a diacritic were
the prefixes OpenSearch left empty (docs/benchmarks.md). On SQLite "gross", "lodz" and
"oberoe" found nothing: its tokenizer takes off diacritics only, and ß, ł and written-out
umlauts are none.
"""

import pytest

from cms.search import indexing
from cms.search.analysis import analyse_to_string
from cms.search.models import SearchDocument
from cms.search.service import autocomplete
from tests.search.conftest import settle

LONG = "Supercalifragilisticexpialidocious"  # 34 letters, plain ASCII
TITLES = {
    992_001: "Šťovíčková Žďolínská spolupráce",
    992_002: f"{LONG} workshop",
    992_003: "Nejnepravděpodobnějšími zlepšeními",
    992_004: "Großhändler der Weißenfelser Straße",
    992_005: "Łódzki klaster włókienniczy",
    992_006: "Mechatronik-Cluster Oberösterreich",
}


@pytest.fixture
def titles(db):
    docs = [
        SearchDocument.objects.create(
            kind="news",
            object_id=object_id,
            language="cs",
            served_language="cs",
            country="CZ",
            title=analyse_to_string(title, "cs"),
            display_title=title,
            url=f"/cs/news/{object_id}/",
        )
        for object_id, title in TITLES.items()
    ]
    indexing.publish_to_backends(docs, [])
    settle()
    return docs


@pytest.mark.parametrize(
    ("prefix", "object_id"),
    [
        # As typed in the title: diacritics, capital first letter.
        ("Šťov", 992_001),
        ("šťovíčk", 992_001),
        ("ŠŤOVÍČKOVÁ", 992_001),
        ("Žďol", 992_001),
        ("Nejnepr", 992_003),
        # Several words, the last one partial (every word with diacritics).
        ("Šťovíčková Žďo", 992_001),
        ("Šťovíčková, Žďolínská spol", 992_001),
        # Longer than modelsearch's 15-character edge n-grams.
        (LONG[:20], 992_002),
        (LONG, 992_002),
        (LONG.upper(), 992_002),
        ("Nejnepravděpodobnějšími", 992_003),
        # Without the diacritics.
        pytest.param("stovic", 992_001),
        pytest.param("Stovickova zdol", 992_001),
        pytest.param("nejnepravdepodobnejsi", 992_003),
        # Letters typed otherwise than without a diacritic: ß as ss, ł as l (SQLite's
        # tokenizer keeps both), German umlauts written out.
        ("groß", 992_004),
        ("gross", 992_004),
        ("Strasse", 992_004),
        ("weissenf", 992_004),
        ("lodz", 992_005),
        ("Łódz", 992_005),
        ("wlok", 992_005),
        ("oberoe", 992_006),
        ("Oberoesterreich", 992_006),
        ("oberös", 992_006),
        ("oberos", 992_006),
    ],
)
def test_autocomplete_finds_the_title(titles, prefix, object_id):
    suggestions = autocomplete(prefix, "cs", countries=("CZ",))
    assert TITLES[object_id] in [s["title"] for s in suggestions]


def test_autocomplete_keeps_the_language_and_country_filters(titles):
    assert not [s for s in autocomplete("Šťov", "en") if s["title"] == TITLES[992_001]]
    assert not autocomplete("Šťovíčková", "cs", countries=("SK",))
