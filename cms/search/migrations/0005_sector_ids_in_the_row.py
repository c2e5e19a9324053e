"""Issue 12 at 100,000 documents: a document's sector ids in its own row.

The database search counts the sector facet from the hits' rows (``sector_ids``,
" 1 3 ") instead of joining every hit to the sectors' table. Nullable, so that SQLite
adds the column in place (a NOT NULL column makes it copy the table, which drops the
full-text triggers and the raw-SQL indexes). Existing rows are filled from the sectors'
table; SQLite's narrow facets index (migration ``0004``) is made again with the column,
so the hits' lookups stay in the index.
"""

from django.db import migrations, models

DOCUMENTS = "sitesearch_searchdocument"
THROUGH = "sitesearch_searchdocument_sectors"


def fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        key = (
            f"(SELECT ' ' || group_concat(sector_id, ' ') || ' ' FROM (SELECT t.sector_id "
            f"FROM {THROUGH} t WHERE t.searchdocument_id = {DOCUMENTS}.id ORDER BY t.sector_id))"
        )
    elif vendor == "postgresql":
        key = (
            f"(SELECT ' ' || string_agg(t.sector_id::text, ' ' ORDER BY t.sector_id) || ' ' "
            f"FROM {THROUGH} t WHERE t.searchdocument_id = {DOCUMENTS}.id)"
        )
    else:
        SearchDocument = apps.get_model("sitesearch", "SearchDocument")
        for document in SearchDocument.objects.prefetch_related("sectors").iterator(2000):
            ids = sorted(sector.pk for sector in document.sectors.all())
            document.sector_ids = f" {' '.join(map(str, ids))} " if ids else ""
            document.save(update_fields=["sector_ids"])
        return
    schema_editor.execute(f"UPDATE {DOCUMENTS} SET sector_ids = COALESCE({key}, '')")  # noqa: S608
    if vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {DOCUMENTS}_facets")
        schema_editor.execute(
            f"CREATE INDEX {DOCUMENTS}_facets "
            f"ON {DOCUMENTS} (id, language, country, kind, date, sector_ids)"
        )


def narrow_facets_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {DOCUMENTS}_facets")
        schema_editor.execute(
            f"CREATE INDEX {DOCUMENTS}_facets ON {DOCUMENTS} (id, language, country, kind, date)"
        )


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0004_fulltext_language_and_fingerprint_indexes")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="sector_ids",
            field=models.TextField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, narrow_facets_index, elidable=False),
    ]
