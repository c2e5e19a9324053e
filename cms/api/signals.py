"""Bump the generation of what readers see (``cms.projections.generation``) on every change
of what the API serves, and of the countries and sites that pick a request's scope: the
response cache (``cms.api.cache``) and the scope's memo (``cms.api.negotiation``) follow.
Tombstones are written by ``cms.projections.tombstones``, connected here after these
receivers (``connect``), as they always were.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished

from cms.projections import generation, tombstones
from cms.projections.tombstones import snippet_models


def on_content_changed(sender, **kwargs):
    """Any publication, unpublication or deletion: cached API answers are stale."""
    generation.bump()


def connect() -> None:
    from cms.core.models import Country

    page_published.connect(on_content_changed, dispatch_uid="api_cache_published")
    page_unpublished.connect(on_content_changed, dispatch_uid="api_cache_unpublished")
    post_delete.connect(on_content_changed, sender=Page, dispatch_uid="api_cache_page_deleted")
    post_save.connect(on_content_changed, sender=Country, dispatch_uid="api_cache_country")
    # The snippets served; which site answers on a host, and which pages are private
    # (``negotiation.current_sites``).
    for model in (*snippet_models(), Site, PageViewRestriction):
        for signal in (post_save, post_delete):
            signal.connect(on_content_changed, sender=model, dispatch_uid=f"api_cache_{model}")
    # Before cms.webhooks' receivers (its app's ready runs after this one's), which
    # read the tombstone of a deleted page (cms.projections.tombstones).
    tombstones.connect()
