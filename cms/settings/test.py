"""Tests: fast hashing; SQLite unless DATABASE_URL names PostgreSQL; local memory
cache unless CACHE_URL names Redis (as in .ci/run's shared-cache stage)."""

from cms.settings.base import *  # noqa: F403
from cms.settings.environment import env_seconds, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", strip=False) or "test-only-insecure-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests change content behind the signals' back (queryset updates); the cache's
# own tests switch it on (and .ci/bench-api through the environment).
API_RESPONSE_CACHE_SECONDS = env_seconds("API_RESPONSE_CACHE_SECONDS", 0)
# Sync tests make a change and sync at once; tests/api/test_sync_cursor.py sets a window.
SYNC_SETTLE_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
ALLOWED_HOSTS = ["*"]
# One folder per pytest-xdist worker (gw0, gw1, ...): no worker sees another's uploads.
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{env_str('PYTEST_XDIST_WORKER')}"
# Tasks run right after commit, whatever TASKS_BACKEND says; tests that need the
# database backend and its worker switch to it with override_settings.
TASKS = tasks_from_name("immediate")
# Tests change documents and search at once: the vocabulary follows every change, inline.
SEARCH_VOCABULARY_CHECK_SECONDS = 0
#: Every search asks the engine (tests stop and start it); tests of the pause set their own.
SEARCH_ENGINE_RETRY_SECONDS = 0
SEARCH_VOCABULARY_BACKGROUND = False
# Webhook tests run their receivers on 127.0.0.1; those of the refusal switch this off.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
