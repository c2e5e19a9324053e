"""Values built from the database and kept in the process, per key, until their rows change.

The typo vocabulary (``cms.search.suggest``), the synonym lists (``cms.search.synonyms``)
and the known country codes and sector slugs (``cms.search.query``) are read on nearly every
search but change rarely. Each is kept here per key (a language, or one key) with a
*fingerprint* of the rows it was built from (``cms.search.fingerprints``: count, last id,
last change; one small aggregate statement).

- The fingerprint is read at most every ``SEARCH_VOCABULARY_CHECK_SECONDS`` (5 s in
  production, 0 in tests): between two checks a search costs no statement for it. An
  editor's change is so seen by every app server within that many seconds, whatever
  Django's cache does (it may be down: it is not used).
- A value older than ``max_age`` seconds is built again even if the fingerprint has not
  changed (clocks of different app servers may disagree about ``updated_at``).
- ``background=True`` (the vocabulary, seconds to build at 100,000 documents): a process
  that has a value keeps serving it while one thread per key builds the new one
  (``SEARCH_VOCABULARY_BACKGROUND``); only a process's first use of a key waits, unless
  the value was built before (``warm``: the vocabularies, in gunicorn's master at start).
  A thread served such an out-of-date value knows it (``served_stale``): an answer made
  with it is right for now, but no cache may keep it past the rebuild.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

V = TypeVar("V")

#: A cached value is built again after this many seconds even if its fingerprint is unchanged.
MAX_AGE_SECONDS = 15 * 60


@dataclass
class Entry(Generic[V]):
    fingerprint: tuple
    built_at: float
    checked_at: float
    value: V


class CheckedCache(Generic[V]):
    """Per-key values of ``build(key)``, built again when ``fingerprint(key)`` changes."""

    def __init__(
        self,
        name: str,
        build: Callable[[Hashable], V],
        fingerprint: Callable[[Hashable], tuple],
        *,
        max_age: float = MAX_AGE_SECONDS,
        background: bool = False,
    ):
        self.name = name
        self.build = build
        self.fingerprint = fingerprint
        self.max_age = max_age
        self.background = background
        self.entries: dict[Hashable, Entry[V]] = {}
        self.lock = threading.Lock()
        self.refreshing: set[Hashable] = set()
        self.served = threading.local()

    def get(self, key: Hashable) -> V:
        """The value for ``key``: the kept one while its rows are unchanged (checked at most
        every ``SEARCH_VOCABULARY_CHECK_SECONDS``), else built again."""
        now = time.monotonic()
        entry = self.entries.get(key)
        fresh = entry is not None and now - entry.built_at < self.max_age
        if fresh and now - entry.checked_at < settings.SEARCH_VOCABULARY_CHECK_SECONDS:
            return entry.value
        current = self.fingerprint(key)
        if fresh and entry.fingerprint == current:
            entry.checked_at = now
            return entry.value
        if entry is not None and self.background and settings.SEARCH_VOCABULARY_BACKGROUND:
            self.refresh_in_background(key)
            self.served.stale = True
            return entry.value
        with self.lock:
            built = self.entries.get(key)
            if entry is None and built is not None:
                return built.value  # built by another thread (``warm``) while this one waited
            return self.rebuild(key)

    def forget_stale(self) -> None:
        """Start noting afresh whether this thread is served an out-of-date value."""
        self.served.stale = False

    def served_stale(self) -> bool:
        """Whether this thread was served a value known to be out of date (its rows changed,
        the new one still building) since ``forget_stale``."""
        return getattr(self.served, "stale", False)

    def warm(self, keys) -> list[Hashable]:
        """Build the value of every key of ``keys`` that has none yet; the keys built.

        For a server's start (``cms.gunicorn_conf.when_ready``): built in the master before
        it forks, the values are every worker's from its first request, including workers
        that replace others later; a stale one is then rebuilt in the background as usual.
        """
        built = []
        for key in keys:
            with self.lock:
                if key not in self.entries:
                    self.rebuild(key)
                    built.append(key)
        return built

    def peek(self, key: Hashable) -> V | None:
        """The kept value for ``key`` as it is (no statement), or None."""
        entry = self.entries.get(key)
        return entry.value if entry is not None else None

    def rebuild(self, key: Hashable) -> V:
        # The fingerprint before reading: a change meanwhile triggers the next build.
        current = self.fingerprint(key)
        value = self.build(key)
        now = time.monotonic()
        self.entries[key] = Entry(current, now, now, value)
        return value

    def refresh_in_background(self, key: Hashable) -> None:
        """Build ``key``'s value again in a thread of its own, one at a time per key."""
        with self.lock:
            if key in self.refreshing:
                return
            self.refreshing.add(key)

        def run():
            try:
                self.rebuild(key)
            except Exception:  # noqa: BLE001 - the stale value stays; the next check retries
                logger.exception("Could not rebuild the %s cache for %s", self.name, key)
            finally:
                with self.lock:
                    self.refreshing.discard(key)
                connections.close_all()  # this thread's own connections

        threading.Thread(target=run, name=f"{self.name}-{key}", daemon=True).start()

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
