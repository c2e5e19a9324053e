"""Every string our code shows is translated in all six languages, with correct plurals.

Czech and Slovak editors met English labels ("Image", "Sectors", "Updated at"), Django's
made-up plurals ("standardní stránkas") and wrong plural forms ("9 položky logu"). The
extraction runs Django's own ``makemessages`` over copies of ``cms/`` and ``templates/``
in a temporary directory, so the committed catalogues are never rewritten by a test.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import translation
from django.utils.functional import Promise
from modeltranslation.fields import TranslationField

from cms.clusters.importing import unconfirmed_errors
from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.settings.paths import BASE_DIR

#: Every language but the common one, whose strings are the source: a language added to
#: ``cms.core.languages`` is checked here from the start.
LANGUAGES = tuple(code for code in LANGUAGE_CODES if code != COMMON_LANGUAGE)
#: Apps whose models editors see in the admin (api and search keep internal tables).
EDITOR_APPS = ("core", "home", "news", "events", "clusters", "partners", "users")


def catalogue(language: str, root: Path = BASE_DIR / "locale", domain: str = "django"):
    with open(root / language / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
        return read_po(po)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The msgids of every string in ``cms/`` and ``templates/``, as ``makemessages`` finds them.

    Module-scoped: one extraction (a few seconds of xgettext) serves all six languages."""
    work = tmp_path_factory.mktemp("messages")
    for folder in ("cms", "templates"):
        shutil.copytree(
            BASE_DIR / folder,
            work / folder,
            ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"),
        )
    (work / "locale").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        with override_settings(LOCALE_PATHS=[work / "locale"]):
            call_command("makemessages", locale=["cs"], keep_pot=True, verbosity=0)
    # A template's header: babel needs a number where xgettext leaves a placeholder.
    pot = (work / "locale" / "django.pot").read_text(encoding="utf-8")
    pot = pot.replace("nplurals=INTEGER; plural=EXPRESSION", "nplurals=2; plural=(n != 1)")
    messages = [message for message in read_po(io.StringIO(pot)) if message.id]
    assert len(messages) > 200, "makemessages found too few strings: is xgettext installed?"
    return messages


def untranslated(messages, language: str) -> list[str]:
    """Msgids missing, empty, fuzzy or with the wrong number of plural forms, and where."""
    po = catalogue(language)
    nplurals = po.num_plurals
    missing = []
    for message in messages:
        found = po.get(message.id, message.context)
        strings = found.string if found is not None else ""
        if isinstance(message.id, tuple | list):
            ok = isinstance(strings, tuple | list) and len(strings) == nplurals and all(strings)
        else:
            ok = bool(strings) and isinstance(strings, str)
        if not ok or found.fuzzy:
            where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
            missing.append(f"{message.id!r} ({where})")
    return missing


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_our_code_shows_is_translated(extracted, language):
    """An untranslated string shows English in the middle of a Czech or Slovak admin."""
    missing = untranslated(extracted, language)
    assert not missing, f"{len(missing)} untranslated in {language}:\n" + "\n".join(missing)


def po_files() -> list[Path]:
    return sorted(Path(BASE_DIR / "locale").glob("**/LC_MESSAGES/*.po"))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
@pytest.mark.parametrize("path", po_files(), ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_msgfmt_check_passes(path, tmp_path):
    """Headers, plural forms and python-format placeholders, as GNU gettext checks them."""
    result = subprocess.run(  # noqa: S603 - a fixed program on our own files
        ["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(path)],  # noqa: S607
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("language", "nplurals"), [("cs", 3), ("sk", 3), ("pl", 3), ("sl", 4), ("de", 2), ("it", 2)]
)
def test_each_catalogue_declares_its_languages_plural_forms(language, nplurals):
    assert catalogue(language).num_plurals == nplurals


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("cs", {1: "1 řádek obsahuje", 2: "2 řádky obsahují", 5: "5 řádků obsahuje"}),
        ("sk", {1: "1 riadok obsahuje", 2: "2 riadky obsahujú", 5: "5 riadkov obsahuje"}),
        ("pl", {1: "1 wiersz zawiera", 2: "2 wiersze zawierają", 5: "5 wierszy zawiera"}),
        ("sl", {1: "1 vrstica ima", 2: "2 vrstici imata", 3: "3 vrstice imajo", 5: "5 vrstic ima"}),
    ],
)
def test_counts_take_the_languages_plural_form(language, expected):
    """Czech and Slovak editors met "9 položky logu": one plural is not enough for 2 and 5."""
    with translation.override(language):
        for count, start in expected.items():
            text = unconfirmed_errors(count)
            assert text.startswith(start), text


def own_fields(model):
    """Fields declared in our code, not inherited from Wagtail's or taggit's abstract models."""
    inherited = {
        field.name
        for base in model.__mro__[1:]
        if getattr(getattr(base, "_meta", None), "abstract", False)
        and not base.__module__.startswith("cms.")
        for field in base._meta.local_fields + base._meta.local_many_to_many
    }
    return [
        field
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and not field.auto_created
        and not isinstance(field, TranslationField)
        and field.model is model
        and field.name not in inherited
    ]


def editor_models():
    return [
        model
        for name in EDITOR_APPS
        for model in apps.get_app_config(name).get_models()
        if model.__module__.startswith("cms.")
    ]


@pytest.mark.parametrize("model", editor_models(), ids=lambda model: model._meta.label)
def test_our_models_name_themselves_and_their_fields_translatably(model):
    """Without an explicit, translatable verbose name Django makes one up from the field's name
    ("related clusters") or adds an "s" ("standardní stránkas")."""
    options = model._meta.original_attrs
    for option in ("verbose_name", "verbose_name_plural"):
        assert isinstance(options.get(option), Promise), f"{model._meta.label}: Meta.{option}"
    for field in own_fields(model):
        assert isinstance(field.verbose_name, Promise), f"{model._meta.label}.{field.name}"


def test_translations_are_installed_for_the_admin():
    """The catalogues the tests read are the ones Django loads (LOCALE_PATHS, compiled)."""
    assert settings.LOCALE_PATHS[0] == BASE_DIR / "locale"
    with translation.override("cs"):
        assert translation.gettext("related clusters") == "související klastry"
        assert translation.gettext("standard pages") == "standardní stránky"
