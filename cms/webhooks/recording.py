"""Recording webhook deliveries, in the writer's own transaction.

An event (``cms.webhooks.signals`` decides which) is recorded as one
``WebhookDelivery`` per interested webhook in the transaction of the change it is
about, so it is never lost, nor sent for a change that was rolled back; it is sent
after commit (``cms.webhooks.delivery``). Each event carries its item's
``sequence`` for the receiver, taken from the item's counter (``ItemSequence``).
"""

from __future__ import annotations

from collections import Counter
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cms.webhooks.delivery import deliver_webhooks_task
from cms.webhooks.models import ItemSequence, Webhook, WebhookDelivery
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
    kind. Each event some webhook hears gets the next ``sequence`` of its item
    (:func:`take_sequences`). One query for the webhooks, three for the numbers, one
    insert, whatever the number of events (a renamed sector re-renders hundreds of items).
    """
    if not events:
        return []
    hooks = list(Webhook.objects.filter(active=True).select_related("country"))
    if not hooks:
        return []
    audiences = [(item, [hook for hook in hooks if hears(hook, item)]) for item in events]
    audiences = [(item, audience) for item, audience in audiences if audience]
    if not audiences:
        return []
    sequences = take_sequences(Counter((i.object_type, i.object_id) for i, _ in audiences))
    roots = site_roots()
    now = timezone.now()
    deliveries = []
    for item, audience in audiences:
        key = (item.object_type, item.object_id)
        sequences[key] += 1
        payload = event_payload(item, sequence=sequences[key], occurred_at=now, roots=roots)
        deliveries.extend(
            WebhookDelivery(
                webhook=hook,
                event=item.event,
                payload=payload,
                object_type=item.object_type,
                object_id=item.object_id,
                sequence=sequences[key],
            )
            for hook in audience
        )
    created = WebhookDelivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in created]
    transaction.on_commit(lambda: deliver_webhooks_task.enqueue(ids), robust=True)
    return ids


def hears(hook: Webhook, item: Event) -> bool:
    """Whether ``hook`` wants ``item``: its kind, and its site (a hub's: every site). An
    item of no country (a sector) is on every site, as ``sync/`` and the listings show it
    to each: every site's webhooks hear it."""
    if item.event not in (hook.events or []):
        return False
    return hook.country.is_hub or not item.country or hook.country.code == item.country


def take_sequences(counts: Counter[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """Reserve ``counts[item]`` numbers for each item; return the last number before them.

    In the caller's transaction: each item's counter row is created if missing,
    then locked (``select_for_update``, in one order, so two writers never wait for
    each other crosswise) and moved on. A second writer of the same item waits at
    the lock until the first commits, then reads the number the first left; on
    SQLite, which has no row locks, the first write already holds the database's
    only write lock. Three queries, whatever the number of items.
    """
    keys = sorted(counts)
    # Creating a missing row waits, on PostgreSQL, for a writer inserting the same one.
    ItemSequence.objects.bulk_create(
        [ItemSequence(object_type=kind, object_id=pk) for kind, pk in keys],
        ignore_conflicts=True,
    )
    ids_by_type: dict[str, list[int]] = {}
    for kind, pk in keys:
        ids_by_type.setdefault(kind, []).append(pk)
    matching = reduce(
        or_, (Q(object_type=kind, object_id__in=ids) for kind, ids in ids_by_type.items())
    )
    rows = list(
        ItemSequence.objects.select_for_update()
        .filter(matching)
        .order_by("object_type", "object_id")
    )
    before = {}
    for row in rows:
        key = (row.object_type, row.object_id)
        before[key] = row.last
        row.last += counts[key]
    ItemSequence.objects.bulk_update(rows, ["last"])
    return before
