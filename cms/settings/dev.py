"""Local development: DEBUG on, a throwaway key, SQLite unless DATABASE_URL says otherwise."""

from cms.settings.base import *  # noqa: F403
from cms.settings.environment import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
# A development-only key; production.py refuses to start without a real one.
SECRET_KEY = env_str("SECRET_KEY", strip=False) or "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
# A front end under development receives webhooks on localhost.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
