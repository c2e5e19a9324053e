"""The admin's view of translation status: a listing column, a filter and a report.

Editors need to see at a glance what is left to translate in their country
and what is translated but not yet marked ready. Every status shown here
comes from ``cms.core.translation_status``, the same functions that decide
what visitors, search and the API see, so the admin never disagrees with
the site.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

import django_filters
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import ExplorableIndexView, IndexView, PageFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES, LANGUAGES, language_name
from cms.core.permissions import countries_for_user
from cms.core.translation_status import (
    COMPLETE,
    MISSING,
    PARTIAL,
    is_ready,
    required_fields,
    status,
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
    from cms.core.pages import site_languages

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


def complete_q(model, language: str) -> Q:
    """Objects whose required fields are all filled in ``language`` (in the database)."""
    condition = Q()
    for name in required_fields(model):
        column = build_localized_fieldname(name, language)
        condition &= Q(**{f"{column}__isnull": False}) & ~Q(**{column: ""})
    return condition


def filter_translation(queryset, value: str):
    """``missing:sk`` (not complete in Slovak) or ``unready:sk`` (not marked ready)."""
    state, _sep, language = value.partition(":")
    if language not in LANGUAGE_CODES:
        return queryset
    if state == "missing":
        return queryset.exclude(complete_q(queryset.model, language))
    if state == "unready":
        if language == COMMON_LANGUAGE:
            return queryset.none()
        # A JSON list read as text: portable "contains" on SQLite and PostgreSQL.
        return queryset.alias(_ready=Cast("ready_languages", TextField())).exclude(
            _ready__contains=f'"{language}"'
        )
    return queryset


def translation_choices() -> list[tuple[str, str]]:
    """The filter's options, in the editor's admin language (so built per request)."""
    return [
        *((f"missing:{code}", _("Missing in %(l)s") % {"l": name}) for code, name in LANGUAGES),
        *(
            (f"unready:{code}", _("Not ready in %(l)s") % {"l": name})
            for code, name in LANGUAGES
            if code != COMMON_LANGUAGE
        ),
    ]


class TranslationFilterSet(WagtailFilterSet):
    """Adds "missing in <language>" / "not ready in <language>" to a listing's filters."""

    translation = django_filters.ChoiceFilter(
        label=_("Translation"),
        choices=translation_choices,
        method=lambda queryset, name, value: filter_translation(queryset, value),
    )


def translation_filterset(model, fields):
    """A filterset for ``model`` with its usual ``fields`` plus the translation filter."""
    meta = type("Meta", (), {"model": model, "fields": list(fields or [])})
    return type(f"{model.__name__}TranslationFilterSet", (TranslationFilterSet,), {"Meta": meta})


# --- the report -------------------------------------------------------------------


@dataclass
class ItemRow:
    """One page or snippet of the report, with its state per language."""

    kind: str
    title: str
    edit_url: str
    states: dict[str, str]

    @property
    def badges(self):
        return format_html_join(" ", "{}", ((badge_html(s, c),) for c, s in self.states.items()))

    @property
    def to_do(self) -> list[str]:
        return [code for code, state in self.states.items() if state != "ready"]


@dataclass
class CountryReport:
    country: object
    languages: tuple[str, ...]
    items: list[ItemRow] = field(default_factory=list)

    def counts(self) -> list[dict]:
        """Per language: how many items are ready, complete (not ready), partial, missing."""
        rows = []
        for code in self.languages:
            states = [item.states[code] for item in self.items]
            rows.append(
                {
                    "code": code,
                    "name": language_name(code),
                    **{state: states.count(state) for state in ("ready", COMPLETE, PARTIAL)},
                    MISSING: states.count(MISSING),
                }
            )
        return rows

    @property
    def to_translate(self) -> list[ItemRow]:
        return [item for item in self.items if item.to_do]


def report_languages(country) -> tuple[str, ...]:
    from cms.core.pages import site_languages

    return site_languages(country)


def country_items(country):
    """The pages under the country's site and its cluster profiles, partners and contacts."""
    from cms.clusters.models import ClusterProfile
    from cms.home.models import CountryHomePage
    from cms.partners.models import ContactPerson, PartnerOrganisation

    home = CountryHomePage.objects.filter(country=country).first()
    if home is not None:
        for page in Page.objects.descendant_of(home, inclusive=True).specific():
            if hasattr(page, "ready_languages"):
                yield page, reverse("wagtailadmin_pages:edit", args=[page.pk])
    for model in (ClusterProfile, PartnerOrganisation, ContactPerson):
        for obj in model.objects.filter(country=country):
            yield (
                obj,
                reverse(
                    f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:edit",
                    args=[obj.pk],
                ),
            )


def build_report(country) -> CountryReport:
    report = CountryReport(country=country, languages=report_languages(country))
    for obj, edit_url in country_items(country):
        report.items.append(
            ItemRow(
                kind=str(obj._meta.verbose_name),
                title=str(obj),
                edit_url=edit_url,
                states={code: language_state(obj, code) for code in report.languages},
            )
        )
    return report


def report_csv(report: CountryReport) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"translation-status-{report.country.code.lower()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["country", "type", "title", "edit_url", *report.languages])
    for item in report.to_translate:
        writer.writerow(
            [report.country.code, item.kind, item.title, item.edit_url]
            + [item.states[code] for code in report.languages]
        )
    return response


def translation_report_view(request):
    """Translation status per country: counts per language and the items to translate.

    Editors see their own countries only; ``?country=XX`` picks one, and
    ``?format=csv`` downloads the list of items to translate.
    """
    countries = list(countries_for_user(request.user))
    if not countries:
        raise Http404
    code = (request.GET.get("country") or countries[0].code).upper()
    country = next((c for c in countries if c.code == code), None)
    if country is None:
        raise Http404
    report = build_report(country)
    if request.GET.get("format") == "csv":
        return report_csv(report)
    return render(
        request,
        "core/admin/translation_report.html",
        {"report": report, "countries": countries, "country": country},
    )


def badge_html(state: str, code: str):
    return format_html(
        '<span title="{}" style="{};padding:0 .3em;border-radius:3px">{}</span>',
        state_label(state),
        BADGE_STYLE[state],
        code,
    )


# --- pages ------------------------------------------------------------------------


class TranslationPageFilterSet(PageFilterSet):
    translation = TranslationFilterSet.declared_filters["translation"]


def translation_page_listings() -> ViewSetGroup:
    """A "Page translations" menu of flat page listings, with the column and the filter.

    Wagtail's flat page listings (``PageListingViewSet``) show only the pages
    the user may explore, so each country's editors see their own pages.
    """
    from cms.events.models import EventPage
    from cms.home.models import StandardPage
    from cms.news.models import NewsPage

    viewsets = []
    for model, icon in ((NewsPage, "doc-full"), (EventPage, "date"), (StandardPage, "doc-empty")):
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
