"""Where background tasks run: ``TASKS_BACKEND`` and the deploy check that guards it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from cms.settings.tasks import tasks_from_name

ROOT = Path(__file__).resolve().parent.parent.parent


def deploy_warnings() -> list[str]:
    return [m.id for m in checks.run_checks(include_deployment_checks=True, tags=["tasks"])]


def test_tasks_backend_names():
    assert tasks_from_name("database") == {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}
    }
    assert tasks_from_name(" Immediate ")["default"]["BACKEND"].endswith("ImmediateBackend")
    with pytest.raises(ImproperlyConfigured, match="TASKS_BACKEND"):
        tasks_from_name("celery")


def test_the_deploy_check_warns_about_the_immediate_backend():
    with override_settings(TASKS=tasks_from_name("immediate")):
        assert deploy_warnings() == ["cms.W001"]
        # Only a deploy check: `manage.py check` in development stays quiet.
        assert checks.run_checks(tags=["tasks"]) == []
    with override_settings(TASKS=tasks_from_name("database")):
        assert deploy_warnings() == []


@pytest.mark.parametrize(("backend", "warned"), [(None, False), ("immediate", True)])
def test_production_settings_default_to_the_database_backend(backend, warned):
    """What .ci/run checks (``check --deploy --fail-level WARNING``), both ways."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.org",
    }
    env.pop("TASKS_BACKEND", None)
    if backend:
        env["TASKS_BACKEND"] = backend
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--tag",
            "tasks",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode != 0) is warned, result.stderr
    assert ("cms.W001" in result.stderr) is warned
