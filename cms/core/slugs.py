"""Existing pages' slugs in ASCII, their old addresses kept as redirects.

Slugs are transliterated since ``WAGTAIL_ALLOW_UNICODE_SLUGS = False``
("cluster-day-in-usti"), but pages made before kept theirs ("ústí"), in any
of their languages. ``ascii_slugs`` (the command ``transliterate_slugs``)
rewrites those slugs; saving them redirects (permanently, per site) every address
that changed (the page's and its descendants', in every language) to the new one,
as any editor's new slug does (``cms.core.redirects``), so links and search engines
keep working.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from cms.core.languages import LANGUAGE_CODES
from cms.core.translation_status import localized

#: Letters Unicode does not decompose into an ASCII letter and a mark.
LETTERS = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "ø": "o", "æ": "ae"})


def ascii_slug(slug: str) -> str:
    """``"den-klastrů-v-ústí"`` -> ``"den-klastru-v-usti"`` (Django's slugify, ASCII)."""
    return slugify(slug.translate(LETTERS), allow_unicode=False)


#: (language, its slug field), in the network's order.
LANGUAGE_FIELDS = [(code, localized("slug", code)) for code in LANGUAGE_CODES]


@dataclass
class SlugReport:
    slugs: list[tuple[int, str, str, str]] = field(default_factory=list)  # page, lang, old, new
    redirects: int = 0
    #: Pages that cannot be saved with their new slugs: page, language, why.
    refused: list[tuple[int, str, str]] = field(default_factory=list)


class PagesRefused(Exception):
    """Some pages cannot be saved, so ``ascii_slugs`` rolled every change back."""

    def __init__(self, report: SlugReport):
        self.report = report
        self.pages = len({page_pk for page_pk, _, _ in report.refused})
        super().__init__(f"{self.pages} pages cannot be saved")


def unique_among_siblings(page, name: str, slug: str) -> str:
    """``slug``, cut to the field's length, or with ``-2``, ``-3``… if a sibling has it.

    A transliterated slug is longer than the original ("ß" is "ss"), so it is cut before
    the number is added, and the number always fits: a slug the field cannot hold would
    refuse the page's save.
    """
    limit = page._meta.get_field(name).max_length
    siblings = page.get_siblings(inclusive=False)
    base = slug[:limit].rstrip("-") or slug[:limit]
    candidate, number = base, 2
    while siblings.filter(**{name: candidate}).exists():
        suffix = f"-{number}"
        candidate, number = f"{base[: limit - len(suffix)].rstrip('-')}{suffix}", number + 1
    return candidate


def refusal(page, error: Exception, changed: dict[str, str]) -> list[tuple[int, str, str]]:
    """``(page id, language, message)`` for each field a page's save refused; a refusal not
    of one language's field (a required field, a value the database cannot hold, such as
    a redirect's address) is named with the languages whose slugs changed."""
    languages = ", ".join(code for code, name in LANGUAGE_FIELDS if name in changed)
    if not isinstance(error, ValidationError):
        return [(page.pk, languages, str(error))]
    fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    language_of = {name: code for code, name in LANGUAGE_FIELDS}
    rows = []
    for name, messages in fields.items():
        label = f"{name}: " if name and name != NON_FIELD_ERRORS else ""
        rows.append((page.pk, language_of.get(name, languages), f"{label}{' '.join(messages)}"))
    return rows


@transaction.atomic
def ascii_slugs(*, dry_run: bool = False) -> SlugReport:
    """Transliterate every non-ASCII page slug, redirecting the addresses that change.

    A page that cannot be saved with its new slugs (a sibling's slug it falls back to, a
    field an old page left blank) is listed in ``report.refused`` with its id and language;
    the other pages are still tried, so one run names them all, and then ``PagesRefused``
    rolls every change back: nothing is half-done. A dry run validates without saving.
    """
    report = SlugReport()
    redirects = Redirect.objects.count()
    for page in Page.objects.filter(depth__gt=1).order_by("path").specific():
        changed = {}
        for code, name in LANGUAGE_FIELDS:
            old = getattr(page, name, None) or ""
            if old and not old.isascii():
                changed[name] = unique_among_siblings(page, name, ascii_slug(old) or "page")
                report.slugs.append((page.pk, code, old, changed[name]))
        if not changed:
            continue
        for name, new in changed.items():
            setattr(page, name, new)
        try:
            if dry_run:
                page.full_clean()
            else:
                save_with_new_slugs(page, changed)
        except (ValidationError, DataError, IntegrityError) as error:
            report.refused.extend(refusal(page, error, changed))
    # Each save redirected its page's old addresses (cms.core.redirects).
    report.redirects = Redirect.objects.count() - redirects
    if report.refused and not dry_run:
        raise PagesRefused(report)
    return report


def save_with_new_slugs(page, changed: dict[str, str]) -> None:
    """Save ``page`` in a savepoint, so that a refused one (the database's refusal too)
    is rolled back alone and the others are still tried."""
    with transaction.atomic():
        # Saving the page rewrites its and its descendants' url_paths, and redirects their
        # old addresses (cms.core.redirects); the latest revision gets the new slugs too,
        # so publishing an older draft does not bring the old back.
        page.save()
        revision = page.latest_revision
        if revision is not None:
            revision.content.update(changed)
            revision.save(update_fields=["content"])
