"""Which pages visitors may see: live, and under no view restriction.

A page under a view restriction (password, login or groups, on itself or an
ancestor) refuses visitors on its own URL; a listing, menu, teaser, feed,
sitemap, search result or API answer showing its title, lead or link would
give it away all the same. So every channel asks here, in one of two forms:

- ``shown_to_visitors(pages)`` narrows a queryset (listings, menus, feeds);
- ``ids_shown_to_visitors(pages)`` answers for a batch of pages already in
  memory (search and projection writes): two queries whatever the batch's
  size, never one per page.

A published page below a draft is served (Wagtail routes through drafts): its
breadcrumbs leave the draft out (``breadcrumb_pages``).

Both are Wagtail's own ``live()`` and ``public()`` (its ``private_q``, read once per GET
request: ``restricted_q``), so the answer is the one Wagtail gives when it serves (or
refuses) the page.

Snippets visitors see (cluster profiles, partner organisations) have no draft
state, but one may have no language visitors read: every translation held back
and the English text empty (saved before the edit form and the import refused
that). ``in_a_language(objects)`` leaves those out, as fallback leaves out a
translation that is not ready; in memory, ``translation_status.has_a_language``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from wagtail.models import Page
from wagtail.query import PageQuerySet

from cms.core.request_memo import once_per_request
from cms.core.translation_status import in_a_language_q


def shown_to_visitors(pages: PageQuerySet) -> PageQuerySet:
    """The live pages of ``pages`` outside every view restriction: what a listing may show.

    Wagtail's ``public()``, with the restrictions it excludes read once per request
    (``restricted_q``); outside a request, one query for them at each call.
    """
    return pages.live().exclude(restricted_q())


def ids_shown_to_visitors(pages: Iterable[Page]) -> set[int]:
    """The ids of ``pages`` visitors may see, as the database has them now.

    The batch form of ``shown_to_visitors``: one query for the restrictions and one
    for the whole batch, so a rebuild of thousands of pages does not ask per page.
    """
    ids = [page.pk for page in pages if page.pk is not None]
    if not ids:
        return set()
    return set(shown_to_visitors(Page.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def breadcrumb_pages(page: Page, root: Page) -> PageQuerySet:
    """``page`` and its ancestors from ``root`` down, as its breadcrumbs name them.

    Without the unpublished ones: Wagtail serves a published page below a draft (a
    section being prepared), and the draft's title is not published (nor does its
    address answer). ``page`` itself stays, so a preview of a draft shows its own crumb.
    """
    ancestors = page.get_ancestors(inclusive=True).filter(depth__gte=root.depth)
    return ancestors.filter(Q(live=True) | Q(pk=page.pk))


def hidden_from_visitors(pages: PageQuerySet) -> PageQuerySet:
    """The live pages of ``pages`` under a view restriction: published, yet refusing visitors."""
    return pages.live().filter(restricted_q())


def restricted_q() -> Q:
    """The pages under a view restriction, as Wagtail's ``public()`` and ``not_public()``
    exclude and keep them (``PageQuerySet.private_q``: each restricted page and its
    descendants, by path, so it narrows a queryset of any page type).

    Read once per GET request (``cms.core.request_memo``): a visitor page asks for every
    menu, listing, teaser and breadcrumb trail (seven times on a home page). A POST, which
    may add or lift a restriction and then ask what visitors see, reads them every time.
    """
    return once_per_request("view restrictions", Page.objects.private_q)


def in_a_language(objects: QuerySet) -> QuerySet:
    """The objects of ``objects`` visitors read in at least one language.

    The directory's cards and profiles, the footer's partner, the news items' related
    clusters and the projections (so the API, search links and sitemaps) all ask here:
    an object with no language is in none of them, its profile address is a 404.
    """
    return objects.filter(in_a_language_q(objects.model))


def deleted_with_its_page(origin) -> bool:
    """Whether a view restriction's deletion is part of deleting a page (Django's ``origin``
    of a deletion: the page or pages whose deletion cascaded to it). Then its subtree is
    leaving, not coming back into view: the projections' and search's receivers leave it
    to the page's deletion (rendering it as public announced deleted pages as published
    and revived their tombstones)."""
    model = getattr(origin, "model", type(origin))  # a QuerySet, or an instance
    return isinstance(model, type) and issubclass(model, Page)
