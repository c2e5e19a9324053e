"""Sync with a cursor: everything once, then only what changed and what left, in order
(README, "Keeping a copy in step").

Changes are the stored projections' rows in the order their ``updated_at`` moved
(``cms.projections.reading.changes``); removals are tombstones in the order they were
written. Cursors are signed with ``SECRET_KEY``, so an edited one, or another deployment's,
is a 400, never a position the API did not hand out; so is one handed out before a restore
from a backup, which points into changes the restore undid.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from cms.api import selectors
from cms.api.errors import ParameterError
from cms.api.http import not_to_be_kept, read
from cms.api.params import ITEM_TYPES, SyncParams, in_utc
from cms.api.responses import read_context, removed
from cms.api.schemas import SyncPage
from cms.projections import generation
from cms.projections import reading as projections

router = Router(tags=["sync"])
#: 2: signed (version 1's cursors, unsigned, are refused: start again without one).
CURSOR_VERSION = 2
CURSOR_SALT = "cms.api.sync.cursor"


@read(router, "/sync/", response=SyncPage, url_name="sync", by_alias=True, exclude_unset=True)
def sync(request: HttpRequest, params: Query[SyncParams]):
    """Follow a site in one language: a full sync, then its changes and removals, with a cursor."""
    context = read_context(request, params)
    types = sorted(set(params.type or ITEM_TYPES))  # a set: named twice is named once
    bound = {"site": context.scope.code, "lang": context.localizer.language, "types": types}
    settled = timezone.now() - timedelta(seconds=settings.SYNC_SETTLE_SECONDS)
    restored = generation.restored_at()
    restored = restored and restored.isoformat()
    after, removed_after = read_cursor(params.cursor, bound, settled, restored)
    if projections.settling(context, types, settled):  # held back now, handed out soon
        not_to_be_kept(request)
    items, after, more_items = projections.changes(
        context, types, after, params.limit, settled=settled
    )
    selected = params.selected_fields(params.field_names(), params.field_names())
    items = [projections.selected_fields(item, selected) for item in items]
    deleted, removed_after, more_removed = removals(
        context, types, removed_after, params.limit, settled
    )
    return {
        "site": context.scope.code,
        "language": context.localizer.language,
        "items": items,
        "deleted": deleted,
        "cursor": write_cursor(bound, after, removed_after, restored),
        "more": more_items or more_removed,
    }


def removals(context, types: list[str], after: tuple[datetime, int], limit: int, settled: datetime):
    """Tombstones this site could have seen, written after ``after`` (time, id) and settled."""
    moment, pk = after
    found = list(
        selectors.removals(context.scope, types)
        .filter(removed_at__gte=moment, removed_at__lte=settled)
        .exclude(removed_at=moment, pk__lte=pk)[: limit + 1]
    )
    page = found[:limit]
    context.seen(*(tombstone.removed_at for tombstone in page))
    if page:
        after = (page[-1].removed_at, page[-1].pk)
    return [removed(tombstone) for tombstone in page], after, len(found) > limit


def write_cursor(bound: dict, after, removed_after, restored: str | None) -> str:
    changed = None if after is None else [after[0].isoformat(), after[1], after[2]]
    payload = {
        "v": CURSOR_VERSION,
        **bound,
        "changed": changed,
        "removed": [removed_after[0].isoformat(), removed_after[1]],
        "restored": restored,
    }
    return signing.dumps(payload, salt=CURSOR_SALT)


def read_cursor(cursor: str | None, bound: dict, settled: datetime, restored: str | None):
    """The positions a cursor holds; a first sync starts at the beginning of changes and,
    for removals, where the changes it sends end (``settled``): what was removed before
    never reached this consumer, what was removed after may have. ``restored``: when the
    database was last restored from a backup, as the cursor must have seen it."""
    if not cursor:
        return None, (settled, 0)
    try:
        payload = signing.loads(cursor, salt=CURSOR_SALT)
        if payload["v"] != CURSOR_VERSION:
            raise ValueError("version")
        changed, (moment, pk) = payload["changed"], payload["removed"]
        after = None
        if changed is not None:
            after = (in_utc(datetime.fromisoformat(changed[0])), str(changed[1]), int(changed[2]))
        removed = (in_utc(datetime.fromisoformat(moment)), int(pk))
        scope = {key: payload[key] for key in bound}
        seen_restored = payload.get("restored")  # none in a cursor of before any restore
    except (signing.BadSignature, ValueError, KeyError, TypeError, IndexError):
        raise ParameterError(
            "cursor", "not a cursor this API gave out; start again without one"
        ) from None
    if seen_restored != restored:
        raise ParameterError(
            "cursor",
            "the content was restored from a backup after this cursor was given out; "
            "start again without one (a full sync)",
        )
    if scope != bound:
        raise ParameterError(
            "cursor", "this cursor follows another site, language or set of types"
        ) from None
    return after, removed
