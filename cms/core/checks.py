"""System checks: how this project is deployed (``manage.py check --deploy``), that
every language has what the project needs of it (``manage.py check``), and content
visitors read in no language (``manage.py check --database default``)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from cms.core.languages import COMMON_LANGUAGE, FALLBACK_CHAINS, LANGUAGE_CODES


@checks.register("tasks", deploy=True)
def check_tasks_run_in_a_worker(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Webhooks and search-engine updates are tasks: in production they belong in a worker.

    With the immediate backend each one runs inside the editor's request, right
    after its commit, so a slow endpoint or engine makes the editor wait.
    """
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, ImmediateBackend):
        return []
    return [
        checks.Warning(
            "Background tasks run with the immediate backend: webhooks and search updates "
            "would run inside editors' requests.",
            hint="Set TASKS_BACKEND=database and run `manage.py db_worker` beside the app "
            "servers (see cms/settings/tasks.py).",
            id="cms.W001",
        )
    ]


@checks.register("deployment", deploy=True)
def check_production_says_where_things_are(app_configs=None, **kwargs):
    """Production names its database and its admin's address (``check --deploy``)."""
    return defaults_left(
        str(settings.DATABASES["default"]["NAME"]),
        settings.WAGTAILADMIN_BASE_URL,
        default_database=str(settings.BASE_DIR / "var" / "db.sqlite3"),
    )


@checks.register("deployment", deploy=True)
def check_clients_are_told_apart(app_configs=None, **kwargs):
    """Production sits behind a TLS proxy (``SECURE_PROXY_SSL_HEADER``): every request comes
    from the proxy's address, and only ``TRUSTED_PROXIES`` lets the client's own be read
    from ``X-Forwarded-For`` (``cms.ops.addresses``). Without it the sign-in throttle locks
    an editor out for everyone after five wrong tries from anywhere, and the API's rate
    limit counts every consumer together (``check --deploy``)."""
    if not settings.SECURE_PROXY_SSL_HEADER or settings.TRUSTED_PROXIES:
        return []
    return [
        checks.Warning(
            "TRUSTED_PROXIES is empty behind the TLS proxy production expects: every client "
            "would have the proxy's address, so five wrong sign-ins from anywhere would lock "
            "an editor out for everyone.",
            hint="Set TRUSTED_PROXIES to the proxies' addresses or networks (10.0.0.0/8), and "
            "have them send X-Forwarded-For.",
            id="cms.W007",
        )
    ]


def defaults_left(
    database_name: str, admin_url: str, *, default_database: str
) -> list[checks.CheckMessage]:
    """The development defaults a deployment kept, which nothing else would reveal: the
    database, the SQLite file inside the code's own folder (a new checkout or package
    leaves the content behind), and the admin at ``http://localhost:8000``, the address
    in every notification e-mail's links."""
    messages = []
    if database_name == default_database:
        messages.append(
            checks.Warning(
                f"The database is {default_database}, inside the code (DATABASE_URL unset, "
                "or set to it).",
                hint="Set DATABASE_URL (postgres://…, or sqlite:////srv/cms/db.sqlite3 "
                "outside the code for a small site).",
                id="cms.W005",
            )
        )
    if is_local(urlsplit(admin_url).hostname):
        messages.append(
            checks.Warning(
                f"WAGTAILADMIN_BASE_URL is {admin_url!r}: links in the admin's e-mails "
                "would lead there.",
                hint="Set WAGTAILADMIN_BASE_URL to the admin's public address "
                "(https://admin.example.org).",
                id="cms.W006",
            )
        )
    return messages


def is_local(hostname: str | None) -> bool:
    """A host only this machine reaches (or none): ``localhost``, ``*.localhost``, a
    loopback or unspecified address."""
    if not hostname or hostname == "localhost" or hostname.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(hostname)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@checks.register("languages")
def check_every_language_is_complete(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Each language of ``cms.core.languages.LANGUAGES`` has what the project needs of it.

    Adding a language is a list of files (README, "Adding a language"); this names
    the ones still missing one, at start-up, rather than as a 500 on the first
    editor's page or a page of English strings.
    """
    return language_gaps(LANGUAGE_CODES) + unknown_fallbacks(FALLBACK_CHAINS, LANGUAGE_CODES)


def unknown_fallbacks(chains, codes) -> list[checks.CheckMessage]:
    """A chain that names a language the network does not have would serve nothing."""
    return [
        checks.Error(
            f"FALLBACK_CHAINS[{language!r}] names {code!r}, which is not in LANGUAGES.",
            hint="Fix the chain in cms/core/languages.py, or add the language (README, "
            '"Adding a language").',
            id="cms.E003",
        )
        for language, chain in chains.items()
        for code in (language, *chain)
        if code not in codes and code != "default"
    ]


def language_gaps(codes) -> list[checks.CheckMessage]:
    """What ``codes`` lack: an error where a page would fail, a warning where it would
    show English or a guessed territory."""
    from cms.core.publication import LANGUAGE_NAMES
    from cms.core.seo import TERRITORIES

    found: list[checks.CheckMessage] = []
    for code in codes:
        if code not in LANGUAGE_NAMES:
            found.append(
                checks.Error(
                    f"Language {code!r} has no name for editors: the admin's page editor "
                    "would fail on every page of a site that publishes in it.",
                    hint=f"Add {code!r} to LANGUAGE_NAMES in cms/core/publication.py.",
                    id="cms.E002",
                )
            )
        if code not in TERRITORIES:
            found.append(
                checks.Warning(
                    f"Language {code!r} has no territory: its og:locale is guessed as "
                    f"{code}_{code.upper()}.",
                    hint=f"Add {code!r} to TERRITORIES in cms/core/seo.py.",
                    id="cms.W003",
                )
            )
        catalogue = settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po"
        # An installed package carries the compiled catalogue only (pyproject's data-files).
        compiled = catalogue.with_suffix(".mo")
        if code != COMMON_LANGUAGE and not (catalogue.exists() or compiled.exists()):
            found.append(
                checks.Warning(
                    f"Language {code!r} has no catalogue: visitor pages and the admin show "
                    "this project's own strings in English.",
                    hint=f"python manage.py makemessages --locale {code} (writes {catalogue}), "
                    "translate it, then make messages.",
                    id="cms.W004",
                )
            )
    return found


@checks.register(checks.Tags.database)
def check_content_visitors_read(app_configs=None, databases=None, **kwargs):
    """Cluster profiles, partners and live pages that visitors read in no language
    (``manage.py check --database default``; ``migrate`` runs it too, so a deploy shows it).

    The edit forms and the import refuse them (every translation held back, the English
    text empty), but rows saved before they did exist. Visitors, the API and search do
    not see such snippets (``cms.core.visibility.in_a_language``), so nobody else notices
    they are gone; such a page is live with an empty title. This names them to the
    operator, one warning per model.
    """
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    from django.apps import apps
    from wagtail.models import Page

    from cms.core.translation_status import in_a_language_q, names_it_in_translated_fields

    messages = []
    for model in apps.get_models():
        if not names_it_in_translated_fields(model):
            continue
        is_page = issubclass(model, Page)
        rows = model.objects.live() if is_page else model.objects.all()
        hidden = rows.exclude(in_a_language_q(model)).order_by("pk")
        try:
            count = hidden.count()
            shown = [str(getattr(obj, "slug", obj.pk)) for obj in hidden[:20]] if count else []
        except DatabaseError:
            # ``migrate`` runs this before it migrates: a fresh database has no tables yet,
            # an upgrade may lack a column. Nothing to report until the schema is there.
            return []
        if not count:
            continue
        seen = (
            # Published before the edit form refused it: shown, with an empty title.
            "they are live with an empty title"
            if is_page
            else "visitors, the API and search do not see them"
        )
        messages.append(
            checks.Warning(
                f"{count} {model._meta.verbose_name_plural} are in no language visitors read "
                f"(every translation held back, the English text empty): {seen}: "
                f"{', '.join(shown)}" + (" …" if count > len(shown) else ""),
                hint="In the admin, tick a complete translation ready or fill in the English "
                "version; or delete them.",
                obj=model,
                id="cms.W002",
            )
        )
    return messages
