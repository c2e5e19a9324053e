"""Our catalogues are valid, and what our models show editors is translatable.

Czech and Slovak editors met English labels ("Image", "Sectors", "Updated at") and
Django's made-up plurals ("standardní stránkas").
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from modeltranslation.fields import TranslationField

from cms.settings.paths import BASE_DIR

LANGUAGES = ("cs", "de", "it", "pl", "sk", "sl")
#: Apps whose models editors see in the admin (api and search keep internal tables).
EDITOR_APPS = ("core", "home", "news", "events", "clusters", "partners", "users")


def catalogue(language: str, root: Path = BASE_DIR / "locale", domain: str = "django"):
    with open(root / language / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
        return read_po(po)


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
