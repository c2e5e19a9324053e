"""The translation report: per country and language, what is ready, complete, partial
or missing, and what visitors read in a fallback language (``translation-status/`` in
the admin, also as CSV). Its counts are what the listings' translation filter
(``cms.core.translation_admin``) lists for each state.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join
from wagtail.models import Page

from cms.core.languages import language_name, site_languages
from cms.core.permissions import countries_for_user
from cms.core.spreadsheets import neutralised
from cms.core.translation_admin import badge_html, language_state
from cms.core.translation_status import (
    COMPLETE,
    MISSING,
    PARTIAL,
)


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


def country_items(country):
    """The pages under the country's site and its snippets (cluster profiles, partners,
    contacts: every served snippet type that belongs to a country)."""
    from cms.home.models import CountryHomePage
    from cms.projections.registry import served_types

    home = CountryHomePage.objects.filter(country=country).first()
    if home is not None:
        for page in Page.objects.descendant_of(home, inclusive=True).specific():
            if hasattr(page, "ready_languages"):
                yield page, reverse("wagtailadmin_pages:edit", args=[page.pk])
    snippets = [s.model for s in served_types().values() if not s.is_page and s.has_country]
    for model in snippets:
        for obj in model.objects.filter(country=country):
            yield (
                obj,
                reverse(
                    f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:edit",
                    args=[obj.pk],
                ),
            )


def item_title(obj) -> str:
    """A page's title in the admin's language, else its first (a Polish-only item in the
    English admin had an empty row); a snippet's own name (``__str__`` does the same)."""
    if isinstance(obj, Page):
        return obj.title or obj.title_in_any_language()
    return str(obj)


def build_report(country) -> CountryReport:
    report = CountryReport(country=country, languages=site_languages(country))
    for obj, edit_url in country_items(country):
        report.items.append(
            ItemRow(
                kind=str(obj._meta.verbose_name),
                title=item_title(obj),
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
            neutralised(  # a title like "=HYPERLINK(...)" must not run in a spreadsheet
                [report.country.code, item.kind, item.title, item.edit_url]
                + [item.states[code] for code in report.languages]
            )
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
        {"report": report, "countries": countries, "country": country, "listings": listings()},
    )


def listings() -> list[tuple[str, str]]:
    """(name, address) of each listing with the translation filter, for the report's links.

    Each language's row of the report links to them with that language and
    "not published" chosen: the items the row counts as left to do.
    """
    from cms.core.models import TranslationReadiness
    from cms.core.translation_admin import translated_page_types
    from cms.projections.registry import served_types

    found = [
        (model._meta.verbose_name_plural, reverse(f"translations-{model._meta.model_name}:index"))
        for model, _icon in translated_page_types()
    ]
    for model, served in served_types().items():
        if not served.is_page and issubclass(model, TranslationReadiness):
            name = f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:list"
            found.append((model._meta.verbose_name_plural, reverse(name)))
    return found
