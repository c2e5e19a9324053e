"""Old addresses keep working: a page's new slug, or its new place, redirects its old URLs.

A page published with another slug (in any language), or moved (the admin's Move,
``page.move()``), changes the address of itself and of every page below it, in every
language its site publishes, and of the routes those pages serve below their own (a
cluster directory's profiles, ``get_route_paths``). Every such old address gets a
permanent redirect (wagtail.contrib.redirects, on its site) to where the same thing is
now, in the same language, so links and search engines keep working. A page moved to
another country's site may lose languages (the hub publishes in seven, the Czech site in
two): its old addresses in those go to the language their readers land on there
(``cms.core.pages.link_language``: Slovak readers to the Czech page, German ones to the
English), not to a 404.

Wagtail's own automatic redirects know one language (the one active when the change is
committed) and none of the others' translated paths, so they are off
(``WAGTAILREDIRECTS_AUTO_CREATE``, ``cms/settings/base.py``). Here every save that
changes a live page's stored ``url_path_<lang>`` does it, whoever saves (publishing,
``transliterate_slugs``), and every move, whoever moves (the admin's Move and bulk
Move, ``page.move()``):

- ``pre_save`` reads where the page and the live pages below it are, from their stored
  url paths (``addresses``, ``cms.core.page_addresses``);
- ``post_save``, in the same transaction, reads where they are now: the page's new url
  paths, and below it the same prefix swapped as modeltranslation swaps it (its update
  of the descendants comes after ``post_save``); ``redirect_changed`` writes the
  redirects. A chain (A -> B, then B -> C) ends at C; an address a page lives at again
  loses its automatic redirect.
- A move is one bookkeeping around the whole move (``pre_page_move``, ``post_page_move``),
  not its saves: Wagtail's move saves the page with only the active language's url path
  new, and wagtail-modeltranslation saves it again (in its ``post_page_move``) with the
  others. Neither save sees every old address against every new one: with Czech active,
  the first one's page still looked Czech by its English path (nothing for Czech to go
  to), and the second one's "before" already had the Czech path on the new site (so no
  old Czech address). So ``pre_page_move`` reads where the page and those below it are,
  the saves of the moved page leave it alone, and ``post_page_move`` reads where they
  are from the new parent (``set_url_path``, every language) and redirects.

A few queries whatever the number of pages below (bulk reads and writes). A CDN, when
one is configured, forgets the old addresses after the commit. Errors are logged, never
raised: the editor's save stands.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, get_page_models
from wagtail.signals import post_page_move, pre_page_move

from cms.core import frontend_cache
from cms.core.page_addresses import (
    SLUGS,
    URL_PATHS,
    Address,
    Key,
    addresses,
    as_served_now,
    in_languages_of_new_sites,
    languages_by_site,
    route_paths,
)

logger = logging.getLogger(__name__)


def redirect_changed(before: Mapping[Key, Address], after: Mapping[Key, Address]) -> int:
    """A permanent redirect from every address of ``before`` that ``after`` has elsewhere.

    On the old address's site, to the new path (a full URL if it is on another site).
    An editor's own redirect from an old address is kept, an automatic one replaced
    (the page lived there until now); automatic redirects from the new addresses go (a
    page lives there now: a redirect would only wait for it to move, or loop); and the
    redirects that led to an old address lead to the new one. Returns how many were made.
    """
    moves: dict[tuple[int, str], str] = {}
    old_links: dict[tuple[int, str], str] = {}
    new_addresses = set()
    for key, old in before.items():
        new = after.get(key)
        if new is None or new == old:
            continue
        link = new.path if new.site_id == old.site_id else new.root_url + new.path
        moves[old.normalised()] = link
        old_links[old.site_id, old.path] = old_links[old.site_id, old.root_url + old.path] = link
        new_addresses.add(new.normalised())
    if not moves:
        return 0
    sites = {site_id for site_id, _ in moves} | {site_id for site_id, _ in new_addresses}
    existing = Redirect.objects.filter(
        site_id__in=sites, old_path__in={path for _, path in set(moves) | new_addresses}
    )
    kept, replaced = set(), []
    for redirect in existing:
        place = (redirect.site_id, redirect.old_path)
        if redirect.automatically_created and (place in moves or place in new_addresses):
            replaced.append(redirect.pk)
        elif place in moves:
            kept.add(place)
    Redirect.objects.filter(pk__in=replaced).delete()
    follow_chains(old_links)
    Redirect.objects.bulk_create(
        Redirect(
            old_path=path,
            site_id=site_id,
            redirect_link=link,
            is_permanent=True,
            automatically_created=True,
        )
        for (site_id, path), link in moves.items()
        if (site_id, path) not in kept
    )
    return len(moves) - len(kept)


def follow_chains(old_links: Mapping[tuple[int, str], str]) -> None:
    """Redirects to an old address (``(site, link) -> new link``) lead to the new one,
    not through it; one that would now lead to itself goes. Two queries."""
    chained = Redirect.objects.filter(
        site_id__in={site_id for site_id, _ in old_links},
        redirect_link__in={link for _, link in old_links},
    )
    updated, looping = [], []
    for redirect in chained:
        link = old_links.get((redirect.site_id, redirect.redirect_link))
        if link is None:
            continue
        redirect.redirect_link = link
        if link.startswith("/") and Redirect.normalise_path(link) == redirect.old_path:
            looping.append(redirect.pk)
        else:
            updated.append(redirect)
    Redirect.objects.filter(pk__in=looping).delete()
    Redirect.objects.bulk_update(updated, ["redirect_link"])


@dataclass
class Moving:
    """A live page (or one with live pages below) whose url paths are being saved, or
    which is being moved: where it and the live pages below it were."""

    stored: dict[str, str | None]  # the page's url paths as stored: url_path_<lang> -> path
    tree_path: str  # the page's place in the tree (treebeard's ``path``) as stored
    pages: list[Page]  # the live pages at or below it, as stored
    languages: dict[int, tuple[str, ...]]
    routes: dict[int, list[str]]
    before: dict[Key, Address]


#: This thread's pages between ``pre_save`` and ``post_save``: where they were.
SAVING = threading.local()


def saving() -> dict[int, Moving]:
    if not hasattr(SAVING, "pages"):
        SAVING.pages = {}
    return SAVING.pages


#: This thread's pages between ``pre_page_move`` and ``post_page_move``: where they were.
MOVING = threading.local()


def moves() -> dict[int, Moving]:
    if not hasattr(MOVING, "pages"):
        MOVING.pages = {}
    return MOVING.pages


def saved_url_paths(update_fields) -> tuple[str, ...]:
    """The url path fields a save writes (all, unless ``update_fields`` names some)."""
    if update_fields is None or "url_path" in update_fields:
        return URL_PATHS
    return tuple(name for name in URL_PATHS if name in update_fields)


def stored_place(pk: int) -> dict | None:
    """The page as stored: live, has pages below, its tree path and url paths (one query);
    None for a page that is neither live nor has pages below it (no address to keep)."""
    stored = Page.objects.filter(pk=pk).values("live", "numchild", "path", *URL_PATHS).first()
    if stored is None or not (stored["live"] or stored["numchild"]):
        return None
    return stored


def where_they_are(stored: dict) -> Moving:
    """Where the page ``stored`` (``stored_place``) and the live pages below it are: a few
    queries, not one per page."""
    pages = list(
        Page.objects.filter(path__startswith=stored["path"])
        .live()
        .only("content_type", "path", *URL_PATHS, *SLUGS)
    )
    languages = languages_by_site()
    routes = route_paths(pages)
    before = addresses(pages, languages=languages, routes=routes)
    url_paths = {name: stored[name] for name in URL_PATHS}
    return Moving(url_paths, stored["path"], pages, languages, routes, before)


def moving(instance: Page, fields: Sequence[str]) -> Moving | None:
    """Where ``instance`` and the live pages below it are, if this save moves them.

    One query for a save that moves nothing (most: new content, no new slug), or for a
    page that is neither live nor has pages below it; a few more (not one per page)
    for one that moves addresses. Nothing for the saves a move makes of the page it
    moves (``on_page_moving``: the move's own bookkeeping covers them).
    """
    stored = stored_place(instance.pk)
    if stored is None or in_a_move(instance.pk, stored):
        return None
    if all(stored[name] == getattr(instance, name) for name in fields):
        return None
    return where_they_are(stored)


def in_a_move(pk: int, stored: dict) -> bool:
    """Whether the page ``pk`` is being moved: ``pre_page_move`` noted it and its stored
    tree path is no longer the one noted (treebeard has moved it, the saves that follow
    are the move's). One noted by a move that failed before (its tree path is the noted
    one again: the move rolled back) is forgotten, so the page's saves redirect again."""
    noted = moves().get(pk)
    if noted is None:
        return False
    if stored["path"] != noted.tree_path:
        return True
    moves().pop(pk, None)
    return False


def swapped(path: str | None, old: str | None, new: str | None) -> str | None:
    """A url path below a page whose own went from ``old`` to ``new``: modeltranslation's
    rule for the descendants (``<new>`` + the rest), applied here before it runs."""
    if path and old and new and path.startswith(old):
        return new + path[len(old) :]
    return path


def keep_old_addresses(instance: Page, moved: Moving) -> int:
    """Redirect ``moved``'s old addresses to where ``instance`` (saved) and its pages are."""
    pages = [instance] if instance.live else []
    for page in moved.pages:
        if page.pk == instance.pk:
            continue
        for name in URL_PATHS:
            setattr(
                page,
                name,
                swapped(getattr(page, name), moved.stored[name], getattr(instance, name)),
            )
        pages.append(page)
    after = addresses(pages, languages=moved.languages, routes=moved.routes)
    after.update(in_languages_of_new_sites(moved.before, after))
    after = as_served_now(after, pages)
    purge_old_addresses(moved.before, after, instance.pk)
    return redirect_changed(moved.before, after)


def purge_old_addresses(before: Mapping[Key, Address], after: Mapping[Key, Address], pk) -> None:
    """The CDN forgets the old addresses (after the commit), so it fetches their redirects
    instead of serving the old pages there until ``VISITOR_CACHE_S_MAXAGE`` runs out; the new
    addresses and the listings are ``cms.core.frontend_cache``'s (publish, move)."""
    if not frontend_cache.enabled():
        return
    old = {
        address.root_url + address.path
        for key, address in before.items()
        if after.get(key) != address
    }
    if old:
        transaction.on_commit(
            lambda: frontend_cache.purge_urls(lambda: old, f"page {pk}'s old addresses"),
            robust=True,
        )


def on_page_saving(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Before a page is saved: where it and the live pages below it are (if that changes)."""
    pending = saving()
    pending.pop(instance.pk, None)  # a save that failed after its pre_save left one
    fields = saved_url_paths(update_fields)
    if raw or instance.pk is None or not fields:
        return
    try:
        with transaction.atomic():  # a failed read must not break the editor's transaction
            found = moving(instance, fields)
    except Exception:
        logger.exception("redirects: could not read the addresses of page %s", instance.pk)
        return
    if found is not None:
        pending[instance.pk] = found


def on_page_saved(sender, instance, raw=False, **kwargs) -> None:
    """After a page is saved: its old addresses redirect to the new ones."""
    moved = saving().pop(instance.pk, None)
    if raw or moved is None:
        return
    try:
        with transaction.atomic():  # the page is saved whatever happens to its redirects
            keep_old_addresses(instance, moved)
    except Exception:
        logger.exception("redirects: could not keep the old addresses of page %s", instance.pk)


def on_page_moving(
    sender, instance, parent_page_before=None, parent_page_after=None, **kwargs
) -> None:
    """Before a move: where the page and the live pages below it are, in every language
    (nothing has changed yet; ``url_path_before`` is only the active language's). Nothing
    to read for a new place among the same siblings (a url path is the parent's and the
    slug: none changes)."""
    pending = moves()
    pending.pop(instance.pk, None)
    if parent_page_before is not None and parent_page_after is not None:
        if parent_page_before.pk == parent_page_after.pk:
            return
    try:
        with transaction.atomic():  # a failed read must not break the move
            stored = stored_place(instance.pk)
            found = where_they_are(stored) if stored is not None else None
    except Exception:
        logger.exception("redirects: could not read the addresses of page %s", instance.pk)
        return
    if found is not None:
        pending[instance.pk] = found


def on_page_moved(sender, instance, parent_page_after=None, **kwargs) -> None:
    """After a move: the old addresses redirect to where the page and those below it are.

    Where they are is read from the new parent (``set_url_path`` sets the url path in
    every language, on a copy that is not saved), not from the stored page: whether
    wagtail-modeltranslation's own ``post_page_move`` receiver (which stores the url
    paths in the languages other than the active one) has run before this one depends on
    the order the apps were loaded in (``INSTALLED_APPS`` has it first; were it after,
    its save would only make the same redirects again).
    """
    moved = moves().pop(instance.pk, None)
    if moved is None or parent_page_after is None:
        return
    try:
        with transaction.atomic():  # the move stands whatever happens to its redirects
            page = Page.objects.get(pk=instance.pk)
            page.set_url_path(parent_page_after)
            keep_old_addresses(page, moved)
    except Exception:
        logger.exception("redirects: could not keep the old addresses of page %s", instance.pk)


def connect() -> None:
    """Called from ``CoreConfig.ready``: every page type (the base ``Page`` too, which a
    move saves), and every move."""
    for model in get_page_models():
        name = model._meta.label_lower
        pre_save.connect(on_page_saving, sender=model, dispatch_uid=f"redirects-saving-{name}")
        post_save.connect(on_page_saved, sender=model, dispatch_uid=f"redirects-saved-{name}")
    pre_page_move.connect(on_page_moving, dispatch_uid="redirects-moving")
    post_page_move.connect(on_page_moved, dispatch_uid="redirects-moved")
