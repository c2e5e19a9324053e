"""E-mail: password resets and Wagtail's moderation notifications, through an SMTP server.

From the environment (README, "Settings"): without ``EMAIL_HOST`` Django's default, an SMTP
server on this machine (port 25). ``EMAIL_TIMEOUT`` bounds a hung server: Django's default
is none, and an editor's "Submit for moderation" or a password reset would wait for ever.
Development prints mails to the console, tests keep them in memory.
"""

from cms.settings.environment import env_bool, env_count, env_seconds, env_str

EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_count("EMAIL_PORT", 25, minimum=1, unit="a port number")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", strip=False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_seconds("EMAIL_TIMEOUT", 10)
#: The sender of password resets and moderation notifications (Wagtail's default is this).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
#: The sender of error reports to ``ADMINS``.
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
