"""Issue 12 at 100,000 documents: the database path's search without walking other languages.

- SQLite: the full-text table gets a ``language`` column (``cms.search.fulltext``), so a
  search matches its language inside the index; the table is created again and rebuilt
  from the documents (external content: FTS5 reads them itself; about 20 s at 100,000).
- SQLite: ``sitesearch_searchdocument_facets`` (id, language, country, kind, date), the
  narrow index the hits' filters and facets read instead of the wide rows.
- Both: ``(language, updated_at, id)``, so the fingerprint of a language's documents
  (count, last id, last change: ``cms.search.fingerprints``, read by the typo
  vocabulary's cache) is an index-only scan instead of reading every row of the language.

Raw SQL like ``0002``: the full-text tables are not model fields, and these indexes serve
that raw SQL only. Each operation acts on SQLite and PostgreSQL only.
"""

from django.db import migrations

DOCUMENTS = "sitesearch_searchdocument"


def database(schema_editor) -> str:
    return schema_editor.connection.vendor


def upgrade_fulltext(apps, schema_editor):
    from cms.search import fulltext_schema

    if database(schema_editor) == "sqlite":
        fulltext_schema.reinstall_if_incomplete(schema_editor.connection)


def indexes(apps, schema_editor):
    vendor = database(schema_editor)
    if vendor not in ("sqlite", "postgresql"):
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {DOCUMENTS}_language_updated "
        f"ON {DOCUMENTS} (language, updated_at, id)"
    )
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {DOCUMENTS}_facets "
            f"ON {DOCUMENTS} (id, language, country, kind, date)"
        )


def drop_indexes(apps, schema_editor):
    if database(schema_editor) not in ("sqlite", "postgresql"):
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {DOCUMENTS}_facets")
    schema_editor.execute(f"DROP INDEX IF EXISTS {DOCUMENTS}_language_updated")


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0003_synonyms_best_bets")]

    operations = [
        # Backwards: the table keeps its language column, which the older code ignores.
        migrations.RunPython(upgrade_fulltext, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(indexes, drop_indexes, elidable=False),
    ]
