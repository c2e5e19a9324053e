"""A side service that failed a moment ago is left alone for a while (``Pause``).

The cache (Redis) and the search engine are optimisations: when one is down, reads go
on without it and saves succeed. A dead one says so at once (connection refused), but
a hung one says nothing until its client gives up: the cache after ``CACHE_TIMEOUT``
(0.5 s), the engine after ``SEARCH_TIMEOUT`` (5 s). Asked many times a request, a hung
service cost a timeout each time: a visitor page asked the cache 8-18 times (6-9 s),
an editor's snippet save 42 times (21.6 s; with a hung engine too, 31.5 s, past
gunicorn's 30 s, which kills the save), an admin page search asked the engine three
times (16.7 s).

So after a failure the process answers without the service for a few seconds, then
asks it again (the first request after the pause pays one more timeout if it is still
down). Kept per process, in memory: the cache, the one place processes could share it,
is one of the services in question.
"""

from __future__ import annotations

import time

from django.conf import settings


class Pause:
    """The last failure of one side service in this process; ``setting`` names how many
    seconds it is left alone after one."""

    def __init__(self, setting: str):
        self.setting = setting
        self.failed_at: float | None = None

    def note(self) -> None:
        """The service failed just now."""
        self.failed_at = time.monotonic()

    def ongoing(self) -> bool:
        """Whether the service should not be asked now."""
        return self.failed_at is not None and (
            time.monotonic() - self.failed_at < getattr(settings, self.setting)
        )

    def seen_since(self, moment: float) -> bool:
        """Whether an answer begun at ``moment`` (``time.monotonic()``) was made without
        the service: it failed since then, or was still being left alone."""
        return self.ongoing() or (self.failed_at is not None and self.failed_at >= moment)

    def end(self) -> None:
        self.failed_at = None
