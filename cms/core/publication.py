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

from django.core.exceptions import ObjectDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import Panel
from wagtail.models import Page

from cms.core.languages import COMMON_LANGUAGE, best_language, fallback_chain, site_languages
from cms.core.translation_status import (
    COMPLETE,
    MISSING,
    LanguageRule,
    available_languages,
    has_a_language,
    is_filled,
    is_ready,
    localized,
    required_originals,
    status,
    tracks_readiness,
    translated_fields,
    value_in,
)

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


def required_as_main_language(label: str) -> str:
    """The refusal of an item without the text of its site's main language (``label``)."""
    return capfirst(_("Required: %(language)s is this site's main language.") % {"language": label})


def read_in_no_language(label: str) -> str:
    """The refusal of an item visitors would read in no language (``label``: the site's main
    language, the one to tick)."""
    return _(
        "Visitors would find this item in no language: tick %(language)s or fill "
        "in the English version."
    ) % {"language": label}


def country_of(page):
    """The country whose site ``page`` is on (None: the tree's root, a type without one, or
    a new home page before its country is chosen)."""
    get_country = getattr(page, "get_country", None)
    if get_country is None:
        return None
    try:
        return get_country()
    except ObjectDoesNotExist:
        return None


def publication_refusals(page) -> list[str]:
    """Why the edit form would refuse to publish ``page`` as it stands (a latest revision,
    a submission under review), in its words; empty when it would publish it.

    The explorer's bulk "Publish" and approving from the dashboard publish a revision
    without the form: they ask this, so no way round the form publishes what it refuses
    (an item without its site's main language, or without a language the network
    requires, ``TRANSLATIONS_REQUIRED_AT_PUBLICATION``; a page with a title but no slug in
    one of its site's languages; one visitors would read in none).
    """
    rule = LanguageRule.for_country(country_of(page))
    names = required_originals(type(page))
    refusals = []
    for code in (rule.default, *rule.required_at_publication):
        if any(not is_filled(value_in(page, name, code)) for name in names):
            label = language_label(code)
            refused = required_as_main_language if code == rule.default else required_by_the_network
            refusals.append(refused(label))
    for code in rule.languages:  # an address in each of the site's languages it has a title in
        title, slug = value_in(page, "title", code), value_in(page, "slug", code)
        if is_filled(title) and not is_filled(slug) and hasattr(page, localized("slug", code)):
            refusals.append(needs_a_slug(language_label(code)))
    if not refusals and not has_a_language(page):
        refusals.append(read_in_no_language(language_label(rule.default)))
    return refusals


def needs_a_slug(label: str) -> str:
    """The refusal of a page with a title but no slug in a language of its site."""
    return _(
        "The page has a title in this language (%(language)s), so it needs a slug in it too."
    ) % {"language": label}


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


def visitors_of(item):
    """The country and the site whose visitors read ``item``: a page's site, or the site of
    a snippet's ``country``; (None, None) before it has one."""
    if isinstance(item, Page):
        site = item.get_site()
        return (country_of(item) if site is not None else None), site
    country = getattr(item, "country", None)
    return country, getattr(country, "site", None)


def not_published_languages(item) -> list[NotPublished]:
    """The site's own languages (not the common one) ``item`` will not be served in.

    On a national site every such language is named; on the hub, which lists
    every network language, only those the editor started or held back.
    """
    country, site = visitors_of(item)
    if country is None or site is None:
        return []
    codes = site_languages(country)
    real = available_languages(item, codes)
    found = []
    for code in codes:
        if code == COMMON_LANGUAGE or code in real:
            continue
        state = status(item, code)
        if country.is_hub and state == MISSING:
            continue
        found.append(
            NotPublished(
                language=code,
                held_back=state == COMPLETE,  # complete yet not served: not ticked
                fallback=best_language(code, real, country.default_language),
                host=site.hostname,
            )
        )
    return found


@dataclass(frozen=True)
class FallingBack:
    """Fields a page is published without in one of its site's languages: their visitors
    read the ``fallback`` language's text there (marked with its ``lang``)."""

    language: str
    fields: tuple[str, ...]  # the fields' names, in the editor's language
    fallback: str
    host: str

    def message(self) -> str:
        text = _(
            "%(language)s has no text of its own for %(fields)s: visitors of %(host)s "
            "will read the %(fallback)s text there."
        )
        values = {
            "language": language_label(self.language),
            "fields": ", ".join(self.fields),
            "host": self.host,
            "fallback": language_label(self.fallback),
        }
        return capfirst(text % values)


def falling_back_fields(item) -> list[FallingBack]:
    """Per site language ``item`` is published in, the fields that fall back to another.

    A language counts once its required fields are filled (a news item's title and
    lead); a body left empty is served in the next language of the fallback chain.
    That is the fallback doing its job, but also how a Czech item goes out with an
    English body nobody meant to publish, so the editor is told which fields.
    """
    country, site = visitors_of(item)
    if site is None:
        return []
    model = type(item)
    codes = site_languages(country)
    real = available_languages(item, codes)
    found = []
    for code in codes:
        if code == COMMON_LANGUAGE or code not in real:
            continue
        by_source: dict[str, list[str]] = {}
        for name in translated_fields(model):
            if is_filled(value_in(item, name, code)):
                continue
            source = next(
                (
                    other
                    for other in fallback_chain(code)[1:]
                    # A held-back language's text is passed over, as visitors' pages do.
                    if is_filled(value_in(item, name, other)) and is_ready(item, other, name)
                ),
                None,
            )
            if source is not None:
                by_source.setdefault(source, []).append(
                    str(model._meta.get_field(name).verbose_name)
                )
        found.extend(
            FallingBack(code, tuple(fields), source, site.hostname)
            for source, fields in by_source.items()
        )
    return found


def language_notices(item) -> tuple[list[str], list[str]]:
    """What visitors of the item's site will not get in their language: the languages it
    is not published in, and the fields a published language borrows from another (two
    lists: ``language_notices.html`` shows them under headings of their own). For pages
    and the snippets of a country; nothing for what visitors do not read in languages."""
    if not tracks_readiness(item):
        return [], []
    return (
        [notice.message() for notice in not_published_languages(item)],
        [notice.message() for notice in falling_back_fields(item)],
    )


def not_published_messages(item) -> list[str]:
    """``language_notices`` in one list, for messages after an action."""
    not_published, falling_back = language_notices(item)
    return [*not_published, *falling_back]


class NotPublishedPanel(Panel):
    """A warning beside the content naming the site languages that will not go out."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", pgettext_lazy("panel", "Languages for visitors"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "core/admin/language_notices.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.messages, self.falling_back = language_notices(self.instance)

        def is_shown(self):
            return bool(self.messages or self.falling_back)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["messages"] = self.messages
            context["falling_back"] = self.falling_back
            context["tick_hint"] = True
            return context
