"""What publishing, unpublishing, moving, deleting or restricting content does to search.

The signal receivers that keep search documents in step with published content
(``connect_signals``, called once when the app is ready): each says which items a
change touches (the page, the pages below it whose URLs moved, the cluster profiles a
directory serves) and hands them to ``cms.search.indexing``, which writes their
documents and every backend. Kept apart from it so that the writing can be read, and
called by imports and rebuilds, without the wiring; the wiring imports the writing,
never the other way round.

The synonyms', promoted results' and sectors' receivers are ``cms.search.signals``.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.core.visibility import deleted_with_its_page
from cms.search.documents import Batch, kind_of, link_of, searched_models
from cms.search.indexing import (
    remove_object,
    searched_page_models,
    sync_object,
    sync_under,
)
from cms.search.models import SearchDocument

# --- signal receivers -------------------------------------------------------------------------


def on_page_published(sender, instance, **kwargs):
    """The page's own documents, and those below it when its URL changed (a new slug) or
    it is a cluster directory (the profiles it serves: ``sync_profiles_of_directory``)."""
    page = instance.specific
    sync_object(page)
    if addresses_changed_below(page):
        sync_under(page)
    else:
        sync_profiles_of_directory(page)


def addresses_changed_below(page) -> bool:
    """Whether the items below ``page`` have documents linking where they no longer are.

    A new slug on a section (a news index, a cluster directory) moves every URL below
    it, yet publishes nothing there: without this, search would link each of them at
    its old address (a 404) until its own next publication. One item stands for all
    (they move together), as ``cms.projections`` checks: the first searched page below,
    and one profile a directory below serves. A few queries, none for a page with nothing
    below it (most publications: news items, events).
    """
    from cms.clusters.models import ClusterDirectoryPage

    if not page.numchild:
        return False
    below = Page.objects.descendant_of(page).live().type(*searched_page_models())
    first = below.order_by("path").first()
    profile = ClusterDirectoryPage.profiles_served_under(page).order_by("pk").first()
    items = [item for item in (first and first.specific, profile) if item is not None]
    return any(links_elsewhere(item) for item in items)


def links_elsewhere(item) -> bool:
    """Whether a stored document of ``item`` links another URL than the item has now."""
    kind, batch = kind_of(item), Batch([item])
    documents = SearchDocument.objects.filter(kind=kind, object_id=item.pk)
    return any(
        url != link_of(item, kind, language, batch)
        for language, url in documents.values_list("language", "url")
    )


def on_page_unpublished(sender, instance, **kwargs):
    page = instance.specific
    remove_object(page)
    sync_profiles_of_directory(page)


def sync_profiles_of_directory(page) -> None:
    """A cluster directory published or unpublished: the profiles it serves, or served, are
    linked from it, from the hub's directory, or from nowhere (``directories_serving``)."""
    from cms.clusters.models import ClusterDirectoryPage

    if isinstance(page, ClusterDirectoryPage):
        sync_under(page)


def on_deleted(sender, instance, **kwargs):
    remove_object(instance)


def on_snippet_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_object(instance)


def on_restriction_changed(sender, instance, raw=False, **kwargs):
    """A view restriction added, changed or lifted: its page and everything below follow.

    That is the searched pages at or below the page, and the cluster profiles whose
    directory is (``ClusterDirectoryPage.profiles_served_under``). What now refuses
    visitors loses its documents at once, in the editor's transaction, however many
    there are: that never waits. What visitors may see again (a restriction lifted,
    unless one above still holds) is indexed again there too when it is a few items;
    more are left to the task worker after the commit (as ``cms.projections`` does),
    since rendering a large section's documents would hold the editor's save. Either
    way the engines' part is queued (``publish_to_backends``), so an engine outage
    never fails the save.
    """
    if raw or deleted_with_its_page(kwargs.get("origin")):  # fixtures; a page deletion
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        sync_under(page)


def on_page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    """A page moved (nothing is published): it and every page below it have new URLs, and
    maybe another country's site or a restriction above them; their documents follow, or
    search links the old site."""
    if url_path_before != url_path_after:
        sync_under(instance)


def on_site_changed(sender, instance, raw=False, **kwargs):
    """A site's hostname or port changed (``sync_sites``, the sites' admin): the documents of
    everything on it link the new address, or search sends visitors to the old one."""
    if not raw and instance.root_page_id:
        sync_under(instance.root_page)


def on_country_changed(sender, instance, raw=False, **kwargs):
    """A country's languages changed (``sync_sites``, the countries' admin): the documents of
    everything on its site hold the languages it publishes (``documents.site_chain``) and
    link addresses it has, or search sends visitors to a language it no longer publishes."""
    if not raw and instance.site_id and instance.site.root_page_id:
        sync_under(instance.site.root_page)


def on_migrated(sender, using="default", **kwargs):
    from cms.search import fulltext_schema

    fulltext_schema.ensure(using)


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_migrate
    from wagtail.models import Page, PageViewRestriction, Site

    from cms.core.models import Country

    # Pages are searched as published; snippets (no drafts) as saved.
    page_published.connect(on_page_published, dispatch_uid="search-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="search-moved")
    for model in searched_models():
        post_delete.connect(
            on_deleted, sender=model, dispatch_uid=f"search-deleted-{model.__name__}"
        )
        if not issubclass(model, Page):
            post_save.connect(
                on_snippet_saved, sender=model, dispatch_uid=f"search-saved-{model.__name__}"
            )
    # Pages under a view restriction are searched by nobody (cms.search.documents).
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            on_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search-restriction-{name}",
        )
    post_save.connect(on_site_changed, sender=Site, dispatch_uid="search-site-changed")
    post_save.connect(on_country_changed, sender=Country, dispatch_uid="search-country-changed")
    # The full-text index's triggers go when SQLite rebuilds the document table to alter it.
    post_migrate.connect(
        on_migrated, sender=apps.get_app_config("sitesearch"), dispatch_uid="search-fulltext"
    )
