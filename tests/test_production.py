"""Production settings: safe defaults, security headers and CSP, request ids, logs, Sentry.

``cms.settings.production`` is read with ``runpy`` (not imported: this process runs the
test settings) and its security settings are applied to real requests.
"""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import runpy
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from cms.ops.request_id import RequestIdMiddleware
from cms.settings.observability import logging_config
from cms.settings.storage import media_origins, media_storage

ROOT = Path(__file__).resolve().parent.parent
SECRET = "a-production-secret-key-for-the-tests-" + "x" * 30

#: The settings that shape a response's headers.
HEADER_SETTINGS = (
    "MIDDLEWARE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY_REPORT_ONLY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
)


@pytest.fixture
def production(monkeypatch):
    """The production settings module's values, as the environment below makes them."""
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    monkeypatch.delenv("SECURE_SSL_REDIRECT", raising=False)
    return runpy.run_module("cms.settings.production")


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    environ.pop("SENTRY_DSN", None)
    environ.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_wsgi_defaults_to_production_and_refuses_to_start_without_a_secret_key():
    refused = run_python("import cms.wsgi")
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr
    started = run_python(
        "import cms.wsgi; from django.conf import settings;"
        "print(settings.SETTINGS_MODULE, settings.DEBUG)",
        SECRET_KEY=SECRET,
    )
    assert started.stdout.split() == ["cms.settings.production", "False"], started.stderr


def test_asgi_defaults_to_production_and_manage_py_to_dev():
    asgi = run_python("import cms.asgi")
    assert "SECRET_KEY must be set" in asgi.stderr
    dev = run_python(
        "import runpy, sys; sys.argv = ['manage.py', 'diffsettings', '--output', 'unified'];"
        "runpy.run_path('manage.py', run_name='__main__')"
    )
    assert "+ DEBUG = True" in dev.stdout, dev.stderr


def test_check_deploy_names_the_development_defaults_production_kept():
    """Without DATABASE_URL production ran on the SQLite file inside the code, and without
    WAGTAILADMIN_BASE_URL the admin's e-mails linked to localhost: nothing said so."""
    from cms.core.checks import defaults_left

    default = str(ROOT / "var" / "db.sqlite3")
    kept = defaults_left(default, "http://localhost:8000", default_database=default)
    assert [message.id for message in kept] == ["cms.W005", "cms.W006"]
    assert "inside the code" in kept[0].msg and "WAGTAILADMIN_BASE_URL" in kept[1].msg
    for local in (
        "http://127.0.0.1:8000",
        "http://[::1]/",
        "http://0.0.0.0",
        "http://cz.localhost",
    ):
        (message,) = defaults_left("/srv/db.sqlite3", local, default_database=default)
        assert message.id == "cms.W006"
    given = defaults_left(
        "/srv/cms/db.sqlite3", "https://admin.example.org", default_database=default
    )
    assert given == []


def test_check_deploy_asks_for_the_proxies_production_sits_behind(settings):
    """Behind the TLS proxy every client has the proxy's address unless TRUSTED_PROXIES
    says whose X-Forwarded-For to believe: five wrong sign-ins from anywhere would then lock
    an editor out for everyone."""
    from cms.core.checks import check_clients_are_told_apart

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    (message,) = check_clients_are_told_apart()
    assert message.id == "cms.W007" and "TRUSTED_PROXIES" in message.msg
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert check_clients_are_told_apart() == []
    settings.SECURE_PROXY_SSL_HEADER = None  # no proxy: the peer is the client
    settings.TRUSTED_PROXIES = []
    assert check_clients_are_told_apart() == []


def test_production_sends_mail_through_the_smtp_server_the_environment_names(
    monkeypatch, production
):
    """Password resets and moderation notifications: production read no mail setting, so
    it could only try an SMTP server on its own machine, and a reset said it had sent.
    (``cms.settings.mail`` read afresh: production's import of it is this process's.)"""
    assert production["EMAIL_TIMEOUT"] == 10  # a hung server never holds a request for ever
    for name, value in {
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "cms",
        "EMAIL_HOST_PASSWORD": " secret ",
        "EMAIL_USE_TLS": "on",
        "DEFAULT_FROM_EMAIL": "cms@example.org",
    }.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(ROOT / "cms/settings/mail.py"))
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert (settings["EMAIL_HOST_USER"], settings["EMAIL_HOST_PASSWORD"]) == ("cms", " secret ")
    assert settings["EMAIL_USE_TLS"] and not settings["EMAIL_USE_SSL"]
    assert settings["DEFAULT_FROM_EMAIL"] == settings["SERVER_EMAIL"] == "cms@example.org"
    monkeypatch.setenv("EMAIL_PORT", "smtp")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        runpy.run_path(str(ROOT / "cms/settings/mail.py"))


def test_production_without_sentry_dsn_never_imports_sentry(production):
    assert production["SENTRY_ENABLED"] is False
    result = run_python(
        "import sys, django; django.setup(); import cms.wsgi; print('sentry_sdk' in sys.modules)",
        SECRET_KEY=SECRET,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.django_db
def test_a_production_response_carries_csp_and_security_headers(production, client):
    with override_settings(**{name: production[name] for name in HEADER_SETTINGS}):
        plain = client.get("/cs/", HTTP_HOST="cz.localhost")
        response = client.get("/cs/", HTTP_HOST="cz.localhost", secure=True)
        admin = client.get("/admin/login/", HTTP_HOST="cz.localhost", secure=True)
        liveness = client.get("/health/", HTTP_HOST="10.0.0.7")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://cz.localhost/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp + ";"
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "Content-Security-Policy-Report-Only" not in response
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert len(response["X-Request-ID"]) == 32
    # The admin's widgets need inline scripts (cms/ops/csp.py); visitor pages never get them.
    assert "'unsafe-inline'" in admin["Content-Security-Policy"].split("script-src")[1]
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    # Probes speak plain HTTP to the server's address: no redirect, no host check.
    assert liveness.status_code == 200


@pytest.mark.django_db
def test_production_cookies_are_sent_over_https_only(production, client):
    """The language switcher's cookie too: ``check --deploy`` does not ask for that one."""
    with override_settings(**{name: production[name] for name in HEADER_SETTINGS}):
        switched = client.get(
            "/language/?language=en&next=/en/", HTTP_HOST="cz.localhost", secure=True
        )
    assert switched.status_code == 302
    assert switched.cookies["django_language"]["secure"] is True


def test_development_only_reports_the_policy(client, db):
    response = client.get("/admin/login/", HTTP_HOST="localhost")
    assert "Content-Security-Policy" not in response
    assert "default-src 'self'" in response["Content-Security-Policy-Report-Only"]


def logged_request(headers: dict[str, str], **settings) -> tuple[HttpResponse, dict]:
    """One request through RequestIdMiddleware whose view logs a line, in production's JSON."""
    stream = io.StringIO()
    config = logging_config("json")
    config["handlers"]["console"]["stream"] = stream
    config["root"] = {"handlers": [], "level": "WARNING"}
    config["loggers"] = {"cms.test": {"handlers": ["console"], "level": "INFO"}}

    def view(request):
        logging.getLogger("cms.test").info("saved %s", "page")
        return HttpResponse("ok")

    logging.config.dictConfig(config)
    try:
        with override_settings(**settings):
            request = RequestFactory().get("/", headers=headers)
            response = RequestIdMiddleware(view)(request)
    finally:
        logging.getLogger("cms.test").handlers.clear()
    return response, json.loads(stream.getvalue().splitlines()[-1])


def test_json_log_lines_carry_time_level_and_the_request_id():
    response, line = logged_request({})
    assert line["message"] == "saved page"
    assert line["level"] == "INFO"
    assert line["logger"] == "cms.test"
    stamp = datetime.fromisoformat(line["time"])  # ISO 8601, placed in time by its offset
    assert stamp.utcoffset() == timedelta(0) and line["time"].endswith("+00:00")
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)
    assert line["request_id"] == response["X-Request-ID"]


#: gunicorn's access atoms for one request, as its access logger passes them (``args``).
ACCESS_ATOMS = {
    "h": "10.0.0.1",
    "m": "GET",
    "U": "/cs/",
    "q": "",
    "r": "GET /cs/ HTTP/1.1",
    "s": "200",
    "b": "512",
    "B": "512",
    "M": "12",
    "f": "-",
    "a": "curl/8.5",
    "{x-request-id}o": "abc123",
}


def access_line(monkeypatch, log_format: str) -> str:
    """One request's access line, through the formatter ``cms/gunicorn_conf.py`` gives
    gunicorn for ``LOG_FORMAT=log_format`` (built alone: configuring gunicorn's loggers
    here would take over this process's root logger)."""
    monkeypatch.setenv("LOG_FORMAT", log_format)
    conf = runpy.run_path(str(ROOT / "cms" / "gunicorn_conf.py"))
    formatting = dict(conf["logconfig_dict"]["formatters"]["access"])
    formatter = logging.config.DictConfigurator({}).configure_formatter(formatting)
    record = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        conf["access_log_format"],
        (ACCESS_ATOMS,),
        None,
    )
    return formatter.format(record)


def test_access_lines_name_time_level_and_logger_as_the_app_lines_do(monkeypatch):
    """The JSON access line named its time ``asctime`` and had no ``level`` or ``logger``,
    so a pipeline reading the app's lines by ``time`` and ``level`` could not read these."""
    _, app = logged_request({})
    line = json.loads(access_line(monkeypatch, "json"))
    assert {"time", "level", "logger", "message"} <= line.keys() & app.keys()
    assert "asctime" not in line
    assert (line["level"], line["logger"]) == ("INFO", "gunicorn.access")
    assert datetime.fromisoformat(line["time"]).utcoffset() == timedelta(0)
    assert line["message"] == "GET /cs/ 200"
    assert (line["status"], line["request_id"], line["path"]) == ("200", "abc123", "/cs/")
    text = access_line(monkeypatch, "text")
    assert ' INFO gunicorn.access 10.0.0.1 "GET /cs/ HTTP/1.1" 200 512 ' in text


def test_an_incoming_request_id_is_kept_only_from_the_trusted_header():
    response, _ = logged_request({"X-Request-ID": "proxy-abc.123"})
    assert response["X-Request-ID"] != "proxy-abc.123"  # nobody is trusted by default
    trusted = {"REQUEST_ID_TRUSTED_HEADER": "X-Request-ID"}
    response, line = logged_request({"X-Request-ID": "proxy-abc.123"}, **trusted)
    assert response["X-Request-ID"] == line["request_id"] == "proxy-abc.123"
    response, _ = logged_request({"X-Request-ID": 'bad id"\n'}, **trusted)
    assert len(response["X-Request-ID"]) == 32


def test_media_on_s3_compatible_storage_when_configured():
    env = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "cms-media",
        "AWS_S3_ENDPOINT_URL": "https://objects.example.net",
    }
    storage = media_storage(env)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "cms-media"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert "https://objects.example.net" in media_origins(storage)
    cdn = media_storage({**env, "AWS_S3_CUSTOM_DOMAIN": "media.example.org"})
    assert media_origins(cdn) == ["https://media.example.org"]
    from storages.backends.s3 import S3Storage

    assert S3Storage(**cdn["OPTIONS"]).url("images/a.jpg") == (
        "https://media.example.org/media/images/a.jpg"
    )
    assert media_storage({})["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        media_storage({"MEDIA_STORAGE": "s3"})
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        media_storage({"MEDIA_STORAGE": "ftp"})


def test_the_package_lists_every_template_catalogue_and_site_file():
    """``pip install .`` ships what pyproject's data-files list: a new folder must be listed.

    ``make package-check`` builds, installs and serves the package for real (minutes);
    this keeps the list in step with the tree in a second.
    """
    import glob
    import tomllib

    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "data-files"
    ]
    patterns = [pattern for listed in data_files.values() for pattern in listed]
    # Catalogues are listed by name: their .mo files exist only once compiled.
    packaged = set(patterns).union(*(glob.glob(pattern, root_dir=ROOT) for pattern in patterns))
    wanted = {
        *(str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*.html")),
        *(str(p.relative_to(ROOT)) for p in (ROOT / "sites").rglob("*") if p.is_file()),
        *(str(p.relative_to(ROOT).with_suffix(".mo")) for p in (ROOT / "locale").rglob("*.po")),
    }
    assert wanted - packaged == set()
