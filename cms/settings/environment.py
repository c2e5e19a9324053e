"""Reading settings from environment variables, with an error that names the variable.

Every setting a deployment may change comes from the environment (README, "Running in
production"). A mistyped value must stop the process at start-up with a message an
operator can act on (``API_RATE_LIMIT: expected a whole number >= 0, got '10/min'``), not
a bare ``invalid literal for int()`` from somewhere in the settings, nor a value quietly
read as something else (``DEBUG=ture`` as off). django-environ reads the same types but
lets Python's own messages through, so these few functions are written here.

Unset, a variable is its default. Set but empty, it is what it always was here: the empty
string, an empty list, false; a number, which cannot be empty, is then its default.
"""

import os
import sys
from collections.abc import Callable, Mapping

from django.core.exceptions import ImproperlyConfigured

#: ``environ=``: read this mapping instead of ``os.environ`` (settings built from one, tests).
Environ = Mapping[str, str] | None

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "", *, strip: bool = True, environ: Environ = None) -> str:
    """The variable's value, without surrounding blanks unless ``strip=False`` (a secret is
    taken as it is); ``default`` when unset."""
    value = (os.environ if environ is None else environ).get(name)
    if value is None:
        return default
    return value.strip() if strip else value


def checked_url(
    name: str, url: str, schemes: tuple[str, ...], example: str, *, host_required: bool = True
) -> str:
    """``url`` if it is an address of one of ``schemes`` (with a host unless not
    ``host_required``) and a port that is a number, else the variable named.

    Never echoes the value: a URL may hold a password. A purge target of ``notaurl`` was
    taken, and every purge then failed, logged only.
    """
    from urllib.parse import urlsplit  # noqa: PLC0415 - small, only when a URL is set

    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is no number from 0 to 65535
    except ValueError:  # an unclosed [ in the host, a port "abc" or 99999
        host = None
        parts = None
    if parts is None or parts.scheme not in schemes or (host_required and not host):
        raise ImproperlyConfigured(
            f"{name}: expected an address with a host ({example}; scheme {', '.join(schemes)})"
        )
    return url


def env_list(name: str, default: str = "", *, environ: Environ = None) -> list[str]:
    """A comma-separated list (``ALLOWED_HOSTS=a.org,b.org``); blanks and empty items dropped."""
    return [
        item.strip() for item in env_str(name, default, environ=environ).split(",") if item.strip()
    ]


def one_of(name: str, value: str, choices, *, what: str = "value") -> str:
    """``value`` if it is one of ``choices``; else the error naming the variable ``name``
    and listing the choices (``what``: what a value is, ``storage``, ``engine``)."""
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}: unknown {what} {value!r}; use one of {', '.join(sorted(choices))}"
        )
    return value


def env_choices(name: str, choices) -> list[str]:
    """A comma-separated list of some of ``choices`` (``…_AT_PUBLICATION=en,cs``)."""
    values = env_list(name)
    unknown = [value for value in values if value not in choices]
    if unknown:
        raise ImproperlyConfigured(
            f"{name}: unknown value {unknown[0]!r}; use some of {', '.join(choices)}"
        )
    return values


def env_bool(name: str, default: bool = False, *, environ: Environ = None) -> bool:
    """``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off``, any case; empty: false."""
    given = env_str(name, None, environ=environ)
    if given is None:
        return default
    value = given.lower()
    if value in TRUE:
        return True
    if not value or value in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}: expected one of {', '.join(sorted(TRUE | FALSE))}, got {given!r}"
    )


def env_count(
    name: str,
    default: int,
    *,
    minimum: int = 0,
    unit: str = "a whole number",
    environ: Environ = None,
) -> int:
    """A whole number of at least ``minimum`` (``unit`` says what it counts, in the error)."""
    return env_number(name, default, minimum=minimum, unit=unit, parse=int, environ=environ)


def env_seconds(name: str, default: int) -> int:
    """A whole number of seconds, 0 or more."""
    return env_count(name, default, unit="a whole number of seconds")


def env_duration(
    name: str, default: float, *, minimum: float = 0.0, environ: Environ = None
) -> float:
    """Seconds, decimals allowed (``CACHE_TIMEOUT=0.5``)."""
    return env_number(name, default, minimum=minimum, unit="a number of seconds", environ=environ)


def env_number(
    name: str,
    default: float,
    *,
    minimum: float = 0.0,
    maximum: float = float("inf"),
    unit: str = "a number",
    parse: Callable[[str], float] = float,
    environ: Environ = None,
) -> float:
    """A number of at least ``minimum`` and at most ``maximum``, decimal (``0.5``) unless
    ``parse`` is ``int``; ``nan`` and ``inf`` refused."""
    value = env_str(name, environ=environ)
    if not value:
        return default
    try:
        number = parse(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected {unit}, got {value!r}") from None
    if not (minimum <= number <= maximum and number < float("inf")):  # nan compares false
        bounds = f">= {minimum:g}"
        if maximum < float("inf"):
            bounds = f"from {minimum:g} to {maximum:g}"
        raise ImproperlyConfigured(f"{name}: expected {unit} {bounds}, got {value!r}")
    return number


def settings_or_exit() -> None:
    """Read the settings now; if a value cannot be read, stop with its message alone.

    For the WSGI and ASGI modules: the message names the variable, and the sixty lines of
    traceback through Django's settings loader above it told an operator nothing more.
    The exit code is gunicorn's ``APP_LOAD_ERROR`` (4): its master then stops, where any
    other code from a worker (``GUNICORN_PRELOAD=false``) is booted again, forever.
    """
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reading one imports the settings module
    except ImproperlyConfigured as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        sys.exit(APP_LOAD_ERROR)


#: gunicorn's exit code for an application that cannot be loaded (``gunicorn.arbiter``).
APP_LOAD_ERROR = 4
