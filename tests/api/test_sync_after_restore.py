"""After a restore from a backup, ``manage.py after_restore`` makes every older sync cursor
(and every ``updated_since`` inside what it undid) a 400, so its consumer starts again
instead of keeping what the restore undid.

A restore takes the content back to the backup's moment. A consumer that pulled an item
created after the backup keeps it for ever: the restored database has no tombstone for
it, and nothing after the cursor mentions it. Here the restore is played by deleting
such an item's rows as the backup never held them (no tombstone), which is what a
``pg_restore`` of an older dump leaves; ``docs/operations.md`` has the real drill.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import parse_http_date

from cms.projections import generation
from cms.projections.models import ContentGeneration, Projection, Tombstone
from tests.api.conftest import published_news
from tests.api.test_sync_cursor import keys, pull


def restore_to_before(page) -> None:
    """What the database is after restoring a backup taken before ``page`` existed."""
    Projection.objects.filter(object_id=page.pk, object_type="news.NewsPage").delete()
    Tombstone.objects.filter(object_id=page.pk).delete()
    page.delete()
    Tombstone.objects.filter(object_id=page.pk).delete()


def test_a_cursor_from_before_a_restore_is_a_400_and_a_full_sync_drops_what_it_undid(api, country):
    _items, _deleted, cursor = pull(api, lang="en")
    lost = published_news(country("CZ"), title={"en": "Published after the backup"})
    changed, _deleted, cursor = pull(api, cursor, lang="en")
    assert ("news.NewsPage", lost.pk) in keys(changed)  # the consumer now holds it

    restore_to_before(lost)
    out = StringIO()
    call_command("after_restore", stdout=out)

    response = api(f"sync/?lang=en&cursor={cursor}")
    assert response.status_code == 400
    problem = response.json()
    assert problem["parameter"] == "cursor"
    assert "restored from a backup" in problem["detail"]
    assert "start again without one" in problem["detail"]
    items, _deleted, cursor = pull(api, lang="en")
    assert ("news.NewsPage", lost.pk) not in keys(items)
    # The new cursor works as any other.
    assert pull(api, cursor, lang="en")[:2] == ([], [])
    assert "sync cursors handed out before now are refused" in out.getvalue()
    assert "Projections: 0 differences" in out.getvalue()


def test_cursors_of_a_database_never_restored_stay_good(api):
    """No restore recorded: cursors (also those written before cursors named restores)
    carry none, and match."""
    assert generation.restored_at() is None
    _items, _deleted, cursor = pull(api, lang="de", type="core.Sector")
    assert pull(api, cursor, lang="de", type="core.Sector")[:2] == ([], [])


def test_answers_cached_before_a_restore_are_not_served_after_it(api, response_cache):
    first = api("sectors/?lang=en")
    assert first["X-Cache"] == "MISS"
    assert api("sectors/?lang=en")["X-Cache"] == "HIT"
    before = generation.stored()
    call_command("after_restore", stdout=StringIO())
    assert generation.stored() == before + generation.RESTORE_JUMP
    assert api("sectors/?lang=en")["X-Cache"] == "MISS"


#: How far before the newest change a restored database holds its lost interval starts:
#: ``SYNC_SETTLE_SECONDS`` (0 in tests) and a second.
MARGIN = timedelta(seconds=1)


def since(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_updated_since_inside_what_a_restore_undid_is_a_400(api, country):
    """A consumer following news with ``updated_since`` took an item the restore then
    undid: the restored database holds no trace of it, so that time is refused (a full
    sync drops it); a time well before the newest change the backup held, or after the
    restore, is answered as before."""
    lost = published_news(country("CZ"), title={"en": "Published after the backup"})
    taken = timezone.now()
    listed = api(f"news/?lang=en&updated_since={since(taken - timedelta(minutes=1))}")
    assert lost.pk in [item["id"] for item in listed.json()["items"]]

    restore_to_before(lost)
    time.sleep(1 - taken.microsecond / 1e6)  # the restore's time is a whole second, later
    call_command("after_restore", stdout=StringIO())
    held_until, restored_at = generation.lost_interval()
    assert held_until < taken < restored_at

    resources = ("news/", "events/", "pages/", "clusters/", "partners/", "contacts/")
    for resource in (*resources, "sectors/", "sites/"):
        response = api(f"{resource}?lang=en&updated_since={since(taken)}")
        assert response.status_code == 400, (resource, response.content)
        problem = response.json()
        assert problem["parameter"] == "updated_since"
        assert "restored from a backup" in problem["detail"]
        assert "a full sync" in problem["detail"]
    # Whole seconds, or a row stamped before it committed: just under B is refused too.
    newest_held = held_until + MARGIN
    assert api(f"news/?lang=en&updated_since={since(newest_held)}").status_code == 400
    assert api(f"news/?lang=en&updated_since={since(held_until)}").status_code == 200
    after = api(f"news/?lang=en&updated_since={since(restored_at + timedelta(seconds=1))}")
    assert after.status_code == 200
    assert lost.pk not in [item["id"] for item in api("news/?lang=en&limit=100").json()["items"]]


def test_the_backups_moment_is_its_newest_change_or_the_time_given(country):
    """The newest of the rows', tombstones' and sites' stamps, unless the operator gives an
    earlier time (writers may have stamped rows between the restore and the command)."""
    newest_row = Projection.objects.order_by("-updated_at").first()
    removed = Tombstone.objects.create(
        object_type="news.NewsPage",
        object_id=10**9,
        country="CZ",
        removed_at=newest_row.updated_at + timedelta(minutes=5),
    )
    generation.mark_restored(timezone.now())
    assert generation.lost_interval()[0] == removed.removed_at - MARGIN

    earlier = removed.removed_at - timedelta(hours=1)
    generation.mark_restored(timezone.now(), backup_taken_at=earlier)
    assert generation.lost_interval()[0] == earlier - MARGIN
    # A later time given changes nothing: the database holds nothing newer than its rows.
    generation.mark_restored(timezone.now(), backup_taken_at=removed.removed_at + timedelta(1))
    assert generation.lost_interval()[0] == removed.removed_at - MARGIN


def test_a_restore_recorded_without_its_moment_refuses_no_time(api):
    """Restored before the moment was recorded: the sync cursors still tell; a time cannot."""
    ContentGeneration.objects.update_or_create(pk=1, defaults={"restored_at": timezone.now()})
    assert generation.lost_interval() is None
    assert api(f"news/?lang=en&updated_since={since(timezone.now())}").status_code == 200


def test_after_restore_refuses_a_bad_backup_time(db):
    for value, message in (("yesterday", "not a time"), ("2999-01-01", "in the future")):
        with pytest.raises(CommandError, match=message):
            call_command("after_restore", "--backup-taken-at", value, stdout=StringIO())
    assert generation.lost_interval() is None


def test_updated_since_of_a_database_never_restored_is_answered(api):
    assert generation.lost_interval() is None
    assert api(f"news/?lang=en&updated_since={since(timezone.now())}").status_code == 200


def test_after_restore_takes_the_time_as_pg_restore_prints_it(db):
    call_command("after_restore", "--backup-taken-at", "2026-01-02 03:04:05 UTC", stdout=StringIO())
    assert since(generation.lost_interval()[0] + MARGIN) == "2026-01-02T03:04:05.000000Z"


def test_the_times_a_full_sync_after_a_restore_hands_out_are_taken(api, country):
    """A consumer told to start again does, then follows with the times it got: the newest
    ``meta.updated_at`` of its items, or the listing's ``Last-Modified``. The items changed
    just before the backup (all of them, here) were stamped anew by ``after_restore``, so
    none of those times is inside the refused interval: without that, the consumer was
    refused again after every full sync until the next edit."""
    published_news(country("CZ"), title={"en": "Changed just before the backup"})
    time.sleep(1 - timezone.now().microsecond / 1e6)  # the restore comes a second later
    out = StringIO()
    call_command("after_restore", stdout=out)
    start, restored_at = generation.lost_interval()
    assert "items changed just before the backup are served as changed now" in out.getvalue()

    for resource in ("news/", "pages/", "sectors/", "sites/"):
        full = api(f"{resource}?lang=en&limit=100")
        stamps = [item["meta"]["updated_at"] for item in full.json()["items"]]
        assert stamps, resource
        assert all(not start < parse_datetime(stamp) < restored_at for stamp in stamps), resource
        newest = max(stamps).replace("+00:00", "Z")
        last_modified = parse_http_date(full["Last-Modified"])
        for cursor in (newest, since(datetime.fromtimestamp(last_modified, UTC))):
            response = api(f"{resource}?lang=en&updated_since={cursor}")
            assert response.status_code == 200, (resource, cursor, response.content)
    # What was restamped reads the same but for its time (check_projections agrees).
    call_command("check_projections", stdout=StringIO())


def test_after_restore_takes_the_zone_pg_restore_names_on_a_central_european_server(db):
    """``pg_restore -l`` prints the archive's time in the server's zone (``CET`` in Prague)."""
    call_command("after_restore", "--backup-taken-at", "2026-01-02 04:04:05 CET", stdout=StringIO())
    assert since(generation.lost_interval()[0] + MARGIN) == "2026-01-02T03:04:05.000000Z"
    with pytest.raises(CommandError, match="zones: UTC"):
        call_command("after_restore", "--backup-taken-at", "2026-01-02 04:04:05 PST")
