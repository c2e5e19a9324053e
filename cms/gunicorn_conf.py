"""Gunicorn's configuration for production: ``gunicorn -c python:cms.gunicorn_conf cms.wsgi``.

A module of the package (not a file beside it), so it comes with ``pip install .``.
Every value can be changed from the environment; the defaults suit app servers with a
few cores behind a reverse proxy or load balancer.
"""

import multiprocessing

from cms.settings.environment import env_bool, env_count, env_seconds, env_str
from cms.settings.observability import access_log_formatter, log_formatter

#: Where to listen (the proxy connects here).
bind = env_str("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 - inside the network
#: Sync workers (one request at a time each). Django's requests are mostly CPU here
#: (rendering, JSON), so about two per core. GUNICORN_WORKERS is checked here like every
#: other variable; gunicorn's own WEB_CONCURRENCY also works, but gunicorn reads it before
#: this module runs, so a value that is no number stops it with its own traceback.
workers = env_count(
    "GUNICORN_WORKERS",
    env_count("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1, minimum=1),
    minimum=1,
)
#: A request taking longer is killed (its worker restarted): above WEBHOOK_TIMEOUT and
#: SEARCH_TIMEOUT, below the proxy's own timeout.
timeout = env_seconds("GUNICORN_TIMEOUT", 30)  # 0: none (gunicorn's meaning)
graceful_timeout = env_seconds("GUNICORN_GRACEFUL_TIMEOUT", 30)
#: Behind a load balancer that reuses connections: keep them a little longer than it does.
keepalive = env_seconds("GUNICORN_KEEPALIVE", 5)
#: Workers are replaced after this many requests (with jitter, not all at once), which
#: bounds any slow growth of a worker's memory.
max_requests = env_count("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
#: Load Django, Wagtail and the models once, in the master, before forking: the workers
#: share those pages (copy-on-write), start faster, and inherit what cms/wsgi.py does
#: after loading: ``gc.freeze()`` moves everything loaded so far out of the collector's
#: reach, so the workers' collections neither walk those objects nor write to (and so
#: copy) their pages. Nothing opens a database or cache
#: connection at import, so the workers share none. The price: code changes need a full
#: restart (not a HUP). GUNICORN_PRELOAD=false turns it off.
preload_app = env_bool("GUNICORN_PRELOAD", True)
#: The proxy terminates TLS and says so in X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER);
#: trust it from these addresses (gunicorn's default is 127.0.0.1 only).
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")

#: Access and error logs on stdout/stderr, one JSON object per line by default
#: (LOG_FORMAT=text for readable lines), with the request id of cms.ops.request_id.
accesslog = "-"
errorlog = "-"
_log_format = env_str("LOG_FORMAT", "json")
_error_formatter = log_formatter(_log_format)  # an unknown format stops the start, named
logconfig_dict = {
    "formatters": {
        "access": access_log_formatter(_log_format),
        "error": dict(_error_formatter),
    },
    "filters": {"request_id": {"()": "cms.ops.logs.RequestIdFilter"}},
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "error",
            "filters": ["request_id"],
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
}
#: For LOG_FORMAT=text: the combined format plus the request id and the time taken.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms id=%({x-request-id}o)s'

#: Build the search's typo vocabularies in the master before forking (``when_ready``).
#: SEARCH_WARM_VOCABULARIES=false turns it off (a server that never searches).
warm_vocabularies = env_bool("SEARCH_WARM_VOCABULARIES", True)


def when_ready(server):
    """Gunicorn's master, started and not yet forking: build what every worker would
    otherwise build on its first search in each language (``cms.search.vocabulary``).

    With ``preload_app`` only (the master has Django loaded). The master's connections are
    closed afterwards, so that no worker inherits one, and what was built is frozen for the
    collector as ``cms/wsgi.py`` freezes what was loaded. A failure (the database not yet
    reachable) is logged and the server starts anyway: the workers build on demand.
    """
    if not (preload_app and warm_vocabularies):
        return
    import gc
    import time

    from django.db import connections

    from cms.search.vocabulary import warm_vocabularies as warm

    started = time.monotonic()
    try:
        built = warm()
        server.log.info(
            "search vocabularies built for %s in %.1f s",
            ", ".join(built) or "no language",
            time.monotonic() - started,
        )
    except Exception:  # noqa: BLE001 - an optimisation: the workers build on demand
        server.log.exception("could not build the search vocabularies at start")
    finally:
        connections.close_all()
        gc.freeze()
