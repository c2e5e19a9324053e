"""Which languages an editor's edit forms open in, and in what order.

Every translated field exists once per network language (``title_en``,
``title_cs``, ...). wagtail-modeltranslation's locale picker shows one
global default (English) to everybody, so a Czech editor had to click "cs"
on every form. Here each editor gets their own order instead:

1. their *own languages*: the languages of the countries whose editor or
   moderator group they belong to (``Country.languages``, own first, as
   ``sites/*.toml`` lists them), in the countries' order;
2. English, the common language every chain falls back to;
3. the remaining languages, collapsed: their picker buttons stay, one click away.

(1) and (2) are open when a form loads. English comes right after the own
languages, unless a country's own language *is* English (the international
hub, which publishes in every language): its editors see English first and
all their languages open.

Superusers and network administrators without a country group have no own
language: they get the picker's previous behaviour, English open and the
others collapsed in the network's order (``cms.core.languages.LANGUAGES``),
since they work across every country. A network administrator who also
belongs to a country group gets that country's languages first.

:func:`editor_languages` is what the admin asks; the template tag in
``cms.users.templatetags.editor_languages`` writes it into the page for
``static/cms_users/js/editor_languages.js``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.models import Country
from cms.core.permissions import user_country_ids

#: The locale picker's heading: wagtail-modeltranslation has no catalogue of its
#: own, so ours (``locale/``) translates it; this keeps it in ``makemessages``.
PICKER_HEADING = gettext_noop("View / edit fields for")


@dataclass(frozen=True)
class EditorLanguages:
    """One editor's view of the languages: ``order`` of every language, ``open`` ones first."""

    order: tuple[str, ...]
    open: tuple[str, ...]

    @property
    def collapsed(self) -> tuple[str, ...]:
        return self.order[len(self.open) :]

    def as_dict(self) -> dict[str, list[str]]:
        return {"order": list(self.order), "open": list(self.open)}


def own_languages(user) -> tuple[str, ...]:
    """The languages of ``user``'s countries, in the countries' order, English included
    only where a country's own (default) language is English."""
    countries = Country.objects.filter(pk__in=user_country_ids(user)).order_by("sort_order", "code")
    codes: list[str] = []
    for country in countries:
        languages = [country.default_language, *(country.languages or [])]
        if country.default_language != COMMON_LANGUAGE:
            languages = [code for code in languages if code != COMMON_LANGUAGE]
        codes.extend(code for code in languages if code in LANGUAGE_CODES and code not in codes)
    return tuple(codes)


def editor_languages(user) -> EditorLanguages:
    """``user``'s own languages and English open, in that order; the others after, collapsed."""
    own = own_languages(user)
    open_languages = own if COMMON_LANGUAGE in own else (*own, COMMON_LANGUAGE)
    rest = tuple(code for code in LANGUAGE_CODES if code not in open_languages)
    return EditorLanguages(order=open_languages + rest, open=open_languages)
