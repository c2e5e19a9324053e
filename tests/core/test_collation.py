"""Alphabetical order is each language's, on every database (``cms.core.collation``).

Ordered by code points, every name starting with Ú, Ž, Ś or Ł came after Z, and
Czech "Chmel" before "Hrad". The directory and the API's ``order=name`` now follow
the reader's language; these names are where the languages disagree.
"""

import pytest

from cms.core.collation import sort_key

NAMES = ["Zlín", "Žilina", "Ústí", "Upice", "Chmel", "Hrad", "Čokoláda", "Cukr", "Łódź", "Lublin"]


def alphabetical(names, language):
    return sorted(names, key=lambda name: sort_key(name, language))


#: Czech and Slovak: Č is a letter after C, and "ch" one after H.
CZECH = ["Cukr", "Čokoláda", "Hrad", "Chmel", "Łódź", "Lublin", "Upice", "Ústí", "Zlín", "Žilina"]
#: No letters of their own: accents count only between otherwise equal names.
ENGLISH = ["Chmel", "Čokoláda", "Cukr", "Hrad", "Łódź", "Lublin", "Upice", "Ústí", "Žilina", "Zlín"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("cs", CZECH),
        ("sk", CZECH),
        # Ł is a letter after L; Ž one after Z in Polish, and accents matter last.
        (
            "pl",
            [
                "Chmel",
                "Čokoláda",
                "Cukr",
                "Hrad",
                "Lublin",
                "Łódź",
                "Upice",
                "Ústí",
                "Žilina",
                "Zlín",
            ],
        ),
        (
            "sl",
            [
                "Chmel",
                "Cukr",
                "Čokoláda",
                "Hrad",
                "Łódź",
                "Lublin",
                "Upice",
                "Ústí",
                "Zlín",
                "Žilina",
            ],
        ),
        ("de", ENGLISH),
        ("en", ENGLISH),
    ],
)
def test_each_language_orders_as_its_readers_do(language, expected):
    assert alphabetical(NAMES, language) == expected


def test_capitals_do_not_come_before_the_alphabet():
    # By code points: Alfa, Gama, beta.
    assert alphabetical(["beta", "Alfa", "Gama"], "cs") == ["Alfa", "beta", "Gama"]


def test_no_text_has_no_key_and_other_variants_order_as_english():
    assert sort_key("", "cs") is None
    assert sort_key(None, "cs") is None
    assert sort_key("Žilina", "all") == sort_key("Žilina", "en")
