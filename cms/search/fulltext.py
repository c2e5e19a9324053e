"""The database's own full-text index over the search documents (SQLite FTS5, PostgreSQL).

``SearchDocument.title`` and ``body`` hold tokens analysed in Python
(``cms.search.analysis``), so the database does not need to understand any
language: it only has to find documents by token and rank them, which both
databases do in milliseconds when asked directly (Wagtail's database backend
asks through a subquery per row, see ``docs/benchmarks.md``).

SQLite
    Two FTS5 tables with *external content* (they store only the index; the
    text stays in ``sitesearch_searchdocument``, ``rowid`` = the document's id):

    - ``sitesearch_fulltext(title, body, language)``: the visitor search, ranked with
      ``bm25()`` (the language column weighs 0); the language code is a token of its own
      column, so a search matches ``(its tokens) AND language : "cs"`` inside the index
      and never walks the other languages' matches (a word such as "cluster" is in every
      language's documents);
    - ``sitesearch_titles(display_title, language, country)``: autocomplete,
      with diacritics removed by the tokenizer and prefix indexes of 2 and 3
      characters; language and country are tokens of their own columns, so a
      prefix query is filtered inside the index.

    Triggers on the document table keep both in step with every insert,
    update and delete, whoever writes (publishing, ``bulk_create``, a rebuild,
    a raw delete), in the writer's own transaction.

PostgreSQL
    Two *generated* ``tsvector`` columns on the document table, each with a
    GIN index: ``search_vector`` (title with weight A, body with weight D) and
    ``title_vector`` (the display title, its diacritics translated away, for
    autocomplete). PostgreSQL computes them in the statement that writes the
    row, so they can never lag behind it.

Neither is a Django model field (SQLite has no ``tsvector``, and the FTS5
tables are virtual): the migration ``sitesearch.0002_fulltext_index`` creates
them with raw SQL, and :func:`ensure` (run after every ``migrate``) puts back
what a later migration of the document table might have dropped (SQLite
rebuilds a table to alter it, and its triggers go with the old table).
"""

# ruff: noqa: S608 - SQL text is built from constants and the models' table and column
# names only; every value (tokens, filters, limits) is a query parameter.
from __future__ import annotations

import unicodedata

from django.db import connections

DOCUMENTS = "sitesearch_searchdocument"
FULLTEXT = "sitesearch_fulltext"  # SQLite: title, body, language
TITLES = "sitesearch_titles"  # SQLite: display_title, language, country
SEARCH_VECTOR = "search_vector"  # PostgreSQL: title (A), body (D)
TITLE_VECTOR = "title_vector"  # PostgreSQL: display title without diacritics
#: The migration that creates the index.
MIGRATION = ("sitesearch", "0002_fulltext_index")

#: Relative weight of a title match against a body match, on both databases.
TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0
#: ``ts_rank_cd``'s weights for D, C, B, A (title is A, body D).
PG_WEIGHTS = f"{{{BODY_WEIGHT / TITLE_WEIGHT:.4f}, 0.5, 0.5, 1.0}}"


def folding_table() -> tuple[str, str]:
    """(from, to) for SQL ``translate()``: every Latin letter that loses its diacritics
    to a single ASCII letter, as ``cms.search.analysis.fold`` and SQLite's
    ``remove_diacritics`` do, plus the few letters without a decomposition
    (``ł``, ``đ``, ``ø``, ``ı``) that a visitor types without their stroke."""
    source, target = [], []
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        ).lower()
        if base != char and len(base) == 1 and base.isascii() and base.isalpha():
            source.append(char)
            target.append(base)
    for char, base in (("ł", "l"), ("Ł", "l"), ("đ", "d"), ("Đ", "d"), ("ø", "o"), ("Ø", "o")):
        source.append(char)
        target.append(base)
    source.append("ı")
    target.append("i")
    return "".join(source), "".join(target)


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def folded_sql(expression: str) -> str:
    """``expression`` with diacritics translated away (immutable: usable in a generated column)."""
    source, target = folding_table()
    return f"translate({expression}, {sql_string(source)}, {sql_string(target)})"


# --- schema -----------------------------------------------------------------------------------


#: SQLite: the columns of :data:`FULLTEXT` (all of them the document table's).
FULLTEXT_COLUMNS = ("title", "body", "language")
#: SQLite: a narrow index of the document table for the full-text hits' filters and facets
#: (``INDEXED BY`` in ``cms.search.database_search``): looking up thousands of matches by id
#: in it reads a few pages, in the table itself a page per row. Migration ``0004``.
FACETS_INDEX = f"{DOCUMENTS}_facets"
#: SQLite: the same columns, language first, for a search whose words are in thousands of
#: a language's documents: its facets are grouped walking the language's entries in this
#: order (no sort) and checking each id against the matches, cheaper than looking every
#: match up by id and sorting the groups (``cms.search.database_search``). Migration ``0006``.
LANGUAGE_FACETS_INDEX = f"{DOCUMENTS}_language_facets"
LANGUAGE_FACETS_COLUMNS = ("language", "country", "kind", "sector_ids", "date", "id")


#: SQLite: how much of the database file each connection reads through memory mapping
#: (``PRAGMA mmap_size``; setting ``SEARCH_SQLITE_MMAP_BYTES``, 0 turns it off). Without it
#: every page a statement reads is copied through SQLite's own page cache, 2 MB per
#: connection by default, which a search at 100,000 documents (full-text doclists, the
#: facets index, the sectors' index: tens of megabytes) overflows on every statement: its
#: SQL took twice as long. Mapped pages are the operating system's page cache, shared by
#: every process of the server, not memory of each one. ``docs/benchmarks.md`` has the
#: figures.
SQLITE_MMAP_BYTES = 1 << 30


def configure_sqlite(sender=None, connection=None, **kwargs) -> None:
    """``connection_created``: memory-map a new SQLite connection's database file."""
    if connection is None or connection.vendor != "sqlite":
        return
    from django.conf import settings

    size = int(getattr(settings, "SEARCH_SQLITE_MMAP_BYTES", SQLITE_MMAP_BYTES))
    if size > 0:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA mmap_size = {size}")


def sqlite_triggers() -> list[str]:
    fts_columns = ", ".join(FULLTEXT_COLUMNS)
    title_columns = "display_title, language, country"

    def values(prefix: str, columns: str) -> str:
        return ", ".join(f"{prefix}.{column.strip()}" for column in columns.split(","))

    return [
        f"""CREATE TRIGGER IF NOT EXISTS {FULLTEXT}_insert AFTER INSERT ON {DOCUMENTS} BEGIN
            INSERT INTO {FULLTEXT}(rowid, {fts_columns})
                VALUES (new.id, {values("new", fts_columns)});
            INSERT INTO {TITLES}(rowid, {title_columns})
                VALUES (new.id, {values("new", title_columns)});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {FULLTEXT}_delete AFTER DELETE ON {DOCUMENTS} BEGIN
            INSERT INTO {FULLTEXT}({FULLTEXT}, rowid, {fts_columns})
                VALUES ('delete', old.id, {values("old", fts_columns)});
            INSERT INTO {TITLES}({TITLES}, rowid, {title_columns})
                VALUES ('delete', old.id, {values("old", title_columns)});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {FULLTEXT}_update AFTER UPDATE OF {fts_columns}
            ON {DOCUMENTS} WHEN old.title IS NOT new.title OR old.body IS NOT new.body
                OR old.language IS NOT new.language BEGIN
            INSERT INTO {FULLTEXT}({FULLTEXT}, rowid, {fts_columns})
                VALUES ('delete', old.id, {values("old", fts_columns)});
            INSERT INTO {FULLTEXT}(rowid, {fts_columns})
                VALUES (new.id, {values("new", fts_columns)});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {TITLES}_update AFTER UPDATE OF {title_columns}
            ON {DOCUMENTS} WHEN old.display_title IS NOT new.display_title
                OR old.language IS NOT new.language OR old.country IS NOT new.country BEGIN
            INSERT INTO {TITLES}({TITLES}, rowid, {title_columns})
                VALUES ('delete', old.id, {values("old", title_columns)});
            INSERT INTO {TITLES}(rowid, {title_columns})
                VALUES (new.id, {values("new", title_columns)});
        END""",
    ]


SQLITE_TRIGGER_NAMES = (
    f"{FULLTEXT}_insert",
    f"{FULLTEXT}_delete",
    f"{FULLTEXT}_update",
    f"{TITLES}_update",
)


def sqlite_install(cursor) -> None:
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FULLTEXT} USING fts5("
        f"{', '.join(FULLTEXT_COLUMNS)}, content='{DOCUMENTS}', content_rowid='id')"
    )
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TITLES} USING fts5("
        f"display_title, language, country, content='{DOCUMENTS}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    for statement in sqlite_triggers():
        cursor.execute(statement)
    sqlite_facets_index(cursor)
    # Index the rows that are already there (external content: FTS5 reads them itself).
    cursor.execute(f"INSERT INTO {FULLTEXT}({FULLTEXT}) VALUES ('rebuild')")  # noqa: S608
    cursor.execute(f"INSERT INTO {TITLES}({TITLES}) VALUES ('rebuild')")  # noqa: S608


def sqlite_facets_index(cursor) -> None:
    """Create :data:`FACETS_INDEX` (migrations ``0004``/``0005`` made it) and, once the rows
    have their sector ids, :data:`LANGUAGE_FACETS_INDEX` (``0006``) if they are missing.

    Django does not know this index (it is SQLite's only), so a later migration that
    makes SQLite copy the document table drops it with the triggers, and every search
    naming it in ``INDEXED BY`` would fail: ``ensure()`` puts it back with them.
    """
    cursor.execute(f"SELECT name FROM pragma_table_info('{DOCUMENTS}')")
    columns = ["id", "language", "country", "kind", "date"]
    if "sector_ids" in {row[0] for row in cursor.fetchall()}:
        columns.append("sector_ids")  # migration 0005
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {FACETS_INDEX} ON {DOCUMENTS} ({', '.join(columns)})"
    )
    if "sector_ids" in columns:  # migration 0006
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {LANGUAGE_FACETS_INDEX} ON {DOCUMENTS} "
            f"({', '.join(LANGUAGE_FACETS_COLUMNS)})"
        )


def sqlite_uninstall(cursor) -> None:
    for name in SQLITE_TRIGGER_NAMES:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    cursor.execute(f"DROP TABLE IF EXISTS {TITLES}")
    cursor.execute(f"DROP TABLE IF EXISTS {FULLTEXT}")


def postgres_install(cursor) -> None:
    title = "setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')"
    body = "setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'D')"
    folded_title = folded_sql("coalesce(display_title, '')")
    display = f"to_tsvector('simple'::regconfig, {folded_title})"
    cursor.execute(
        f"ALTER TABLE {DOCUMENTS} ADD COLUMN IF NOT EXISTS {SEARCH_VECTOR} tsvector "
        f"GENERATED ALWAYS AS ({title} || {body}) STORED"
    )
    cursor.execute(
        f"ALTER TABLE {DOCUMENTS} ADD COLUMN IF NOT EXISTS {TITLE_VECTOR} tsvector "
        f"GENERATED ALWAYS AS ({display}) STORED"
    )
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {DOCUMENTS}_search_vector ON {DOCUMENTS} "
        f"USING gin ({SEARCH_VECTOR})"
    )
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {DOCUMENTS}_title_vector ON {DOCUMENTS} "
        f"USING gin ({TITLE_VECTOR})"
    )


def postgres_uninstall(cursor) -> None:
    cursor.execute(f"DROP INDEX IF EXISTS {DOCUMENTS}_title_vector")
    cursor.execute(f"DROP INDEX IF EXISTS {DOCUMENTS}_search_vector")
    cursor.execute(f"ALTER TABLE {DOCUMENTS} DROP COLUMN IF EXISTS {TITLE_VECTOR}")
    cursor.execute(f"ALTER TABLE {DOCUMENTS} DROP COLUMN IF EXISTS {SEARCH_VECTOR}")


def install(connection) -> None:
    """Create the full-text index for ``connection``'s vendor (nothing on others)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            sqlite_install(cursor)
        elif connection.vendor == "postgresql":
            postgres_install(cursor)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            sqlite_uninstall(cursor)
        elif connection.vendor == "postgresql":
            postgres_uninstall(cursor)


def is_installed(connection) -> bool:
    """True when this database has the full-text index, complete (tables, triggers, columns,
    and on SQLite the facets index its queries name)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE (type = 'table' AND name IN (%s, %s)) "
                "OR (type IN ('trigger', 'index') AND tbl_name = %s)",
                [FULLTEXT, TITLES, DOCUMENTS],
            )
            names = {row[0] for row in cursor.fetchall()}
            if not {FULLTEXT, TITLES, FACETS_INDEX, *SQLITE_TRIGGER_NAMES} <= names:
                return False
            cursor.execute(f"SELECT name FROM pragma_table_info('{DOCUMENTS}')")
            has_sector_ids = "sector_ids" in {row[0] for row in cursor.fetchall()}
            if has_sector_ids and LANGUAGE_FACETS_INDEX not in names:
                return False
            # Before migration 0004 the table had no language column.
            cursor.execute(f"SELECT name FROM pragma_table_info('{FULLTEXT}')")
            return {row[0] for row in cursor.fetchall()} == set(FULLTEXT_COLUMNS)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s "
                "AND column_name IN (%s, %s)",
                [DOCUMENTS, SEARCH_VECTOR, TITLE_VECTOR],
            )
            return cursor.fetchone()[0] == 2
    return False


def reinstall_if_incomplete(connection) -> bool:
    """Drop and create the index again when it is incomplete or of an older shape (the
    SQLite table before ``0004`` had no language column); True if it did."""
    if not supported(connection) or is_installed(connection):
        return False
    uninstall(connection)
    install(connection)
    return True


def supported(connection) -> bool:
    return connection.vendor in ("sqlite", "postgresql")


def ensure(using: str = "default") -> bool:
    """Install the index where it is missing or incomplete; True if anything was done.

    After ``migrate`` (``post_migrate``): a later migration that alters the document table
    makes SQLite copy it into a new table, which drops the triggers (the FTS5 tables would
    then silently stop following the documents). Putting them back and rebuilding the
    index from the documents is idempotent.
    """
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if not supported(connection) or DOCUMENTS not in connection.introspection.table_names():
        return False
    applied = MigrationRecorder(connection).applied_migrations()
    if MIGRATION not in applied:
        return False  # not wanted yet (or migrated back before it)
    return reinstall_if_incomplete(connection)


# --- queries ----------------------------------------------------------------------------------


def fts_string(token: str) -> str:
    """A token as an FTS5 string (quoted: the query syntax's words never clash with it)."""
    return '"' + token.replace('"', '""') + '"'


def fts_any(tokens: list[str]) -> str:
    """FTS5 query: any of ``tokens`` (in any column)."""
    return " OR ".join(fts_string(token) for token in tokens)


def fts_in_language(tokens: list[str], language: str) -> str:
    """FTS5 query: any of ``tokens`` in title or body, in a document of ``language``."""
    return f"{{title body}} : ({fts_any(tokens)}) AND language : {fts_string(language)}"


def tsquery_string(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_any(tokens: list[str]) -> str:
    """``to_tsquery`` text: any of ``tokens``."""
    return " | ".join(tsquery_string(token) for token in tokens)


def optimize(using: str = "default") -> list[str]:
    """Merge the FTS5 tables' segments into one each (SQLite); the tables merged.

    Every write adds a segment and FTS5 merges them only now and then; a search reads
    them all. PostgreSQL needs nothing like it: the GIN indexes' pending lists are
    merged by (auto)vacuum, which the generated columns leave to PostgreSQL's defaults.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or not is_installed(connection):
        return []
    with connection.cursor() as cursor:
        for table in (FULLTEXT, TITLES):
            # FTS5's commands are rows written to a column named after the table.
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608
    return [FULLTEXT, TITLES]


def check_integrity(using: str = "default") -> None:
    """Raise (``DatabaseError``) when an FTS5 table disagrees with the documents (SQLite)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in (FULLTEXT, TITLES):
            cursor.execute(
                f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"  # noqa: S608
            )
