"""Every admin string Wagtail's own catalogues leave untranslated is translated in ours.

Wagtail 8.0 ships its admin half-translated for some editor languages (pl, cs, sk…):
``locale/_wagtail/<lang>/LC_MESSAGES/{django,djangojs}.po`` (the second ``LOCALE_PATHS``
entry) fills the gaps (locale/_wagtail/README.md). The gaps are computed here from the
installed Wagtail, so an upgrade that adds msgids shows what is left to translate.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import wagtail
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from tests.users.test_admin_js_catalogue import js_catalogue
from tests.users.test_admin_language import admin_pages, shown

EDITOR_LANGUAGES = ("cs", "de", "it", "pl", "sk", "sl")
#: The languages whose gaps are filled: every editor language (German has none today).
FILLED = EDITOR_LANGUAGES
DOMAINS = ("django", "djangojs")

WAGTAIL = Path(wagtail.__file__).parent
OURS = settings.BASE_DIR / "locale" / "_wagtail"


def _messages(path: Path):
    with open(path, "rb") as po:
        return [m for m in read_po(po) if m.id]


def _key(message) -> tuple[str | None, str]:
    msgid = message.id[0] if message.pluralizable else message.id
    return message.context, msgid


def _translated(message) -> bool:
    strings = message.string if message.pluralizable else (message.string,)
    return not message.fuzzy and all(strings)


def wagtail_msgids(domain: str) -> set:
    """Wagtail's admin msgids: those of its English catalogues."""
    paths = WAGTAIL.glob(f"**/locale/en/LC_MESSAGES/{domain}.po")
    return {_key(m) for path in paths for m in _messages(path)}


def wagtail_translated(language: str, domain: str) -> set:
    """The msgids Wagtail's own catalogues translate (neither empty nor fuzzy) for ``language``
    (``sk`` is shipped as ``sk_SK``)."""
    paths = [
        *WAGTAIL.glob(f"**/locale/{language}/LC_MESSAGES/{domain}.po"),
        *WAGTAIL.glob(f"**/locale/{language}_*/LC_MESSAGES/{domain}.po"),
    ]
    return {_key(m) for path in paths for m in _messages(path) if _translated(m)}


def gaps(language: str, domain: str) -> set:
    return wagtail_msgids(domain) - wagtail_translated(language, domain)


def ours(language: str, domain: str) -> list:
    path = OURS / language / "LC_MESSAGES" / f"{domain}.po"
    return _messages(path) if path.exists() else []


def test_wagtail_leaves_gaps_in_the_languages_we_fill():
    """Guards the computation itself: the gaps it finds are those we measured for Wagtail 8.0
    (should an upgrade close them, FILLED and the README need a look)."""
    assert len(wagtail_msgids("django")) >= 1700
    assert len(gaps("pl", "django")) >= 200 and len(gaps("cs", "django")) >= 600
    assert len(gaps("pl", "djangojs")) >= 8 and len(gaps("cs", "djangojs")) >= 30
    assert set(FILLED) <= set(EDITOR_LANGUAGES)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", FILLED)
def test_our_catalogue_translates_every_gap(language, domain):
    translated = {_key(m) for m in ours(language, domain) if _translated(m)}
    missing = gaps(language, domain) - translated
    assert not missing, sorted(msgid for _context, msgid in missing)[:20]


PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGc]")
BRACES = re.compile(r"\{\{.*?\}\}|\{\w*\}")


def placeholders(text: str) -> Counter:
    text = text.replace("%%", "")
    return Counter(PERCENT.findall(text)) + Counter(BRACES.findall(text))


def placeholder_errors(message) -> list[str]:
    if not message.pluralizable:
        if placeholders(message.string) != placeholders(message.id):
            return [message.id]
        return []
    # A plural form has the placeholders of the singular or of the plural msgid (a language's
    # "one" form may leave out the count, as the English singular often does).
    allowed = [placeholders(message.id[0]), placeholders(message.id[1])]
    return [
        f"{message.id[0]} [{i}]"
        for i, s in enumerate(message.string)
        if placeholders(s) not in allowed
    ]


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", FILLED)
def test_every_translation_keeps_the_placeholders(language, domain):
    errors = [e for m in ours(language, domain) if _translated(m) for e in placeholder_errors(m)]
    assert not errors, errors


def test_the_polish_admin_has_the_strings_wagtail_leaves_untranslated(client, db):
    home, edit = admin_pages(client, "PL")
    assert 'lang="pl"' in home
    assert shown("Pokaż skróty klawiatury", home)  # "Show keyboard shortcuts"
    for text in ("Czytelność", "Objaśnienie tych danych"):  # content metrics side panel
        assert shown(text, edit), text
    for english in ("Show keyboard shortcuts", "Readability", "This data explained"):
        assert not shown(english, home + edit), english


def test_the_polish_js_catalogue_has_them_with_wagtails_plural_forms(client, db):
    catalogue, plural = js_catalogue(client, "PL")
    assert catalogue["Changes have been autosaved."] == "Zmiany zostały automatycznie zapisane."
    assert catalogue["Autosave in progress…"] == "Trwa autozapis…"
    assert catalogue["Save"] == "Zapisz"  # Wagtail's own, kept
    errors = catalogue["%(num)s error"]  # Wagtail's pl: one, few, many, fractions
    assert len(errors) == 4 and "n%100>=12" in plural.replace(" ", "")


def test_polish_words_for_what_wagtails_pl_catalogue_leaves_in_english():
    """Not gaps (Wagtail's pl "translates" them by the English word): corrected in ours."""
    with translation.override("pl"):
        assert translation.gettext("Superscript") == "Indeks górny"
        assert translation.gettext("Profile") == "Profil"
        assert translation.gettext("Submit to %(workflow_name)s").endswith(": %(workflow_name)s")


def test_czech_and_slovak_corrections_of_wagtails_own_words():
    """Wagtail's cs left "Superscript (Horní index)" half in English, and made the verb of
    "… could not be saved" agree with no noun ("Profil klastru nemohlo být uloženo")."""
    saved = "The %(model_name)s could not be saved due to errors."
    with translation.override("cs"):
        assert translation.gettext("Superscript") == "Horní index"
        assert translation.gettext("Subscript") == "Dolní index"
        assert translation.gettext(saved) % {"model_name": "profil klastru"} == (
            "Položka typu „profil klastru“ nemohla být uložena kvůli chybám."
        )
    with translation.override("sk"):
        assert translation.gettext(saved).startswith("Položka typu „%(model_name)s“")


@pytest.mark.parametrize(
    ("english", "polish"),
    [
        ("%(model_name)s '%(object)s' created.", "%(model_name)s „%(object)s” – utworzono."),
        ("%(model_name)s '%(object)s' updated.", "%(model_name)s „%(object)s” – zaktualizowano."),
        ("%(model_name)s '%(object)s' deleted.", "%(model_name)s „%(object)s” – usunięto."),
    ],
)
def test_polish_save_messages_fit_every_model(english, polish):
    """Wagtail's pl gives them one gender each: "Profil klastra '…' zaktualizowane"."""
    with translation.override("pl"):
        assert translation.gettext(english) == polish
