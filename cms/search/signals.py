"""What follows a change to the synonyms or promoted results.

They change search answers at once, as publishing does: the Delivery API's
cached responses are forgotten (``cms.api.cache.invalidate``, in the editor's
own transaction, never failing the save when the cache is down). The synonyms'
own process-local copy needs nothing: it notices the change by its
fingerprint (``cms.search.synonyms``).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from cms.api import cache as response_cache
from cms.search.models import Promotion, SynonymGroup


def on_list_changed(sender, raw=False, **kwargs):
    if not raw:  # fixtures being loaded
        response_cache.invalidate()


def connect_signals() -> None:
    for model in (SynonymGroup, Promotion):
        label = f"search-list-{model.__name__}"
        post_save.connect(on_list_changed, sender=model, dispatch_uid=f"{label}-saved")
        post_delete.connect(on_list_changed, sender=model, dispatch_uid=f"{label}-deleted")
