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
and one for the invalidations.

The operations of Django's cache API are guarded (what Django, Wagtail, django-ratelimit
and this project call); django-redis's extras (``lock``, ``ttl``, ``keys``, …) are not
used here and raise as django-redis raises them.
"""

from __future__ import annotations

import logging
import socket
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


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose failed operations are misses, with a pause after a failure."""

    def __init__(self, server: str, params: dict) -> None:
        options = {**params.get("OPTIONS", {}), "IGNORE_EXCEPTIONS": False}
        super().__init__(server, {**params, "OPTIONS": options})
        self.pause = PAUSES.setdefault(str(server), Pause("CACHE_RETRY_SECONDS"))
        self.invalidations_pause = PAUSES.setdefault(
            f"{server} invalidations", Pause("CACHE_RETRY_SECONDS")
        )

    def guarded(self, operation, fallback=None, *, invalidation: bool = False):
        pause = self.invalidations_pause if invalidation else self.pause
        if pause.ongoing():
            return fallback
        try:
            return operation()
        except REDIS_ERRORS as error:
            self.pause.note()
            if invalidation:
                self.invalidations_pause.note()
            logger.warning("Cache server unavailable, going on without it: %s", error)
            return fallback

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

    def delete(self, *args, **kwargs):
        return self.guarded(partial(super().delete, *args, **kwargs), False, invalidation=True)

    def delete_many(self, *args, **kwargs):
        return self.guarded(partial(super().delete_many, *args, **kwargs), invalidation=True)

    def clear(self):
        return self.guarded(super().clear, invalidation=True)

    def close(self, **kwargs):
        return self.guarded(partial(super().close, **kwargs))
