"""Issue 12 at 100,000 documents: SQLite's facets of a search with thousands of hits.

A second narrow index of the documents, language first
(``cms.search.fulltext.LANGUAGE_FACETS_INDEX``): a search whose words are in thousands of
a language's documents groups its facets walking the language's entries in index order
and checking each id against the full-text matches, instead of looking every match up by
id and sorting the groups. Raw SQL as the other SQLite-only indexes (Django does not know
it; ``fulltext_schema.ensure`` puts it back when a table rebuild drops it). Nothing on other
databases.
"""

from django.db import migrations

DOCUMENTS = "sitesearch_searchdocument"
INDEX = f"{DOCUMENTS}_language_facets"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            f"ON {DOCUMENTS} (language, country, kind, sector_ids, date, id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0005_sector_ids_in_the_row")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
