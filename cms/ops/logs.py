"""Log formatting: the request id on every record, and gunicorn's access log as JSON.

``cms.settings.observability`` wires these into ``LOGGING`` (Django) and
``cms/gunicorn_conf.py`` into gunicorn's own logging.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter

from cms.ops.request_id import current_request_id


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to each record: the id of the request being served, or "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class OncePerInterval(logging.Filter):
    """Lets one record of a logger through per ``seconds``, and counts the rest.

    For a side service that is down: django-redis logs every operation it
    ignores with a traceback, several per request, which would bury every other
    line (and every error report) while Redis is away. One line in each
    interval says it is still down, and how many were held back.
    """

    def __init__(self, seconds: float = 60):
        super().__init__()
        self.seconds = seconds
        self.next_at = 0.0
        self.held_back = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now < self.next_at:
            self.held_back += 1
            return False
        if self.held_back:
            record.msg = f"{record.msg} ({self.held_back} more like it held back)"
            self.held_back = 0
        self.next_at = now + self.seconds
        return True


class OncePerIntervalEachMessage(logging.Filter):
    """``OncePerInterval`` for each message of a logger apart (``record.getMessage()``).

    For ``/ready/``: django-health-check logs every failing check at every probe (one
    every few seconds) with its traceback, several KB each. Each check's failure names
    the check, so each gets its line a minute: a database that went down while the
    cache was away is still said at once. Meant for a logger with a few messages, as
    there are a few checks: one throttle is kept per message.
    """

    def __init__(self, seconds: float = 60):
        super().__init__()
        self.seconds = seconds
        self.throttles: dict[str, OncePerInterval] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message not in self.throttles:
            self.throttles[message] = OncePerInterval(self.seconds)
        return self.throttles[message].filter(record)


#: JSON field -> gunicorn access-log atom (gunicorn's ``atoms()``; ``{name}o`` = response header).
ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "referer": "f",
    "user_agent": "a",
    "request_id": "{x-request-id}o",
}


class JsonLogFormatter(JsonFormatter):
    """JSON lines whose ``time`` is ISO 8601 in UTC with its offset and milliseconds.

    ``logging``'s default ``asctime`` is the server's local time without a zone
    ("2026-12-03 11:00:00,123"), which a log pipeline joining several machines
    cannot place.
    """

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        moment = datetime.fromtimestamp(record.created, UTC)
        return moment.isoformat(timespec="milliseconds")


class GunicornAccessFormatter(JsonLogFormatter):
    """One JSON object per request from gunicorn's access logger.

    Gunicorn logs each request as ``access_log.info(access_log_format, atoms)``: the
    atoms (a dict) arrive as the record's ``args``. They become fields of their own
    instead of one formatted line, so a log pipeline can filter by status or
    request id. The id is the ``X-Request-ID`` response header set by
    ``cms.ops.request_id``, so the access line and the app's lines share it.
    """

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        atoms = record.args if isinstance(record.args, dict) else {}
        for field, atom in ACCESS_FIELDS.items():
            value = atoms.get(atom)
            if isinstance(value, str):
                # gunicorn escapes quotes for its text format; JSON escapes them itself.
                value = value.replace('\\"', '"')
            if value not in (None, "-"):
                log_record[field] = value
        if atoms:
            log_record["message"] = f"{atoms.get('m')} {atoms.get('U')} {atoms.get('s')}"
