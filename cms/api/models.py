"""What the Delivery API remembers: content that is gone, and its response cache's generation.

Webhooks and their deliveries live in ``cms.webhooks``.
"""

from django.db import models
from django.utils import timezone


class Tombstone(models.Model):
    """A page that was unpublished or deleted, a snippet that was deleted, or an item that moved.

    API consumers mirror the content incrementally with ``updated_since``:
    changed items tell them what to update, tombstones what to remove. A page
    that is published again loses its tombstone (it is an ordinary changed
    item again). ``country`` is the code of the country the item belonged to
    (blank for network-wide items such as sectors), so a consumer of one site
    sees only its own removals.
    """

    class Reason(models.TextChoices):
        UNPUBLISHED = "unpublished", "unpublished"
        DELETED = "deleted", "deleted"
        #: Moved to another country: gone from the old country's site only.
        MOVED = "moved", "moved to another country"

    object_type = models.CharField(max_length=100, help_text="Model label, e.g. news.NewsPage")
    object_id = models.PositiveBigIntegerField()
    country = models.CharField(max_length=3, blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    removed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="unique_tombstone")
        ]
        ordering = ["removed_at", "pk"]

    def __str__(self):
        return (
            f"{self.object_type} {self.object_id} {self.reason} at {self.removed_at:%Y-%m-%d %H:%M}"
        )


class ResponseCacheGeneration(models.Model):
    """The generation of the API's response cache, kept where the content is (one row).

    Every change the API serves bumps it in the editor's own transaction, so the
    bump commits (or rolls back) with the change and never depends on the cache
    server. The cache holds a copy for a few seconds (``cms.api.cache``): a change
    saved while the cache was down is served at the latest that long after it
    returns, without a restart.
    """

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"response cache generation {self.value}"
