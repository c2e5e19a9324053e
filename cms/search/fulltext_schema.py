"""How the database's full-text index is made and kept (``cms.search.fulltext`` says what
it is and how searches read it).

SQLite: two FTS5 tables with external content, triggers on the document table that keep
them in step, the titles' generated column and the facets' indexes. PostgreSQL: the
search's own table (``sitesearch_fulltext``) with its GIN index and the trigger function
that writes it, and the titles' generated column. Created by migrations (``0002``,
``0007``, ``0012``), put back by
:func:`ensure` after every ``migrate``, merged by :func:`optimize` (SQLite, daily) and
compared with the documents by :func:`check_integrity`.
"""

# ruff: noqa: S608 - SQL text is built from constants and the models' table and column
# names only; every value (tokens, filters, limits) is a query parameter.
from __future__ import annotations

from django.db import DatabaseError, connections

from cms.search.fulltext import (
    DOCUMENTS,
    FACETS_INDEX,
    FULLTEXT,
    LANGUAGE_FACETS_INDEX,
    SEARCH_VECTOR,
    TITLE_SPELLINGS,
    TITLE_VECTOR,
    TITLES,
    folded_sql,
    supported,
    title_spellings_sql,
)

#: The migration that creates the index.
MIGRATION = ("sitesearch", "0002_fulltext_index")
#: The migration that gives PostgreSQL's index its own table (before it, 0002's columns).
POSTGRES_TABLE_MIGRATION = ("sitesearch", "0007_postgres_fulltext_table")

#: SQLite: the columns of :data:`FULLTEXT` (all of them the document table's).
FULLTEXT_COLUMNS = ("title", "body", "language")
LANGUAGE_FACETS_COLUMNS = ("language", "country", "kind", "sector_ids", "date", "id")


#: SQLite: what the titles' index is made from: an update of any of them rewrites its row.
TITLE_SOURCES = "display_title, language, country"


def sqlite_triggers() -> list[str]:
    fts_columns = ", ".join(FULLTEXT_COLUMNS)
    title_columns = f"{TITLE_SPELLINGS}, language, country"

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
        # UPDATE OF names the written columns: a generated one is never in an UPDATE's SET.
        f"""CREATE TRIGGER IF NOT EXISTS {TITLES}_update AFTER UPDATE OF {TITLE_SOURCES}
            ON {DOCUMENTS} WHEN old.{TITLE_SPELLINGS} IS NOT new.{TITLE_SPELLINGS}
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
    if TITLE_SPELLINGS not in sqlite_columns(cursor, DOCUMENTS):
        # Virtual: computed when read (by the triggers and FTS5), nothing stored.
        cursor.execute(
            f"ALTER TABLE {DOCUMENTS} ADD COLUMN {TITLE_SPELLINGS} TEXT GENERATED ALWAYS AS "
            f"({title_spellings_sql('display_title')}) VIRTUAL"
        )
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FULLTEXT} USING fts5("
        f"{', '.join(FULLTEXT_COLUMNS)}, content='{DOCUMENTS}', content_rowid='id')"
    )
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TITLES} USING fts5("
        f"{TITLE_SPELLINGS}, language, country, content='{DOCUMENTS}', content_rowid='id', "
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
    if TITLE_SPELLINGS in sqlite_columns(cursor, DOCUMENTS):
        cursor.execute(f"ALTER TABLE {DOCUMENTS} DROP COLUMN {TITLE_SPELLINGS}")


def sqlite_columns(cursor, table: str) -> set[str]:
    """The columns of ``table``: generated ones included (``table_xinfo``), an FTS5 table's
    hidden ones not (``table_info``)."""
    pragma = "table_info" if table in (FULLTEXT, TITLES) else "table_xinfo"
    cursor.execute(f"SELECT name FROM pragma_{pragma}('{table}')")
    return {row[0] for row in cursor.fetchall()}


#: PostgreSQL: the columns of :data:`FULLTEXT` copied from the document's row (besides
#: ``id`` and the vector made from ``title`` and ``body``).
POSTGRES_COLUMNS = ("language", "country", "kind", "sector_ids", "date")
POSTGRES_FUNCTION = f"{FULLTEXT}_write"
POSTGRES_TRIGGER_NAMES = (f"{FULLTEXT}_write", f"{FULLTEXT}_truncate")


def postgres_vector(row: str) -> str:
    """The ``tsvector`` of the document ``row`` (a trigger's ``NEW``, or a table alias)."""
    return (
        f"setweight(to_tsvector('simple'::regconfig, coalesce({row}.title, '')), 'A') || "
        f"setweight(to_tsvector('simple'::regconfig, coalesce({row}.body, '')), 'D')"
    )


def postgres_install(cursor) -> None:
    """The search's table, its GIN index and the triggers that write it; the titles'
    generated column for autocomplete. Rows already there are copied in."""
    folded_title = folded_sql(title_spellings_sql("display_title"))
    display = f"to_tsvector('simple'::regconfig, {folded_title})"
    cursor.execute(
        f"ALTER TABLE {DOCUMENTS} ADD COLUMN IF NOT EXISTS {TITLE_VECTOR} tsvector "
        f"GENERATED ALWAYS AS ({display}) STORED"
    )
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {DOCUMENTS}_title_vector ON {DOCUMENTS} "
        f"USING gin ({TITLE_VECTOR})"
    )
    # The columns' types are the document table's own. lz4 where the server has it: every
    # vector a search reads is decompressed (PostgreSQL's default, pglz, is slower at it).
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {FULLTEXT} ("
        f"id bigint PRIMARY KEY, language varchar(5) NOT NULL, country varchar(3) NOT NULL, "
        f"kind varchar(10) NOT NULL, sector_ids text NULL, date date NULL, "
        f"{SEARCH_VECTOR} tsvector NOT NULL)"
    )
    cursor.execute(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
        "AND 'lz4' = ANY(enumvals)"
    )
    if cursor.fetchone():
        cursor.execute(f"ALTER TABLE {FULLTEXT} ALTER COLUMN {SEARCH_VECTOR} SET COMPRESSION lz4")
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {FULLTEXT}_{SEARCH_VECTOR} ON {FULLTEXT} "
        f"USING gin ({SEARCH_VECTOR})"
    )
    # The filters' indexes (``statements.filter_sql``), as the documents have them.
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {FULLTEXT}_language ON {FULLTEXT} (language, kind, country)"
    )
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {FULLTEXT}_language_date ON {FULLTEXT} (language, date)"
    )
    columns = ", ".join(POSTGRES_COLUMNS)
    new_values = ", ".join(f"NEW.{column}" for column in POSTGRES_COLUMNS)
    changed = " OR ".join(
        f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in POSTGRES_COLUMNS
    )
    assignments = ", ".join(f"{column} = NEW.{column}" for column in POSTGRES_COLUMNS)
    excluded_assignments = ", ".join(
        f"{column} = EXCLUDED.{column}" for column in (*POSTGRES_COLUMNS, SEARCH_VECTOR)
    )
    cursor.execute(
        f"""CREATE OR REPLACE FUNCTION {POSTGRES_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE {FULLTEXT};
            ELSIF TG_OP = 'DELETE' THEN
                DELETE FROM {FULLTEXT} WHERE id = OLD.id;
            ELSIF TG_OP = 'INSERT' OR OLD.id IS DISTINCT FROM NEW.id THEN
                IF TG_OP = 'UPDATE' THEN
                    DELETE FROM {FULLTEXT} WHERE id = OLD.id;
                END IF;
                -- A row left over for this id (written while the trigger was gone) is
                -- replaced: a document's write never fails on this table.
                INSERT INTO {FULLTEXT} (id, {columns}, {SEARCH_VECTOR})
                    VALUES (NEW.id, {new_values}, {postgres_vector("NEW")})
                    ON CONFLICT (id) DO UPDATE SET {excluded_assignments};
            ELSIF OLD.title IS DISTINCT FROM NEW.title OR OLD.body IS DISTINCT FROM NEW.body THEN
                UPDATE {FULLTEXT} SET {assignments}, {SEARCH_VECTOR} = {postgres_vector("NEW")}
                    WHERE id = NEW.id;
            ELSIF {changed} THEN
                UPDATE {FULLTEXT} SET {assignments} WHERE id = NEW.id;
            END IF;
            RETURN NULL;
        END $$"""
    )
    cursor.execute(f"DROP TRIGGER IF EXISTS {FULLTEXT}_write ON {DOCUMENTS}")
    cursor.execute(
        f"CREATE TRIGGER {FULLTEXT}_write AFTER INSERT OR UPDATE OR DELETE ON {DOCUMENTS} "
        f"FOR EACH ROW EXECUTE FUNCTION {POSTGRES_FUNCTION}()"
    )
    cursor.execute(f"DROP TRIGGER IF EXISTS {FULLTEXT}_truncate ON {DOCUMENTS}")
    cursor.execute(
        f"CREATE TRIGGER {FULLTEXT}_truncate AFTER TRUNCATE ON {DOCUMENTS} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {POSTGRES_FUNCTION}()"
    )
    postgres_copy(cursor)


def postgres_copy(cursor) -> None:
    """Make :data:`FULLTEXT` hold exactly the documents' rows (in id order, as the
    triggers would have written them); rows that are right already stay as they are (not
    rewritten: no dead row for each)."""
    every = (*POSTGRES_COLUMNS, SEARCH_VECTOR)
    assignments = ", ".join(f"{column} = EXCLUDED.{column}" for column in every)
    existing = ", ".join(f"{FULLTEXT}.{column}" for column in every)
    excluded = ", ".join(f"EXCLUDED.{column}" for column in every)
    cursor.execute(f"DELETE FROM {FULLTEXT} WHERE id NOT IN (SELECT id FROM {DOCUMENTS})")
    cursor.execute(
        f"INSERT INTO {FULLTEXT} (id, {', '.join(every)}) "
        f"SELECT d.id, {', '.join(f'd.{column}' for column in POSTGRES_COLUMNS)}, "
        f"{postgres_vector('d')} FROM {DOCUMENTS} d ORDER BY d.id "
        f"ON CONFLICT (id) DO UPDATE SET {assignments} "
        f"WHERE ({existing}) IS DISTINCT FROM ({excluded})"
    )


def postgres_uninstall(cursor) -> None:
    cursor.execute(f"DROP TRIGGER IF EXISTS {FULLTEXT}_truncate ON {DOCUMENTS}")
    cursor.execute(f"DROP TRIGGER IF EXISTS {FULLTEXT}_write ON {DOCUMENTS}")
    cursor.execute(f"DROP FUNCTION IF EXISTS {POSTGRES_FUNCTION}()")
    cursor.execute(f"DROP TABLE IF EXISTS {FULLTEXT}")
    cursor.execute(f"DROP INDEX IF EXISTS {DOCUMENTS}_title_vector")
    cursor.execute(f"ALTER TABLE {DOCUMENTS} DROP COLUMN IF EXISTS {TITLE_VECTOR}")
    # Before migration 0007 the search's vector was a generated column of the documents.
    cursor.execute(f"DROP INDEX IF EXISTS {DOCUMENTS}_search_vector")
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
            if TITLE_SPELLINGS not in sqlite_columns(cursor, DOCUMENTS):
                return False  # dropped by a migration that made SQLite copy the table
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [f"{TITLES}_update"])
            if f"UPDATE OF {TITLE_SOURCES}" not in cursor.fetchone()[0]:
                return False  # the trigger of the first 0012, on the generated column
            # Before migration 0004 the table had no language column; before 0012 the
            # titles' index read the display title itself.
            return sqlite_columns(cursor, FULLTEXT) == set(FULLTEXT_COLUMNS) and (
                TITLE_SPELLINGS in sqlite_columns(cursor, TITLES)
            )
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name IN (%s, %s) "
                "AND column_name IN (%s, %s)",
                [DOCUMENTS, FULLTEXT, SEARCH_VECTOR, TITLE_VECTOR],
            )
            columns = set(cursor.fetchall())
            if columns != {(DOCUMENTS, TITLE_VECTOR), (FULLTEXT, SEARCH_VECTOR)}:
                return False  # missing, or of the shape before 0007 (the vector in the row)
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND tgname IN (%s, %s)",
                [DOCUMENTS, *POSTGRES_TRIGGER_NAMES],
            )
            return cursor.fetchone()[0] == len(POSTGRES_TRIGGER_NAMES)
    return False


def reinstall_if_incomplete(connection) -> bool:
    """Make the index complete again when it is not, or of an older shape (the SQLite
    table before ``0004`` had no language column): SQLite's is dropped and created,
    PostgreSQL's completed in place; True if it did."""
    if not supported(connection) or is_installed(connection):
        return False
    if connection.vendor == "sqlite":
        uninstall(connection)  # FTS5 tables of an older shape are made again
    # PostgreSQL's install puts back what is missing and writes only the rows that are not
    # right (the shape before 0007 is that migration's business, see ensure()).
    install(connection)
    return True


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
    if connection.vendor == "postgresql" and POSTGRES_TABLE_MIGRATION not in applied:
        return False  # 0002's columns: PostgreSQL alters no table behind them
    return reinstall_if_incomplete(connection)


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
    """Raise (``DatabaseError``) when the full-text index disagrees with the documents: an
    FTS5 table (SQLite), or a row of :data:`FULLTEXT` missing, left over or unlike its
    document (PostgreSQL)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(postgres_differences_sql())
            count = cursor.fetchone()[0]
        if count:
            raise DatabaseError(f"{FULLTEXT}: {count} rows differ from their documents")
        return
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in (FULLTEXT, TITLES):
            cursor.execute(
                f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"  # noqa: S608
            )


def postgres_differences_sql() -> str:
    """How many documents have no row in :data:`FULLTEXT`, or one unlike them, plus its
    rows without a document."""
    columns = (*POSTGRES_COLUMNS, SEARCH_VECTOR)
    document = ", ".join(f"d.{column}" for column in POSTGRES_COLUMNS)
    return (
        f"SELECT count(*) FROM {DOCUMENTS} d FULL JOIN {FULLTEXT} f ON f.id = d.id "
        f"WHERE d.id IS NULL OR f.id IS NULL "
        f"OR ({document}, {postgres_vector('d')}) IS DISTINCT FROM "
        f"({', '.join(f'f.{column}' for column in columns)})"
    )
