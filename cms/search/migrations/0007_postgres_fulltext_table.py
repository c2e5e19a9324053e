"""Issue 12 at 100,000 documents: PostgreSQL searches a narrow table of its own.

``sitesearch_fulltext`` (``cms.search.fulltext_schema``): one row per document with only what a
visitor search reads (language, country, kind, sector ids, date and the ``tsvector`` with
its GIN index), written by triggers on the document table in the writer's statement. The
documents' generated ``search_vector`` column and its index go (the titles' vector for
autocomplete stays). Nothing on other databases; SQLite's FTS5 table of the same name is
unchanged.
"""

from django.db import migrations

DOCUMENTS = "sitesearch_searchdocument"


def forward(apps, schema_editor):
    from cms.search import fulltext_schema

    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        fulltext_schema.postgres_install(cursor)
        cursor.execute(f"DROP INDEX IF EXISTS {DOCUMENTS}_search_vector")
        cursor.execute(f"ALTER TABLE {DOCUMENTS} DROP COLUMN IF EXISTS search_vector")


def backward(apps, schema_editor):
    """The shape before: the vector a generated column of the documents."""
    from cms.search import fulltext, fulltext_schema

    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {fulltext.FULLTEXT}_truncate ON {DOCUMENTS}")
        cursor.execute(f"DROP TRIGGER IF EXISTS {fulltext.FULLTEXT}_write ON {DOCUMENTS}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {fulltext_schema.POSTGRES_FUNCTION}()")
        cursor.execute(f"DROP TABLE IF EXISTS {fulltext.FULLTEXT}")
        vector = fulltext_schema.postgres_vector(DOCUMENTS).replace(f"{DOCUMENTS}.", "")
        cursor.execute(
            f"ALTER TABLE {DOCUMENTS} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            f"GENERATED ALWAYS AS ({vector}) STORED"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {DOCUMENTS}_search_vector ON {DOCUMENTS} "
            "USING gin (search_vector)"
        )


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0006_language_facets_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
