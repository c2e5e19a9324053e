"""Writers that meet on SQLite wait for each other instead of failing "database is locked".

Every admin save reads before it writes in one transaction. With SQLite's default
(deferred) transactions a second writer is then refused at once, whatever the
timeout: an editor's save answered 503 while Wagtail's editing-session ping of another
tab was writing (seen in the browser tests). The settings take the write lock at BEGIN.

The check runs in a separate process on a database file of its own: the settings are
read at start-up, and the suite's in-memory database cannot show two connections
contending for the file lock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THREADS, TRANSACTIONS = 8, 20

#: Each of ``argv[1]`` threads runs ``argv[2]`` transactions that read a counter and
#: write it one higher.
WRITERS = """
import json, sys, threading, time
import django
django.setup()
from django.db import OperationalError, connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id integer PRIMARY KEY, n integer)")
    cursor.execute("INSERT INTO counter VALUES (1, 0)")
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
committed, failed = [], []


def write():
    for _ in range(int(sys.argv[2])):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter WHERE id = 1")
                n = cursor.fetchone()[0]
                time.sleep(0.002)
                cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
            committed.append(1)
        except OperationalError as error:
            failed.append(str(error))
    connection.close()


threads = [threading.Thread(target=write) for _ in range(int(sys.argv[1]))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter WHERE id = 1")
    counter = cursor.fetchone()[0]
print(json.dumps({"committed": len(committed), "failed": sorted(set(failed)),
                  "counter": counter, "journal_mode": journal_mode}))
"""


def test_concurrent_read_then_write_transactions_all_commit(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'writers.sqlite3'}",
    }
    run = subprocess.run(  # noqa: S603 (this interpreter, our script)
        [sys.executable, "-c", WRITERS, str(THREADS), str(TRANSACTIONS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result == {
        "committed": THREADS * TRANSACTIONS,
        "failed": [],
        "counter": THREADS * TRANSACTIONS,
        "journal_mode": "wal",
    }
