"""``manage.py after_restore``: run once after restoring the database from a backup.

A restore takes what readers see back to the backup's moment, but the world outside
the database remembers the lost interval: API consumers hold sync cursors past it,
the response cache holds answers made in it, and a search engine's indexes hold its
documents. This tells each of them (``docs/operations.md``, "Backups and restore"):

- the restore's time is recorded and the content generation jumps
  (``cms.projections.generation.mark_restored``): every cached API answer is stale, and
  a sync cursor handed out before now is refused with a 400 naming ``cursor``, so its
  consumer starts again with a full sync instead of keeping items the restore undid (and
  a listing's ``updated_since`` inside the interval it undid, with a 400 naming it);
- what changed just before the backup is stamped as changed now
  (``cms.projections.writing.restamp_after``): it may differ from what consumers took
  meanwhile, and no time a consumer takes after the restore falls inside that interval;
- ``check_projections --write``: the stored API rows match what the restored content
  and this code make;
- ``rebuild_search_documents`` (with ``--engine`` when an engine is configured): the
  search documents, and the engine's indexes rebuilt from them.

What it cannot reach is printed at the end: a CDN's copies of visitor pages.
"""

from argparse import ArgumentTypeError
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cms.projections import generation
from cms.projections.writing import restamp_after

#: The zone abbreviations ``pg_restore -l`` prints after "Archive created at" on servers of
#: the network's countries (the server's ``TimeZone``), with their offsets from UTC.
ZONE_ABBREVIATIONS = {
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "WEST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
}


def backup_time(value: str) -> datetime:
    """``--backup-taken-at``: ISO 8601, UTC if it names no zone, or as ``pg_restore -l``
    prints it (``2026-12-05 03:00:00 UTC``, or ``CET`` on a server in Prague); not in
    the future."""
    text, _, zone = value.strip().rpartition(" ")
    if zone.upper() not in ZONE_ABBREVIATIONS:
        text, zone = value.strip(), ""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(
            f"not a time: {value!r} (e.g. 2026-12-05T03:00:00Z, or as pg_restore -l prints "
            f"it: 2026-12-05 03:00:00 UTC; zones: {', '.join(ZONE_ABBREVIATIONS)})"
        ) from None
    if zone and moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone_of(zone))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 is in year 0 in UTC
        raise ArgumentTypeError(f"{value!r} is out of range once in UTC") from None
    if moment > timezone.now():
        raise ArgumentTypeError(f"{value!r} is in the future")
    return moment


def timezone_of(abbreviation: str) -> dt_timezone:
    return dt_timezone(timedelta(hours=ZONE_ABBREVIATIONS[abbreviation.upper()]))


class Command(BaseCommand):
    help = "After restoring the database from a backup: refuse older sync cursors, renew caches"

    def add_arguments(self, parser):
        parser.add_argument(
            "--backup-taken-at",
            type=backup_time,
            help="When the backup was taken: 'Archive created at' of `pg_restore -l` "
            "(2026-12-05 03:00:00 UTC) or ISO 8601. Without it, the newest change the "
            "restored database holds stands for it",
        )

    def handle(self, *args, **options):
        # A whole second: a time a consumer takes after it (``Last-Modified``, a stamp in
        # milliseconds) is never before it.
        now = timezone.now().replace(microsecond=0)
        with transaction.atomic():
            before, after = generation.mark_restored(
                now, backup_taken_at=options["backup_taken_at"]
            )
            lost = generation.lost_interval()
            restamped = restamp_after(lost[0], now) if lost else 0
        self.stdout.write(
            f"Restore recorded: content generation {before} -> {after}; sync cursors handed "
            "out before now are refused (their consumers start a full sync); "
            f"{restamped} items changed just before the backup are served as changed now."
        )
        try:
            call_command("check_projections", "--write", stdout=self.stdout)
        except CommandError as differences:  # --write stored them fresh: reported, not fatal
            self.stdout.write(f"Projections rewritten: {differences}")
        # With an engine (SEARCH_URL), its indexes hold the lost interval's documents.
        engine = bool(settings.SEARCH_URL)
        failed = None
        try:
            call_command("rebuild_search_documents", engine=engine, stdout=self.stdout)
        except CommandError as error:  # the engine did not answer: the rest is done
            failed = error
        self.stdout.write(
            "Left to do: purge the CDN's copies of visitor pages (or wait "
            f"VISITOR_CACHE_S_MAXAGE, {settings.VISITOR_CACHE_S_MAXAGE} s)."
        )
        if failed:
            raise CommandError(
                f"{failed} Everything else is done: run `manage.py rebuild_search_documents "
                "--engine` when the engine answers."
            )
