"""Webhooks with the production task backend: the editor's request only enqueues.

With django-tasks-db (``TASKS_BACKEND=database``) publishing records the
delivery and a task row; no HTTP request leaves the editor's request. The
worker (``manage.py db_worker``) then sends the signed POST.
"""

from __future__ import annotations

import json

from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.webhooks.models import WebhookDelivery
from tests.api.conftest import published_news
from tests.factories import country_user
from tests.webhooks.receiver import TASK_PATH, closed_port_url, edit, hook, verify


def webhook_tasks():
    return DBTaskResult.objects.filter(task_path=TASK_PATH)


def test_publishing_enqueues_and_the_worker_sends(
    country, endpoint, database_tasks, django_capture_on_commit_callbacks
):
    page = published_news(country("CZ"), title={"en": "Queued"})
    webhook = hook(country("CZ"), endpoint.url)
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Queued, not sent")

    assert endpoint.requests == []  # nothing left the editor's request
    task = webhook_tasks().get()
    assert task.status == TaskResultStatus.READY
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert task.args_kwargs == {"args": [[delivery.pk]], "kwargs": {}}

    database_tasks()  # manage.py db_worker --batch

    assert len(endpoint.requests) == 1
    headers, body = endpoint.requests[0]
    assert verify(headers, body, webhook.secret)
    assert json.loads(body)["object"]["id"] == page.pk
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("delivered", 200, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert not DBTaskResult.objects.failed().exists()  # Wagtail's own tasks ran too


def test_the_editors_admin_request_makes_no_http_request(
    client, country, endpoint, database_tasks, django_capture_on_commit_callbacks
):
    page = published_news(country("CZ"), title={"en": "Admin, queued"})
    webhook = hook(country("CZ"), endpoint.url)
    client.force_login(country_user("CZ", "moderators"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/pages/{page.pk}/unpublish/", HTTP_HOST="localhost")
    assert response.status_code == 302
    assert endpoint.requests == []
    assert webhook_tasks().filter(status=TaskResultStatus.READY).count() == 1

    database_tasks()

    assert [json.loads(body)["event"] for _headers, body in endpoint.requests] == ["unpublished"]
    assert verify(*endpoint.requests[0], webhook.secret)


def test_a_failed_send_in_the_worker_is_retried_by_deliver_webhooks(
    country, endpoint, database_tasks, django_capture_on_commit_callbacks
):
    """The cron command stays a safety net (a worker that was down, a lost task)."""
    page = published_news(country("CZ"), title={"en": "Endpoint down"})
    webhook = hook(country("CZ"), closed_port_url())
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Endpoint down, worker up")
    database_tasks()

    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "refused" in delivery.error.lower()
    first, retry = webhook_tasks().order_by("enqueued_at")
    assert first.status == TaskResultStatus.SUCCESSFUL  # the task never raises
    assert retry.status == TaskResultStatus.READY and retry.run_after == delivery.next_attempt_at

    webhook.url = endpoint.url
    webhook.save()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    call_command("deliver_webhooks")  # the cron retry, as before
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
