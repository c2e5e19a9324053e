"""Production: every setting and secret from the environment; refuses to start without SECRET_KEY.

The default of ``cms/wsgi.py`` and ``cms/asgi.py`` (``manage.py`` keeps ``dev``). The
README's "Running in production" lists the variables and the processes to run.
"""

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403
from cms.settings.environment import env_bool, env_seconds, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", strip=False)
if not SECRET_KEY.strip():
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
):
    # What `check --deploy` calls security.W009, refused at start: a server signing
    # sessions and preview tokens with `abc` must not start at all.
    raise ImproperlyConfigured(
        f"SECRET_KEY: too weak for production (at least {SECRET_KEY_MIN_LENGTH} characters, "
        f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} of them different, not Django's development "
        "key); make one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

# Webhooks and search-engine updates run in `manage.py db_worker`, never in an editor's
# request (cms/settings/tasks.py); TASKS_BACKEND=immediate only for a single-process trial.
TASKS = tasks_from_name(env_str("TASKS_BACKEND", "database"))

# Persistent database connections (checked before reuse): opening one per request
# costs more than many a cached API read.
DATABASES["default"]["CONN_MAX_AGE"] = env_seconds("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_seconds("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The language switcher's choice (``/language/``) is sent over HTTPS only, as the others.
LANGUAGE_COOKIE_SECURE = True
# Wagtail's live preview shows the page in a same-origin iframe, so X-Frame-Options is
# SAMEORIGIN (cms/settings/security.py), not DENY: the check that asks for DENY is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Enforced here; development and tests only report (cms/settings/security.py).
CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY_REPORT_ONLY
CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# One JSON object per log line, with the request id (cms/settings/observability.py).
LOGGING = logging_config(env_str("LOG_FORMAT", "json"), LOG_LEVEL)
SENTRY_ENABLED = init_sentry(env_str("SENTRY_DSN"))
