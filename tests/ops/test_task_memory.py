"""The task worker gives the search analysis tables back when idle (cms/ops/task_memory.py).

Indexing a page for the admin's search analyses its text in each of its languages, which
loads simplemma's lemma tables (~90 MB for all seven). The app servers keep them; a
``db_worker`` drops them after ``TASK_WORKER_RELEASE_AFTER_IDLE`` seconds without a task.
These tests assert what is loaded, never memory figures (``.ci/prod/worker_memory.py`` and
``make chaos`` measure those).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.ops import task_memory
from cms.search import analysis
from tests.factories import news_page

ROOT = Path(__file__).resolve().parents[2]
INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"


@pytest.fixture
def no_tables():
    """Start without tables, so what is loaded afterwards was loaded by the test."""
    analysis.release_tables()
    yield
    timer = task_memory.state["timer"]
    if timer is not None:
        timer.cancel()
    task_memory.state.update(busy=False, timer=None)


def index_tasks():
    return DBTaskResult.objects.filter(task_path=INDEX_TASK)


def publish_a_page(country, captured):
    with captured(execute=True):
        page = news_page(
            country("CZ"), title={"en": "Cooperating clusters", "cs": "Spolupráce klastrů"}
        )
        page.save_revision().publish()
    return page


@override_settings(TASK_WORKER_RELEASE_AFTER_IDLE=0)
def test_the_worker_releases_the_tables_its_indexing_loaded(
    country, database_tasks, no_tables, caplog, django_capture_on_commit_callbacks
):
    publish_a_page(country, django_capture_on_commit_callbacks)
    assert index_tasks().exists()
    analysis.release_tables()  # the save analysed too (the visitor search's documents)

    with caplog.at_level(logging.INFO, logger="cms.ops.task_memory"):
        database_tasks()  # manage.py db_worker --batch

    assert {task.status for task in index_tasks()} == {TaskResultStatus.SUCCESSFUL}
    released = [r.getMessage() for r in caplog.records if "released" in r.getMessage()]
    assert released, "no release logged: the worker kept its tables (or its indexing loaded none)"
    assert "cs" in released[0] and "en" in released[0]
    assert analysis.loaded_languages() == frozenset()


@override_settings(TASK_WORKER_RELEASE_AFTER_IDLE=30)
def test_after_a_task_the_worker_waits_for_idleness_before_releasing(
    country, database_tasks, no_tables, django_capture_on_commit_callbacks
):
    publish_a_page(country, django_capture_on_commit_callbacks)
    analysis.release_tables()
    database_tasks()

    loaded = analysis.loaded_languages()
    assert {"cs", "en"} <= loaded  # kept for the next task of a burst
    timer = task_memory.state["timer"]
    assert timer is not None and timer.interval == 30
    timer.cancel()

    task_memory.release_if_idle()  # what the timer does after 30 s without a task
    assert analysis.loaded_languages() == frozenset()


@override_settings(TASK_WORKER_RELEASE_AFTER_IDLE=30)
def test_a_task_that_starts_meanwhile_keeps_the_tables(no_tables):
    analysis.analyse("klastr", "sl")
    task_memory.state["busy"] = True  # a task started (on_task_started) before the timer fired
    task_memory.release_if_idle()
    assert analysis.loaded_languages() == {"sl"}


@override_settings(TASK_WORKER_RELEASE_AFTER_IDLE=0)
def test_an_app_server_keeps_its_tables(country, no_tables, django_capture_on_commit_callbacks):
    """With the immediate backend a task runs inside the request: nothing is released."""
    publish_a_page(country, django_capture_on_commit_callbacks)
    assert {"cs", "en"} <= analysis.loaded_languages()
    assert task_memory.state["timer"] is None


@override_settings(TASK_WORKER_RELEASE_AFTER_IDLE=-1)
def test_a_negative_setting_never_releases(
    country, database_tasks, no_tables, django_capture_on_commit_callbacks
):
    publish_a_page(country, django_capture_on_commit_callbacks)
    analysis.release_tables()
    database_tasks()
    assert {"cs", "en"} <= analysis.loaded_languages()
    assert task_memory.state["timer"] is None


def test_a_worker_starts_without_the_tables():
    """Setting up Django and importing every task a worker runs loads no lemma table."""
    code = (
        "import sys, django; django.setup()\n"
        "import cms.search.indexing, cms.webhooks.delivery, cms.projections.signals\n"
        "import modelsearch.tasks, wagtail.tasks, wagtail.images.tasks\n"
        "from django_tasks_db.management.commands import db_worker\n"
        "from cms.search import analysis\n"
        "print(sorted(analysis.loaded_languages()), 'simplemma' in sys.modules)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "[] False"


# --- the search engine's retry worker (manage.py search_index_worker) ---------------------


@override_settings(TASK_WORKER_RELEASE_AFTER_IDLE=0)
def test_the_search_index_worker_releases_the_tables_when_idle(db, no_tables):
    """Resending the admin's missed entries after an outage analyses them; the chaos run
    found the worker holding the tables (264 MB) long after, where db_worker was at 188."""
    analysis.analyse("klastr", "sl")  # what a resend after an outage loaded
    call_command("search_index_worker", max_rounds=1, interval=0, stdout=StringIO())
    assert analysis.loaded_languages() == frozenset()


@override_settings(TASK_WORKER_RELEASE_AFTER_IDLE=30)
def test_the_search_index_worker_keeps_the_tables_until_its_idle_period_is_over(db, no_tables):
    analysis.analyse("klastr", "sl")
    call_command("search_index_worker", max_rounds=2, interval=0, stdout=StringIO())
    assert analysis.loaded_languages() == {"sl"}
