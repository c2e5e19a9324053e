"""Settings shared by every environment.

Everything that differs between machines comes from environment variables;
nothing secret lives here. Each integration keeps its settings in a module of
its own (``i18n.py``, ``mail.py``, ``api.py``, ``search.py``, ``tasks.py``, ``observability.py``,
``security.py``, ``storage.py``), imported below.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cms.settings.api import *  # noqa: F403
from cms.settings.environment import (
    checked_url,
    env_bool,
    env_duration,
    env_list,
    env_seconds,
    env_str,
)
from cms.settings.i18n import *  # noqa: F403
from cms.settings.mail import *  # noqa: F403
from cms.settings.observability import *  # noqa: F403
from cms.settings.paths import BASE_DIR
from cms.settings.search import *  # noqa: F403
from cms.settings.security import *  # noqa: F403
from cms.settings.signin import *  # noqa: F403
from cms.settings.storage import *  # noqa: F403
from cms.settings.tasks import *  # noqa: F403
from cms.settings.visitors import *  # noqa: F403

SECRET_KEY = env_str("SECRET_KEY", strip=False)
# Earlier keys, comma-separated, still accepted while a new SECRET_KEY is rolled out:
# sessions, password reset links and the sync's signed cursors stay good.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form on a visitor site: the site's friendly 403 in the visitor's language.
CSRF_FAILURE_VIEW = "cms.core.views.csrf_failure"

INSTALLED_APPS = [
    # wagtail_modeltranslation must come before the apps whose models it translates.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "modeltranslation",
    "cms.users",
    "cms.core",
    "cms.partners",
    "cms.clusters",
    "cms.home",
    "cms.news",
    "cms.events",
    "cms.api",
    # Before cms.projections: its receivers read projection rows before those drop them.
    "cms.webhooks",
    "cms.search",
    "cms.projections",
    "cms.ops",
    # The benchmarks' management commands (bench_api_*); no models, nothing served.
    "cms.bench",
    # Not wagtail.contrib.forms: no page type is a form, and its "Forms" listing offered
    # every country's editors by name in its "Edited by" filter.
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "ninja",
    "corsheaders",
    # Background tasks: the framework and its database backend (cms/settings/tasks.py).
    "django_tasks",
    "django_tasks_db",
    # /ready/ (cms.ops.health) and its HTML page; django-csp's checks.
    "health_check",
    "csp",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Sign-in throttling (cms/settings/signin.py).
    "axes",
]

MIDDLEWARE = [
    # First, so every response (redirects and errors too) carries its X-Request-ID.
    "cms.ops.request_id.RequestIdMiddleware",
    # 503 + Retry-After instead of 500 while the database is unreachable (cms/ops/outage.py).
    "cms.ops.outage.DatabaseOutageMiddleware",
    # /health/ and /ready/ answer here: before the host check, the HTTPS redirect and
    # the site lookup (cms/ops/health.py).
    "cms.ops.health.ProbeMiddleware",
    # A GET reads the view restrictions and a page's site once, not per menu and listing.
    "cms.core.request_memo.ReadOncePerRequest",
    "django.middleware.security.SecurityMiddleware",
    # Early, so that a response made before the views (a 404 for an unknown language) has it.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # django-csp, with inline scripts allowed in the Wagtail admin only (cms/ops/csp.py).
    "cms.ops.csp.CSPMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before LocaleMiddleware, so an unknown language 404s instead of redirecting to /en/xx/.
    "cms.core.middleware.SiteLanguageMiddleware",
    "cms.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The editor's admin language around the whole admin request, refusals and 404s too.
    "cms.core.middleware.AdminLanguageMiddleware",
    "cms.core.middleware.AdminPageScopeMiddleware",
    "cms.core.middleware.AdminMediaScopeMiddleware",
    # A 400, not a 500, for a number SQLite cannot bind (a filter's ?user=99999999999999999999).
    "cms.core.oversized_numbers.OversizedNumberMiddleware",
    # A 400 with the reason for reordering a page Wagtail's move cannot save (no English).
    "cms.core.middleware.ReorderRefusalMiddleware",
    # An admin ?next= that is no address (next=foo) dropped: Wagtail's redirect was a 500.
    "cms.core.middleware.AdminNextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page's address made of another language's slugs, which Wagtail does not route, is
    # served, or redirects to its best language (cms/core/language_addresses.py); after
    # the editors' redirects.
    "cms.core.language_addresses.LanguageAddressMiddleware",
    # Wagtail's redirects, keeping the visitor's query string (cms.core.middleware).
    "cms.core.middleware.RedirectKeepingQueryMiddleware",
    # Last: turns a refused sign-in into the lockout page (cms/settings/signin.py).
    "axes.middleware.AxesMiddleware",
    # After the CSRF check: counts wrong passwords of protected pages and documents.
    "cms.users.lockout.PasswordGuessThrottle",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    """``DATABASE_URL`` as dj-database-url reads it; its errors name the variable (never the
    URL, which may hold a password)."""
    try:
        database = dj_database_url.parse(url, conn_max_age=env_seconds("DATABASE_CONN_MAX_AGE", 0))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL: {error}") from None
    if database["ENGINE"] not in SUPPORTED_DATABASES:
        scheme = url.partition(":")[0]
        raise ImproperlyConfigured(
            f"DATABASE_URL: {scheme!r} databases are not supported; "
            "use sqlite:///<path> or postgres://<user>@<host>/<name>"
        )
    return database


#: What the project runs and tests on (README, "Settings": `DATABASE_URL`).
SUPPORTED_DATABASES = ("django.db.backends.sqlite3", "django.db.backends.postgresql")


DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers meet on SQLite: editors' saves, Wagtail's editing-session pings, the
    # task worker. A transaction that reads and then writes (every admin save) is refused at
    # once with "database is locked" when another writer got there first, instead of
    # waiting; IMMEDIATE takes the write lock at BEGIN, so it waits (up to ``timeout``
    # seconds). WAL lets visitors read while an editor writes. Django's documented settings
    # for concurrent SQLite ("SQLite notes"); the figures: docs/operations.md.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=20, init_command="PRAGMA journal_mode=WAL"
    )


def cache_from_url(url: str) -> dict:
    """``CACHE_URL``: unset or ``locmem://`` → per-process memory; ``redis://…``
    (``rediss://``, ``unix://``) → django-redis, shared by every process, which the API's cache
    invalidation needs with several workers; ``dummy://`` → no cache.

    The cache is an optimisation: with Redis down, every operation is a miss (logged)
    instead of an error, so pages, the API and editors' saves go on uncached; short socket
    timeouts keep an unreachable server from holding requests (``CACHE_TIMEOUT`` seconds,
    default 0.5), and after one failure the process leaves Redis alone for
    ``CACHE_RETRY_SECONDS`` (``cms.ops.cache.ResilientRedisCache``)."""
    if not url or url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url.startswith(("redis://", "rediss://")):
        # No host is the local Redis (redis:///0), as redis-py reads it.
        checked_url(
            "CACHE_URL", url, ("redis", "rediss"), "redis://host:6379/0", host_required=False
        )
    if url.startswith(("redis://", "rediss://", "unix://")):
        timeout = env_duration("CACHE_TIMEOUT", 0.5, minimum=0.001)
        return {
            "BACKEND": "cms.ops.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": timeout,
                "SOCKET_TIMEOUT": timeout,
            },
        }
    if "://" not in url:  # not echoed: ``redis//:password@host`` holds its password
        raise ImproperlyConfigured("CACHE_URL: not a URL (redis://host:6379/0, locmem://)")
    raise ImproperlyConfigured(
        f"CACHE_URL: unsupported scheme {url.partition('://')[0]!r} "
        "(locmem, redis, rediss, unix, dummy)"
    )


CACHES = {"default": cache_from_url(env_str("CACHE_URL"))}
#: Seconds each process goes on without Redis after it failed to answer (``cms.ops.pause``).
CACHE_RETRY_SECONDS = env_duration("CACHE_RETRY_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "var" / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "var" / "media")
STORAGES = {
    "default": media_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Wagtail
WAGTAIL_SITE_NAME = "Clusters Cord"
#: The forms in front of a password- or login-restricted page (or document) in the site's
#: design and the visitor's language, not Wagtail's bare pages.
# (S105: template names, not passwords.)
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "core/password_required.html"  # noqa: S105
WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE = "core/password_required.html"  # noqa: S105
WAGTAIL_FRONTEND_LOGIN_TEMPLATE = "core/login.html"
#: After a sign-in without a (safe) page to return to: the site, not Django's
#: /accounts/profile/, which is no page here (a 404).
LOGIN_REDIRECT_URL = "/"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILIMAGES_IMAGE_MODEL = "core.CustomImage"
# Two people editing the same image or document keep each other's changes (translators fill
# in an image's alternative text in parallel): Wagtail's forms with cms.core.concurrent_edits.
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.core.media_forms.ConcurrentEditsImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.core.media_forms.ConcurrentEditsDocumentForm"
# Rich text posted as HTML, not as the editor's JSON, is read (cms.core.rich_text_editor).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "cms.core.rich_text_editor.CheckedDraftailRichTextArea"}
}
# Editors' avatars are not fetched from gravatar.com (their e-mail hashes would leave the
# site, and the admin's Content-Security-Policy allows images from this site only); nor
# does the dashboard ask wagtail.org for new releases from each editor's browser.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Slugs in ASCII: the admin's slug field transliterates ("cluster-day-in-usti", not "ústí"),
# and Wagtail's own slugs from titles do the same.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# A page's new slug or place redirects its old addresses in every language (cms.core.redirects);
# Wagtail's own redirects know only the language active at the change, so they are off.
WAGTAILREDIRECTS_AUTO_CREATE = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Documents only through Wagtail's view, which checks their collection's privacy (password,
# login, groups), whatever the storage: a redirect to the object store would hand out a URL
# that works for anyone. Their files are never served from /media/ (cms/urls.py; README, "Media").
WAGTAILDOCS_SERVE_METHOD = "serve_view"

#: Declarative per-country site files read by ``manage.py sync_sites``.
SITES_DIR = Path(env_str("SITES_DIR") or BASE_DIR / "sites")

# Readable lines here; production.py switches to JSON (cms/settings/observability.py).
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = logging_config(env_str("LOG_FORMAT", "text"), LOG_LEVEL)

# Enforced by production.py; reported only (browser console) in development and tests.
CONTENT_SECURITY_POLICY_REPORT_ONLY = content_security_policy(media_origins(STORAGES["default"]))
