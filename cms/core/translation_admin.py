"""The admin's view of translation status: a listing column, a filter and a report.

Editors need to see at a glance what is left to translate in their country
and what is translated but not yet marked ready. Every status shown here
comes from ``cms.core.translation_status``, the same functions that decide
what visitors, search and the API see, so the admin never disagrees with
the site.

The filter is two small choices, a language (only the languages of the
editor's sites) and a state. Its states are the report's columns (ready;
complete, not ready; partial; missing), so a count in the report is the
number of items the filter lists, plus "not published", what the report
lists to translate: everything visitors read in a fallback language.
"""

from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.forms import CheckboxSelectMultiple
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelMultipleChoiceField
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.filters import MultipleUserFilter, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import (
    EditedByFilter,
    ExplorableIndexView,
    GenericPageFilterSet,
    IndexView,
    PageFilterSet,
    SiteFilter,
)
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet, PageViewSet
from wagtail.models import Page, PageLogEntry, Site, get_page_models

from cms.core.languages import LANGUAGE_CODES, LANGUAGES, language_name, site_languages
from cms.core.permissions import (
    countries_for_user,
    is_network_admin,
    reachable_pages,
    users_among,
)
from cms.core.translation_status import (  # the SQL mirrors of the rules live with them
    COMPLETE,
    MISSING,
    NOTHING,
    PARTIAL,
    complete_q,
    filled_q,
    is_ready,
    published_q,
    ready_q,
    required_fields,
    status,
    translated_fields,
)

# --- listings: one column, one filter ----------------------------------------------

BADGE_STYLE = {
    "ready": "background:#1b7a3a;color:#fff",
    COMPLETE: "background:#cde8d4;color:#0b3d1b",
    PARTIAL: "background:#fbe3a6;color:#4d3800",
    MISSING: "background:#eee;color:#555;text-decoration:line-through",
}


def language_state(obj, language: str) -> str:
    """``ready`` (published), else the ``status``: what a badge shows."""
    state = status(obj, language)
    return "ready" if state == COMPLETE and is_ready(obj, language) else state


def state_label(state: str) -> str:
    return {
        "ready": _("ready"),
        COMPLETE: _("complete, not ready"),
        PARTIAL: _("partial"),
        MISSING: _("missing"),
    }[state]


def badges(obj, languages=LANGUAGE_CODES) -> str:
    """Compact per-language badges: ``cs`` green when ready, pale when complete, …"""
    return format_html_join(
        " ",
        '<span title="{} – {}" style="{};padding:0 .3em;border-radius:3px;font-size:.8em">'
        "{}</span>",
        (
            (language_name(code), state_label(state), BADGE_STYLE[state], code)
            for code in languages
            for state in [language_state(obj, code)]
        ),
    )


class TranslationsColumn(Column):
    """The "Translations" column of snippet and page listings: the item's site languages."""

    def __init__(self, name="translations", **kwargs):
        super().__init__(name, label=_("Translations"), accessor=badges, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = badges(instance, item_languages(instance, parent_context.get("request")))
        return context


def item_languages(obj, request=None) -> tuple[str, ...]:
    """The languages of the site an item belongs to (countries cached on the request)."""
    from cms.core.models import Country

    cache = getattr(request, "_translation_countries", None)
    if cache is None:
        cache = {"site": {}, "pk": {}}
        for country in Country.objects.all():
            cache["site"][country.site_id] = country
            cache["pk"][country.pk] = country
        if request is not None:
            request._translation_countries = cache
    if hasattr(obj, "country_id"):
        return site_languages(cache["pk"].get(obj.country_id))
    site = obj.get_site() if isinstance(obj, Page) else None
    return site_languages(cache["site"].get(site.pk) if site else None)


# The filter asks the database, never Python: a listing of thousands of items
# must not load them all to find the few missing a language. Each condition
# below mirrors one function of ``cms.core.translation_status`` (the tests
# check that they agree on the demo content).

#: Not published in the language: visitors read the fallback (the report's "to translate").
UNPUBLISHED = "unpublished"

#: The filter's states: ``unpublished``, then the badge and report states, one each per item.
FILTER_STATES = (UNPUBLISHED, MISSING, PARTIAL, COMPLETE, "ready")


def any_filled_q(model, language: str) -> Q:
    """Objects with any translated text in ``language`` (complete or ``PARTIAL``)."""
    condition = NOTHING
    for name in dict.fromkeys((*translated_fields(model), *required_fields(model))):
        condition |= filled_q(model, build_localized_fieldname(name, language))
    return condition


def state_q(model, state: str, language: str) -> Q:
    """The condition for one filter state of ``model`` in ``language``.

    ``unpublished``: not published in the language (``not has_language``), so
    visitors read the fallback: untranslated, partly translated, or complete
    but not marked ready. The others are ``language_state``, the badge and the
    report's column: ``ready``, ``complete`` (complete but not yet ready),
    ``partial`` (some text, not complete), ``missing`` (no text at all).
    """
    complete = complete_q(model, language)
    ready = ready_q(model, language)
    published = published_q(model, language)
    if state == UNPUBLISHED:
        return ~published
    if state == "ready":
        return published
    if state == COMPLETE:
        return NOTHING if ready is None else complete & ~ready
    if state == PARTIAL:
        return ~complete & any_filled_q(model, language)
    if state == MISSING:
        return ~complete & ~any_filled_q(model, language)
    raise ValueError(f"unknown translation state {state!r}")


def page_state_q(state: str, language: str) -> Q:
    """``state_q`` for a queryset of plain ``Page`` rows, such as the explorer's.

    Translated fields and ``ready_languages`` live on each page type's own
    table, so each type is asked separately, in one subquery per type.
    """
    condition = NOTHING
    for model in get_page_models():
        if model._meta.abstract:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        if model is Page:
            matching = state_q(model, state, language)
        else:
            matching = Q(pk__in=model.objects.filter(state_q(model, state, language)).values("pk"))
        condition |= Q(content_type=content_type) & matching
    return condition


def filter_translation(queryset, state: str, language: str):
    """The items of ``queryset`` in ``state`` in ``language`` (unknown values: unfiltered)."""
    if language not in LANGUAGE_CODES or state not in FILTER_STATES:
        return queryset
    return queryset.filter(state_condition(queryset.model, state, language))


def state_condition(model, state: str, language: str) -> Q:
    """``state_q``, or for plain ``Page`` rows (the explorer) ``page_state_q``."""
    if model is Page:
        # The tree's root is no content, though it is "explorable" by everyone.
        return page_state_q(state, language) & Q(depth__gt=1)
    return state_q(model, state, language)


def editor_languages(user) -> tuple[str, ...]:
    """The languages of the user's countries' sites, own first (all for network admins).

    A Czech editor is offered Czech and English: "missing in Slovak" would
    list every Czech item, and is no work of theirs.
    """
    if user is None or is_network_admin(user):
        return LANGUAGE_CODES
    countries = countries_for_user(user)
    return tuple(dict.fromkeys(code for c in countries for code in site_languages(c)))


def editor_sites(request):
    """The sites of the user's countries: the page listings' site filter offers only these."""
    user = getattr(request, "user", None)
    if user is None or is_network_admin(user):
        return Site.objects.all()
    return Site.objects.filter(country__in=countries_for_user(user))


def state_choices() -> list[tuple[str, str]]:
    """The filter's states, in the editor's admin language (built per request)."""
    return [
        (UNPUBLISHED, _("Not published (visitors get the fallback)")),
        (MISSING, _("Missing")),
        (PARTIAL, _("Partly translated")),
        (COMPLETE, _("Complete, not ready")),
        ("ready", _("Ready")),
    ]


#: ``?translation=missing:sk``, the filter's address before it had two choices; the old
#: "missing" meant "not published". Links and bookmarks keep working.
LEGACY_STATES = {"missing": UNPUBLISHED}


class TranslationFilterSet(WagtailFilterSet):
    """Adds the translation filter to a listing: a language and a state.

    Only the languages of the user's sites are offered. A language alone
    lists what is not published in it; a state alone, what is in that state
    in any of the offered languages.
    """

    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=LANGUAGES, method="filter_nothing"
    )
    translation = django_filters.ChoiceFilter(
        label=_("Translation"), choices=state_choices, method="filter_nothing"
    )

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(legacy_translation(data), *args, request=request, **kwargs)
        offered = editor_languages(getattr(request, "user", None))
        self.offered_languages = offered
        self.filters["language"].extra["choices"] = [
            (code, language_name(code)) for code in offered
        ]

    def filter_nothing(self, queryset, name, value):
        return queryset  # both choices are applied together, in ``filter_queryset``

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        language = self.form.cleaned_data.get("language")
        state = self.form.cleaned_data.get("translation")
        if language:
            return filter_translation(queryset, state or UNPUBLISHED, language)
        if state:
            condition = NOTHING
            for code in self.offered_languages:
                condition |= state_condition(queryset.model, state, code)
            return queryset.filter(condition)
        return queryset


def legacy_translation(data):
    """``translation=missing:sk`` → ``language=sk&translation=unpublished``; other data as is."""
    value = data.get("translation", "") if data is not None else ""
    if ":" not in value:
        return data
    state, _sep, language = value.partition(":")
    data = data.copy()
    data["translation"] = LEGACY_STATES.get(state, state)
    data.setdefault("language", language)
    return data


def translation_filterset(model, fields):
    """A filterset for ``model`` with its usual ``fields`` plus the translation filter."""
    meta = type("Meta", (), {"model": model, "fields": list(fields or [])})
    return type(f"{model.__name__}TranslationFilterSet", (TranslationFilterSet,), {"Meta": meta})


# --- the report -------------------------------------------------------------------


def badge_html(state: str, code: str):
    return format_html(
        '<span title="{}" style="{};padding:0 .3em;border-radius:3px">{}</span>',
        state_label(state),
        BADGE_STYLE[state],
        code,
    )


# --- pages ------------------------------------------------------------------------


class CountryNamedSiteField(ModelMultipleChoiceField):
    """Sites named by their country, in the editor's language ("Slovensko"), as the
    dashboard names them (``cms.core.dashboard``); Wagtail shows the English site name."""

    def label_from_instance(self, obj):
        country = getattr(obj, "country", None)
        return country.name if country is not None and country.name else str(obj)


class CountryNamedSiteFilter(SiteFilter):
    field_class = CountryNamedSiteField


def own_sites_filter() -> SiteFilter:
    """Wagtail's site filter, offering only the user's sites (a Slovak editor: not all 8)."""
    return CountryNamedSiteFilter(
        label=_("Site"), queryset=editor_sites, widget=CheckboxSelectMultiple
    )


def owners_of_reachable_pages(request):
    """The owners of the pages the user may reach (Wagtail offers every page's owner)."""
    return users_among(reachable_pages(request.user).order_by().values("owner_id"))


def editors_of_reachable_pages(request):
    """Who edited the pages the user may reach (Wagtail offers who edited any page)."""
    pages = reachable_pages(request.user).order_by().values("pk")
    edits = PageLogEntry.objects.filter(action="wagtail.edit", page_id__in=pages)
    return users_among(edits.order_by().values("user_id"))


def own_owner_filter() -> MultipleUserFilter:
    """Wagtail's "Owner" filter, offering the owners of the user's pages, not every country's."""
    label = GenericPageFilterSet.base_filters["owner"].label  # Wagtail's, translated there
    return MultipleUserFilter(
        label=label, queryset=owners_of_reachable_pages, widget=CheckboxSelectMultiple
    )


def own_edited_by_filter() -> EditedByFilter:
    """Wagtail's "Edited by" filter, offering who edited the user's pages, not every country's."""
    label = GenericPageFilterSet.base_filters["edited_by"].label  # Wagtail's, translated there
    return EditedByFilter(
        label=label, queryset=editors_of_reachable_pages, widget=CheckboxSelectMultiple
    )


class TranslationPageFilterSet(TranslationFilterSet, PageFilterSet):
    site = own_sites_filter()
    owner = own_owner_filter()
    edited_by = own_edited_by_filter()


class TranslationExplorerFilterSet(TranslationFilterSet, GenericPageFilterSet):
    """The explorer's own filters (page type, site, …) plus the translation filter."""

    site = own_sites_filter()
    owner = own_owner_filter()
    edited_by = own_edited_by_filter()


def translated_page_types() -> tuple[tuple[type, str], ...]:
    """The page types editors translate one by one, each with its menu icon: a listing
    each in "Page translations", and links from the translation status report."""
    from cms.events.models import EventPage
    from cms.home.models import StandardPage
    from cms.news.models import NewsPage

    return ((NewsPage, "doc-full"), (EventPage, "date"), (StandardPage, "doc-empty"))


def translation_page_listings() -> ViewSetGroup:
    """A "Page translations" menu of flat page listings, with the column and the filter.

    Wagtail's flat page listings (``PageListingViewSet``) show only the pages
    the user may explore, so each country's editors see their own pages.
    """
    viewsets = []
    for model, icon in translated_page_types():
        meta = type("Meta", (), {"model": model, "fields": []})
        filterset = type(
            f"{model.__name__}TranslationFilterSet", (TranslationPageFilterSet,), {"Meta": meta}
        )
        viewset_class = type(
            f"{model.__name__}TranslationListing",
            (PageListingViewSet,),
            {
                "model": model,
                "icon": icon,
                "menu_label": model._meta.verbose_name_plural,
                "columns": [*IndexView.base_columns, TranslationsColumn()],
                "filterset_class": filterset,
            },
        )
        viewsets.append(viewset_class(f"translations-{model._meta.model_name}"))
    group = type(
        "PageTranslationsGroup",
        (ViewSetGroup,),
        {"items": viewsets, "menu_label": _("Page translations"), "menu_icon": "globe"},
    )
    return group()


def add_column_to_explorer() -> None:
    """The page explorer gets the "Translations" column too.

    Wagtail offers no hook for the explorer's columns; its view builds them
    from the class attribute ``base_columns``, extended here once at start-up.
    """
    if not any(isinstance(col, TranslationsColumn) for col in ExplorableIndexView.base_columns):
        ExplorableIndexView.base_columns.append(TranslationsColumn())


class ExplorerPageViewSet(PageViewSet):
    """Wagtail's default page views, with the translation filter in the explorer.

    Wagtail 8 routes every page view through the ``PageViewSet`` registered
    for the page's model (the explorer: for the parent page's model). This one
    is registered for ``Page`` itself, after Wagtail's default, so it serves
    every page type that has no viewset of its own, and adds the filter to
    the explorer's own ones (page type, site, …). The hook
    ``construct_explorer_page_queryset`` could narrow the pages but not show
    the filter. Filtering lists the matching pages anywhere below the current
    page, among those the user may explore, as Wagtail's own filters do.
    """

    model = Page
    filterset_class = TranslationExplorerFilterSet
