"""Dates, times and numbers as each language writes them (Django's formats, cms/formats/)."""

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from tests.factories import news_page, path_of

MAY_20 = datetime(2011, 5, 20, 14, 30)


def rendered(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "20 May 2011"),
        ("cs", "20. května 2011"),
        ("de", "20. Mai 2011"),
        ("pl", "20 maja 2011"),
        ("sl", "20. maja 2011"),
        ("it", "20 maggio 2011"),
        ("sk", "20. mája 2011"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language, expected):
    assert rendered('{{ d|date:"DATE_FORMAT" }}', language, d=MAY_20) == expected


@pytest.mark.parametrize(
    ("language", "date_", "date_time"),
    [
        # Italian writes months and weekdays in lower case; Django's catalogue capitalised
        # them ("02 Novembre 2011", "Mercoledì 02 Novembre 2011 09:00").
        ("it", "2 novembre 2011", "mercoledì 2 novembre 2011, 09:00"),
        # Slovak writes the month in the genitive; Django gave "2. november 2011".
        ("sk", "2. novembra 2011", "2. novembra 2011 9:00"),
        # Slovenian: the genitive, no leading zero ("02. november 2011"), nor "2011. 09:00".
        ("sl", "2. novembra 2011", "2. novembra 2011, 09:00"),
        ("cs", "2. listopadu 2011", "2. listopadu 2011 9:00"),
        ("pl", "2 listopada 2011", "2 listopada 2011 09:00"),
        ("de", "2. November 2011", "2. November 2011 09:00"),
    ],
)
def test_a_single_digit_day_and_its_time(language, date_, date_time):
    """A day below 10 (the test above has the 20th) and an event's start time."""
    november_2 = datetime(2011, 11, 2, 9, 0)
    assert rendered('{{ d|date:"DATE_FORMAT" }}', language, d=november_2) == date_
    assert rendered('{{ d|date:"DATETIME_FORMAT" }}', language, d=november_2) == date_time


def test_english_is_not_american():
    assert rendered('{{ d|date:"SHORT_DATE_FORMAT" }}', "en", d=MAY_20) == "20/05/2011"
    assert rendered('{{ d|date:"DATETIME_FORMAT" }}', "en", d=MAY_20) == "20 May 2011, 14:30"
    assert rendered("{{ d|time }}", "en", d=MAY_20) == "14:30"
    assert rendered("{{ d }}", "en", d=MAY_20.date()) == "20 May 2011"


def test_numbers_follow_the_language():
    with translation.override("en"):
        assert formats.number_format(Decimal("1234.5"), 1, force_grouping=True) == "1,234.5"
    with translation.override("de"):
        assert formats.number_format(Decimal("1234.5"), 1, force_grouping=True) == "1.234,5"


def test_english_forms_read_day_before_month():
    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("05/06/2011") == date(2011, 6, 5)
        assert field.clean("2011-06-05") == date(2011, 6, 5)


def test_an_english_news_item_shows_a_british_date(site_client, country):
    page = news_page(country("CZ"), title={"cs": "Česky", "en": "English"}, date=date(2011, 5, 20))
    html = site_client("CZ").get(path_of(page, "en")).content.decode()
    assert "20 May 2011" in html
    assert "05/20/2011" not in html and "May 20, 2011" not in html


def test_templates_name_formats_instead_of_hard_coding_american_ones():
    # A format string that starts with the month before the day: "m/d/Y", "N j, Y", "F j".
    american = re.compile(r"""date:\s*["']\s*[mnNbEFM][/.\s,-]+[dj]""")
    offenders = [
        f"{path}: {match.group(0)}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for match in american.finditer(path.read_text())
    ]
    assert offenders == []
