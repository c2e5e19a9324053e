"""What the Delivery API remembers: its response cache's generation.

Tombstones (content that is gone) live in ``cms.projections``, webhooks and their
deliveries in ``cms.webhooks``.
"""

from django.db import models


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
