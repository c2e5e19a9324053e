"""System checks for how this project is deployed (``manage.py check --deploy``)."""

from __future__ import annotations

from django.core import checks
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend


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
