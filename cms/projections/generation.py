"""The generation of what readers see: one number that every change of it bumps.

Answers built from the content are kept under the generation they were made in: the
Delivery API's response cache (``cms.api.cache``) and each process's copy of the
countries and their sites (``current_sites``, below). One bump makes them all stale at
once, O(1): the next read misses and old entries simply expire. Whatever changes what a
reader sees bumps it: a projection row written or withdrawn (``cms.projections.writing``),
a publication, a country, site or view restriction saved (``connect``, below), the synonyms
and best bets (``cms.search.signals``).

The number lives in the database (``ContentGeneration``), bumped in the editor's own
transaction, so a save never waits for or fails on the cache server. The cache keeps a
copy for ``API_CACHE_GENERATION_SECONDS``; a bump also forgets that copy (now and after
commit), so everyone sees a change at once while the cache is up. When the cache is down
(``CACHE_URL``'s backend ignores connection errors, see
``cms.settings.base.cache_from_url``) a change made meanwhile is seen at most
``API_CACHE_GENERATION_SECONDS`` after the cache returns, even if it kept its old
entries, without restarting anything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Max

from cms.core.models import Country
from cms.projections.models import ContentGeneration, Projection, Tombstone
from cms.projections.scope import load_countries

logger = logging.getLogger(__name__)

CACHE_KEY = "api:generation"


def stored() -> int:
    """The generation as the database has it (0 before the first change)."""
    value = ContentGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
    return value or 0


def current() -> int:
    """The current generation: the cache's short-lived copy, else the database's."""
    value = cache.get(CACHE_KEY)
    if value is None:
        value = stored()
        cache.set(CACHE_KEY, value, timeout=settings.API_CACHE_GENERATION_SECONDS)
    return value


def forget_copy() -> None:
    """Drop the cache's copy of the generation, so the next read asks the database.

    Never raises: a dead cache server has nothing to forget, and its copy
    expires on its own when it returns.
    """
    try:
        cache.delete(CACHE_KEY)
    except Exception:  # any backend's connection error: the cache is an optimisation
        logger.warning("content generation: could not forget the cached copy", exc_info=True)


def bump() -> None:
    """What readers see changed: bump the stored generation in this transaction.

    The bump commits or rolls back with the change that caused it. The cache's copy is
    forgotten now, so this process stops serving the old content at once, and again
    after commit, in case another request copied the old generation in between.
    """
    row = ContentGeneration.objects.filter(pk=1)
    if not row.update(value=F("value") + 1):
        # The first change ever (or after a flush); a concurrent first change may race.
        ContentGeneration.objects.bulk_create([ContentGeneration(pk=1)], ignore_conflicts=True)
        row.update(value=F("value") + 1)
    forget_copy()
    transaction.on_commit(forget_copy, robust=True)


#: How far a restore moves the generation: past any generation the lost changes after the
#: backup reached, so nothing cached under one of them is served again.
RESTORE_JUMP = 2**32


def restored_at():
    """When the database was last restored from a backup, or ``None``."""
    return ContentGeneration.objects.filter(pk=1).values_list("restored_at", flat=True).first()


def lost_interval():
    """``(start, restored at)`` of the last restore from a backup: changes made between
    the two were undone and left no trace (no row, no tombstone), so a consumer's
    ``updated_since`` inside it may be past some of them. ``None``: never restored (or
    restored before the first time was recorded).

    It starts a little before the newest change the restored database held: a row is
    stamped when rendered and may commit up to ``SYNC_SETTLE_SECONDS`` later (after the
    backup, so lost, though stamped before what it held), and consumers may keep whole
    seconds (``Last-Modified``). ``restamp_after`` (``cms.projections.writing``) moves
    the stamps that were inside it, so what is served after a restore never is.
    """
    row = ContentGeneration.objects.filter(pk=1)
    found = row.values_list("restored_held_until", "restored_at").first()
    if not (found and all(found)):
        return None
    held_until, restored_at = found
    return held_until - timedelta(seconds=settings.SYNC_SETTLE_SECONDS + 1), restored_at


def newest_held():
    """The newest change this database holds: its projections' and tombstones' stamps and
    the sites' (what ``updated_since`` compares with)."""
    from cms.core.models import Country  # noqa: PLC0415 - the projections' models first

    return max(
        filter(
            None,
            (
                Projection.objects.aggregate(newest=Max("updated_at"))["newest"],
                Tombstone.objects.aggregate(newest=Max("removed_at"))["newest"],
                Country.objects.aggregate(newest=Max("updated_at"))["newest"],
            ),
        ),
        default=None,
    )


def mark_restored(now, *, backup_taken_at=None) -> tuple[int, int]:
    """The database was just restored from a backup: record when, and up to when it holds
    the content (``lost_interval``), and move the generation past every generation the
    changes lost with the restore had reached (answers cached under those are never served
    again). Returns the generation before and after.

    "Held until" is the newest change the database holds, or ``backup_taken_at`` if that is
    earlier: a writer that ran between the restore and this (a publication, the task
    worker, an earlier run's re-rendering) stamps later than the backup.
    """
    ContentGeneration.objects.bulk_create([ContentGeneration(pk=1)], ignore_conflicts=True)
    before = stored()
    held_until = min(filter(None, (newest_held(), backup_taken_at)), default=None)
    ContentGeneration.objects.filter(pk=1).update(
        value=F("value") + RESTORE_JUMP, restored_at=now, restored_held_until=held_until
    )
    forget_copy()
    return before, stored()


@dataclass(frozen=True)
class Sites:
    """What every scope reads, kept per process while the generation of what readers see
    stays: saving a country, publishing, unpublishing, restricting or moving a page,
    anything that changes what the API shows, bumps it. So a request asks for one number
    (usually from the cache) instead of loading the countries and their sites every time
    (``current_sites``; the API's scopes, ``cms.api.negotiation``). View restrictions need
    no checking: a restricted page has no projection rows (``cms.projections.registry``)."""

    generation: int
    countries: dict[str, Country]
    #: Answers that hold as long as the generation: a listing's Last-Modified inputs
    #: (``cms.api.responses.listing``), by what the listing's scope is.
    memo: dict = field(default_factory=dict)

    def remembered(self, key, compute):
        """``compute()``, once per key for this generation (at most ``MEMO_SIZE`` keys)."""
        if key not in self.memo:
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            self.memo[key] = compute()
        return self.memo[key]


MEMO_SIZE = 1000


#: This process's ``Sites``, at most one (the newest generation seen).
SITES: list[Sites] = []


def current_sites() -> Sites:
    """This process's ``Sites`` for the current generation (loaded when it moved on)."""
    generation = current()
    if SITES and SITES[0].generation == generation:
        return SITES[0]
    SITES[:] = [Sites(generation, load_countries())]
    return SITES[0]


def on_change(sender, **kwargs):
    """Anything readers see, or that picks a request's scope, changed: stale from now."""
    bump()


def connect() -> None:
    """Bump on every publication, unpublication and deletion of what the API serves, and
    on every save of a country, a site (which site answers on a host) or a view
    restriction (which pages are private): ``current_sites`` keeps
    those per generation."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished

    from cms.core.models import Country
    from cms.projections.tombstones import snippet_models

    page_published.connect(on_change, dispatch_uid="api_cache_published")
    page_unpublished.connect(on_change, dispatch_uid="api_cache_unpublished")
    post_delete.connect(on_change, sender=Page, dispatch_uid="api_cache_page_deleted")
    post_save.connect(on_change, sender=Country, dispatch_uid="api_cache_country")
    for model in (*snippet_models(), Site, PageViewRestriction):
        for signal in (post_save, post_delete):
            signal.connect(on_change, sender=model, dispatch_uid=f"api_cache_{model}")
