"""Autocomplete finds titles typed without their ``ß``, ``ł`` or umlauts (``gross``,
``lodz``, ``oberoesterreich``): the titles' index reads them spelled out
(``cms.search.fulltext.title_spellings_sql``).

SQLite: the titles' FTS5 table now reads ``title_spellings``, a virtual generated column
of the document table, so the index and its triggers are made again and rebuilt.
PostgreSQL: the titles' generated ``tsvector`` column is made again with the same spelling.
"""

from django.db import migrations

DOCUMENTS = "sitesearch_searchdocument"


def remake(apps, schema_editor):
    from cms.search import fulltext_schema

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            fulltext_schema.sqlite_uninstall(cursor)
            fulltext_schema.sqlite_install(cursor)
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {DOCUMENTS}_title_vector")
            cursor.execute(f"ALTER TABLE {DOCUMENTS} DROP COLUMN IF EXISTS title_vector")
            fulltext_schema.postgres_install(cursor)


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0011_pending_engine_object")]

    operations = [migrations.RunPython(remake, remake, elidable=False)]
