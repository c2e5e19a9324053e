"""A cluster profile's old addresses keep working after a new slug or a new country.

A profile is served below the cluster directory of its country's site
(``/cs/klastry/<slug>/``) and below the hub's, in every language those sites publish
(``ClusterDirectoryPage.directories_serving``, ``clusters``). An editor who gives it
another slug, or moves it to another country, changes those addresses: each old one
gets a permanent redirect to where the profile is now, as a page's new slug does
(``cms.core.redirects``, whose bookkeeping writes them). On its new country's site,
a reader of a language that site does not publish lands on the language
``link_language`` picks, as after a page's move to another country.

``pre_save`` reads the stored slug and country (one query; nothing more unless either
changes), ``post_save`` writes the redirects in the same transaction. The CDN forgets
the old addresses through ``cms.core.frontend_cache_snippets``. Errors are logged,
never raised: the editor's save stands.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_save, pre_save

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.core.models import Country
from cms.core.page_addresses import Address, addresses, languages_by_site
from cms.core.pages import link_language
from cms.core.redirects import redirect_changed

logger = logging.getLogger(__name__)

#: This thread's profiles between ``pre_save`` and ``post_save``: where they were.
SAVING = threading.local()


def saving() -> dict[int, dict]:
    if not hasattr(SAVING, "profiles"):
        SAVING.profiles = {}
    return SAVING.profiles


def served_at(slug: str, country_id: int, languages) -> dict[tuple[str, str], Address]:
    """Where visitors find a profile with ``slug`` of country ``country_id``: below its
    country's directory (``("own", language)``) and the hub's (``("hub", language)``)."""
    hub = Country.objects.filter(is_hub=True).values_list("pk", flat=True).first()
    directories = ClusterDirectoryPage.directories_serving({country_id, hub} - {None})
    found = {}
    for role, owner in (("own", country_id), ("hub", hub)):
        directory = directories.get(owner)
        if directory is None:
            continue
        routes = {directory.pk: [f"{slug}/"]}
        for (_, language, _), address in addresses(
            [directory], languages=languages, routes=routes
        ).items():
            found[role, language] = address
    return found


def as_read_now(profile: ClusterProfile, before: dict, after: dict) -> dict:
    """``after`` for each of ``before``'s keys: on its new country's site, an old address's
    language there or the one its readers land on (``link_language``)."""
    country = profile.country
    landed = dict(after)
    for role, language in before:
        if (role, language) not in after and role == "own":
            address = after.get((role, link_language(profile, language, country)))
            if address is not None:
                landed[role, language] = address
    return landed


def on_profile_saving(sender, instance, raw=False, **kwargs) -> None:
    """Before a profile is saved: where it was, if this save gives it another address."""
    pending = saving()
    pending.pop(instance.pk, None)  # a save that failed after its pre_save left one
    if raw or instance.pk is None:
        return
    try:
        with transaction.atomic():  # a failed read must not break the editor's transaction
            stored = ClusterProfile.objects.filter(pk=instance.pk).values("slug", "country_id")
            stored = stored.first()
            if stored is None or (stored["slug"], stored["country_id"]) == (
                instance.slug,
                instance.country_id,
            ):
                return
            languages = languages_by_site()
            before = served_at(stored["slug"], stored["country_id"], languages)
    except Exception:
        logger.exception("redirects: could not read the addresses of profile %s", instance.pk)
        return
    pending[instance.pk] = {"before": before, "languages": languages}


def on_profile_saved(sender, instance, raw=False, **kwargs) -> None:
    """After a profile is saved: its old addresses redirect to the new ones."""
    moved = saving().pop(instance.pk, None)
    if raw or moved is None:
        return
    try:
        with transaction.atomic():  # the profile is saved whatever happens to its redirects
            after = served_at(instance.slug, instance.country_id, moved["languages"])
            redirect_changed(moved["before"], as_read_now(instance, moved["before"], after))
    except Exception:
        logger.exception("redirects: could not keep the old addresses of profile %s", instance.pk)


def moved_in_bulk(profiles: list[ClusterProfile], write) -> None:
    """``write()`` (a bulk update, which sends no signals) with the profiles among
    ``profiles`` it gives another address redirected, as a save would: the import moved
    a cluster to another country and its old address was a 404."""
    for profile in profiles:
        on_profile_saving(ClusterProfile, profile)
    write()
    for profile in profiles:
        on_profile_saved(ClusterProfile, profile)


def connect() -> None:
    """Called from ``ClustersConfig.ready``."""
    pre_save.connect(on_profile_saving, sender=ClusterProfile, dispatch_uid="profile-redirects")
    post_save.connect(on_profile_saved, sender=ClusterProfile, dispatch_uid="profile-redirected")
