"""Production: every setting and secret from the environment; refuses to start without SECRET_KEY.

The default of ``cms/wsgi.py`` and ``cms/asgi.py`` (``manage.py`` keeps ``dev``). The
README's "Running in production" lists the variables and the processes to run.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

# Webhooks and search-engine updates run in `manage.py db_worker`, never in an editor's
# request (cms/settings/tasks.py); TASKS_BACKEND=immediate only for a single-process trial.
TASKS = tasks_from_name(os.environ.get("TASKS_BACKEND", "database"))

# Persistent database connections (checked before reuse): opening one per request
# costs more than many a cached API read.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail's live preview shows the page in a same-origin iframe, so X-Frame-Options is
# SAMEORIGIN (cms/settings/security.py), not DENY: the check that asks for DENY is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Enforced here; development and tests only report (cms/settings/security.py).
CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY_REPORT_ONLY
CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# One JSON object per log line, with the request id (cms/settings/observability.py).
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "json"), LOG_LEVEL)
SENTRY_ENABLED = init_sentry(os.environ.get("SENTRY_DSN", ""))
