"""The database's own full-text index over the search documents (``cms.search.fulltext``).

SQLite: two FTS5 tables with external content and the triggers that keep them in step;
PostgreSQL: two generated ``tsvector`` columns with GIN indexes, and an index for the date
filter. Raw SQL, not model fields: SQLite has no ``tsvector`` and FTS5 tables are virtual.
Each operation acts on its own vendor only and does nothing on any other.
"""

from django.db import migrations

DOCUMENTS = "sitesearch_searchdocument"


def install(apps, schema_editor):
    from cms.search import fulltext, fulltext_schema

    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        fulltext_schema.install(connection)
    elif connection.vendor == "postgresql":
        # The shape of this migration's time (0007 moves the search's vector into a table
        # of its own, whose triggers need columns that later migrations add).
        title = "setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')"
        body = "setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'D')"
        folded = fulltext.folded_sql("coalesce(display_title, '')")
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE {DOCUMENTS} ADD COLUMN IF NOT EXISTS search_vector tsvector "
                f"GENERATED ALWAYS AS ({title} || {body}) STORED"
            )
            cursor.execute(
                f"ALTER TABLE {DOCUMENTS} ADD COLUMN IF NOT EXISTS {fulltext.TITLE_VECTOR} "
                f"tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {folded})) STORED"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {DOCUMENTS}_search_vector ON {DOCUMENTS} "
                "USING gin (search_vector)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {DOCUMENTS}_title_vector ON {DOCUMENTS} "
                f"USING gin ({fulltext.TITLE_VECTOR})"
            )


def uninstall(apps, schema_editor):
    from cms.search import fulltext_schema

    fulltext_schema.uninstall(schema_editor.connection)


def date_index(apps, schema_editor):
    # Searches filter by language, then maybe by a date range (the other filters have
    # (language, kind, country), the country index and the sector table's own indexes).
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS sitesearch_searchdocument_language_date "
        "ON sitesearch_searchdocument (language, date)"
    )


def drop_date_index(apps, schema_editor):
    if schema_editor.connection.vendor not in ("sqlite", "postgresql"):
        return
    schema_editor.execute("DROP INDEX IF EXISTS sitesearch_searchdocument_language_date")


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0001_initial")]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
        migrations.RunPython(date_index, drop_date_index, elidable=False),
    ]
