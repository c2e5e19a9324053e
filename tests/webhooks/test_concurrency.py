"""No webhook delivery goes out twice, nor two events of one item share a number, under concurrency.

Runs on PostgreSQL (``.ci/run``'s PostgreSQL stage), where several connections
really write at the same time. Many deliveries are due; two task workers send
their own deliveries (threads running ``deliver_webhooks_task``), and at the same
moment ``manage.py deliver_webhooks`` runs as a cron would: once in a thread and
twice as separate processes on the test database. A real HTTP endpoint counts
what it receives, by delivery: each arrives exactly once.

The rows are committed for real (the other connections must see them) by a
connection of their own, and removed at the end; the session's demo content is
left as it was (no flush, as a ``transaction=True`` test would do).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from cms.core.models import Country
from cms.webhooks.delivery import claim, deliver_webhooks_task
from cms.webhooks.models import ItemSequence, Webhook, WebhookDelivery
from cms.webhooks.recording import record_event

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"
    ),
]

DELIVERIES = 120
ROOT = Path(__file__).resolve().parents[2]


class CountingReceiver:
    """An endpoint that takes a little while to answer and counts deliveries by id."""

    def __init__(self, delay: float = 0.05):
        self.received: Counter[str] = Counter()
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(delay)  # a real endpoint's work: the window two senders race in
                with lock:
                    receiver.received[json.loads(body)["id"]] += 1
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def elsewhere(work):
    """Run ``work`` in a thread of its own, on its own connection in autocommit mode.

    The test's connection is inside the transaction that is rolled back at its end;
    what the workers and the processes must see is written and read here instead.
    """
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = work()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=300)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


@pytest.fixture
def committed(db):
    """A webhook with ``DELIVERIES`` due deliveries, committed; all of it deleted afterwards."""
    receiver = CountingReceiver()

    def create():
        hook = Webhook.objects.create(
            country=Country.objects.get(code="CZ"), name="race", url=receiver.url
        )
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(webhook=hook, event="published", payload={"id": f"delivery-{n}"})
            for n in range(DELIVERIES)
        )
        return hook, list(hook.deliveries.order_by("pk").values_list("pk", flat=True))

    hook, ids = elsewhere(create)
    try:
        yield hook, ids, receiver
    finally:
        elsewhere(hook.delete)
        receiver.close()


def cron_process() -> subprocess.Popen:
    """``manage.py deliver_webhooks`` in a process of its own, on the test database."""
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "deliver_webhooks", "--limit", str(DELIVERIES)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_connected(count: int, timeout: float = 120) -> None:
    """Wait until ``count`` other connections are open on the test database.

    A ``deliver_webhooks`` process connects when it starts looking for due
    deliveries, after Django's start-up (seconds on a busy machine).
    """
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh within the transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError(f"{count} cron processes did not connect in {timeout} s")


def cron_in_thread() -> dict[str, int]:
    out = io.StringIO()
    call_command("deliver_webhooks", limit=DELIVERIES, stdout=out)
    return {"delivered": int(re.match(r"delivered (\d+)", out.getvalue()).group(1))}


def test_workers_and_cron_send_each_delivery_exactly_once(committed):
    hook, ids, receiver = committed
    half = len(ids) // 2
    processes = [cron_process(), cron_process()]
    wait_until_connected(len(processes))  # then all five senders overlap
    senders = [
        lambda: deliver_webhooks_task.call(ids[:half]),
        lambda: deliver_webhooks_task.call(ids[half:]),
        cron_in_thread,
    ]
    counts: list[int] = []

    def sending(sender):
        def run():
            result = elsewhere(sender)
            counts.append(result["delivered"] if result else 0)

        return run

    threads = [threading.Thread(target=sending(sender)) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    outputs = [process.communicate(timeout=300) for process in processes]

    assert [process.returncode for process in processes] == [0, 0], outputs
    twice = {key: count for key, count in receiver.received.items() if count > 1}
    assert twice == {}, f"{len(twice)} of {DELIVERIES} deliveries went out more than once"
    assert set(receiver.received) == {f"delivery-{n}" for n in range(DELIVERIES)}
    in_processes = [int(re.match(r"delivered (\d+)", out).group(1)) for out, _ in outputs]
    assert sum(counts) + sum(in_processes) == DELIVERIES
    # The race was real: threads and processes both sent some of them.
    assert any(counts) and any(in_processes), (counts, in_processes)
    rows = elsewhere(lambda: list(hook.deliveries.values_list("status", "attempts")))
    assert Counter(rows) == {("delivered", 1): DELIVERIES}


def at_once(*works) -> None:
    """Run each of ``works`` in a thread of its own (own connection, autocommit), all at once."""
    errors: list[BaseException] = []

    def run(work):
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]


def one_waiting_for_the_other(first, second) -> bool:
    """``first`` in a transaction kept open until ``second`` (begun once ``first`` has run)
    waits for one of its locks, or, if nothing makes it wait, is done; then committed.
    Each in a thread and connection of its own. Whether ``second`` waited: they overlapped."""
    done_first, done_second, waited = threading.Event(), threading.Event(), threading.Event()

    def holding():
        with transaction.atomic():
            first()
            done_first.set()
            deadline = time.monotonic() + 10
            while not done_second.is_set() and time.monotonic() < deadline:
                if someone_waits_for_a_lock(timeout=0.1):
                    waited.set()
                    break

    def following():
        try:
            assert done_first.wait(timeout=60)
            second()
        finally:
            done_second.set()

    at_once(holding, following)
    return waited.is_set()


def someone_waits_for_a_lock(timeout: float = 10) -> bool:
    """Whether another connection to the test database waits for a lock (within ``timeout``)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def test_two_writers_announcing_one_item_at_once_number_its_events_apart(db):
    """Two editors' transactions record an event about the same item at the same time.

    The first records its event and keeps its transaction open until the second is
    recording too (waiting for the first, or done); then both commit. Each event gets
    its own ``sequence``: a receiver orders the item's events by it.
    """
    receiver = CountingReceiver(delay=0)
    item = {"object_type": "news.NewsPage", "object_id": 2_000_000_001, "country": "CZ"}
    hook = elsewhere(
        lambda: Webhook.objects.create(
            country=Country.objects.get(code="CZ"), name="sequence", url=receiver.url
        )
    )

    def second():
        with transaction.atomic():
            record_event(event="unpublished", **item)

    try:
        waited = one_waiting_for_the_other(lambda: record_event(event="published", **item), second)
        rows = elsewhere(
            lambda: list(hook.deliveries.order_by("pk").values_list("event", "sequence"))
        )
        assert rows == [("published", 1), ("unpublished", 2)]
        assert waited  # the two transactions did overlap
    finally:
        elsewhere(hook.delete)
        elsewhere(ItemSequence.objects.filter(object_id=item["object_id"]).delete)
        receiver.close()


def test_two_senders_claiming_one_delivery_at_once_one_wins(db):
    """The first sender claims and keeps its transaction open until the second is claiming
    too (waiting for the first's row lock); then it commits. PostgreSQL checks the waiting
    UPDATE's conditions again against the claimed row only where they are in the UPDATE
    itself: written as a join's subquery (``webhook__active=True``), both senders won."""
    receiver = CountingReceiver(delay=0)
    hook = elsewhere(
        lambda: Webhook.objects.create(
            country=Country.objects.get(code="CZ"), name="claims", url=receiver.url
        )
    )
    delivery = elsewhere(
        lambda: WebhookDelivery.objects.create(webhook=hook, event="published", payload={})
    )
    won: dict[str, bool] = {}

    def claimed_by(sender: str):
        return lambda: won.__setitem__(sender, claim(delivery.pk) is not None)

    try:
        waited = one_waiting_for_the_other(claimed_by("first"), claimed_by("second"))
        assert waited  # the two claims did overlap
        assert won == {"first": True, "second": False}
    finally:
        elsewhere(hook.delete)
        receiver.close()
