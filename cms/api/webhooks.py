"""Webhooks: tell registered front ends when content is published, unpublished or deleted.

An event is recorded as one ``WebhookDelivery`` per interested webhook in the
editor's own transaction, then sent after commit by a django-tasks task with
a short timeout. The editor's action never fails or waits long because an
endpoint is down: a failed send is retried with exponential backoff by
``manage.py deliver_webhooks`` until ``WEBHOOK_MAX_ATTEMPTS``.

Each POST carries the JSON body, ``X-Clusters-Cord-Timestamp`` (Unix seconds)
and ``X-Clusters-Cord-Signature: sha256=<hex>``, the HMAC-SHA256 of
``"<timestamp>.<body>"`` keyed with the webhook's secret; a receiver checks the
signature and rejects old timestamps, so a captured request cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from cms.api.models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Clusters-Cord-Signature"
TIMESTAMP_HEADER = "X-Clusters-Cord-Timestamp"
EVENT_HEADER = "X-Clusters-Cord-Event"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` over ``"<timestamp>.<body>"``: what receivers recompute."""
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def record_event(*, event: str, object_type: str, object_id: int, country: str) -> list[int]:
    """Record a delivery for every active webhook that wants ``event`` for ``country``.

    ``country`` is the item's country code ("" for network-wide items, which
    only hub webhooks hear about). Sending is scheduled after commit.
    """
    audience = Q(country__is_hub=True)
    if country:
        audience |= Q(country__code=country)
    hooks = Webhook.objects.filter(audience, active=True)
    payload = {
        "id": str(uuid.uuid4()),
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "object": {"type": object_type, "id": object_id, "site": country or None},
    }
    deliveries = [
        WebhookDelivery(webhook=hook, event=event, payload=payload)
        for hook in hooks
        if event in (hook.events or [])
    ]
    if not deliveries:
        return []
    created = WebhookDelivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in created]
    transaction.on_commit(lambda: deliver_webhooks_task.enqueue(ids), robust=True)
    return ids


def backoff(attempts: int) -> timedelta:
    """Delay before the next attempt: base, 2×base, 4×base… (attempts already made)."""
    return timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def send(delivery: WebhookDelivery) -> bool:
    """POST one delivery once; record the outcome. True if the endpoint took it (2xx)."""
    hook = delivery.webhook
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (admins register http(s) URLs only)
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "ClustersCord-Webhooks/1",
            EVENT_HEADER: delivery.event,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(hook.secret, timestamp, body),
        },
    )
    delivery.attempts += 1
    code, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT) as response:  # noqa: S310
            code = response.status
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code} {exc.reason}"
    except Exception as exc:  # connection refused, timeout, DNS, TLS: all "try again later"
        error = f"{type(exc).__name__}: {exc}"
    delivery.response_code = code
    ok = code is not None and 200 <= code < 300
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.error = ""
    else:
        delivery.error = error or f"HTTP {code}"
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
    delivery.save()
    return ok


def deliver(ids: list[int] | None = None, *, limit: int = 100) -> dict[str, int]:
    """Send pending deliveries that are due (or exactly ``ids``); count the outcomes."""
    pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).select_related(
        "webhook"
    )
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    else:
        pending = pending.filter(next_attempt_at__lte=timezone.now())
    counts = {"delivered": 0, "failed": 0}
    for delivery in pending.order_by("next_attempt_at", "pk")[:limit]:
        counts["delivered" if send(delivery) else "failed"] += 1
    return counts


@task()
def deliver_webhooks_task(ids: list[int]) -> dict[str, int]:
    """Sent after the editor's commit; never raises (what fails is retried later)."""
    try:
        return deliver(ids)
    except Exception:
        logger.exception("Webhook deliveries %s could not be sent", ids)
        return {"delivered": 0, "failed": len(ids)}
