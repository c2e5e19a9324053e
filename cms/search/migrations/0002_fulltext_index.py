"""The database's own full-text index over the search documents (``cms.search.fulltext``).

SQLite: two FTS5 tables with external content and the triggers that keep them in step;
PostgreSQL: two generated ``tsvector`` columns with GIN indexes, and an index for the date
filter. Raw SQL, not model fields: SQLite has no ``tsvector`` and FTS5 tables are virtual.
Each operation acts on its own vendor only and does nothing on any other.
"""

from django.db import migrations


def install(apps, schema_editor):
    from cms.search import fulltext

    fulltext.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from cms.search import fulltext

    fulltext.uninstall(schema_editor.connection)


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
