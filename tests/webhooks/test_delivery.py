"""Webhooks a consumer can rely on: retried by the worker, ordered per item, complete payloads.

Against real HTTP endpoints on 127.0.0.1 (``Receiver``) and, for the worker, the
production task backend (django-tasks-db, ``manage.py db_worker --batch``). No
cron command runs in the worker tests: the retry is a task the worker scheduled.
"""

from __future__ import annotations

import json
import re
import textwrap
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django.utils.datastructures import CaseInsensitiveMapping
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.clusters.models import ClusterProfile
from cms.core.models import Country, Sector
from cms.webhooks.models import WebhookDelivery
from cms.webhooks.schema import payload_schema, webhooks_openapi
from tests.api.conftest import published_news
from tests.webhooks.receiver import TASK_PATH, Receiver, edit, events, hook

ROOT = Path(__file__).resolve().parents[2]


def wait_until(moment) -> None:
    """Real time passes until ``moment`` (a backoff of about a second)."""
    delay = (moment - timezone.now()).total_seconds()
    if delay > 0:
        time.sleep(delay + 0.05)


@override_settings(WEBHOOK_RETRY_BASE_SECONDS=1)
def test_the_worker_retries_a_failed_delivery_at_its_backoff_time_without_cron(
    country, endpoint, database_tasks, django_capture_on_commit_callbacks
):
    page = published_news(country("CZ"), title={"en": "Retried by the worker"})
    webhook = hook(country("CZ"), endpoint.url)
    endpoint.script = [503]  # the first attempt fails
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Retried by the worker, edited")

    database_tasks()
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 503)
    retry = DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY).get()
    assert retry.run_after == delivery.next_attempt_at
    assert retry.args_kwargs == {"args": [[delivery.pk]], "kwargs": {}}

    database_tasks()  # before the backoff: the retry is not due, nothing is sent
    assert len(endpoint.requests) == 1

    wait_until(delivery.next_attempt_at)
    database_tasks()  # the same worker, no deliver_webhooks
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 2, 200)
    first, second = events(endpoint)
    assert first == second  # the same event (same id), signed again
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exclude(
        status=TaskResultStatus.SUCCESSFUL
    )


@override_settings(WEBHOOK_RETRY_BASE_SECONDS=1)
def test_a_later_event_waits_while_an_earlier_one_about_the_item_is_retried(
    country, endpoint, database_tasks, django_capture_on_commit_callbacks
):
    page = published_news(country("CZ"), title={"en": "In order"})
    other = published_news(country("CZ"), title={"en": "Another item"})
    webhook = hook(country("CZ"), endpoint.url)
    endpoint.script = [500]
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "In order, edited")
    database_tasks()  # the edit's first attempt fails
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
        edit(other, "Another item, edited")
    database_tasks()

    # The unpublication waits for the edit; the other item's event does not.
    assert [(e["event"], e["object"]["id"]) for e in events(endpoint)] == [
        ("published", page.pk),
        ("published", other.pk),
    ]
    waiting = WebhookDelivery.objects.get(webhook=webhook, event="unpublished")
    assert (waiting.status, waiting.attempts) == ("pending", 0)

    first = WebhookDelivery.objects.get(webhook=webhook, event="published", object_id=page.pk)
    wait_until(first.next_attempt_at)
    database_tasks()  # the retry, then what waited for it
    sent = [e for e in events(endpoint) if e["object"]["id"] == page.pk]
    assert [(e["event"], e["sequence"]) for e in sent] == [
        ("published", 1),
        ("published", 1),
        ("unpublished", 2),
    ]
    assert sent[0]["id"] == sent[1]["id"] != sent[2]["id"]
    assert set(webhook.deliveries.values_list("status", flat=True)) == {"delivered"}


@override_settings(WEBHOOK_MAX_ATTEMPTS=2)
def test_the_cron_sends_in_order_and_a_given_up_event_frees_the_next(
    country, endpoint, django_capture_on_commit_callbacks
):
    page = published_news(country("CZ"), title={"en": "Given up"})
    webhook = hook(country("CZ"), endpoint.url)
    endpoint.script = [500, 500]  # the edit's two attempts both fail
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Given up, edited")
        page.unpublish()
    assert [e["event"] for e in events(endpoint)] == ["published"]

    webhook.deliveries.update(next_attempt_at=timezone.now())  # its backoff has passed
    call_command("deliver_webhooks")
    assert [e["event"] for e in events(endpoint)] == ["published", "published", "unpublished"]
    statuses = dict(webhook.deliveries.values_list("event", "status"))
    assert statuses == {"published": "failed", "unpublished": "delivered"}


def test_a_country_move_is_moved_for_the_old_site_and_published_for_the_new(
    country, django_capture_on_commit_callbacks
):
    receivers = {code: Receiver() for code in ("CZ", "SK", "INT")}
    try:
        for code, receiver in receivers.items():
            hook(country(code), receiver.url)
        profile = ClusterProfile.objects.filter(country__code="CZ").first()
        with django_capture_on_commit_callbacks(execute=True):
            profile.country = Country.objects.get(code="SK")
            profile.save()

        def about(code):
            return [
                (e["event"], e["object"]["site"], e["object"].get("moved_to"))
                for e in events(receivers[code])
                if (e["object"]["type"], e["object"]["id"])
                == ("clusters.ClusterProfile", profile.pk)
            ]

        assert about("CZ") == [("moved", "CZ", "SK")]
        assert about("SK") == [("published", "SK", None)]
        assert about("INT") == [("moved", "CZ", "SK"), ("published", "SK", None)]
        moved = next(e for e in events(receivers["CZ"]) if e["event"] == "moved")
        entered = next(e for e in events(receivers["SK"]) if e["object"]["id"] == profile.pk)
        assert entered["object"]["languages"] == ["en", "cs", "de", "it", "pl", "sk", "sl"]
        assert moved["object"]["languages"] == entered["object"]["languages"]
        assert entered["object"]["api_url"].endswith(f"/api/v3/clusters/{profile.pk}/?site=SK")
        assert moved["sequence"] < entered["sequence"]
    finally:
        for receiver in receivers.values():
            receiver.close()


@pytest.mark.parametrize("inline_limit", [50, 0], ids=["in the save", "by the worker"])
def test_a_renamed_sector_announces_the_items_that_show_it(
    country, endpoint, django_capture_on_commit_callbacks, settings, inline_limit
):
    """Few dependents are rendered in the editor's transaction, many by the task worker
    (``PROJECTION_INLINE_LIMIT``): either way each is announced once it is rendered."""
    settings.PROJECTION_INLINE_LIMIT = inline_limit
    sector = Sector.objects.create(slug="webhook-sector", name_en="Optics", name_cs="Optika")
    page = published_news(country("CZ"), title={"en": "Shows a sector"}, sectors=[sector])
    hook(country("CZ"), endpoint.url)  # a country's site serves the network's sectors too
    with django_capture_on_commit_callbacks(execute=True):
        sector.name_en = "Photonics"
        sector.save()
    announced = {
        (e["object"]["type"], e["object"]["id"], e["object"]["site"]) for e in events(endpoint)
    }
    assert ("core.Sector", sector.pk, None) in announced
    assert ("news.NewsPage", page.pk, "CZ") in announced


def readme_verification_code() -> str:
    readme = (ROOT / "README.md").read_text()
    block = re.search(
        r"<!-- webhook-verification -->\s*```python\n(.*?)^\s*```", readme, re.S | re.M
    )
    assert block, "README: the webhook verification example is missing"
    return textwrap.dedent(block.group(1))


def test_the_readme_verification_example_accepts_a_real_delivery_and_refuses_forgeries(
    country, endpoint, django_capture_on_commit_callbacks
):
    page = published_news(country("CZ"), title={"en": "Verified"})
    webhook = hook(country("CZ"), endpoint.url)
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Verified by the README's code")
    raw_headers, body = endpoint.requests[0]
    headers = CaseInsensitiveMapping(raw_headers)
    example: dict = {}
    exec(compile(readme_verification_code(), "README.md", "exec"), example)  # noqa: S102
    verify = example["verify"]

    event = verify(webhook.secret, headers, body)
    assert (event["event"], event["object"]["id"]) == ("published", page.pk)
    with pytest.raises(ValueError, match="signature"):
        verify("another secret", headers, body)
    with pytest.raises(ValueError, match="signature"):
        verify(webhook.secret, headers, body.replace(b"published", b"deleted"))
    old = CaseInsensitiveMapping(
        {**raw_headers, "X-Clusters-Cord-Timestamp": str(int(time.time()) - 3600)}
    )
    with pytest.raises(ValueError, match="timestamp"):
        verify(webhook.secret, old, body)


def test_deliveries_match_the_documented_schema(
    country, endpoint, django_capture_on_commit_callbacks
):
    """Every key sent is documented, every required one is sent, with the documented types."""
    page = published_news(country("CZ"), title={"en": "Documented"})
    hook(country("CZ"), endpoint.url)
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Documented, edited")
        page.unpublish()
    schema = payload_schema()
    operation = webhooks_openapi()["contentChanged"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == schema
    headers = {p["name"].lower() for p in operation["parameters"] if p["in"] == "header"}
    types = {"string": str, "integer": int, "array": list, "object": dict, "null": type(None)}
    for raw_headers, body in endpoint.requests:
        assert headers <= {name.lower() for name in raw_headers}
        event = json.loads(body)
        for level, spec in ((event, schema), (event["object"], schema["properties"]["object"])):
            assert set(spec["required"]) <= set(level) <= set(spec["properties"])
            for key, value in level.items():
                allowed = spec["properties"][key]["type"]
                allowed = allowed if isinstance(allowed, list) else [allowed]
                assert isinstance(value, tuple(types[name] for name in allowed)), (key, value)
        assert event["event"] in schema["properties"]["event"]["enum"]


def test_saves_stand_when_deliveries_cannot_be_recorded(
    country, endpoint, django_capture_on_commit_callbacks, caplog
):
    """The deliveries' table is gone (say, a half-applied migration): editors' work goes on."""
    from django.db import connection

    page = published_news(country("CZ"), title={"en": "Stands"})
    profile = ClusterProfile.objects.filter(country__code="CZ").first()
    hook(country("CZ"), endpoint.url)
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute(f"DROP TABLE {WebhookDelivery._meta.db_table}")
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Stands, edited")
        profile.city = "Brno-Královo Pole"
        profile.save()
        page.unpublish()
    page.refresh_from_db()
    profile.refresh_from_db()
    assert (page.live, page.title_en, profile.city) == (
        False,
        "Stands, edited",
        "Brno-Královo Pole",
    )
    assert endpoint.requests == []
    assert "Webhook event" in caplog.text  # logged, for the operators
