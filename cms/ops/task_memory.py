"""The task worker gives the search analysis tables back when it has nothing to do (issue 13).

``manage.py db_worker`` runs Wagtail's search-index tasks, and indexing a page for the
admin's search analyses its text in every language (``cms.search.admin_search``), which
loads simplemma's lemma tables (``cms.search.analysis``): about 90 MB for the seven
languages, on top of the ~140 MB every process of the project holds. The app servers
keep the tables (every visitor search needs them); a worker needs them only while it
indexes. So once a worker has gone ``TASK_WORKER_RELEASE_AFTER_IDLE`` seconds without a
task (``cms/settings/tasks.py``; 60 by default, 0 = right after each task, negative =
never), it drops the tables and hands the freed memory back to the system; the next
task that analyses loads the languages it needs again (about 5 s for all seven on an
idle machine, Polish alone 2.6 s).

``manage.py search_index_worker`` is not a task worker but analyses too (resending the
admin's entries an engine outage held back); it calls ``release_tables`` itself once it
has found nothing to send for the same period.

Only tasks of the database backend are watched, and only ``db_worker`` runs those: with
the ``immediate`` backend (development, tests) a task runs inside a request of an app
server, whose tables stay. The receivers are connected by ``cms.ops.apps``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading

from django.conf import settings
from django_tasks import task_backends
from django_tasks.signals import task_finished, task_started
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)

_lock = threading.Lock()
state = {"busy": False, "timer": None}


def release_after() -> float | None:
    """Seconds of idleness after which the worker releases the tables (None: never)."""
    seconds = getattr(settings, "TASK_WORKER_RELEASE_AFTER_IDLE", None)
    if seconds is None or float(seconds) < 0:
        return None
    return float(seconds)


def rss_mb() -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def trim_malloc() -> None:
    """Ask glibc to give freed heap pages back to the system (elsewhere: nothing)."""
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def release_tables() -> frozenset[str]:
    """Drop the analysis tables now; return the languages that were loaded."""
    from cms.search import analysis  # noqa: PLC0415 - an app module, loaded after setup

    before = rss_mb()
    languages = analysis.release_tables()
    if languages:
        gc.collect()
        trim_malloc()
        after = rss_mb()
        logger.info(
            "task worker idle: released the analysis tables (%s), RSS %s -> %s MB",
            ",".join(sorted(languages)),
            f"{before:.0f}" if before is not None else "?",
            f"{after:.0f}" if after is not None else "?",
        )
    return languages


def run_by_worker(task_result) -> bool:
    """True for a task of the database backend: one ``db_worker`` is running."""
    try:
        return isinstance(task_backends[task_result.backend], DatabaseBackend)
    except Exception:  # noqa: BLE001 - an unknown alias is not ours to judge
        return False


def cancel_timer() -> None:
    timer = state["timer"]
    if timer is not None:
        timer.cancel()
        state["timer"] = None


def on_task_started(sender, task_result, **kwargs) -> None:
    if not run_by_worker(task_result):
        return
    with _lock:  # waits for a release under way, so the task loads afresh
        state["busy"] = True
        cancel_timer()


def release_if_idle() -> None:
    with _lock:
        state["timer"] = None
        if not state["busy"]:
            release_tables()


def on_task_finished(sender, task_result, **kwargs) -> None:
    if not run_by_worker(task_result):
        return
    seconds = release_after()
    with _lock:
        state["busy"] = False
        cancel_timer()
        if seconds is None:
            return
        from cms.search import analysis  # noqa: PLC0415

        if not analysis.loaded_languages():
            return
        if seconds == 0:
            release_tables()
            return
        timer = threading.Timer(seconds, release_if_idle)
        timer.daemon = True
        state["timer"] = timer
        timer.start()


def connect() -> None:
    task_started.connect(on_task_started, dispatch_uid="cms.ops.task_memory.started")
    task_finished.connect(on_task_finished, dispatch_uid="cms.ops.task_memory.finished")
