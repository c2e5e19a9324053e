"""What every visitor-facing page type shares: its country and its languages.

One URL per real language version: a page (or a cluster profile) asked for in
a language it is not published in (not complete, or not marked ready) is not
served with another language's text under that URL; ``language_redirect``
sends the visitor (302) to the best language of the fallback chain the item
really has. Languages the site does not publish in at all are a 404 before
any page is routed (``cms.core.middleware.SiteLanguageMiddleware``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from http import HTTPMethod

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.http import http_date
from modeltranslation.utils import get_language
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, Site

from cms.core.caching import last_modified
from cms.core.forms import CountryScopedPageForm
from cms.core.languages import (
    COMMON_LANGUAGE,
    LANGUAGE_CODES,
    best_language,
    fallback_chain,
    language_name,
    site_languages,
)
from cms.core.models import TranslationReadiness
from cms.core.publication import NotPublishedPanel
from cms.core.request_memo import once_per_request
from cms.core.translation_status import (
    LanguageRule,
    available_languages,
    hide_unready,
    hide_unready_in,
    is_filled,
    localized,
    required_originals,
)
from cms.core.visibility import breadcrumb_pages, shown_to_visitors
from cms.search.admin_search import ALL_LANGUAGES_FIELDS, AllLanguagesSearch


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


def link_language(item, requested: str, country) -> str:
    """The language in which to link ``item`` on ``country``'s site for a reader of
    ``requested`` (search results, the API's ``html_url``).

    The page ``language_redirect`` would land that reader on: the first of
    ``requested``'s fallback chain that the item is published in *and* the site
    publishes, so the link neither 404s (a language the site lacks) nor redirects (a
    language the item lacks); else the site's default language.
    """
    languages = site_languages(country)
    default = country.default_language if country is not None else COMMON_LANGUAGE
    return best_language(requested, available_languages(item, languages), default) or default


def language_redirect(
    request, available: Sequence[str], default: str, url_in: Callable[[str], str | None]
) -> HttpResponseRedirect | None:
    """A 302 to the item in its best real language, or None to serve it as asked.

    ``available``: the languages the item is really published in, among the
    site's; ``url_in(code)``: the item's address in a language. The query
    string goes along (a search filter, a page number). An item with no
    language at all is served as it is (fallback text), never a loop.
    """
    requested = translation.get_language()
    if requested in available or requested not in LANGUAGE_CODES:
        return None
    target = best_language(requested, available, default)
    url = url_in(target) if target else None
    if url is None:
        return None
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


def navigation(request) -> list[Page]:
    """The live sections of the current site visitors may see, for the header menu."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    return hide_unready_in(shown_to_visitors(site.root_page.get_children().in_menu()).specific())


def trail(page: Page, site: Site) -> list[Page]:
    """The pages from ``site``'s home down to ``page`` as visitors read them: the published
    ones (``breadcrumb_pages``), unready languages blanked. The breadcrumbs and their
    structured data both show it: read once per page object (two queries), kept on it."""
    kept = page.__dict__.setdefault("visitor_trails", {})
    key = (page.path, site.root_page_id)
    if key not in kept:
        kept[key] = hide_unready_in(breadcrumb_pages(page, site.root_page).specific())
    return kept[key]


class BasePage(AllLanguagesSearch, TranslationReadiness, Page):
    """Abstract base of every page type: knows its country and real languages.

    A language that is not marked ready is treated like a missing one: its
    URL redirects to the best language of the fallback chain the page has
    (``serve_in_real_languages``), and the switcher and hreflang do not offer
    it. Previews still show the editor's unfinished text.
    """

    translation_required_fields = ("title",)
    #: Contacts and related clusters are offered only from the editor's own country.
    base_form_class = CountryScopedPageForm
    #: The ready choice sits with the content it is about, right under the title, with a
    #: warning naming the site languages that will not be published (for the moderator too).
    content_panels = [
        *Page.content_panels,
        NotPublishedPanel(),
        FieldPanel("ready_languages"),
    ]
    #: Titles (and every translated text) in every language, for the admin's search.
    search_fields = [*Page.search_fields, *ALL_LANGUAGES_FIELDS]
    #: Visitor pages are read, never sent a form (a password goes to Wagtail's own view).
    #: Wagtail's default took POST, PUT, DELETE and PATCH and answered with the page; the
    #: 405 page in the visitor's language is ``cms.core.wagtail_hooks.pages_are_read``'s.
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD]

    class Meta:
        abstract = True

    def get_admin_display_title(self):
        """The title in the editor's admin language, along its fallback chain.

        Wagtail shows ``draft_title``: one string, copied from ``title`` in whatever
        language was active at the last save. Seeded pages showed their English titles
        to Czech editors, new items their Czech ones to everybody. Wagtail's admin views
        run in the editor's language (``require_admin_access``), and modeltranslation's
        ``title`` answers in the active language with the fallback chain, so the row's
        title is right, except for a live page's unpublished draft: that one is in its
        latest revision (one query, only for such pages).
        """
        if self.live and self.has_unpublished_changes and self.latest_revision_id:
            draft = self.latest_revision.content
            for code in fallback_chain(get_language()):
                if draft.get(f"title_{code}"):
                    return draft[f"title_{code}"]
        return self.title or self.draft_title or self.title_in_any_language()

    def title_in_any_language(self) -> str:
        """The first title the page has, in the order of the network's languages: a
        Czech-only page has none along an English admin's chain, and Wagtail's audit log
        refuses an entry without a label (creating such a page was a 500)."""
        for code in LANGUAGE_CODES:
            title = getattr(self, f"title_{code}", None)
            if title:
                return title
        return ""

    def get_site(self):
        """Wagtail's answer, kept on this instance while the page stays where it is (its
        ``path`` and ``url_path``): one visitor page asks for its site and country four to
        seven times (languages, redirect, context, listings), each time a query. The site's
        country is then Django's cached reverse relation of the same site object.

        As Wagtail's ``get_site`` (the site of the page's URL parts), with the site read
        once per GET request (``cms.core.request_memo``): the pages a visitor page shows of
        its own site (the directory its clusters link to) then share its site and country.
        """
        place = (self.path, self.url_path)
        kept = self.__dict__.get("site_at_place")
        if kept is not None and kept[0] == place:
            return kept[1]
        url_parts = self.get_url_parts()
        if url_parts is None:  # not routable
            return None
        site_id = url_parts[0]
        site = once_per_request(("site", site_id), lambda: Site.objects.get(id=site_id))
        if site is not None:  # a page being added has none until it has its address
            self.__dict__["site_at_place"] = (place, site)
        return site

    def get_country(self):
        site = self.get_site()
        if site is None and self.pk is None and self.path:
            # Being added below its parent (treebeard gave it its place, Wagtail cleans a
            # page published at creation before it has an address): the parent's site.
            site = self.get_parent().get_site()
        if site is None:
            return None
        try:
            return site.country
        except site.__class__.country.RelatedObjectDoesNotExist:
            return None

    def real_languages(self) -> list[str]:
        """The site's languages this page is really published in (complete and ready)."""
        return available_languages(self, site_languages(self.get_country()))

    def full_clean(self, *args, exclude=None, **kwargs):
        """Validate as the site's rule says, not as modeltranslation does.

        wagtail-modeltranslation makes required fields required in English on
        the model, and Wagtail cleans the model on every revision (drafts and
        autosaves too), so a Czech-only draft failed on ``title_en``. The
        admin form already asks for what the site needs (``LanguageRule``);
        here an empty required field in another language is left alone.
        """
        default = LanguageRule.for_country(self.get_country()).default
        optional = [
            name
            for original in required_originals(type(self))
            for code in LANGUAGE_CODES
            if code != default
            and not is_filled(getattr(self, name := localized(original, code), None))
        ]
        exclude = [*(exclude or ()), *optional]
        try:
            try:
                super().full_clean(*args, exclude=exclude, **kwargs)
            except ValidationError:
                # Again in the site's language: the untranslated names (``title``) read the
                # active one, and a scheduled or bulk publication runs in the server's
                # (English), where a Czech-only item has no title.
                with translation.override(default):
                    super().full_clean(*args, exclude=exclude, **kwargs)
        except ValidationError as error:
            errors = {
                field: messages
                for field, messages in error.message_dict.items()
                if not self.is_empty_slug_clash(field)
            }
            if errors:
                raise ValidationError(errors) from error

    def save(self, *args, **kwargs):
        """Saved in the page's own language when it has no slug in the active one, its
        addresses made again there.

        wagtail-modeltranslation makes each language's ``url_path`` from that language's
        slug, else English's, else ``slug`` read in the active language, when the page is
        added and, before this runs, when any language's slug changed. A Czech-only page
        saved in an English admin had none there, so its addresses in every language but
        Czech ended in ``//`` (and so did its English subpages'): empty links in search,
        "NoneNone" in the sitemap and the API. In the site's language ``slug`` is its own.
        (A page with a title in the active language gets its slug from it: Wagtail's.)
        """
        if self.slug or self.title:
            return super().save(*args, **kwargs)
        with translation.override(self.default_language()):
            if self.pk is not None:
                self.set_url_path(self.get_parent())
            return super().save(*args, **kwargs)

    def minimal_clean(self):
        """Wagtail's checks of every save (a title; a slug made from it when there is none),
        in the active language, else in the site's: in the editor's admin language, English,
        a Czech-only page had no title (a 500)."""
        try:
            super().minimal_clean()
        except ValidationError:
            with translation.override(LanguageRule.for_country(self.get_country()).default):
                super().minimal_clean()

    def is_empty_slug_clash(self, field: str) -> bool:
        """Whether wagtail-modeltranslation's "This slug is already in use" on ``field``
        (``slug_en``) is an empty slug meeting another: it compares each language's slug,
        fallback included, with the siblings', and two Czech-only items both have none in
        English. The second one's publication was a 500 (every language but cs and sk)."""
        code = field.removeprefix("slug_")
        if not field.startswith("slug_") or code not in LANGUAGE_CODES:
            return False
        with translation.override(code):
            return not self.slug

    def default_language(self) -> str:
        country = self.get_country()
        return country.default_language if country else LANGUAGE_CODES[0]

    def url_in(self, request, language: str, tail: str = "") -> str | None:
        """This page's address in ``language`` (its slugs are translated), plus a sub-route."""
        with translation.override(language):
            url = self.get_url(request=request)
        return url + tail if url is not None else None

    def language_redirect(self, request) -> HttpResponseRedirect | None:
        """Where to send a visitor asking for this page in a language it lacks.

        A sub-route of a routable page (a cluster profile under the directory)
        keeps its tail: ``/sk/klastry/x/`` -> ``/cs/klastry/x/``.
        """
        here = self.url_in(request, translation.get_language()) or ""
        tail = request.path[len(here) :] if here and request.path.startswith(here) else ""
        return language_redirect(
            request,
            self.real_languages(),
            self.default_language(),
            lambda code: self.url_in(request, code, tail=tail),
        )

    def serve(self, request, *args, **kwargs):
        # The visitor's copy of the page: unready languages blanked, so they fall back.
        # Previews show the editor's unfinished text: that is what they check.
        if not getattr(request, "is_preview", False):
            hide_unready(self)
        return super().serve(request, *args, **kwargs)

    def make_preview_request(
        self, original_request=None, preview_mode=None, extra_request_attrs=None
    ):
        """The preview in the editor's admin language if the page has a title in it (one
        of its site's), else in the site's own: an editor with an English admin previewed
        a Polish-only page as an empty English one (``<html lang="en">``, no heading), and
        with a German one, not a language of the Polish site, as a 404."""
        language = translation.get_language()
        if language not in site_languages(self.get_country()) or not getattr(
            self, f"title_{language}", None
        ):
            language = self.default_language()
        with translation.override(language):
            response = super().make_preview_request(
                original_request, preview_mode, extra_request_attrs
            )
            if hasattr(response, "render"):
                response.render()  # a TemplateResponse renders late: in this language
        return response

    def serve_password_required_response(self, request, form, action_url):
        """The password form in front of the page, with nothing of the page: Wagtail renders
        it with the page's whole context, and the site's templates would show its title,
        lead, breadcrumbs and its addresses in other languages (their slugs, its titles)."""
        context = {"form": form, "action_url": action_url}
        template = self.password_required_template or settings.WAGTAIL_PASSWORD_REQUIRED_TEMPLATE
        return TemplateResponse(request, template, context)

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


@hooks.register("on_serve_page")
def serve_in_real_languages(serve_page):
    """Every visitor page, routable ones too (whose ``serve`` skips ``BasePage.serve``):

    - a language the page lacks redirects to its best real language;
    - the response says when it last changed (``Last-Modified``), so browsers
      and CDNs can revalidate (``cms.core.middleware`` adds ETag and 304s).

    Wagtail calls ``on_serve_page`` for public page views only; previews go
    through ``serve_preview`` and are not touched.
    """

    def serve(page, request, args, kwargs):
        if isinstance(page, BasePage):
            redirect = page.language_redirect(request)
            if redirect is not None:
                return redirect
        response = serve_page(page, request, args, kwargs)
        if response.status_code == 200 and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(last_modified(page).timestamp())
        return response

    return serve
