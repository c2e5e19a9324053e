"""What the Delivery API remembers: content that is gone, webhooks and their deliveries."""

from django.core.validators import URLValidator
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


#: What a webhook can subscribe to. Snippets have no drafts: saving one
#: publishes it, so it is announced as ``published`` too.
WEBHOOK_EVENTS = (
    ("published", "published (page published, snippet saved)"),
    ("unpublished", "unpublished (page)"),
    ("deleted", "deleted (page or snippet)"),
    ("moved", "moved to another country (gone from the site it left)"),
)


def new_webhook_secret() -> str:
    import secrets

    return secrets.token_urlsafe(32)


def all_webhook_events() -> list[str]:
    return [name for name, _label in WEBHOOK_EVENTS]


class Webhook(models.Model):
    """An endpoint of a partner's front end that wants to hear about content changes.

    Headless front ends cache pages; instead of polling ``updated_since`` they
    register here and get a signed POST when content of their site is
    published, unpublished or deleted. A webhook of the hub (INT) hears about
    the whole network. Only superusers and network administrators manage them
    (the secret is shared with a third party).
    """

    country = models.ForeignKey(
        "core.Country",
        on_delete=models.CASCADE,
        related_name="webhooks",
        help_text="Site whose content changes are sent (the hub: every site).",
    )
    name = models.CharField(max_length=100, help_text="Who receives it, e.g. 'cz front end'.")
    url = models.URLField(
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Receives a JSON POST per event.",
    )
    secret = models.CharField(
        max_length=100,
        default=new_webhook_secret,
        help_text="Key of the HMAC-SHA256 signature in X-Clusters-Cord-Signature.",
    )
    events = models.JSONField(default=all_webhook_events, help_text="Events to send.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country__sort_order", "name"]

    def __str__(self):
        return f"{self.name} ({self.url})"

    def clean(self):
        from django.core.exceptions import ValidationError

        known = set(all_webhook_events())
        if not isinstance(self.events, list) or not set(self.events) <= known:
            raise ValidationError({"events": f"Choose among: {', '.join(sorted(known))}"})


class WebhookDelivery(models.Model):
    """One event for one webhook: the exact body sent, and how sending went.

    Written in the editor's transaction (so an event is never lost, nor sent
    for a change that was rolled back) and sent after commit; a failed attempt
    is retried with exponential backoff by the task worker (a task scheduled at
    ``next_attempt_at``), and by ``manage.py deliver_webhooks`` as a safety net.
    Deliveries about one item (``object_type``, ``object_id``) reach a webhook in
    the order they were recorded: one waits while an earlier one is pending.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DELIVERED = "delivered", "delivered"
        FAILED = "failed", "failed (gave up)"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20)
    payload = models.JSONField()
    #: The item the event is about (blank/null in deliveries recorded before they named it).
    object_type = models.CharField(max_length=100, blank=True, default="")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    #: The event's position among the events of its item (``payload["sequence"]``).
    sequence = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(
                fields=["webhook", "object_type", "object_id", "status"],
                name="webhook_delivery_item",
            )
        ]

    def __str__(self):
        return f"{self.event} to {self.webhook} ({self.status})"


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
