"""The admin's JavaScript strings (block picker, minimap, autosave, comments) in Czech and Slovak.

Wagtail's React and Stimulus code translates through Django's JavaScript catalogue
(``/admin/jsi18n/``, ``JavaScriptCatalog`` for ``wagtail.admin`` in the user's admin
language), which also merges the ``djangojs`` catalogues of ``LOCALE_PATHS``: so
``locale/_wagtail/<lang>/LC_MESSAGES/djangojs.po`` fills the gaps of Wagtail's own cs and
sk_SK catalogues, as its ``django.po`` does for the Python strings.
"""

import json
import re

import pytest

from tests.factories import country_user


def js_catalogue(client, code: str) -> tuple[dict, str]:
    """The catalogue (msgid -> translation) and plural formula served to ``code``'s editor."""
    client.force_login(country_user(code))
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    text = response.content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", text, re.S).group(1))
    plural = re.search(r"const v = (.*?);", text).group(1)
    return catalogue, plural


CZECH = {
    "Insert a block": "Vložit blok",
    "Search options…": "Hledat volby…",
    "Collapse all": "Sbalit vše",
    "Expand all": "Rozbalit vše",
    "Changes have been autosaved.": "Změny byly automaticky uloženy.",
    "Write something or type ‘/’ to insert a block": (
        "Začněte psát nebo napište „/“ pro vložení bloku"
    ),
}
SLOVAK = {
    "Insert a block": "Vložiť blok",
    "Search options…": "Hľadať možnosti…",
    "Collapse all": "Zbaliť všetko",
    "Duplicate": "Duplikovať",
    "Add a comment": "Pridať komentár",
    "Save": "Uložiť",
}


@pytest.mark.parametrize(("code", "expected"), [("CZ", CZECH), ("SK", SLOVAK)])
def test_the_editors_js_catalogue_has_the_strings_wagtail_leaves_out(client, db, code, expected):
    catalogue, _plural = js_catalogue(client, code)
    for msgid, text in expected.items():
        assert catalogue.get(msgid) == text, msgid


def test_wagtails_own_czech_js_strings_are_kept(client, db):
    catalogue, _plural = js_catalogue(client, "CZ")
    assert catalogue["Save"] == "Uložit"  # Wagtail's cs catalogue, not ours


@pytest.mark.parametrize("code", ["CZ", "SK"])
def test_plural_forms_agree_with_wagtails_catalogue(client, db, code):
    """Our catalogue and Wagtail's declare the same four forms (one, few, fractions, many)."""
    catalogue, plural = js_catalogue(client, code)
    errors = catalogue["%(num)s error"]
    assert len(errors) == 4 and "n % 1" in plural
    assert errors[3].endswith(("chyb", "chýb"))  # 5 errors


def test_other_languages_do_not_get_them(client, db):
    catalogue, _plural = js_catalogue(client, "PL")
    assert catalogue.get("Insert a block") != "Vložit blok"
