"""Settings read from the environment: a mistyped value stops the process with a message
naming the variable (``cms.settings.environment``), never a bare Python error or a value
quietly read as something else."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.settings.environment import (
    env_bool,
    env_choices,
    env_count,
    env_duration,
    env_list,
    env_number,
    env_str,
)

ROOT = Path(__file__).resolve().parent.parent
#: A production SECRET_KEY strong enough to start with (50 characters, 5 different at least).
KEY = "production-secret-for-the-settings-tests-0123456789"


def run_settings(module: str) -> dict:
    """``cms/settings/<module>.py`` run afresh, as the environment now is (the imported
    module, read when this process started, stays as it was)."""
    return runpy.run_path(str(ROOT / "cms" / "settings" / f"{module}.py"))


def test_values_are_read_with_their_defaults():
    environ = {"NAME": "  value ", "EMPTY": " ", "LIST": "a, b,,c ", "FLAG": "Yes", "OFF": "off"}
    assert env_str("NAME", environ=environ) == "value"
    assert env_str("EMPTY", "fallback", environ=environ) == ""  # set: not the default
    assert env_str("UNSET", "fallback", environ=environ) == "fallback"
    assert env_list("LIST", environ=environ) == ["a", "b", "c"]
    assert env_list("UNSET", "x,y", environ=environ) == ["x", "y"]
    assert env_bool("FLAG", environ=environ) is True
    assert env_bool("OFF", True, environ=environ) is False
    assert env_bool("UNSET", True, environ=environ) is True
    assert env_bool("EMPTY", True, environ=environ) is False
    assert env_list("EMPTY", "x,y", environ=environ) == []
    assert env_count("EMPTY", 3, environ=environ) == 3  # a number cannot be empty
    assert env_str("KEY", strip=False, environ={"KEY": " a b "}) == " a b "
    assert env_duration("UNSET", 0.5, environ=environ) == 0.5
    assert env_duration("T", 5, environ={"T": "2.5"}) == 2.5
    assert env_number("RATE", 0, environ={"RATE": "0.25"}) == 0.25


def test_counts_and_choices(monkeypatch):
    monkeypatch.setenv("COUNT", " 12 ")
    assert env_count("COUNT", 3) == 12
    monkeypatch.setenv("COUNT", "")
    assert env_count("COUNT", 3) == 3
    monkeypatch.setenv("CHOSEN", "en, cs")
    assert env_choices("CHOSEN", ("en", "cs", "de")) == ["en", "cs"]


@pytest.mark.parametrize(
    ("read", "value", "message"),
    [
        (lambda: env_count("V", 1), "ten", "V: expected a whole number, got 'ten'"),
        (lambda: env_count("V", 1), "1.5", "V: expected a whole number, got '1.5'"),
        (lambda: env_count("V", 1, minimum=1), "0", "V: expected a whole number >= 1, got '0'"),
        (lambda: env_count("V", 1), "-3", "V: expected a whole number >= 0, got '-3'"),
        (lambda: env_duration("V", 1), "soon", "V: expected a number of seconds, got 'soon'"),
        (lambda: env_duration("V", 1), "nan", "V: expected a number of seconds >= 0, got 'nan'"),
        (lambda: env_duration("V", 1), "inf", "V: expected a number of seconds >= 0, got 'inf'"),
        (
            lambda: env_duration("V", 1, minimum=0.001),
            "0",
            "V: expected a number of seconds >= 0.001, got '0'",
        ),
        (
            lambda: env_number("V", 0, maximum=1),
            "5",
            "V: expected a number from 0 to 1, got '5'",
        ),
        (lambda: env_bool("V"), "ture", "V: expected one of 0, 1, false, no, off, on, true,"),
        (lambda: env_choices("V", ("en", "cs")), "en,xx", "V: unknown value 'xx'; use some of"),
    ],
)
def test_a_bad_value_names_the_variable(monkeypatch, read, value, message):
    monkeypatch.setenv("V", value)
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        read()


#: A bad value of each variable the settings (and gunicorn's configuration) read, with the
#: module reading it (``cms/settings/<module>.py``, run afresh) and other variables it needs
#: to be read at all.
BAD_VALUES = [
    ("base", {"DEBUG": "maybe"}),
    ("base", {"DATABASE_URL": "mysqlx://cms:s3cr3t@db/cms"}),
    ("base", {"DATABASE_URL": "postgres://cms:s3cr3t@db:port/cms"}),
    # Engines dj-database-url knows but the project does not run on.
    ("base", {"DATABASE_URL": "mysql://cms:s3cr3t@db/cms"}),
    ("base", {"DATABASE_URL": "postgis://cms:s3cr3t@db/cms"}),
    ("base", {"DATABASE_CONN_MAX_AGE": "forever"}),
    ("base", {"CACHE_URL": "memcached://127.0.0.1"}),
    ("base", {"CACHE_URL": "valkey://:s3cr3t@cache:6379/0"}),
    ("base", {"CACHE_URL": "redis//cms:s3cr3t@cache:6379/0"}),
    ("base", {"CACHE_URL": "redis:/cms:s3cr3t@cache"}),
    ("base", {"CACHE_URL": "redis://127.0.0.1/0", "CACHE_TIMEOUT": "0"}),
    ("base", {"LOG_LEVEL": "verbose"}),
    ("base", {"LOG_FORMAT": "xml"}),
    ("base", {"MEDIA_STORAGE": "ftp"}),
    ("base", {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": ""}),
    (
        "base",
        {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "b", "AWS_QUERYSTRING_AUTH": "si"},
    ),
    ("api", {"API_LIMIT_MAX": "0"}),
    ("api", {"API_CACHE_MAX_AGE": "1m"}),
    ("api", {"API_RESPONSE_CACHE_SECONDS": "-1"}),
    ("api", {"API_CACHE_GENERATION_SECONDS": "five"}),
    ("api", {"SYNC_SETTLE_SECONDS": "30s"}),
    ("api", {"API_RATE_LIMIT": "10/min"}),
    ("api", {"API_RATE_LIMIT_WINDOW": "0"}),
    ("api", {"TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal"}),
    ("api", {"WEBHOOK_TIMEOUT": "-1"}),
    ("api", {"WEBHOOK_MAX_ATTEMPTS": "0"}),
    ("api", {"WEBHOOK_RETRY_BASE_SECONDS": "1.5"}),
    ("api", {"WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "local"}),
    ("api", {"PROJECTION_INLINE_LIMIT": "lots"}),
    ("search", {"SEARCH_URL": "solr://127.0.0.1:8983"}),
    ("search", {"SEARCH_URL": "opensearch2://127.0.0.1:port"}),
    ("search", {"SEARCH_URL": "opensearch2+ftp://127.0.0.1"}),
    ("search", {"SEARCH_URL": "opensearch2://:9200"}),
    ("search", {"SEARCH_URL": "opensearch2://admin:s3cr3t@[::1:9200"}),
    ("search", {"SEARCH_URL": "opensearch2://h:9200", "SEARCH_TIMEOUT": "0"}),
    ("search", {"SEARCH_VOCABULARY_CHECK_SECONDS": "often"}),
    ("visitors", {"VISITOR_CACHE_MAX_AGE": "1h"}),
    ("visitors", {"VISITOR_CACHE_S_MAXAGE": "-5"}),
    ("visitors", {"FRONTEND_CACHE_URL": "http://c", "FRONTEND_CACHE_TIMEOUT": "x"}),
    ("visitors", {"FRONTEND_CACHE_MAX_URLS": "all"}),
    ("tasks", {"TASKS_BACKEND": "celery"}),
    ("tasks", {"TASK_WORKER_RELEASE_AFTER_IDLE": "never"}),
    ("i18n", {"TRANSLATIONS_REQUIRED_AT_PUBLICATION": "en,english"}),
    ("production", {"SECRET_KEY": KEY, "SECURE_HSTS_SECONDS": "1y"}),
    ("production", {"SECRET_KEY": KEY, "SECURE_SSL_REDIRECT": "si"}),
    ("production", {"SECRET_KEY": KEY, "TASKS_BACKEND": "rq"}),
    # The SDK's own error named no variable (BadDsn: Unsupported scheme '').
    ("production", {"SECRET_KEY": KEY, "SENTRY_DSN": "s3cr3t@sentry.example/1"}),
    # A share of requests; sentry_sdk took 5 without a word.
    (
        "production",
        {
            "SECRET_KEY": KEY,
            "SENTRY_DSN": "https://s3cr3t@sentry.example/1",
            "SENTRY_TRACES_SAMPLE_RATE": "5",
        },
    ),
    ("observability", {"TASK_BACKLOG_MAX_MINUTES": "ten"}),
    ("observability", {"SCHEDULE_MAX_MINUTES": "0"}),
    ("../gunicorn_conf", {"WEB_CONCURRENCY": "0"}),
    ("../gunicorn_conf", {"GUNICORN_WORKERS": "two"}),
    # Each was taken: every purge failed (logged only), Redis was asked at a default host.
    ("visitors", {"FRONTEND_CACHE_URL": "notaurl"}),
    ("visitors", {"FRONTEND_CACHE_URL": "ftp://varnish"}),
    ("visitors", {"FRONTEND_CACHE_URL": "http://varnish:abc"}),
    ("visitors", {"FRONTEND_CACHE_URL": "http://varnish:99999"}),
    ("base", {"CACHE_URL": "redis://cache:abc/0"}),
    ("base", {"CSP_REPORT_URI": "notaurl"}),
    ("production", {"SECRET_KEY": "abc"}),
    ("production", {"SECRET_KEY": "s" * 50}),
    ("production", {"SECRET_KEY": "django-insecure-" + "k0123456789" * 5}),
    ("../gunicorn_conf", {"GUNICORN_TIMEOUT": "30s"}),
    ("../gunicorn_conf", {"GUNICORN_GRACEFUL_TIMEOUT": "-1"}),
    ("../gunicorn_conf", {"GUNICORN_KEEPALIVE": "5.5"}),
    ("../gunicorn_conf", {"GUNICORN_MAX_REQUESTS": "lots"}),
    ("../gunicorn_conf", {"GUNICORN_PRELOAD": "nope"}),
    ("../gunicorn_conf", {"SEARCH_WARM_VOCABULARIES": "si"}),
    ("../gunicorn_conf", {"LOG_FORMAT": "yaml"}),
]


@pytest.mark.parametrize(
    ("module", "environ"), BAD_VALUES, ids=[next(reversed(env)) for _, env in BAD_VALUES]
)
def test_each_setting_refuses_a_bad_value_naming_its_variable(monkeypatch, module, environ):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as refused:
        run_settings(module)
    # The variable given the bad value (the row's last), not another one of the row's.
    assert str(refused.value).startswith(f"{next(reversed(environ))}:"), refused.value
    assert "s3cr3t" not in str(refused.value)


@pytest.mark.parametrize(
    ("module", "environ", "setting", "value"),
    [
        # Values that were read before these checks are read the same.
        ("base", {"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS", []),
        ("base", {"LOG_LEVEL": "warn"}, "LOG_LEVEL", "warn"),
        ("base", {"DEBUG": ""}, "DEBUG", False),
        ("search", {"SEARCH_URL": "opensearch2://h:9200", "SEARCH_INDEX_PREFIX": ""}, None, ""),
        (
            "production",
            {"SECRET_KEY": " key-" * 12, "SECURE_SSL_REDIRECT": ""},
            "SECRET_KEY",
            " key-" * 12,
        ),
        (
            "production",
            {"SECRET_KEY": KEY, "SECURE_SSL_REDIRECT": ""},
            "SECURE_SSL_REDIRECT",
            False,
        ),
        ("../gunicorn_conf", {"GUNICORN_TIMEOUT": "0"}, "timeout", 0),
        # Documented: negative = never release.
        (
            "tasks",
            {"TASK_WORKER_RELEASE_AFTER_IDLE": "-1"},
            "TASK_WORKER_RELEASE_AFTER_IDLE",
            -1.0,
        ),
        ("../gunicorn_conf", {"FORWARDED_ALLOW_IPS": ""}, "forwarded_allow_ips", ""),
    ],
)
def test_values_read_before_are_read_the_same(monkeypatch, module, environ, setting, value):
    for name, given in environ.items():
        monkeypatch.setenv(name, given)
    settings = run_settings(module)
    if setting is None:  # the engine's index prefix
        setting, settings = "INDEX_PREFIX", settings["WAGTAILSEARCH_BACKENDS"]["default"]
    assert settings[setting] == value


def test_webhooks_reach_private_addresses_in_development_only(monkeypatch):
    """Production keeps webhooks off the server's own network; a developer's front end
    receives them on localhost (``cms.webhooks.addresses``)."""
    monkeypatch.delenv("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", raising=False)
    monkeypatch.setenv("SECRET_KEY", KEY)
    assert run_settings("production")["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] is False
    assert run_settings("dev")["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] is True
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "off")
    assert run_settings("dev")["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] is False


def test_a_search_url_error_does_not_echo_its_password(monkeypatch):
    monkeypatch.setenv("SEARCH_URL", "opensearch2+https://admin:s3cr3t@search.internal:port")
    with pytest.raises(ImproperlyConfigured, match="SEARCH_URL") as refused:
        run_settings("search")
    assert "s3cr3t" not in str(refused.value)


def test_the_settings_read_the_environment_only_through_cms_settings_environment():
    """A new ``int(os.environ.get(...))`` would bring back the bare ``invalid literal``."""
    readers = []
    cms = ROOT / "cms"
    for path in sorted(
        [*cms.glob("settings/*.py"), *cms.glob("ops/*.py"), cms / "gunicorn_conf.py"]
    ):
        if path.name == "environment.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"os\.environ\s*(\.get|\[)|os\.getenv", line):
                readers.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert readers == []


def run_command(args: list[str], environ: dict) -> subprocess.CompletedProcess:
    """``args`` run from the checkout with ``environ``, its output captured as text."""
    return subprocess.run(  # noqa: S603
        args, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


def test_manage_py_stops_with_the_variable_named():
    environ = {**os.environ, "API_RATE_LIMIT": "10/min", "DJANGO_SETTINGS_MODULE": ""}
    environ.pop("DJANGO_SETTINGS_MODULE")
    stopped = run_command([sys.executable, "manage.py", "check"], environ)
    assert stopped.returncode != 0
    # The message alone: the traceback through Django's settings loader said nothing more.
    assert stopped.stderr.strip() == (
        "Configuration error: API_RATE_LIMIT: expected a whole number, got '10/min'"
    )


def test_manage_py_reads_the_settings_it_is_given():
    """``--settings`` counts: read before it, the development settings were checked instead
    and ``migrate --settings=cms.settings.production`` would have migrated their SQLite."""
    environ = {**os.environ}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.pop("SECRET_KEY", None)
    stopped = run_command(
        [sys.executable, "manage.py", "check", "--settings=cms.settings.production"], environ
    )
    assert stopped.returncode != 0
    assert stopped.stderr.strip() == (
        "Configuration error: SECRET_KEY must be set in the environment for production."
    )


@pytest.mark.parametrize("preload", ["true", "false"])
def test_gunicorn_stops_with_the_variable_named(preload, tmp_path):
    """gunicorn with ``cms.wsgi``: the message alone, and the master stops. A worker that
    loads the app (preload off) and exits with another code than gunicorn's APP_LOAD_ERROR
    was booted again, 53 times in 8 s."""
    environ = {**os.environ, "DEBUG": "ture", "SECRET_KEY": "x" * 60}
    environ |= {"DJANGO_SETTINGS_MODULE": "cms.settings.production"}
    environ |= {"GUNICORN_PRELOAD": preload, "WEB_CONCURRENCY": "1", "LOG_FORMAT": "text"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    bind = f"unix:{tmp_path / 'gunicorn.sock'}"
    stopped = run_command(
        [str(gunicorn), "-c", "python:cms.gunicorn_conf", "--bind", bind, "cms.wsgi"], environ
    )
    assert stopped.returncode != 0
    assert stopped.stderr.count("Configuration error: DEBUG: ") == 1, stopped.stderr
    assert "Traceback" not in stopped.stderr


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("CACHE_URL", "redis:///0"),  # the local Redis, as redis-py reads it
        ("CACHE_URL", "redis://:pass%40word@[::1]:6379/0"),
        ("CACHE_URL", "rediss://cache.internal:6380/1?ssl_cert_reqs=required"),
        ("FRONTEND_CACHE_URL", "http://varnish:6081"),
        ("CSP_REPORT_URI", "/csp-report/"),
        ("CSP_REPORT_URI", "https://csp.example/r"),
    ],
)
def test_working_addresses_are_taken(monkeypatch, name, url):
    monkeypatch.setenv(name, url)
    run_settings("base")
