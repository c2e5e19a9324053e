"""Upkeep of the database search indexes: SQLite's full-text indexes merged into one segment.

Two kinds of FTS5 table live in a SQLite database: the visitor search's own
(``cms.search.fulltext``: the search documents' tokens and titles) and Wagtail's
(the admin's searches of pages, snippets, images and documents). Both get
FTS5's ``optimize`` from the daily ``optimize_search_index``.

On SQLite, Wagtail's database backend keeps its full-text index in an FTS5
table. Every write adds a segment (publishing a page re-indexes it), FTS5
merges them only from time to time, and a search reads every segment: once
for the match and once per hit for its score, which Wagtail's backend
computes in a correlated subquery. On the benchmark content (40 news items,
each published twice) the API's search took 56–58 ms of CPU, and 18–19 ms
after FTS5's ``optimize``. PostgreSQL's full-text indexes need nothing like it.
"""

from __future__ import annotations

from django.db import connections


def full_text_table(using: str = "default") -> str | None:
    """The FTS5 table of Wagtail's SQLite backend, if this database has one."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return None
    from wagtail.search import models as search_models

    model = getattr(search_models, "SQLiteFTSIndexEntry", None)
    if model is None or model._meta.db_table not in connection.introspection.table_names():
        return None
    return model._meta.db_table


def optimize_full_text_index(using: str = "default") -> bool:
    """Merge the SQLite full-text indexes into one segment each; ``False`` if there is none."""
    from cms.search import fulltext_schema

    merged = bool(fulltext_schema.optimize(using))
    table = full_text_table(using)
    if table is None:
        return merged
    connection = connections[using]
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        # FTS5's commands are rows written to a column named after the table.
        cursor.execute(f"INSERT INTO {name}({name}) VALUES (%s)", ["optimize"])  # noqa: S608
    return True
