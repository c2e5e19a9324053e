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
again, in the administrator's transaction: the items are those the projections render
again for it (``cms.projections.dependents.dependents_of``, the served models' relations
to the sector). A save that leaves every name as it was (a description, the order) writes
nothing. A sector is in a few hundred items at most on the network's sites; the rewrite
skips every document that comes out the same.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Sector
from cms.projections import dependents, generation
from cms.search.documents import KIND_OF_TYPE
from cms.search.indexing import sync_querysets
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
    """A sector renamed: its items' documents are written again (a new one is in none)."""
    if raw or created or getattr(instance, "search_names_before", None) == sector_names(instance):
        return
    sync_items(dependents.dependents_of(instance))


def note_sector_items(sender, instance, **kwargs):
    """Before a sector is deleted: the items in it (after, their links to it are gone)."""
    instance.search_items = dependents.dependents_of(instance)


def on_sector_deleted(sender, instance, **kwargs):
    sync_items(getattr(instance, "search_items", {}))


def sync_items(found: dict[str, set[int]]) -> int:
    """Write again the documents of the searched items of ``found`` (label -> ids)."""
    querysets = [
        (kind, apps.get_model(label).objects.filter(pk__in=found[label]))
        for label, kind in KIND_OF_TYPE.items()
        if found.get(label)
    ]
    return sync_querysets([(kind, items.prefetch_related("sectors")) for kind, items in querysets])


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
