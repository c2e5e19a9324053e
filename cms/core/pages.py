"""What every visitor-facing page type shares: its country and its languages."""

from __future__ import annotations

from django.utils import translation
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, Site

from cms.core.forms import CountryScopedPageForm
from cms.core.languages import LANGUAGE_CODES, language_name
from cms.core.models import TranslationReadiness
from cms.core.translation_status import available_languages, hide_unready, hide_unready_in


def site_languages(country) -> tuple[str, ...]:
    """Languages a country's site publishes in (all of them on the hub or with no country)."""
    if country is None or not country.languages:
        return LANGUAGE_CODES
    return tuple(code for code in country.languages if code in LANGUAGE_CODES)


def alternate_links(request, page: Page, languages, suffix: str = "") -> list[dict]:
    """Links to ``page`` (plus a sub-route ``suffix``) in each of ``languages``.

    Used for the language switcher and ``<link rel="alternate" hreflang>``.
    Only languages the item really has are passed in, so a visitor is never
    sent to a "translation" that is just the fallback text.
    """
    links = []
    for code in languages:
        with translation.override(code):
            url = page.get_url(request=request)
        if url is None:
            continue
        links.append({"code": code, "name": language_name(code), "url": url + suffix})
    return links


def navigation(request) -> list[Page]:
    """The live sections of the current site, for the header menu."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    return hide_unready_in(site.root_page.get_children().live().in_menu().specific())


class BasePage(TranslationReadiness, Page):
    """Abstract base of every page type: knows its country and real languages.

    A language that is not marked ready is served like a missing one: the
    page answers at its URL in that language (menus and labels in the
    visitor's language), with the text of the fallback chain's first ready
    language, and the switcher and hreflang do not offer it. That is what
    visitors already get for an untranslated page, so an unfinished
    translation looks like no translation rather than a 404.
    """

    translation_required_fields = ("title",)
    #: Contacts and related clusters are offered only from the editor's own country.
    base_form_class = CountryScopedPageForm
    settings_panels = [*Page.settings_panels, FieldPanel("ready_languages")]

    class Meta:
        abstract = True

    def get_country(self):
        site = self.get_site()
        if site is None:
            return None
        try:
            return site.country
        except site.__class__.country.RelatedObjectDoesNotExist:
            return None

    def serve(self, request, *args, **kwargs):
        # The visitor's copy of the page: unready languages blanked, so they fall back.
        # Previews show the editor's unfinished text: that is what they check.
        if not getattr(request, "is_preview", False):
            hide_unready(self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        country = self.get_country()
        languages = available_languages(self, site_languages(country))
        context.update(
            country=country,
            navigation=navigation(request),
            site_languages=site_languages(country),
            alternates=alternate_links(request, self, languages),
        )
        return context
