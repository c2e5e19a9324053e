"""Slovenian and Italian editors get the admin strings Wagtail's own catalogues leave out.

Wagtail 8.0's sl catalogues leave 199 of its 1733 admin msgids untranslated (and 8 of the 85
JavaScript ones), its it catalogues 50 (and none of the JavaScript ones).
``locale/_wagtail/sl`` and ``locale/_wagtail/it`` (the second ``LOCALE_PATHS`` entry) translate
them, next to the corrections they held before (``locale/_wagtail/README.md``). The gaps are
computed from the installed Wagtail; that every gap is translated, in every editor language,
is ``test_wagtail_catalogue_gaps.py``'s check. Here: HTML tags and placeholders of every
entry (plurals as Babel checks them), the Slovenian plural forms, and the admin itself.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import wagtail
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from cms.core.models import Country
from cms.news.models import NewsPage
from tests.users.test_admin_js_catalogue import js_catalogue
from tests.users.test_admin_language import admin_pages, shown

WAGTAIL = Path(wagtail.__file__).parent
OURS = settings.BASE_DIR / "locale" / "_wagtail"
LANGUAGES = ("sl", "it")
DOMAINS = ("django", "djangojs")

PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?[a-z][^>]*>")


def read(path: Path):
    with open(path, "rb") as po:
        return read_po(po)


def key(message) -> str:
    return message.id[0] if message.pluralizable else message.id


def translated(message) -> bool:
    if message.fuzzy:
        return False
    return all(message.string) if message.pluralizable else bool(message.string)


def ours(language: str, domain: str):
    path = OURS / language / "LC_MESSAGES" / f"{domain}.po"
    return read(path) if path.exists() else None


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_tags_match_between_msgid_and_msgstr(language, domain):
    catalogue = ours(language, domain)
    if catalogue is None:
        pytest.skip(f"no {domain} catalogue for {language}: Wagtail's has no gaps")
    for m in catalogue:
        if not m.id:
            continue
        assert translated(m), key(m)
        if not m.pluralizable:
            assert Counter(PLACEHOLDER.findall(m.string)) == Counter(PLACEHOLDER.findall(m.id)), (
                m.id
            )
            assert Counter(TAG.findall(m.string)) == Counter(TAG.findall(m.id)), m.id
            continue
        singular, plural = m.id
        assert len(m.string) == catalogue.num_plurals, singular
        # As Babel checks them: the first form may leave out names of the plural msgid the
        # singular lacks ("one translated child page"); where the singular names none, it may
        # name the plural's (Slovenian's first form is also n = 101, as gettext checks it).
        first = set(PLACEHOLDER.findall(singular)) or set(PLACEHOLDER.findall(plural))
        assert set(PLACEHOLDER.findall(m.string[0])) <= first, singular
        for form in m.string[1:]:
            assert set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(plural)), form
        assert set(PLACEHOLDER.findall(m.string[-1])) == set(PLACEHOLDER.findall(plural))
        for form in m.string:
            assert Counter(TAG.findall(form)) == Counter(TAG.findall(plural)), form


def plural_forms(catalogue) -> str:
    return re.sub(r"\s+", "", dict(catalogue.mime_headers)["Plural-Forms"])


def test_the_slovenian_js_catalogue_has_wagtails_plural_forms():
    """``JavaScriptCatalog`` serves one formula for the merged catalogue: Wagtail's own."""
    wagtail_sl = read(WAGTAIL / "admin" / "locale" / "sl" / "LC_MESSAGES" / "djangojs.po")
    assert plural_forms(ours("sl", "djangojs")) == plural_forms(wagtail_sl)
    assert ours("sl", "djangojs").num_plurals == 4


def test_the_slovenian_admin_has_the_strings_wagtail_leaves_untranslated(client, db):
    home, edit = admin_pages(client, "SI")
    assert 'lang="sl"' in home
    assert shown("Prikaži bližnjice na tipkovnici", home)  # "Show keyboard shortcuts"
    assert not shown("Show keyboard shortcuts", home)
    assert shown("Berljivost", edit)  # "Readability", in the content metrics
    assert not shown("Readability", edit)
    assert shown("Meritve vsebine", edit)  # Wagtail's own sl: still there


def test_the_slovenian_editors_js_catalogue_has_them_too(client, db):
    catalogue, plural = js_catalogue(client, "SI")
    assert catalogue["Changes have been autosaved."] == "Spremembe so bile samodejno shranjene."
    assert catalogue["Good"] == "Dobro"  # readability score
    assert len(catalogue["%(num)s error"]) == 4 and "n%100" in plural.replace(" ", "")


def test_the_italian_editor_reads_italian_where_wagtail_left_english_or_errors(client, db):
    """Wagtail's it catalogue "translates" these with the English words, or wrongly
    ("Scegli un' altro referente", "nessun immagine")."""
    _, edit = admin_pages(client, "IT")
    for italian in ("Titolo SEO [it]", "Meta descrizione [it]", "Cambia referente"):
        assert shown(italian, edit), italian
    for wrong in ("Title tag [it]", "Meta description [it]", "un' altro", "un&#x27; altro"):
        assert not shown(wrong, edit), wrong
    images = client.get("/admin/images/?q=nothing-matches-this").content.decode()
    assert "Spiacente, nessuna immagine corrispondente" in images
    item = (
        NewsPage.objects.filter(live=True)
        .descendant_of(Country.objects.get(code="IT").home_page)
        .first()
    )
    history = client.get(f"/admin/pages/{item.pk}/history/").content.decode()
    assert "Versione pubblicata" in history and "Live version" not in history


def test_the_czech_editor_chooses_another_snippet_in_grammatical_czech(client, db):
    """Wagtail's cs put the model's name in the nominative after a verb that needs the
    accusative ("Zvol další kontaktní osoba"); the name now follows a colon."""
    _, edit = admin_pages(client, "CZ")
    assert shown("Zvolte jinou položku: kontaktní osoba", edit)
    assert not shown("Zvol další", edit)


def test_messages_wagtail_left_half_in_english_are_italian():
    """Submitting a new page, moving one, or giving a go-live time after the expiry told an
    Italian editor "Page '…' creata", "Go live data/ora deve precedere…"."""
    with translation.override("it"):
        texts = [
            gettext("Page '%(page_title)s' created and submitted for moderation."),
            gettext("Page '%(page_title)s' moved."),
            gettext("Go live date/time must be before expiry date/time"),
            gettext("go live date/time"),
            gettext("Use server time zone"),
        ]
    for text in texts:
        assert not re.search(r"\b(Page|Go live|live|time zone)\b", text), text
