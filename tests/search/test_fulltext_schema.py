"""How the database's full-text index is made and kept (``cms.search.fulltext_schema``):
put back after a table rebuild dropped part of it, PostgreSQL's table following every
write, integrity checks that find a row unlike its document, SQLite's segments merged.

Runs on SQLite and on PostgreSQL (``DATABASE_URL``); each test says which it needs.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, connection

from cms.core.models import Sector
from cms.search import fulltext, fulltext_schema
from cms.search.analysis import analyse_to_string
from cms.search.models import SearchDocument
from cms.search.query import SearchRequest
from tests.search.test_database_search import WORD, ids, make, page_of

pytestmark = pytest.mark.django_db


def test_the_index_is_put_back_when_a_table_rebuild_dropped_it(db):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite rebuilds a table to alter it")
    with connection.cursor() as cursor:
        for name in fulltext_schema.SQLITE_TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER {name}")
    make(885_001, f"{WORD} written while the triggers were gone")
    assert not fulltext_schema.is_installed(connection)
    assert fulltext_schema.ensure()
    assert ids(page_of(SearchRequest(query=WORD, language="en"))) == [885_001]
    fulltext_schema.check_integrity()
    assert not fulltext_schema.ensure()  # complete: nothing to do


def test_a_new_display_title_alone_reaches_autocomplete(db):
    """The titles' trigger listed the generated column it reads, which no UPDATE ever sets:
    a write of the display title alone left the index behind, and the next write deleted
    the wrong entry from it (an integrity check then found it malformed)."""
    from cms.search.database_search import autocomplete

    document = make(885_011, "Zorblaxian workshop")
    SearchDocument.objects.filter(pk=document.pk).update(display_title="Quuxian workshop")
    assert [hit["title"] for hit in autocomplete(["quux"], "en")] == ["Quuxian workshop"]
    assert autocomplete(["zorbl"], "en") == []
    SearchDocument.objects.filter(pk=document.pk).update(country="SK")
    fulltext_schema.check_integrity()


def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's own table of the search")


def fulltext_row(pk: int):
    with connection.cursor() as cursor:
        columns = f"language, country, kind, sector_ids, date, {fulltext.SEARCH_VECTOR}::text"
        sql = f"SELECT {columns} FROM {fulltext.FULLTEXT} WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [pk])
        return cursor.fetchone()


def test_postgres_search_table_follows_every_write_of_the_documents(db):
    """Whoever writes (a save, ``update()``, ``bulk_create``, a raw delete), the search's
    table has the document's filters, facets and tokens in the same statement."""
    postgres_only()
    doc = make(888_001, f"{WORD} heading", "body words")
    language, country, kind, sector_ids, day, vector = fulltext_row(doc.pk)
    assert (language, country, kind, sector_ids, day) == ("en", "CZ", "news", None, None)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (setweight(to_tsvector('simple', %s), 'A') "
            "|| setweight(to_tsvector('simple', %s), 'D'))::text",
            [doc.title, doc.body],
        )
        assert vector == cursor.fetchone()[0]
    assert f"'{doc.title.split()[0]}':1A" in vector and ":3 " in vector  # title A, body D
    sector = Sector.objects.order_by("pk").first()
    doc.sectors.set([sector])  # the m2m_changed receiver writes sector_ids
    SearchDocument.objects.filter(pk=doc.pk).update(country="SK", date=date(2026, 5, 1))
    assert fulltext_row(doc.pk)[:5] == ("en", "SK", "news", f" {sector.pk} ", date(2026, 5, 1))
    assert fulltext_row(doc.pk)[5] == vector  # the tokens did not change
    other = SearchDocument.objects.bulk_create(
        [SearchDocument(**{**vars_of(doc), "object_id": 888_002, "body": "other"})]
    )[0]
    assert "'other':3" in fulltext_row(other.pk)[5]  # after the title's two
    fulltext_schema.check_integrity()
    doc.sectors.clear()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {fulltext.DOCUMENTS} WHERE id = %s", [doc.pk])  # noqa: S608
    assert fulltext_row(doc.pk) is None
    fulltext_schema.check_integrity()


def vars_of(doc: SearchDocument) -> dict:
    fields = ("kind", "language", "served_language", "country", "title", "display_title", "url")
    return {name: getattr(doc, name) for name in fields}


def test_postgres_a_row_left_over_does_not_fail_a_write(db):
    """A row of the search's table without its document (left by a delete while the
    trigger was gone) is replaced when a document with its id is written."""
    postgres_only()
    pk = 9_888_031
    with connection.cursor() as cursor:
        columns = f"id, language, country, kind, {fulltext.SEARCH_VECTOR}"
        values = "%s, 'en', 'CZ', 'news', to_tsvector('simple', %s)"
        sql = f"INSERT INTO {fulltext.FULLTEXT} ({columns}) VALUES ({values})"  # noqa: S608
        cursor.execute(sql, [pk, analyse_to_string(WORD, "en")])
    assert page_of(SearchRequest(query=WORD, language="en")).total == 1  # the stale row
    with pytest.raises(DatabaseError):
        fulltext_schema.check_integrity()
    make(888_032, "replaced heading", id=pk)
    assert ids(page_of(SearchRequest(query="replaced", language="en"))) == [888_032]
    assert page_of(SearchRequest(query=WORD, language="en")).total == 0
    fulltext_schema.check_integrity()


def test_postgres_integrity_check_finds_a_row_unlike_its_document(db):
    postgres_only()
    doc = make(888_011, f"{WORD} heading")
    fulltext_schema.check_integrity()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {fulltext.FULLTEXT} SET country = 'PL' WHERE id = %s", [doc.pk])  # noqa: S608
    with pytest.raises(DatabaseError):
        fulltext_schema.check_integrity()


def ctid(pk: int) -> str:
    with connection.cursor() as cursor:
        sql = f"SELECT ctid::text FROM {fulltext.FULLTEXT} WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [pk])
        return cursor.fetchone()[0]


def test_postgres_triggers_are_put_back_and_the_table_filled(db):
    """Only what is missing or wrong is written: a row that is right is not rewritten."""
    postgres_only()
    kept = make(888_020, f"{WORD} written before")
    where = ctid(kept.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {fulltext.FULLTEXT}_write ON {fulltext.DOCUMENTS}")
    make(888_021, f"{WORD} written while the trigger was gone")
    assert page_of(SearchRequest(query=WORD, language="en")).total == 1
    assert not fulltext_schema.is_installed(connection)
    assert fulltext_schema.ensure()
    assert ids(page_of(SearchRequest(query=WORD, language="en"))) == [888_021, 888_020]
    assert ctid(kept.pk) == where
    fulltext_schema.check_integrity()
    assert not fulltext_schema.ensure()


@pytest.mark.parametrize("index", [fulltext.FACETS_INDEX, fulltext.LANGUAGE_FACETS_INDEX])
def test_the_facets_index_is_put_back_when_a_table_rebuild_dropped_it(db, index):
    """Searches name them in ``INDEXED BY``: without one every search on SQLite would fail."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite rebuilds a table to alter it")
    make(885_002, f"{WORD} in a table without its facets index")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {index}")
    assert not fulltext_schema.is_installed(connection)
    assert fulltext_schema.ensure()
    assert ids(page_of(SearchRequest(query=WORD, language="en"))) == [885_002]
    assert not fulltext_schema.ensure()


def test_optimize_merges_and_keeps_the_answers(db):
    for number in range(5):
        make(886_000 + number, f"{WORD} {number}")
    before = ids(page_of(SearchRequest(query=WORD, language="en")))
    merged = fulltext_schema.optimize()
    assert merged == ([fulltext.FULLTEXT, fulltext.TITLES] if connection.vendor == "sqlite" else [])
    assert ids(page_of(SearchRequest(query=WORD, language="en"))) == before
