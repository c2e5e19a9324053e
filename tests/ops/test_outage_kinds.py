"""Which database errors are an outage (503 with ``Retry-After``) and which are a bug (500).

Real errors from the SQLite driver, raised as Django raises them (its ``OperationalError``
``from`` the driver's): SQLite has no SQLSTATE, so every one of its errors used to count
as "unreachable", and a query SQLite could not parse (a lone ``"`` typed into an admin
search) was answered "Temporarily unavailable, try again in 5 seconds", for ever.
"""

from __future__ import annotations

import sqlite3

import pytest
from django.db import OperationalError, connection

from cms.ops.outage import database_unreachable


def as_django_raises(action) -> OperationalError:
    """The ``OperationalError`` Django raises for the driver's error ``action`` raises."""
    try:
        action()
    except sqlite3.OperationalError as error:
        try:
            raise OperationalError(*error.args) from error
        except OperationalError as wrapped:
            return wrapped
    pytest.fail("the driver raised nothing")


def test_a_query_sqlite_cannot_parse_is_a_bug_not_an_outage():
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE words USING fts5(text)")
    error = as_django_raises(
        lambda: database.execute("SELECT * FROM words WHERE words MATCH ?", ['"']).fetchall()
    )
    assert "unterminated string" in str(error)
    assert not database_unreachable(error)
    assert not database_unreachable(as_django_raises(lambda: database.execute("SELEC 1")))


def test_a_file_that_cannot_be_opened_is_an_outage(tmp_path):
    missing = tmp_path / "no-such-directory" / "db.sqlite3"
    error = as_django_raises(lambda: sqlite3.connect(missing).execute("SELECT 1"))
    assert "unable to open database file" in str(error)
    assert database_unreachable(error)


def test_a_database_locked_past_the_timeout_is_an_outage(tmp_path):
    path = tmp_path / "db.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    error = as_django_raises(lambda: other.execute("BEGIN IMMEDIATE"))
    assert "database is locked" in str(error)
    assert database_unreachable(error)
    writer.execute("ROLLBACK")


def test_the_api_answers_503_when_the_database_drops_one_query_and_is_back(client, db):
    """PostgreSQL restarting under load (``make chaos``): an API detail's query failed on
    the lost connection, the API's handler of unexpected errors answered its 500, and by
    the time the outage middleware asked ``SELECT 1`` the database was back: the 500
    stayed, and HAProxy does not send a request that got a 500 again."""
    lost = as_django_raises(lambda: sqlite3.connect("/nonexistent/db.sqlite3").execute("SELECT 1"))
    failed = []

    def drop_once(execute, sql, params, many, context):
        if "projection" in sql and not failed:
            failed.append(sql)
            raise lost
        return execute(sql, params, many, context)

    client.raise_request_exception = False
    with connection.execute_wrapper(drop_once):
        response = client.get("/api/v3/news/?limit=3", HTTP_HOST="cz.localhost")
    assert failed, "the listing read no projection"
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == "5"
    assert response.json()["title"] == "Service Unavailable"
