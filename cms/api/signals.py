"""Write tombstones when content leaves the API, and tell webhooks about every change.

Pages leave when they are unpublished or deleted (deleting a page deletes its
subtree, and Django sends ``pre_delete`` for every page in it); snippets when
they are deleted. Publishing a page again removes its tombstone.

Webhook deliveries (``cms.api.webhooks``) come from two places:

- ``published`` and ``moved`` from the projections (``cms.projections.writing.projected``):
  an item is announced when what it shows changed in some language, whatever made the
  change: publishing it, saving a snippet, or a dependent re-render (a renamed sector,
  a replaced image, a contact's new role, a moved parent page), by the editor's request
  or later by the task worker. Saving without a visible change announces nothing. An
  item that moved to another country is ``moved`` for the site it left and
  ``published`` (every language) for the one it entered.
- ``unpublished`` and ``deleted`` from the page and snippet signals, with the languages
  the item was served in (its projection rows, read before they are dropped: this app's
  receivers are connected before ``cms.projections``'); ``unpublished`` also for an item
  that left the API otherwise (made private, moved off every site:
  ``cms.projections.writing.withdrawn``).

Every change (and a sync of the sites) empties the response cache (``cms.api.cache``).
Nothing here may fail a save: the webhook receivers log and give up in a savepoint.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from cms.api import cache as response_cache
from cms.api import webhooks
from cms.api.models import Tombstone

logger = logging.getLogger(__name__)


def snippet_models():
    """The snippets the API serves and so must report deletions of."""
    from cms.clusters.models import ClusterProfile
    from cms.core.models import Sector
    from cms.partners.models import ContactPerson, PartnerOrganisation

    return (ClusterProfile, PartnerOrganisation, ContactPerson, Sector)


def page_country_code(page: Page) -> str:
    """The code of the country whose site ``page`` is on ("" outside every site)."""
    from cms.core.models import Country

    home_path = page.path[: Page.steplen * 2]
    code = Country.objects.filter(home_page__path=home_path).values_list("code", flat=True)
    return code.first() or ""


def served_page_class(page: Page):
    """The specific class of ``page`` if the API serves that page type, else None."""
    from cms.core.pages import BasePage

    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, BasePage):
        return None
    return specific_class


def bury_page(page: Page, reason: str) -> None:
    specific_class = served_page_class(page)
    if specific_class is None:
        return
    Tombstone.objects.update_or_create(
        object_type=specific_class._meta.label,
        object_id=page.pk,
        defaults={
            "reason": reason,
            "country": page_country_code(page),
            "removed_at": timezone.now(),
        },
    )


def announce_page(page: Page, event: str) -> None:
    specific_class = served_page_class(page)
    if specific_class is not None:
        announce_removal(event, specific_class._meta.label, page.pk, page_country_code(page))


def announce_removal(event: str, label: str, pk: int, country: str) -> None:
    """Record an ``unpublished``/``deleted`` event; a failure is logged, never raised."""
    try:
        with transaction.atomic():
            webhooks.record_event(
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
            webhooks.record_events(projection_events(label, changed, moves))
    except Exception:  # noqa: BLE001 - a webhook must never fail a save or a projection
        logger.exception("Webhook events of %s %s not recorded", label, sorted(changed))


def on_withdrawn(sender, label, removed, **kwargs):
    """Items that left the API without being unpublished or deleted (made private, moved
    off every site): ``unpublished`` for the site each was served on, as their tombstone."""
    for pk, country in removed.items():
        announce_removal("unpublished", label, pk, country)


def projection_events(label, changed, moves) -> list[webhooks.Event]:
    from cms.projections.registry import ALL

    urls = visitor_urls(label, list(changed))
    events = []
    for pk, (country, changed_variants, variants) in sorted(changed.items()):
        every = [code for code in variants if code != ALL]
        if pk in moves:
            old, new = moves[pk]
            if old:
                events.append(
                    webhooks.Event("moved", label, pk, old, languages=every, moved_to=new or None)
                )
            languages, country = every, new
        else:
            languages = [code for code in changed_variants if code != ALL] or every
        html = {code: urls[pk, code] for code in languages if urls.get((pk, code))}
        events.append(
            webhooks.Event("published", label, pk, country, languages=languages, html_url=html)
        )
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


def snippet_country_code(instance) -> str:
    from cms.core.models import Country

    country_id = getattr(instance, "country_id", None)
    if country_id is None:
        return ""
    return Country.objects.filter(pk=country_id).values_list("code", flat=True).first() or ""


def on_page_unpublished(sender, instance, **kwargs):
    # Wagtail unpublishes every live page it is about to delete; the deletion
    # (recorded from pre_delete, in whichever order the receivers run) is the
    # truer reason and must not be overwritten (nor followed by an "unpublished" event).
    specific_class = served_page_class(instance)
    if specific_class is None:
        return
    deleted = Tombstone.objects.filter(
        object_type=specific_class._meta.label,
        object_id=instance.pk,
        reason=Tombstone.Reason.DELETED,
    )
    if not deleted.exists():
        bury_page(instance, Tombstone.Reason.UNPUBLISHED)
        announce_page(instance, "unpublished")


def on_page_published(sender, instance, **kwargs):
    # Announced by the projection (``on_projected``) when what it shows changed.
    specific_class = served_page_class(instance)
    if specific_class is not None:
        Tombstone.objects.filter(
            object_type=specific_class._meta.label, object_id=instance.pk
        ).delete()


def on_pre_delete(sender, instance, **kwargs):
    # Sent once per model in a page's inheritance chain (Page and NewsPage);
    # the tombstone is keyed on the page id, so the second call just updates it.
    # A page that was not live had already left the API (and has a tombstone
    # if it was ever published).
    if isinstance(instance, Page) and instance.live:
        bury_page(instance, Tombstone.Reason.DELETED)
        if sender is Page:  # once per page, not once per class in its chain
            announce_page(instance, "deleted")


def on_snippet_deleted(sender, instance, **kwargs):
    code = snippet_country_code(instance)
    announce_removal("deleted", sender._meta.label, instance.pk, code)
    Tombstone.objects.update_or_create(
        object_type=sender._meta.label,
        object_id=instance.pk,
        defaults={
            "reason": Tombstone.Reason.DELETED,
            "country": code,
            "removed_at": timezone.now(),
        },
    )


def on_content_changed(sender, **kwargs):
    """Any publication, unpublication or deletion: cached API responses are stale."""
    response_cache.invalidate()


def connect() -> None:
    from cms.core.models import Country

    page_published.connect(on_content_changed, dispatch_uid="api_cache_published")
    page_unpublished.connect(on_content_changed, dispatch_uid="api_cache_unpublished")
    post_delete.connect(on_content_changed, sender=Page, dispatch_uid="api_cache_page_deleted")
    post_save.connect(on_content_changed, sender=Country, dispatch_uid="api_cache_country")
    for model in snippet_models():
        post_save.connect(on_content_changed, sender=model, dispatch_uid=f"api_cache_{model}")
        post_delete.connect(on_content_changed, sender=model, dispatch_uid=f"api_cache_del_{model}")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="api_tombstone_unpublished")
    page_published.connect(on_page_published, dispatch_uid="api_tombstone_published")
    pre_delete.connect(on_pre_delete, dispatch_uid="api_tombstone_page_deleted")
    for model in snippet_models():
        post_delete.connect(
            on_snippet_deleted, sender=model, dispatch_uid=f"api_tombstone_{model._meta.label}"
        )
    from cms.projections.writing import projected, withdrawn

    projected.connect(on_projected, dispatch_uid="api_webhook_projected")
    withdrawn.connect(on_withdrawn, dispatch_uid="api_webhook_withdrawn")
