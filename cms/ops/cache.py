"""django-redis's cache, left alone for a while after Redis failed to answer.

``CACHE_URL=redis://…`` configures ``ResilientRedisCache`` (``cms.settings.base``). As
with django-redis's ``IGNORE_EXCEPTIONS``, a failed operation is a miss, never an error;
and after one, every operation of the process is a miss at once, without asking Redis,
for ``CACHE_RETRY_SECONDS`` (``cms.ops.pause``): a hung Redis costs a request one
``CACHE_TIMEOUT``, not one per cache operation. Kept per server (``LOCATION``).

Invalidations (``delete``, ``delete_many``, ``clear``) are tried though reads are paused:
the pause is one process's, and a deletion it skipped while Redis answered the others (a
blip here) left them reading a stale entry until it expired (Wagtail's site root paths
keep an hour). A failed invalidation, though, pauses the invalidations too: Redis did not
answer even that, and a deleted section (a few invalidations per page) waited a
``CACHE_TIMEOUT`` for each, 122 s for 38 pages, past gunicorn's timeout, which rolled the
deletion back. So a hung Redis costs a request at most two timeouts, one for the reads
and one for the invalidations; the deletions skipped meanwhile are owed (``Owed``) and
made by the process's first operation Redis answers after the pause.

The operations of Django's cache API are guarded (what Django, Wagtail, django-ratelimit
and this project call); django-redis's extras (``lock``, ``ttl``, ``keys``, …) are not
used here and raise as django-redis raises them.
"""

from __future__ import annotations

import logging
import socket
import threading
from functools import partial

from django_redis.cache import RedisCache
from redis.exceptions import RedisError

from cms.ops.pause import Pause

logger = logging.getLogger(__name__)

#: What django-redis's ``IGNORE_EXCEPTIONS`` would ignore: the server did not answer.
REDIS_ERRORS = (RedisError, socket.timeout, ConnectionError)

#: Two pauses per Redis server (``LOCATION``): its reads and fills, its invalidations;
#: shared by the process's cache instances.
PAUSES: dict[str, Pause] = {}


class Owed:
    """The deletions invalidations skipped while Redis failed, to be made when it answers
    again: skipped for good, another process kept reading the stale entry until it expired
    (Wagtail's site root paths keep an hour). At most ``LIMIT`` keys (then logged)."""

    LIMIT = 10_000

    def __init__(self):
        self.keys: dict[tuple[str, int | None], None] = {}
        self.lock = threading.Lock()

    def add(self, keys) -> None:
        with self.lock:
            for key in keys:
                if len(self.keys) >= self.LIMIT:
                    logger.warning("Cache: more than %d deletions owed; dropping", self.LIMIT)
                    return
                self.keys[key] = None

    def take(self) -> dict[int | None, list[str]]:
        """The owed keys by version, no longer owed (``add`` them back if deleting fails)."""
        if not self.keys:  # read without the lock: the usual case, nothing owed
            return {}
        with self.lock:
            owed, self.keys = self.keys, {}
        by_version: dict[int | None, list[str]] = {}
        for name, version in owed:
            by_version.setdefault(version, []).append(name)
        return by_version


#: One per Redis server, as its pauses.
OWED: dict[str, Owed] = {}


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose failed operations are misses, with a pause after a failure."""

    def __init__(self, server: str, params: dict) -> None:
        options = {**params.get("OPTIONS", {}), "IGNORE_EXCEPTIONS": False}
        super().__init__(server, {**params, "OPTIONS": options})
        self.pause = PAUSES.setdefault(str(server), Pause("CACHE_RETRY_SECONDS"))
        self.invalidations_pause = PAUSES.setdefault(
            f"{server} invalidations", Pause("CACHE_RETRY_SECONDS")
        )
        self.owed = OWED.setdefault(str(server), Owed())

    def guarded(self, operation, fallback=None, *, invalidation: bool = False, keys=()):
        """``operation()``, or ``fallback`` when Redis fails or is left alone; ``keys``: what
        an invalidation deletes, owed until Redis answers again (``Owed``)."""
        pause = self.invalidations_pause if invalidation else self.pause
        if pause.ongoing():
            self.owed.add(keys)
            return fallback
        try:
            result = operation()
        except REDIS_ERRORS as error:
            self.pause.note()
            if invalidation:
                self.invalidations_pause.note()
                self.owed.add(keys)
            logger.warning("Cache server unavailable, going on without it: %s", error)
            return fallback
        self.pay_owed()
        return result

    def pay_owed(self) -> None:
        """Delete what invalidations skipped, now that Redis answered (once, then again
        after the next failure)."""
        keys = self.owed.take()
        if not keys:
            return
        try:
            for version, names in keys.items():
                super().delete_many(names, version=version)
        except REDIS_ERRORS:
            self.pause.note()
            self.invalidations_pause.note()
            self.owed.add([(name, version) for version, names in keys.items() for name in names])

    def get(self, key, default=None, version=None, client=None):
        return self.guarded(partial(super().get, key, default, version, client), default)

    def get_many(self, *args, **kwargs):
        return self.guarded(partial(super().get_many, *args, **kwargs), {})

    def has_key(self, *args, **kwargs):
        return self.guarded(partial(super().has_key, *args, **kwargs), False)

    def set(self, *args, **kwargs):
        return self.guarded(partial(super().set, *args, **kwargs), False)

    def add(self, *args, **kwargs):
        return self.guarded(partial(super().add, *args, **kwargs), False)

    def set_many(self, *args, **kwargs):
        return self.guarded(partial(super().set_many, *args, **kwargs), [])

    def touch(self, *args, **kwargs):
        return self.guarded(partial(super().touch, *args, **kwargs), False)

    def incr(self, *args, **kwargs):
        return self.guarded(partial(super().incr, *args, **kwargs))

    def decr(self, *args, **kwargs):
        return self.guarded(partial(super().decr, *args, **kwargs))

    def delete(self, key, version=None, **kwargs):
        return self.guarded(
            partial(super().delete, key, version=version, **kwargs),
            False,
            invalidation=True,
            keys=[(key, version)],
        )

    def delete_many(self, keys, version=None, **kwargs):
        keys = list(keys)
        return self.guarded(
            partial(super().delete_many, keys, version=version, **kwargs),
            invalidation=True,
            keys=[(key, version) for key in keys],
        )

    def clear(self):
        return self.guarded(super().clear, invalidation=True)

    def close(self, **kwargs):
        return self.guarded(partial(super().close, **kwargs))
