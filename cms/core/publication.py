"""Say, before it happens, which of a site's languages a page will not be published in.

A translation reaches visitors only when it is complete and ready
(``cms.core.translation_status.has_language``); otherwise the fallback chain
serves. That is right for an unfinished translation, and wrong when a
Slovak partner simply forgot a tick: ``sk.localhost`` then shows English.
So the editor who submits, and the moderator who reviews, are told in plain
words which site languages are not going out and what visitors get instead:
a message after submitting or publishing (``cms.core.wagtail_hooks``), a
warning panel beside the content in the edit view the moderator opens, and
the same warning when approving from the dashboard (Wagtail's workflow action
view: its "Approve with comment" modal, and a message after approving;
``cms.core.workflow_views``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import Panel

from cms.core.languages import COMMON_LANGUAGE
from cms.core.translation_status import COMPLETE, MISSING, status

#: Language names in the editor's language, as they stand alone (nominative): Django's
#: own names read as adverbs in Czech and Slovak ("Česky"), which no sentence can hold.
LANGUAGE_NAMES = {
    "en": pgettext_lazy("language name", "English"),
    "cs": pgettext_lazy("language name", "Czech"),
    "de": pgettext_lazy("language name", "German"),
    "it": pgettext_lazy("language name", "Italian"),
    "pl": pgettext_lazy("language name", "Polish"),
    "sk": pgettext_lazy("language name", "Slovak"),
    "sl": pgettext_lazy("language name", "Slovenian"),
}


def language_label(code: str) -> str:
    """A language's name in the editor's language ("Slovak", "slovenčina")."""
    return str(LANGUAGE_NAMES[code])


def required_by_the_network(label: str) -> str:
    """The refusal of an item without the text of a language the network asks every item in
    (``TRANSLATIONS_REQUIRED_AT_PUBLICATION``; ``label``: the language's name): the same
    words in the admin's forms and in the cluster import."""
    return _("Required: the network asks for every item in this language too (%(language)s).") % {
        "language": label
    }


@dataclass(frozen=True)
class NotPublished:
    """One site language a page will not be published in, and what visitors get instead."""

    language: str
    held_back: bool  # complete, but the editor left it unticked
    fallback: str | None  # what its visitors are sent to (None: no language at all)
    host: str

    def message(self) -> str:
        values = {
            "language": language_label(self.language),
            "host": self.host,
            "fallback": language_label(self.fallback) if self.fallback else "",
        }
        if self.held_back and self.fallback:
            text = _(
                "%(language)s is not ready (held back): visitors of %(host)s will see "
                "the %(fallback)s version instead."
            )
        elif self.held_back:
            text = _(
                "%(language)s is not ready (held back): visitors of %(host)s will find "
                "no version of this item."
            )
        elif self.fallback:
            text = _(
                "%(language)s is not complete: visitors of %(host)s will see "
                "the %(fallback)s version instead."
            )
        else:
            text = _(
                "%(language)s is not complete: visitors of %(host)s will find "
                "no version of this item."
            )
        return capfirst(text % values)


def not_published_languages(page) -> list[NotPublished]:
    """The site's own languages (not the common one) ``page`` will not be served in.

    On a national site every such language is named; on the hub, which lists
    every network language, only those the editor started or held back.
    """
    country = page.get_country()
    site = page.get_site()
    if country is None or site is None:
        return []
    real = page.real_languages()
    found = []
    for code in page.site_language_codes():
        if code == COMMON_LANGUAGE or code in real:
            continue
        state = status(page, code)
        if country.is_hub and state == MISSING:
            continue
        found.append(
            NotPublished(
                language=code,
                held_back=state == COMPLETE,  # complete yet not served: not ticked
                fallback=page.visitor_language(code),
                host=site.hostname,
            )
        )
    return found


def not_published_messages(page) -> list[str]:
    return [item.message() for item in not_published_languages(page)]


class NotPublishedPanel(Panel):
    """A warning beside the content naming the site languages that will not go out."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", pgettext_lazy("panel", "Languages not published"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "core/admin/not_published_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            page = self.instance
            self.messages = not_published_messages(page) if hasattr(page, "real_languages") else []

        def is_shown(self):
            return bool(self.messages)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["messages"] = self.messages
            return context
