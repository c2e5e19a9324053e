"""Write tombstones when content leaves the API.

Pages leave when they are unpublished or deleted (deleting a page deletes its
subtree, and Django sends ``pre_delete`` for every page in it); snippets when
they are deleted. Publishing a page again removes its tombstone on its site
(``revive``). Webhooks hear
about the same changes from ``cms.webhooks.signals``, which reads the tombstone
of a deleted page (written here, from ``pre_delete``, before Wagtail's own
receiver unpublishes the page) to tell a deletion from an unpublication.

Items that leave otherwise (made private, moved off every site or to another
country) are buried by ``cms.projections.writing``.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from cms.core.visibility import ids_shown_to_visitors
from cms.projections.models import Tombstone


def snippet_models() -> tuple:
    """The snippets the API serves and so must report deletions of."""
    from cms.projections.registry import served_types

    return tuple(served.model for served in served_types().values() if not served.is_page)


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
        country=page_country_code(page),
        defaults={"reason": reason, "removed_at": timezone.now()},
    )


def revive(label: str, pk: int, country: str) -> None:
    """``pk`` is public again, on ``country``'s site: its tombstone there goes. One in
    another country stays, as "moved": that site's consumers must still remove it (a page
    moved from CZ to SK and published there again), and the hub, which shows the item
    again, leaves "moved" out."""
    buried = Tombstone.objects.filter(object_type=label, object_id=pk)
    buried.filter(country=country).delete()
    buried.exclude(reason=Tombstone.Reason.MOVED).update(reason=Tombstone.Reason.MOVED)


def snippet_country_code(instance) -> str:
    from cms.core.models import Country

    country_id = getattr(instance, "country_id", None)
    if country_id is None:
        return ""
    return Country.objects.filter(pk=country_id).values_list("code", flat=True).first() or ""


def being_deleted(page: Page) -> bool:
    """Whether ``page`` (a served page type) already has its "deleted" tombstone.

    Wagtail unpublishes every live page it is about to delete; the deletion
    (recorded from pre_delete, in whichever order the receivers run) is the truer
    reason, for the tombstone and for webhooks alike.
    """
    return Tombstone.objects.filter(
        object_type=served_page_class(page)._meta.label,
        object_id=page.pk,
        reason=Tombstone.Reason.DELETED,
    ).exists()


def on_page_unpublished(sender, instance, **kwargs):
    if served_page_class(instance) is not None and not being_deleted(instance):
        bury_page(instance, Tombstone.Reason.UNPUBLISHED)


def on_page_published(sender, instance, **kwargs):
    specific_class = served_page_class(instance)
    if specific_class is None:
        return
    label = specific_class._meta.label
    # Every publish comes here and almost none has a tombstone: one query, and the page's
    # country (and whether visitors see it) is looked up only when there is one to revive.
    # A page published under a view restriction stays gone: a consumer told it left must
    # not lose that news (``writing`` revives it when the restriction is lifted).
    if Tombstone.objects.filter(object_type=label, object_id=instance.pk).exists():
        if ids_shown_to_visitors([instance]):
            revive(label, instance.pk, page_country_code(instance))


def on_pre_delete(sender, instance, **kwargs):
    # Sent once per model in a page's inheritance chain (Page and NewsPage);
    # the tombstone is keyed on the page id, so the second call just updates it.
    # A page that was not live had already left the API (and has a tombstone
    # if it was ever published).
    if isinstance(instance, Page) and instance.live:
        bury_page(instance, Tombstone.Reason.DELETED)


def on_snippet_deleted(sender, instance, **kwargs):
    code = snippet_country_code(instance)
    Tombstone.objects.update_or_create(
        object_type=sender._meta.label,
        object_id=instance.pk,
        country=code,
        defaults={"reason": Tombstone.Reason.DELETED, "removed_at": timezone.now()},
    )


def connect() -> None:
    page_unpublished.connect(on_page_unpublished, dispatch_uid="api_tombstone_unpublished")
    page_published.connect(on_page_published, dispatch_uid="api_tombstone_published")
    pre_delete.connect(on_pre_delete, dispatch_uid="api_tombstone_page_deleted")
    for model in snippet_models():
        post_delete.connect(
            on_snippet_deleted, sender=model, dispatch_uid=f"api_tombstone_{model._meta.label}"
        )
