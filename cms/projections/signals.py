"""Keep projections current whatever made the change: admin, import, command or shell.

Each receiver renders in the editor's own transaction, inside a savepoint:
if rendering fails, the item is marked stale for the worker and the save
stands (nothing a receiver does may fail a save). An item's own change is
rendered at once; its dependents too when there are few
(``PROJECTION_INLINE_LIMIT``), else they are marked stale and rendered by the
task worker after the commit.
"""

from __future__ import annotations

import logging
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.core.visibility import deleted_with_its_page
from cms.projections import dependents, writing
from cms.projections.registry import ALL, served_type, served_types

logger = logging.getLogger(__name__)

#: Bookkeeping a page row gets when a draft is saved: no live content in it.
DRAFT_ONLY_FIELDS = frozenset(
    {"latest_revision", "has_unpublished_changes", "draft_title", "latest_revision_created_at"}
)


@task()
def project_pending_task():
    return writing.project_pending()


def guarded(render, for_worker, what: str) -> None:
    """Run ``render`` in a savepoint; on failure log it and mark ``for_worker()`` (label ->
    ids) for the worker: a projection must never fail a save."""
    try:
        with transaction.atomic():
            render()
    except Exception:  # noqa: BLE001 - a projection must never fail a save
        logger.exception("Projection of %s failed; left to the worker", what)
        try:
            with transaction.atomic():
                mark_for_worker(for_worker())
        except Exception:  # noqa: BLE001
            logger.exception("Could not mark %s stale", what)


def safely(action):
    """A receiver running ``action`` ``guarded``: on failure the item goes to the worker."""

    def receiver(sender, instance, **kwargs):
        if kwargs.get("raw"):  # fixtures
            return
        guarded(
            lambda: action(sender, instance, **kwargs),
            lambda: {label_of(instance): {instance.pk}},
            f"{sender} {instance.pk}",
        )

    return receiver


def label_of(instance) -> str:
    if isinstance(instance, Page):
        return (
            instance.specific_class._meta.label if instance.specific_class else "wagtailcore.Page"
        )
    return instance._meta.label


def refresh(found: dict[str, set[int]]) -> None:
    """Render the items ``found`` now if they are few, else have the worker do it."""
    total = sum(len(ids) for ids in found.values())
    if not total:
        return
    if total <= settings.PROJECTION_INLINE_LIMIT:
        for label, ids in found.items():
            writing.project_ids(label, ids)
        return
    mark_for_worker(found)


def mark_for_worker(found: dict[str, set[int]]) -> None:
    for label, ids in found.items():
        writing.mark_stale(label, ids)
    transaction.on_commit(lambda: project_pending_task.enqueue(), robust=True)


def merged(*parts: dict[str, set[int]]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for part in parts:
        for label, ids in part.items():
            found.setdefault(label, set()).update(ids)
    return found


# --- pages ------------------------------------------------------------------------------------


def page_saved(sender, instance, **kwargs):
    """A live page saved (as publishing does, or from a shell): render it as saved.

    Rendered from the instance, whose in-memory relations (sectors, related
    clusters) are what is being saved; a draft's content never is, since
    saving a draft writes only bookkeeping (``DRAFT_ONLY_FIELDS``). Wagtail
    rewrites the URLs of the pages below after this signal, so those are
    left to the worker (``page_published`` renders them at once).
    """
    update_fields = kwargs.get("update_fields")
    if not instance.live or (update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS):
        return
    if served_type(instance) is None:
        return
    instance.urls_before = stored_urls(label_of(instance), instance.pk)
    writing.project([instance])
    instance.projected_on_save = True
    moved = below_if_moved(instance, instance.urls_before)
    if moved:
        mark_for_worker(merged(moved, dependents.referring([instance])))


def page_published_receiver(sender, instance, **kwargs):
    """Published: the page (unless its save just rendered it), and what shows or is below it."""
    page = instance.specific
    if served_type(page) is None:
        return
    before = getattr(page, "urls_before", None)
    if not getattr(page, "projected_on_save", False):
        before = stored_urls(label_of(page), page.pk)
        writing.project_ids(label_of(page), [page.pk])
    refresh(merged(dependents.referring([page]), below_if_moved(page, before or {})))


def below_if_moved(page, before: dict[str, str]) -> dict[str, set[int]]:
    """The items whose URLs begin with ``page``'s, if its URL changed in some language (a
    new slug, a language it now has or lacks: ``before``, its rows' URLs before it was
    rendered again); else nothing. A cluster directory's clusters also when one of them
    has no URL yet: the directory was not serving them (first published, or again).

    Not one item below standing for all: each item's row links the page where its reader
    lands, which may be another language than the page's (an English-only child's Czech
    row links its English page), so one child could keep its address while the others
    moved (a Czech slug renamed under an English-only first child).
    """
    from cms.clusters.models import ClusterProfile

    after = stored_urls(label_of(page), page.pk)
    if not after:
        return {}
    moved = after != before
    found = dependents.descendants_of(page) if moved else {}
    clusters = cluster_dependents(page)
    for pk in sorted(clusters.get(ClusterProfile._meta.label, ()))[:1]:
        if moved or not stored_urls(ClusterProfile._meta.label, pk, "html_url"):
            found = merged(found, clusters)
    return found


def stored_urls(label: str, pk: int, key: str = "meta__html_url") -> dict[str, str]:
    """Each language variant's stored visitor URL of an item."""
    from cms.projections.models import Projection

    rows = Projection.objects.filter(object_type=label, object_id=pk).exclude(language=ALL)
    return {language: url for language, url in rows.values_list("language", f"data__{key}") if url}


def cluster_dependents(page) -> dict[str, set[int]]:
    """The clusters a cluster directory serves (their URLs are below the directory's).

    Its country's, and for the hub's directory those of the countries with no live
    directory of their own (``ClusterDirectoryPage.profiles_served_under``): publishing
    or unpublishing a directory moves them between it and the hub's, or nowhere.
    """
    from cms.clusters.models import ClusterDirectoryPage, ClusterProfile

    if not isinstance(page, ClusterDirectoryPage):
        return {}
    ids = set(ClusterDirectoryPage.profiles_served_under(page).values_list("pk", flat=True))
    return {ClusterProfile._meta.label: ids} if ids else {}


def served_until_now(page) -> dict[str, set[int]]:
    """The clusters a cluster directory served until it moved, which its rows do not know
    of yet: those whose stored ``html_url`` is below one of its stored URLs.

    ``cluster_dependents`` asks the tree as it is now: after a move to another country it
    names the new country's clusters, not the old one's, which the hub's directory serves
    now. One query for the directory's rows, one for its clusters'.
    """
    from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
    from cms.projections.models import Projection

    if not isinstance(page, ClusterDirectoryPage):
        return {}
    prefixes = set(stored_urls(label_of(page), page.pk).values())
    if not prefixes:
        return {}
    below = reduce(or_, (Q(data__html_url__startswith=prefix) for prefix in prefixes))
    rows = Projection.objects.filter(below, object_type=ClusterProfile._meta.label)
    ids = set(rows.exclude(language=ALL).values_list("object_id", flat=True))
    return {ClusterProfile._meta.label: ids} if ids else {}


def page_gone(sender, instance, **kwargs):
    """Unpublished or deleted: its rows go, and items linking to it are rendered again,
    and a cluster directory's clusters (now served by the hub's directory, or nowhere)."""
    writing.forget(label_of(instance), [instance.pk])
    refresh(merged(dependents.referring([instance]), cluster_dependents(instance)))


def page_moved_receiver(sender, instance, **kwargs):
    """Moved: the page and those below it, what links to it, and a cluster directory's
    clusters, those it serves where it is now and those it served where it was."""
    page = instance.specific
    found = merged({label_of(page): {page.pk}}, dependents.descendants_of(page))
    served = served_until_now(page)  # read before the page's own rows are rendered again
    refresh(merged(found, served, cluster_dependents(page), dependents.referring([page])))


def restriction_changed(sender, instance, **kwargs):
    """A view restriction added or removed: the page and its subtree appear or disappear.

    Disappearing never waits for the worker: listings and details read the rows, so
    however large the subtree, its rows go (with tombstones) in the editor's transaction.
    Appearing again needs rendering, which many pages leave to the worker. The cluster
    profiles a directory in the subtree serves stay (the API serves them whatever the
    tree says) but are rendered again: their ``html_url`` (which the sitemaps read) is
    there only while their directory lets visitors in.
    """
    if deleted_with_its_page(kwargs.get("origin")):
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    subtree = merged({label_of(page): {page.pk}}, dependents.descendants_of(page))
    if PageViewRestriction.objects.filter(page_id=page.pk).exists():
        for label, ids in subtree.items():
            writing.hide(label, sorted(ids))
        refresh(profiles_under(page))
    else:
        refresh(merged(subtree, profiles_under(page)))


def profiles_under(page) -> dict[str, set[int]]:
    """The cluster profiles whose own directory is ``page`` or below it."""
    from cms.clusters.models import ClusterDirectoryPage, ClusterProfile

    ids = set(ClusterDirectoryPage.profiles_served_under(page).values_list("pk", flat=True))
    return {ClusterProfile._meta.label: ids} if ids else {}


# --- snippets, images, sites ------------------------------------------------------------------


def snippet_saved(sender, instance, **kwargs):
    writing.project([instance])
    refresh(dependents.dependents_of(instance))


def saved_in_bulk(objects: list) -> None:
    """Objects of one served model that ``bulk_create`` or ``bulk_update`` wrote, which send
    no signals (the cluster spreadsheet import): they and what shows them are rendered now
    if few, else by the worker. Never fails the write: on an error the worker gets them."""
    if not objects:
        return
    found = {label_of(objects[0]): {obj.pk for obj in objects}}

    def render():
        found.update(merged(found, dependents.dependents_of_all(objects)))
        refresh(found)

    guarded(render, lambda: found, f"{len(objects)} bulk-written items")


def note_dependents(sender, instance, **kwargs):
    """Before a deletion: who shows ``instance`` (after it, their links are already cleared)."""
    instance.projection_dependents = dependents.dependents_of(instance)


def snippet_deleted(sender, instance, **kwargs):
    writing.forget(sender._meta.label, [instance.pk])
    refresh(getattr(instance, "projection_dependents", {}))


def embedded_changed(sender, instance, **kwargs):
    """An image (or anything else items embed or list: a document, a tag) changed: render
    what shows it."""
    refresh(dependents.dependents_of(instance))


def embedded_deleted(sender, instance, **kwargs):
    refresh(getattr(instance, "projection_dependents", {}))


def rendition_deleted(sender, instance, **kwargs):
    """An image's rendition deleted: the URLs items show of that image are gone.

    Replacing an image's file in the admin saves the image (its dependents are
    rendered then, with the old renditions still there) and only then deletes
    the old file and every rendition. So what shows the image is rendered again
    after the commit (the worker; one mark per item, however many renditions go),
    when the new renditions are made.
    """
    from wagtail.images import get_image_model

    image = get_image_model()(pk=instance.image_id)
    found = dependents.dependents_of(image)
    if found:
        mark_for_worker(found)


def site_changed(sender, instance, **kwargs):
    """A site's hostname, port or root: every URL of every item on it changes, and what
    ``sites/`` shows of its country (rendered from the country, stamped by its ``updated_at``:
    moved here, or ``updated_since`` and If-Modified-Since would miss the new address)."""
    from cms.core.models import Country

    if isinstance(instance, Site):
        Country.objects.filter(site=instance).update(updated_at=timezone.now())
    country = (
        instance if isinstance(instance, Country) else Country.objects.filter(site=instance).first()
    )
    found: dict[str, set[int]] = {}
    root_page_id = instance.root_page_id if isinstance(instance, Site) else None
    if country is not None and country.site_id:
        root_page_id = country.site.root_page_id
        for model in served_types():
            if not issubclass(model, Page) and has_field(model, "country"):
                ids = set(model.objects.filter(country=country).values_list("pk", flat=True))
                found = merged(found, {model._meta.label: ids})
    root = Page.objects.filter(pk=root_page_id).first() if root_page_id else None
    if root is not None:
        # And the profiles its directory serves: on the hub, other countries' too.
        found = merged(found, dependents.on_site(root.path), profiles_under(root))
    refresh(found)


def has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def connect() -> None:
    from taggit.models import Tag
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from cms.core.models import Country

    page_published.connect(
        safely(page_published_receiver), weak=False, dispatch_uid="projection-published"
    )
    page_unpublished.connect(safely(page_gone), weak=False, dispatch_uid="projection-unpublished")
    post_page_move.connect(safely(page_moved_receiver), weak=False, dispatch_uid="projection-moved")
    for model in served_types():
        label = model._meta.label
        if issubclass(model, Page):
            post_save.connect(
                safely(page_saved), sender=model, weak=False, dispatch_uid=f"projection-{label}"
            )
            post_delete.connect(
                safely(page_gone), sender=model, weak=False, dispatch_uid=f"projection-del-{label}"
            )
        else:
            post_save.connect(
                safely(snippet_saved), sender=model, weak=False, dispatch_uid=f"projection-{label}"
            )
            pre_delete.connect(
                safely(note_dependents),
                sender=model,
                weak=False,
                dispatch_uid=f"projection-pre-{label}",
            )
            post_delete.connect(
                safely(snippet_deleted),
                sender=model,
                weak=False,
                dispatch_uid=f"projection-del-{label}",
            )
    # Tags: renamed or deleted in a shell or a command (the admin has no tag editor).
    for model in (get_image_model(), get_document_model(), Tag):
        for signal, receiver, name in (
            (post_save, embedded_changed, "saved"),
            (pre_delete, note_dependents, "pre-delete"),
            (post_delete, embedded_deleted, "deleted"),
        ):
            signal.connect(
                safely(receiver),
                sender=model,
                weak=False,
                dispatch_uid=f"projection-{name}-{model._meta.label}",
            )
    rendition_model = get_image_model().get_rendition_model()
    post_delete.connect(
        safely(rendition_deleted),
        sender=rendition_model,
        weak=False,
        dispatch_uid=f"projection-rendition-deleted-{rendition_model._meta.label}",
    )
    for model in (Country, Site):
        post_save.connect(
            safely(site_changed), sender=model, weak=False, dispatch_uid=f"projection-{model}"
        )
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            safely(restriction_changed),
            sender=PageViewRestriction,
            weak=False,
            dispatch_uid=f"projection-restriction-{name}",
        )
