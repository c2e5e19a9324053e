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

from django.db import transaction
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


@dataclass
class SlugReport:
    slugs: list[tuple[int, str, str, str]] = field(default_factory=list)  # page, lang, old, new
    redirects: int = 0


def unique_among_siblings(page, name: str, slug: str) -> str:
    siblings = page.get_siblings(inclusive=False)
    candidate, number = slug, 2
    while siblings.filter(**{name: candidate}).exists():
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


@transaction.atomic
def ascii_slugs(*, dry_run: bool = False) -> SlugReport:
    """Transliterate every non-ASCII page slug, redirecting the addresses that change."""
    report = SlugReport()
    redirects = Redirect.objects.count()
    names = [localized("slug", code) for code in LANGUAGE_CODES]
    for page in Page.objects.filter(depth__gt=1).order_by("path").specific():
        changed = {}
        for code, name in zip(LANGUAGE_CODES, names, strict=True):
            old = getattr(page, name, None) or ""
            if old and not old.isascii():
                changed[name] = unique_among_siblings(page, name, ascii_slug(old) or "page")
                report.slugs.append((page.pk, code, old, changed[name]))
        if not changed or dry_run:
            continue
        for name, new in changed.items():
            setattr(page, name, new)
        # Saving the page rewrites its and its descendants' url_paths, and redirects their
        # old addresses (cms.core.redirects); the latest revision gets the new slugs too,
        # so publishing an older draft does not bring the old back.
        page.save()
        revision = page.latest_revision
        if revision is not None:
            revision.content.update(changed)
            revision.save(update_fields=["content"])
    # Each save redirected its page's old addresses (cms.core.redirects).
    report.redirects = Redirect.objects.count() - redirects
    return report
