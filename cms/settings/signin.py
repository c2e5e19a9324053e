"""Sign-in throttling (django-axes; imported by base.py).

Every sign-in form (the admin's, and the visitor sites' form for pages restricted
to signed-in members) goes through Django's ``authenticate``, where django-axes
counts the failures. After ``LOGIN_FAILURE_LIMIT`` failed attempts for one user name
from one address, that name is refused from that address for ``LOGIN_LOCKOUT_MINUTES``
(a correct password too), with a page saying so (``cms.users.lockout``). The lock is
on the pair, so a stranger guessing an editor's password from elsewhere cannot lock
the editor out of the office. A successful sign-in clears the count. The address is
the one ``cms.ops.addresses`` finds (``TRUSTED_PROXIES``); a network administrator
unlocks a name early in the admin (``cms.users.sign_in_locks``) or with ``manage.py
axes_reset_username <name>`` (README, "Sign-in throttling").
"""

from datetime import timedelta

from cms.settings.environment import env_count

AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out name before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_count("LOGIN_FAILURE_LIMIT", 5, minimum=1, unit="a number of attempts")
AXES_COOLOFF_TIME = timedelta(
    minutes=env_count("LOGIN_LOCKOUT_MINUTES", 15, minimum=1, unit="a number of minutes")
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.ops.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "cms.users.lockout.locked_out"
#: Failed sign-ins are logged (the ``axes`` logger) and counted in the database until
#: their lock expires; successful ones are not recorded: no table of who signed in from
#: where grows without a retention rule.
AXES_DISABLE_ACCESS_LOG = True
#: The logged failures name the user name and the address (axes masks both by default), so
#: that an operator can tell who is targeted and from where; the password never appears.
AXES_SENSITIVE_PARAMETERS = []
