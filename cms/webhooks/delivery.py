"""Sending webhook deliveries: signed POSTs, claimed so none goes out twice, retried in order.

Deliveries (recorded by ``cms.webhooks.recording`` in the writer's transaction) are
sent after commit by a django-tasks task with a short timeout. The editor's action
never fails or waits long because an endpoint is down: a failed attempt is retried
with exponential backoff until ``WEBHOOK_MAX_ATTEMPTS``, by a task the worker runs at
the retry's time (:func:`schedule_retry`), and by ``manage.py deliver_webhooks``
(cron) as a safety net and with the ``immediate`` backend.

Per item and webhook, deliveries go out in the order they were recorded: one is
not claimed while an earlier one about the same item is pending
(:func:`earlier_pending`); when that one is settled, the sender sends the next
(:func:`next_in_line`). The body (``cms.webhooks.payload``; documented in
``cms.webhooks.schema``) carries the item's ``sequence`` for the receiver.

Task workers and the cron command run at the same time, so a sender first
*claims* a delivery (:func:`claim`) and sends only what it claimed: no delivery
goes out twice. The claim is a lease on ``next_attempt_at``, not a row lock
(``select_for_update(skip_locked=True)``), because a lock lives as long as its
transaction, and that transaction would stay open across the HTTP request (up to
``WEBHOOK_TIMEOUT`` per delivery, the time its answer has); SQLite has no row locks
at all. One conditional ``UPDATE`` is atomic on every database and says who won.

Each POST carries the JSON body, ``X-Clusters-Cord-Timestamp`` (Unix seconds)
and ``X-Clusters-Cord-Signature: sha256=<hex>``, the HMAC-SHA256 of
``"<timestamp>.<body>"`` keyed with the webhook's secret; a receiver checks the
signature and rejects old timestamps, so a captured request cannot be replayed.
The POST itself (``cms.webhooks.transport``) goes to public addresses only and follows
no redirect; a refusal is a failed attempt like any other, with the reason in ``error``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task

from cms.webhooks.models import Webhook, WebhookDelivery
from cms.webhooks.transport import Redirected, post

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Clusters-Cord-Signature"
TIMESTAMP_HEADER = "X-Clusters-Cord-Timestamp"
EVENT_HEADER = "X-Clusters-Cord-Event"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` over ``"<timestamp>.<body>"``: what receivers recompute."""
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> timedelta:
    """Delay before the next attempt: base, 2×base, 4×base… (attempts already made)."""
    return timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def claim_lease() -> timedelta:
    """How long a claimed delivery is left to its sender: far longer than a send takes.

    A sender that dies mid-send (a killed worker, a lost machine) holds nothing
    after that: the delivery is due again when the lease runs out.
    """
    return timedelta(seconds=max(60, 20 * settings.WEBHOOK_TIMEOUT))


def claim(pk: int) -> datetime | None:
    """Take delivery ``pk`` for this sender; return the lease's end, or None if it is taken.

    Only a pending delivery that is due, to an active webhook, can be claimed (one
    switched off keeps its deliveries until it is on again), and claiming moves its
    ``next_attempt_at`` to the lease's end, so it is not due for anyone else until
    the outcome is recorded or the lease runs out. On PostgreSQL a concurrent
    ``UPDATE`` of the same row waits for this one and then re-checks its ``WHERE``
    against the new row, so exactly one sender updates one row.
    """
    now = timezone.now()
    lease = now + claim_lease()
    claimed = (
        WebhookDelivery.objects.filter(
            pk=pk, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        # ``Exists``, not ``webhook__active``: a join makes Django write the UPDATE's
        # conditions in a subquery, which PostgreSQL does not check again after a
        # concurrent claim (two senders both won it).
        .filter(Exists(Webhook.objects.filter(pk=OuterRef("webhook_id"), active=True)))
        .exclude(Exists(earlier_pending()))
        .update(next_attempt_at=lease)
    )
    return lease if claimed else None


def earlier_pending():
    """The pending deliveries to the same webhook about the same item, recorded earlier.

    For ``Exists`` in a filter of deliveries: while one exists, a delivery waits
    (``sequence`` order per item and webhook). A delivery recorded before
    deliveries named their item (``object_id`` null) waits for nothing.
    """
    return WebhookDelivery.objects.filter(
        webhook=OuterRef("webhook"),
        object_type=OuterRef("object_type"),
        object_id=OuterRef("object_id"),
        status=WebhookDelivery.Status.PENDING,
        pk__lt=OuterRef("pk"),
    )


def next_in_line(delivery: WebhookDelivery) -> int | None:
    """The delivery that waited for ``delivery`` (same webhook and item, recorded next)."""
    if delivery.object_id is None:
        return None
    return (
        WebhookDelivery.objects.filter(
            webhook_id=delivery.webhook_id,
            object_type=delivery.object_type,
            object_id=delivery.object_id,
            status=WebhookDelivery.Status.PENDING,
            pk__gt=delivery.pk,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def send(delivery: WebhookDelivery) -> bool:
    """POST one claimed delivery once; record the outcome. True if the endpoint took it (2xx).

    ``delivery.next_attempt_at`` is the lease from :func:`claim`; the outcome is
    written only while this sender still holds it (the lease outlasts any send,
    but if it did run out, whoever claimed the delivery next records its own).
    """
    hook = delivery.webhook
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ClustersCord-Webhooks/1",
        EVENT_HEADER: delivery.event,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(hook.secret, timestamp, body),
    }
    lease = delivery.next_attempt_at
    delivery.attempts += 1
    code, error = None, ""
    try:
        code, reason = post(hook.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT)
        if not 200 <= code < 300:
            error = f"HTTP {code} {reason}"
    except Redirected as exc:  # a 3xx: a failed attempt, the redirect not followed
        code, error = exc.status, str(exc)
    except Exception as exc:  # refused address, connection refused, timeout, DNS, TLS: retried
        error = f"{type(exc).__name__}: {exc}"
    delivery.response_code = code
    ok = code is not None and 200 <= code < 300
    now = timezone.now()
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.error = ""
        delivery.next_attempt_at = now
    else:
        delivery.error = error or f"HTTP {code}"
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = now
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
    recorded = WebhookDelivery.objects.filter(pk=delivery.pk, next_attempt_at=lease).update(
        **{field: getattr(delivery, field) for field in OUTCOME_FIELDS}
    )
    if not recorded:
        logger.warning("Webhook delivery %s: lease ran out during the send", delivery.pk)
    return ok


#: What a send changes on its delivery.
OUTCOME_FIELDS = (
    "status",
    "attempts",
    "next_attempt_at",
    "response_code",
    "error",
    "delivered_at",
)


def deliver(ids: list[int] | None = None, *, limit: int | None = 100) -> dict[str, int]:
    """Send the pending deliveries that are due (among ``ids`` if given); count the outcomes.

    Each is claimed first; one that another sender claimed meanwhile, or that
    waits for an earlier delivery about the same item (:func:`earlier_pending`),
    is skipped. When a delivery is settled (delivered, or given up) the one that
    waited for it is sent next, in the same run. A failed attempt that will be
    tried again is scheduled as a task of its own at its backoff time
    (:func:`schedule_retry`).
    """
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=timezone.now(),
        webhook__active=True,
    ).exclude(Exists(earlier_pending()))
    if ids is not None:
        due = due.filter(pk__in=ids)
        limit = None
    queue = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    counts = {"delivered": 0, "failed": 0}
    sent = 0
    while queue and (limit is None or sent < limit):
        pk = queue.pop(0)
        if claim(pk) is None:
            continue
        delivery = WebhookDelivery.objects.select_related("webhook").get(pk=pk)
        ok = send(delivery)
        sent += 1
        counts["delivered" if ok else "failed"] += 1
        if delivery.status == WebhookDelivery.Status.PENDING:
            schedule_retry(delivery)
            continue
        following = next_in_line(delivery)
        if following is not None and following not in queue:
            queue.insert(0, following)
    return counts


def schedule_retry(delivery: WebhookDelivery) -> None:
    """Have the task worker try ``delivery`` again at its ``next_attempt_at``.

    Only with a backend that runs tasks later (``supports_defer``: django-tasks-db,
    production's); with ``immediate`` (development, tests) the retry is left to
    ``manage.py deliver_webhooks``, which stays the safety net either way (a lost
    task, a worker that was down).
    """
    try:
        if not deliver_webhooks_task.get_backend().supports_defer:
            return
        deliver_webhooks_task.using(run_after=delivery.next_attempt_at).enqueue([delivery.pk])
    except Exception:
        logger.exception("Webhook delivery %s: retry not scheduled (cron will)", delivery.pk)


@task()
def deliver_webhooks_task(ids: list[int]) -> dict[str, int]:
    """Sent after the editor's commit, and at each retry's time; never raises."""
    try:
        return deliver(ids)
    except Exception:
        logger.exception("Webhook deliveries %s could not be sent", ids)
        return {"delivered": 0, "failed": len(ids)}
