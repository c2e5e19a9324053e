"""What follows a change to the synonyms or promoted results.

They change search answers at once, as publishing does: the Delivery API's
cached responses are forgotten (``cms.projections.generation.bump``, in the editor's
own transaction, never failing the save when the cache is down). The synonyms'
own process-local copy needs nothing: it notices the change by its
fingerprint (``cms.search.synonyms``).

A search document's ``sector_ids`` follows ``doc.sectors.set()``/``add()``/``remove()``/
``clear()`` (the indexing writes it with the sectors itself, in bulk).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from cms.projections import generation
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


def connect_signals() -> None:
    m2m_changed.connect(
        on_document_sectors_changed,
        sender=SearchDocument.sectors.through,
        dispatch_uid="search-document-sector-ids",
    )
    for model in (SynonymGroup, Promotion):
        label = f"search-list-{model.__name__}"
        post_save.connect(on_list_changed, sender=model, dispatch_uid=f"{label}-saved")
        post_delete.connect(on_list_changed, sender=model, dispatch_uid=f"{label}-deleted")
