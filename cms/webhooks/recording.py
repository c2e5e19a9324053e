"""Recording webhook deliveries, in the writer's own transaction.

An event (``cms.webhooks.signals`` decides which) is recorded as one
``WebhookDelivery`` per interested webhook in the transaction of the change it is
about, so it is never lost, nor sent for a change that was rolled back; it is sent
after commit (``cms.webhooks.delivery``). Each event carries its item's
``sequence`` for the receiver.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cms.webhooks.delivery import deliver_webhooks_task
from cms.webhooks.models import Webhook, WebhookDelivery
from cms.webhooks.payload import Event, event_payload, site_roots


def record_event(
    *,
    event: str,
    object_type: str,
    object_id: int,
    country: str,
    languages: list[str] | None = None,
    html_url: dict[str, str] | None = None,
    moved_to: str | None = None,
) -> list[int]:
    """Record one event (see :func:`record_events`)."""
    return record_events(
        [
            Event(
                event=event,
                object_type=object_type,
                object_id=object_id,
                country=country,
                languages=list(languages or []),
                html_url=html_url,
                moved_to=moved_to,
            )
        ]
    )


def record_events(events: list[Event]) -> list[int]:
    """Record a delivery of each event for every active webhook that wants it; send after commit.

    An event reaches the active webhooks of its ``country`` and the hub's
    (network-wide items, ``country`` "", only the hub's) that subscribed to its
    kind. Each event gets the next ``sequence`` of its item: one query for the
    items' current sequences, one for the webhooks, one insert, whatever the number
    of events (a renamed sector re-renders hundreds of items).
    """
    if not events:
        return []
    hooks = list(Webhook.objects.filter(active=True).select_related("country"))
    if not hooks:
        return []
    sequences = current_sequences({(e.object_type, e.object_id) for e in events})
    roots = site_roots()
    now = timezone.now()
    deliveries = []
    for item in events:
        key = (item.object_type, item.object_id)
        sequences[key] = sequences.get(key, 0) + 1
        payload = event_payload(item, sequence=sequences[key], occurred_at=now, roots=roots)
        for hook in hooks:
            if item.event not in (hook.events or []):
                continue
            if not (hook.country.is_hub or (item.country and hook.country.code == item.country)):
                continue
            deliveries.append(
                WebhookDelivery(
                    webhook=hook,
                    event=item.event,
                    payload=payload,
                    object_type=item.object_type,
                    object_id=item.object_id,
                    sequence=sequences[key],
                )
            )
    if not deliveries:
        return []
    created = WebhookDelivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in created]
    transaction.on_commit(lambda: deliver_webhooks_task.enqueue(ids), robust=True)
    return ids


def current_sequences(keys: set[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """The highest ``sequence`` recorded so far of each item (absent: none yet)."""
    found: dict[tuple[str, int], int] = {}
    by_type: dict[str, set[int]] = {}
    for object_type, object_id in keys:
        by_type.setdefault(object_type, set()).add(object_id)
    for object_type, ids in by_type.items():
        rows = (
            WebhookDelivery.objects.filter(object_type=object_type, object_id__in=ids)
            .values("object_id")
            .annotate(top=Max("sequence"))
            .values_list("object_id", "top")
        )
        found.update({(object_type, pk): top or 0 for pk, top in rows})
    return found
