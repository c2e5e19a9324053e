"""``/ready/`` leaves no database connection behind (found by ``make chaos``, issue 13).

django-health-check runs each check in a thread of an executor, a new one for each probe.
A connection the task-backlog check opened there was never closed: with HAProxy probing
each app server every second, PostgreSQL's 100 connections were used up within two minutes,
then the database check failed and the balancer took every app server out.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import override_settings

from cms.ops.health import PendingWorkCheck, ScheduledPublishingCheck, TaskBacklogCheck
from cms.settings.tasks import tasks_from_name


@pytest.mark.parametrize("check", [TaskBacklogCheck, PendingWorkCheck, ScheduledPublishingCheck])
@pytest.mark.django_db(transaction=True)
def test_a_check_closes_its_connection_in_the_probe_thread(check):
    if connections["default"].vendor == "sqlite" and connections["default"].is_in_memory_db():
        pytest.skip("Django never closes an in-memory SQLite database (CI runs it on PostgreSQL)")
    left_open = []

    def probe():  # what the executor's thread does for one /ready/
        check().run()
        left_open.append(connections["default"].connection is not None)

    with override_settings(TASKS=tasks_from_name("database")):
        thread = threading.Thread(target=probe)
        thread.start()
        thread.join()
    assert left_open == [False]
