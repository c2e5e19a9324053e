"""Logs, request ids and error reporting (imported by base.py; Sentry by production.py).

- ``LOG_FORMAT``: ``text`` (the default outside production: one readable line with time,
  level, logger and request id) or ``json`` (production's default: one JSON object per
  line, for a log pipeline). ``LOG_LEVEL`` (INFO).
- ``REQUEST_ID_TRUSTED_HEADER``: the header a trusted proxy puts its request id in
  (e.g. ``X-Request-ID``); unset, every request gets a new id (``cms.ops.request_id``).
- ``SENTRY_DSN``: errors go to Sentry (or a compatible service such as GlitchTip); unset,
  ``sentry_sdk`` is not even imported. ``SENTRY_ENVIRONMENT``, ``SENTRY_TRACES_SAMPLE_RATE``
  (a share of requests, 0 to 1).
"""

import logging

from django.core.exceptions import ImproperlyConfigured

from cms.settings.environment import env_number, env_str, one_of

#: The standard library's level names (``LOG_LEVEL``, any case: ``INFO``, ``WARN``, ...).
LOG_LEVELS = tuple(logging.getLevelNamesMapping())
LOG_FORMATS = {
    "text": {
        "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
    },
    "json": {
        "()": "cms.ops.logs.JsonLogFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
}


def log_formatter(log_format: str) -> dict:
    """The formatter of ``LOG_FORMAT=log_format``, for Django's logging and gunicorn's."""
    return LOG_FORMATS[one_of("LOG_FORMAT", log_format, LOG_FORMATS, what="format")]


def access_log_formatter(log_format: str) -> dict:
    """The formatter of gunicorn's access log for ``LOG_FORMAT=log_format``: its lines name
    their time, level and logger as the app's do (``time``, ``level``, ``logger`` in JSON),
    so one pipeline reads both; the request's fields come from ``GunicornAccessFormatter``.
    """
    formatter = log_formatter(log_format)
    access = {**formatter, "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    if "()" in formatter:
        access["()"] = "cms.ops.logs.GunicornAccessFormatter"
    return access


def logging_config(log_format: str, level: str = "INFO") -> dict:
    """Django's ``LOGGING`` for ``LOG_FORMAT=log_format`` (``text`` or ``json``)."""
    formatter = log_formatter(log_format)
    level = one_of("LOG_LEVEL", level.upper(), LOG_LEVELS, what="level")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "cms.ops.logs.RequestIdFilter"},
            "once_a_minute": {"()": "cms.ops.logs.OncePerInterval", "seconds": 60},
            "once_a_minute_each": {
                "()": "cms.ops.logs.OncePerIntervalEachMessage",
                "seconds": 60,
            },
        },
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers (mail to admins, its server log) would print each line again.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            # Task start/finish lines drown everything else at INFO.
            "django_tasks": {"level": "WARNING"},
            "django.tasks": {"level": "WARNING"},
            "wagtail": {"level": "WARNING"},
            # The engine clients log every request at INFO.
            "opensearch": {"level": "ERROR"},
            "elastic_transport": {"level": "WARNING"},
            # Sign-in throttling: each failure and lock is a WARNING; its INFO lines
            # (start-up banner, clean-ups at every attempt) say nothing an operator needs.
            "axes": {"level": "WARNING"},
            # A dead Redis: one line a minute, not one per pause (cms.ops.cache).
            "cms.ops.cache": {"filters": ["once_a_minute"]},
            # /ready/'s failing checks, each with a traceback at every probe: one line a
            # minute for each check (cms.ops.health).
            "health_check": {"filters": ["once_a_minute_each"]},
        },
    }


REQUEST_ID_TRUSTED_HEADER = env_str("REQUEST_ID_TRUSTED_HEADER")

#: ``/ready/`` reports a side service down (``cms.ops.health``) when a background task has
#: waited for ``db_worker``, or something scheduled for ``publish_scheduled``, this long.
TASK_BACKLOG_MAX_MINUTES = env_number("TASK_BACKLOG_MAX_MINUTES", 10, minimum=0.1, unit="minutes")
SCHEDULE_MAX_MINUTES = env_number("SCHEDULE_MAX_MINUTES", 10, minimum=0.1, unit="minutes")


def init_sentry(dsn: str) -> bool:
    """Start error reporting if a DSN is given; without one ``sentry_sdk`` stays unimported.

    No personal data is sent (``send_default_pii`` off: no user, cookie or IP), and no
    performance traces unless ``SENTRY_TRACES_SAMPLE_RATE`` asks for them.
    """
    if not dsn:
        return False
    # A share of requests: sentry_sdk takes 5 without a word, and traces none or all.
    traces_sample_rate = env_number("SENTRY_TRACES_SAMPLE_RATE", 0, maximum=1)
    import sentry_sdk  # noqa: PLC0415 - only with a DSN

    sentry_sdk.init(
        dsn=checked_dsn(dsn),
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
    )
    return True


def checked_dsn(dsn: str) -> str:
    """``dsn`` if ``sentry_sdk`` can read it; else the error naming ``SENTRY_DSN`` (the
    SDK's own, ``BadDsn: Unsupported scheme ''``, names no variable). The value is not
    echoed: its key is a secret."""
    from sentry_sdk.utils import BadDsn, Dsn  # noqa: PLC0415 - only with a DSN

    try:
        Dsn(dsn)
    except BadDsn as error:
        raise ImproperlyConfigured(
            f"SENTRY_DSN: not a DSN ({error}); expected https://KEY@HOST/PROJECT_ID"
        ) from None
    return dsn
