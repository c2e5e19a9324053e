"""What follows a change to the synonyms or promoted results.

They change search answers at once, as publishing does: the Delivery API's
cached responses are forgotten (``cms.projections.generation.bump``, in the editor's
own transaction, never failing the save when the cache is down). The synonyms'
own process-local copy needs nothing: it notices the change by its
fingerprint (``cms.search.synonyms``).

A search document's ``sector_ids`` follows ``doc.sectors.set()``/``add()``/``remove()``/
``clear()`` (the indexing writes it with the sectors itself, in bulk).

A document's body ends with its item's sector names (``cms.search.documents``), so a
sector renamed in any language, or deleted, has the documents of the items in it written
again: the items are those the projections render again for it
(``cms.projections.dependents.dependents_of``, the served models' relations to the
sector). Up to ``indexing.INLINE_LIMIT`` items in the administrator's transaction, more
by the task worker after it (``indexing.sync_sector``, a durable ``PendingSector`` mark:
a thousand items took the save 5.4 s inline). A save that leaves every name as it was (a
description, the order) writes nothing; the rewrite skips every document that comes out
the same. Deleting a sector (rare) rewrites its items' documents at once.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Sector
from cms.projections import dependents, generation
from cms.search.indexing import sync_items, sync_sector
from cms.search.models import Promotion, SearchDocument, SynonymGroup


def on_list_changed(sender, raw=False, **kwargs):
    if not raw:  # fixtures being loaded
        generation.bump()


def on_document_sectors_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        instance.update_sector_ids()
        return
    # From a sector's side (no accessor is declared, but the through model allows it).
    documents = pk_set if action != "post_clear" else None
    for document in SearchDocument.objects.filter(pk__in=documents or []):
        document.update_sector_ids()


def sector_names(sector: Sector | None) -> tuple:
    """A sector's name in every language (what its items' documents hold of it)."""
    if sector is None:
        return ()
    return tuple(
        getattr(sector, build_localized_fieldname("name", code)) for code in LANGUAGE_CODES
    )


def note_sector(sender, instance, raw=False, **kwargs):
    """Before a sector is saved: its names as they were (one query)."""
    if not raw and instance.pk is not None:
        instance.search_names_before = sector_names(Sector.objects.filter(pk=instance.pk).first())


def on_sector_saved(sender, instance, raw=False, created=False, **kwargs):
    """A sector renamed: its items' documents are written again (a new one is in none),
    by the worker when they are many (``indexing.sync_sector``)."""
    if raw or created or getattr(instance, "search_names_before", None) == sector_names(instance):
        return
    sync_sector(instance)


def note_sector_items(sender, instance, **kwargs):
    """Before a sector is deleted: the items in it (after, their links to it are gone)."""
    instance.search_items = dependents.dependents_of(instance)


def on_sector_deleted(sender, instance, **kwargs):
    sync_items(getattr(instance, "search_items", {}))


def connect_signals() -> None:
    pre_save.connect(note_sector, sender=Sector, dispatch_uid="search-sector-before")
    post_save.connect(on_sector_saved, sender=Sector, dispatch_uid="search-sector-saved")
    pre_delete.connect(note_sector_items, sender=Sector, dispatch_uid="search-sector-items")
    post_delete.connect(on_sector_deleted, sender=Sector, dispatch_uid="search-sector-deleted")
    m2m_changed.connect(
        on_document_sectors_changed,
        sender=SearchDocument.sectors.through,
        dispatch_uid="search-document-sector-ids",
    )
    for model in (SynonymGroup, Promotion):
        label = f"search-list-{model.__name__}"
        post_save.connect(on_list_changed, sender=model, dispatch_uid=f"{label}-saved")
        post_delete.connect(on_list_changed, sender=model, dispatch_uid=f"{label}-deleted")
