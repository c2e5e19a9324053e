"""Purge a CDN or caching proxy when a page is published or unpublished (or a snippet changes).

Wagtail's ``wagtail.contrib.frontend_cache`` purges a page's URL in the
language active at publish time only, and its per-language option swaps the
``/xx/`` prefix, which gives wrong addresses here: slugs are translated
(``/cs/aktuality/x/`` is ``/en/news/x/``). So this module lists the URLs
itself, every language the site publishes in, for the page and the pages that
list it (its ancestors up to the home page: indexes and the home page show the
newest items), and hands them to Wagtail's ``purge_urls_from_cache`` (its
backends, as a background task).

A view restriction added or lifted, and a move, purge the same way: the pages,
those below them, and the old and new listings (a deleted page is unpublished
first, by Wagtail). The old addresses of a moved or renamed page are purged where
they are known, with their redirects (``cms.core.redirects``). A snippet, image or
document saved or deleted purges the pages and cluster profiles that show it
(``cms.core.frontend_cache_snippets``, through ``purge_urls`` here). Off unless
``WAGTAILFRONTENDCACHE`` names a backend (``cms/settings/visitors.py``).
A purge never fails or rolls back a publish: it is sent after the commit, and
every error (a dead port, a timeout, a refused purge) is logged, not raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.core.languages import site_languages
from cms.core.pages import BasePage

logger = logging.getLogger(__name__)


class HTTPPurgeBackend(BaseBackend):
    """``PURGE <path>`` with the site's ``Host`` to a caching proxy (Varnish, nginx).

    Like Wagtail's ``HTTPBackend``, but with a timeout (``TIMEOUT`` seconds):
    a proxy that accepts the connection and never answers would otherwise
    hold the task (or, with immediate tasks, the editor's request) forever.
    """

    def __init__(self, params):
        super().__init__(params)
        location = urlsplit(params["LOCATION"])
        self.scheme, self.netloc = location.scheme, location.netloc
        self.timeout = float(params.get("TIMEOUT", 5))
        #: Whether the proxy gave no answer during this purge (Wagtail makes the backend
        #: for each purge, and hands it the URLs one batch per host name).
        self.unanswered = False

    def purge(self, url) -> None:
        self.purged(url)

    def purge_batch(self, urls) -> None:
        """Every URL, until the proxy gives no answer: the rest of this purge, in this
        batch and those of the other host names, is then skipped (and counted in the
        log), as each would wait out the timeout too. A sector's change purges hundreds
        of URLs: at 5 s each, a hung proxy held the task worker for twenty minutes, and
        every webhook and index update queued behind it."""
        urls = list(urls)
        done = 0
        while done < len(urls) and not self.unanswered:
            self.unanswered = not self.purged(urls[done])
            done += 1
        if self.unanswered and (skipped := len(urls) - done):
            logger.warning(
                "frontend cache: %d more URLs not purged, %s did not answer", skipped, self.netloc
            )

    def purged(self, url) -> bool:
        """Send ``PURGE`` for ``url``; whether the proxy answered (a refusal is an answer)."""
        parts = urlsplit(url)
        target = urlunsplit((self.scheme, self.netloc, parts.path, parts.query, ""))
        request = Request(target, method="PURGE", headers={"Host": parts.netloc})  # noqa: S310
        try:
            # The scheme and host are the configured FRONTEND_CACHE_URL's.
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except HTTPError as error:  # the proxy refused this purge: try the next one
            logger.warning("frontend cache: could not purge %s: %s", url, error)
        except OSError as error:  # URLError, refused, timed out
            logger.warning("frontend cache: could not purge %s: %s", url, error)
            return False
        return True


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def page_urls(page, *, with_descendants: bool = False) -> set[str]:
    """Absolute URLs of ``page`` and the pages listing it, in every language of its site;
    ``with_descendants``: and of every live page below it (a section that was restricted)."""
    specific = page.specific
    if not isinstance(specific, BasePage):
        return set()
    languages = site_languages(specific.get_country())
    pages = [specific, *page.get_ancestors().filter(depth__gt=1).specific()]
    if with_descendants:
        pages += page.get_descendants().live().specific()
    urls = set()
    for code in languages:
        with translation.override(code):
            for each in pages:
                url = each.get_full_url()
                if url is not None:
                    urls.add(url)
    return urls


def purge_page(page, *, with_descendants: bool = False) -> None:
    """Purge ``page``'s URLs; logs instead of raising, whatever goes wrong."""
    purge_urls(lambda: page_urls(page, with_descendants=with_descendants), f"page {page.pk}")


def purge_urls(urls: Callable[[], Iterable[str]], about: str) -> None:
    """Purge what ``urls()`` lists, in one background task (``about``: what changed, for
    the log); logs instead of raising."""
    try:
        found = sorted(set(urls()))
        if found:
            purge_urls_from_cache(found)
    except Exception:  # a purge is an optimisation: the publish (or save) has happened
        logger.warning("frontend cache: could not purge %s", about, exc_info=True)


def on_page_changed(sender, instance, **kwargs) -> None:
    if enabled():
        # After the commit: the CDN must not fetch the old version again before it exists.
        transaction.on_commit(lambda: purge_page(instance), robust=True)


def on_restriction_changed(sender, instance, raw=False, **kwargs) -> None:
    """A view restriction added, changed or lifted: the CDN's copies of the section go.

    Without this, a page that was public stays served from the CDN, to anyone, for up
    to ``VISITOR_CACHE_S_MAXAGE`` after an editor puts a password on it; and the
    listings above keep its teaser. (Restricted responses are never kept: private.)
    """
    if raw or not enabled():
        return
    page_id = instance.page_id

    def purge() -> None:
        page = Page.objects.filter(pk=page_id).first()
        if page is not None:
            purge_page(page, with_descendants=True)

    transaction.on_commit(purge, robust=True)


def on_page_moved(
    sender, instance, parent_page_before=None, url_path_before=None, url_path_after=None, **kwargs
):
    """A page moved: its new URLs (and those below it), and the old and new listings.

    Its old URLs, and those below it, are ``cms.core.redirects``'s (its own
    ``post_page_move`` receiver purges those: they now redirect), as for a new slug.
    """
    if not enabled() or url_path_before == url_path_after:
        return
    old_parent = parent_page_before

    def urls() -> set[str]:
        moved = page_urls(instance, with_descendants=True)
        return moved | (page_urls(old_parent) if old_parent is not None else set())

    transaction.on_commit(lambda: purge_urls(urls, f"page {instance.pk}"), robust=True)


def connect() -> None:
    """Called from ``CoreConfig.ready``."""
    page_published.connect(on_page_changed, dispatch_uid="frontend_cache_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="frontend_cache_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="frontend_cache_moved")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            on_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"frontend_cache_restriction_{name}",
        )
