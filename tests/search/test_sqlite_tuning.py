"""SQLite connections memory-map their database file (``cms.search.fulltext.configure_sqlite``).

A search at 100,000 documents reads tens of megabytes of index pages; through SQLite's
default 2 MB page cache each statement read them again (``docs/benchmarks.md``).
"""

import pytest
from django.db.utils import ConnectionHandler

from cms.search import fulltext

pytestmark = pytest.mark.django_db  # the search tests' fixtures read the database


def mmap_size_of_a_new_connection(path) -> int:
    # A handler of its own: its "default" is a new file, not the tests' database.
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}}
    )
    connection = handler["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def test_a_new_sqlite_connection_maps_its_file(tmp_path):
    assert mmap_size_of_a_new_connection(tmp_path / "db.sqlite3") == fulltext.SQLITE_MMAP_BYTES


def test_the_setting_sizes_or_turns_off_the_mapping(tmp_path, settings):
    settings.SEARCH_SQLITE_MMAP_BYTES = 64 << 20
    assert mmap_size_of_a_new_connection(tmp_path / "a.sqlite3") == 64 << 20
    settings.SEARCH_SQLITE_MMAP_BYTES = 0
    assert mmap_size_of_a_new_connection(tmp_path / "b.sqlite3") == 0
