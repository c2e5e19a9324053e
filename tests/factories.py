"""Test data builders, in one place."""

from __future__ import annotations

import itertools

from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.news.models import NewsIndexPage, NewsPage

_counter = itertools.count(1)


def translated(field: str, texts: dict[str, str]) -> dict:
    return {build_localized_fieldname(field, code): texts.get(code, "") for code in LANGUAGE_CODES}


def news_page(country, *, title: dict[str, str], lead: dict[str, str] | None = None, **fields):
    """A published news item under ``country``'s news index, in the given languages.

    English, the common language, is required (as in the admin).
    """
    number = next(_counter)
    lead = lead or {code: f"Lead {code} {number}" for code in title}
    index = NewsIndexPage.objects.child_of(country.home_page).get()
    page = NewsPage(
        slug=f"test-news-{number}",
        **translated("title", title),
        **translated("lead", lead),
        **translated("slug", {code: f"test-news-{number}" for code in title}),
        **fields,
    )
    with translation.override(
        next(iter(title)) if COMMON_LANGUAGE not in title else COMMON_LANGUAGE
    ):
        index.add_child(instance=page)
    return page


def path_of(page, language: str) -> str:
    """The site-relative URL of ``page`` in ``language`` (e.g. ``/cs/aktuality/x/``)."""
    with translation.override(language):
        return page.get_url_parts()[2]
