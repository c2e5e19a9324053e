"""Webhooks and their deliveries: who wants to hear about content changes, and what was sent.

The tables are the ones the Delivery API app created (``delivery_api_webhook``,
``delivery_api_webhookdelivery``) when webhooks lived there; the models moved to
this app without moving a row (``migrations/0001_initial.py``).
"""

import secrets
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.webhooks.addresses import is_public, literal_address, private_allowed

#: What a webhook can subscribe to. Snippets have no drafts: saving one
#: publishes it, so it is announced as ``published`` too.
WEBHOOK_EVENTS = (
    ("published", _("published (page published, snippet saved)")),
    ("unpublished", _("unpublished (page)")),
    ("deleted", _("deleted (page or snippet)")),
    ("moved", _("moved to another country (gone from the site it left)")),
)


def new_webhook_secret() -> str:
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
        verbose_name=_("country"),
        help_text=_("Site whose content changes are sent (the hub: every site)."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who receives it, e.g. 'cz front end'.")
    )
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Receives a JSON POST per event."),
    )
    secret = models.CharField(
        _("secret"),
        max_length=100,
        default=new_webhook_secret,
        help_text=_("Key of the HMAC-SHA256 signature in X-Clusters-Cord-Signature."),
    )
    events = models.JSONField(
        _("events"), default=all_webhook_events, help_text=_("Events to send.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "delivery_api_webhook"
        ordering = ["country__sort_order", "name"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return f"{self.name} ({self.url})"

    def clean(self):
        errors = {}
        known = set(all_webhook_events())
        if not isinstance(self.events, list) or not set(self.events) <= known:
            errors["events"] = _("Choose among: %(events)s") % {"events": ", ".join(sorted(known))}
        host = self.local_host()
        if host:
            errors["url"] = _(
                "%(host)s is a local, private or reserved address; webhooks are sent to "
                "public addresses only."
            ) % {"host": host}
        if errors:
            raise ValidationError(errors)

    def local_host(self) -> str:
        """The URL's host if it is an address that is not public (``cms.webhooks.addresses``).

        Only what the URL itself says (an IP literal, ``localhost``): a name is resolved,
        and its addresses checked, when a delivery is sent. Empty where private addresses
        are allowed (development, tests) or the URL is not one (the field's own error).
        """
        if private_allowed():
            return ""
        try:
            host = urlsplit(self.url).hostname
        except ValueError:
            return ""
        address = literal_address(host)
        return host if address is not None and not is_public(address) else ""


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
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed (gave up)")

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    event = models.CharField(_("event"), max_length=20, choices=WEBHOOK_EVENTS)
    payload = models.JSONField(_("payload"))
    #: The item the event is about (blank/null in deliveries recorded before they named it).
    object_type = models.CharField(max_length=100, blank=True, default="")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    #: The event's position among the events of its item (``payload["sequence"]``).
    sequence = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now, db_index=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        db_table = "delivery_api_webhookdelivery"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(
                fields=["webhook", "object_type", "object_id", "status"],
                name="webhook_delivery_item",
            )
        ]

    def __str__(self):
        return f"{self.event} to {self.webhook} ({self.status})"


class ItemSequence(models.Model):
    """The last ``sequence`` number given to an event about one item.

    Every event about an item takes the next number here, in the writer's
    transaction (``cms.webhooks.recording.take_sequences``): the row is locked
    until that transaction ends, so two writers announcing the same item at once
    get different numbers, and a number is never given twice, even after the
    deliveries that carried it were deleted.
    """

    object_type = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id"], name="unique_item_sequence"
            )
        ]

    def __str__(self):
        return f"{self.object_type} {self.object_id}: {self.last}"
