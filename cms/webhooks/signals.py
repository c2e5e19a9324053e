"""Tell webhooks about every change of what the API serves.

Webhook deliveries (``cms.webhooks.recording``) come from two places:

- ``published`` and ``moved`` from the projections (``cms.projections.writing.projected``):
  an item is announced when what it shows changed in some language, whatever made the
  change: publishing it, saving a snippet, or a dependent re-render (a renamed sector,
  a replaced image, a contact's new role, a moved parent page), by the editor's request
  or later by the task worker. Saving without a visible change announces nothing. An
  item that moved to another country is ``moved`` for the site it left and
  ``published`` (every language) for the one it entered.
- ``unpublished`` and ``deleted`` from the page and snippet signals, with the languages
  the item was served in (its projection rows, read before they are dropped: this app
  comes before ``cms.projections`` in ``INSTALLED_APPS``, so its receivers are
  connected, and run, before the projections'); ``unpublished`` also for an item that
  left the API otherwise (made private, moved off every site:
  ``cms.projections.writing.withdrawn``).

Nothing here may fail a save: the receivers log and give up in a savepoint.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from wagtail.models import Page
from wagtail.signals import page_unpublished

from cms.projections.tombstones import (
    being_deleted,
    page_country_code,
    served_page_class,
    snippet_country_code,
    snippet_models,
)
from cms.webhooks import recording
from cms.webhooks.payload import Event

logger = logging.getLogger(__name__)


def announce_page(page: Page, event: str) -> None:
    specific_class = served_page_class(page)
    if specific_class is not None:
        announce_removal(event, specific_class._meta.label, page.pk, page_country_code(page))


def announce_removal(event: str, label: str, pk: int, country: str) -> None:
    """Record an ``unpublished``/``deleted`` event; a failure is logged, never raised."""
    try:
        with transaction.atomic():
            recording.record_event(
                event=event,
                object_type=label,
                object_id=pk,
                country=country,
                languages=served_languages(label, pk),
            )
    except Exception:  # noqa: BLE001 - a webhook must never fail a save
        logger.exception("Webhook event %s of %s %s not recorded", event, label, pk)


def served_languages(label: str, pk: int) -> list[str]:
    """The languages an item is served in now (its projection rows)."""
    from cms.projections.models import Projection
    from cms.projections.registry import ALL

    rows = Projection.objects.filter(object_type=label, object_id=pk).exclude(language=ALL)
    return list(rows.values_list("language", flat=True))


def on_projected(sender, label, changed, moves, **kwargs):
    """Items whose projection changed in some language (or that moved): tell the webhooks."""
    try:
        with transaction.atomic():
            recording.record_events(projection_events(label, changed, moves))
    except Exception:  # noqa: BLE001 - a webhook must never fail a save or a projection
        logger.exception("Webhook events of %s %s not recorded", label, sorted(changed))


def on_withdrawn(sender, label, removed, **kwargs):
    """Items that left the API without being unpublished or deleted (made private, moved
    off every site): ``unpublished`` for the site each was served on, as their tombstone."""
    for pk, country in removed.items():
        announce_removal("unpublished", label, pk, country)


def projection_events(label, changed, moves) -> list[Event]:
    from cms.projections.registry import ALL

    urls = visitor_urls(label, list(changed))
    events = []
    for pk, (country, changed_variants, variants) in sorted(changed.items()):
        every = [code for code in variants if code != ALL]
        if pk in moves:
            old, new = moves[pk]
            if old:
                events.append(Event("moved", label, pk, old, languages=every, moved_to=new or None))
            languages, country = every, new
        else:
            languages = [code for code in changed_variants if code != ALL] or every
        html = {code: urls[pk, code] for code in languages if urls.get((pk, code))}
        events.append(Event("published", label, pk, country, languages=languages, html_url=html))
    return events


def visitor_urls(label: str, ids: list[int]) -> dict[tuple[int, str], str]:
    """Each item's visitor URL per language, from its stored rows (pages and clusters)."""
    from cms.projections.models import Projection
    from cms.projections.registry import ALL

    rows = (
        Projection.objects.filter(object_type=label, object_id__in=ids)
        .exclude(language=ALL)
        .values_list("object_id", "language", "data__meta__html_url", "data__html_url")
    )
    return {
        (pk, language): page_url or other_url
        for pk, language, page_url, other_url in rows
        if isinstance(page_url or other_url, str)
    }


def on_page_unpublished(sender, instance, **kwargs):
    # Wagtail unpublishes every live page it is about to delete; the deletion (its
    # tombstone, written from pre_delete by cms.projections.tombstones before Wagtail's own
    # pre_delete receiver unpublishes) is announced as such, not as "unpublished".
    if served_page_class(instance) is not None and not being_deleted(instance):
        announce_page(instance, "unpublished")


def on_pre_delete(sender, instance, **kwargs):
    # Connected for Page only: once per page, not once per class in its chain (NewsPage).
    # A page that was not live had already left the API.
    if instance.live:
        announce_page(instance, "deleted")


def on_snippet_deleted(sender, instance, **kwargs):
    announce_removal("deleted", sender._meta.label, instance.pk, snippet_country_code(instance))


def connect() -> None:
    from cms.projections.writing import projected, withdrawn

    page_unpublished.connect(on_page_unpublished, dispatch_uid="webhook_page_unpublished")
    pre_delete.connect(on_pre_delete, sender=Page, dispatch_uid="webhook_page_deleted")
    for model in snippet_models():
        post_delete.connect(
            on_snippet_deleted, sender=model, dispatch_uid=f"webhook_deleted_{model._meta.label}"
        )
    projected.connect(on_projected, dispatch_uid="api_webhook_projected")
    withdrawn.connect(on_withdrawn, dispatch_uid="api_webhook_withdrawn")
