"""Background tasks (django-tasks, Wagtail 8's task framework), chosen by ``TASKS_BACKEND``.

Webhook deliveries (``cms.webhooks.delivery``), search-engine updates
(``cms.search.indexing``) and Wagtail's own chores (reference index, its page and
image search index, image focal points) are django-tasks tasks. Where they run
depends on the backend:

- ``database`` (the default of ``production.py``): django-tasks-db stores each
  task as a row, in the same database as the content, and ``manage.py db_worker``
  runs it in a process of its own. An editor's save only inserts that row, so a
  slow or dead webhook endpoint or search engine never makes the editor wait.
- ``immediate`` (the default elsewhere, so in ``dev.py``; always in ``test.py``): the task runs
  right after the commit, inside the request that enqueued it. Nothing else to run,
  so ``make run`` and the tests stay self-contained, but the editor waits for it
  (bounded by ``WEBHOOK_TIMEOUT`` and ``SEARCH_TIMEOUT``); ``manage.py check
  --deploy`` warns about it (``cms.core.checks``).

Either way the work itself is durable before the task exists (``WebhookDelivery``
and ``PendingIndexUpdate`` rows written in the editor's transaction), and
``deliver_webhooks`` / ``search_index_worker`` retry what failed.

The ``django_tasks_db`` app is installed in every environment (base.py), so its
table exists everywhere and switching backends needs no migration.

``TASK_WORKER_RELEASE_AFTER_IDLE`` (seconds, env of the same name; default 60): a
``db_worker`` that has run no task for that long gives back the search analysis
tables its indexing tasks loaded (~90 MB, ``cms.ops.task_memory``); 0 releases them
after every task, a negative value never. ``search_index_worker`` follows it too.
"""

from cms.settings.environment import env_duration, env_str, one_of

TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_from_name(name: str) -> dict:
    """The ``TASKS`` setting for ``TASKS_BACKEND=name`` (``immediate`` or ``database``)."""
    key = one_of("TASKS_BACKEND", name.strip().lower(), TASK_BACKENDS, what="backend")
    return {"default": {"BACKEND": TASK_BACKENDS[key]}}


TASKS = tasks_from_name(env_str("TASKS_BACKEND", "immediate"))

#: Negative: never (``cms.ops.task_memory.release_after``).
TASK_WORKER_RELEASE_AFTER_IDLE = env_duration(
    "TASK_WORKER_RELEASE_AFTER_IDLE", 60, minimum=float("-inf")
)
