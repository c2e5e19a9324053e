"""What a reader in one language gets of one published item, rendered when it changes.

One row per served item and language variant (each of the network's
languages, and ``all`` for ``?lang=all``): the Delivery API's JSON of the
item with every field, in the html rich text format, its URLs relative to
the host (made absolute when a response is written). ``digest`` fingerprints
what a reader sees, so ``updated_at`` moves only when that changes.

A ``Tombstone`` records an item that left (its projections withdrawn: unpublished,
deleted, moved to another country), so a consumer mirroring the content removes it.
``ContentGeneration`` counts the changes of what readers see (``generation.py``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Projection(models.Model):
    object_type = models.CharField(max_length=100, help_text="Model label, e.g. news.NewsPage")
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8, help_text="A language code, or 'all'")
    country = models.CharField(
        max_length=3, blank=True, help_text="Code of the country the item belongs to"
    )
    data = models.JSONField()
    #: ``data`` with only the fields a listing shows by default: what most listings read.
    listing = models.JSONField(null=True)
    #: ``data`` as a response writes it (``cms.projections.bodies``): what a detail serves.
    body = models.TextField(null=True)
    #: ``listing`` as a response writes it: what a listing joins.
    listing_body = models.TextField(null=True)
    # What listings filter and order by, from ``data`` (``cms.projections.columns``):
    #: the collation key of the title or name this row shows, in the row's language
    #: (``lang=all``: the English one, ordered as English);
    title_key = models.TextField(null=True)
    #: a news item's date (at midnight UTC) or an event's start;
    date = models.DateTimeField(null=True)
    #: the ids of the sectors it shows, each between spaces (`` 1 3 ``).
    sector_ids = models.TextField(blank=True, default="")
    digest = models.CharField(max_length=64)
    #: The newest change of anything the item's JSON was built from (Last-Modified).
    last_modified = models.DateTimeField(null=True)
    #: When what a reader in this language sees of the item last changed.
    updated_at = models.DateTimeField()
    rendered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "language"], name="projection_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["object_type", "language", "country", "updated_at"],
                name="projection_listing",
            ),
            models.Index(
                fields=["object_type", "language", "country", "date"], name="projection_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} [{self.language}]"

    @classmethod
    def title_key_of(cls, model: type[models.Model], language: str) -> models.Subquery:
        """The collation key of each ``model`` object's name as ``language`` shows it, for a
        queryset of ``model`` to order by (``.annotate()``): ``language``'s alphabetical
        order of what visitors read, after fallback. ``None`` for an object without a row."""
        rows = cls.objects.filter(
            object_type=model._meta.label, object_id=models.OuterRef("pk"), language=language
        )
        return models.Subquery(rows.values("title_key")[:1])


class StaleProjection(models.Model):
    """An item whose projections must be rendered again, written in the editor's transaction.

    Saving something many items embed (a sector, a site's hostname) marks them
    here rather than re-rendering them all while the editor waits; the task
    worker (and ``manage.py project_pending``) renders them and deletes the
    marks, so a dead worker delays the change but never loses it.
    """

    object_type = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="stale_unique")
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} (stale)"


class Tombstone(models.Model):
    """A page that was unpublished or deleted, a snippet that was deleted, or an item that moved.

    API consumers mirror the content incrementally with ``updated_since``:
    changed items tell them what to update, tombstones what to remove. A page
    that is published again loses its tombstone (it is an ordinary changed
    item again). ``country`` is the code of the country the item belonged to
    (blank for network-wide items such as sectors), so a consumer of one site
    sees only its own removals. An item has one per country it left (moved from
    CZ, then unpublished in SK: each site's consumers must remove it).
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
            models.UniqueConstraint(
                fields=["object_type", "object_id", "country"], name="unique_tombstone_per_country"
            )
        ]
        # The table it had in the Delivery API's app (``delivery_api``), rows and all.
        db_table = "delivery_api_tombstone"
        ordering = ["removed_at", "pk"]

    def __str__(self):
        return (
            f"{self.object_type} {self.object_id} {self.reason} at {self.removed_at:%Y-%m-%d %H:%M}"
        )


class ContentGeneration(models.Model):
    """The generation of what readers see (``cms.projections.generation``), one row.

    Every change a reader could see bumps it in the editor's own transaction, so the bump
    commits (or rolls back) with the change and never depends on the cache server.
    """

    value = models.PositiveBigIntegerField(default=0)
    #: When this database was last restored from a backup (``manage.py after_restore``):
    #: sync cursors handed out before then point into a history the restore undid.
    restored_at = models.DateTimeField(null=True, blank=True)
    #: The newest change the restored database held (its backup's moment, near enough):
    #: ``updated_since`` between this and ``restored_at`` may be past changes the restore
    #: undid without a trace.
    restored_held_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table it had in the Delivery API's app (``delivery_api``) as the response
        # cache's generation.
        db_table = "delivery_api_responsecachegeneration"

    def __str__(self):
        return f"content generation {self.value}"
