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
    - ``sitesearch_titles(title_spellings, language, country)``: autocomplete, over
      the display title with ``ß`` spelled ``ss``, ``ł`` as ``l`` and umlauts also written
      out (``title_spellings``, a virtual generated column of the document table), other
      diacritics removed by the tokenizer, and prefix indexes of 2 and 3 characters;
      language and country are tokens of their own columns, so a prefix query is
      filtered inside the index.

    Triggers on the document table keep both in step with every insert,
    update and delete, whoever writes (publishing, ``bulk_create``, a rebuild,
    a raw delete), in the writer's own transaction.

PostgreSQL
    - ``sitesearch_fulltext(id, language, country, kind, sector_ids, date,
      search_vector)``: a narrow table beside the documents, one row per document
      (same id), holding only what a visitor search reads: the filters, the facets'
      columns and ``search_vector`` (title with weight A, body with weight D, lz4
      compressed), with a GIN index. Triggers on the document table write it in the
      writer's own statement and transaction (insert, update, delete, truncate), as
      SQLite's triggers write FTS5, so it never lags behind the documents. Why a table
      of its own (migration ``0007``): the hits of a common word are thousands of rows
      of a language, spread over the whole table, and reading them was most of a
      search's statement in the document table's wide rows (about five to a page, 157 MB
      at 100,000 documents, more than ``shared_buffers``' default); here a row is what
      the search reads (81 MB, most vectors inline), and ranking reads the candidates'
      vectors from the same rows (``docs/benchmarks.md``, fifth round). Indexed like the
      documents were: ``(language, kind, country)``, ``(language, date)``.
    - ``title_vector``, a *generated* ``tsvector`` column of the document table with a
      GIN index (the display title spelled as SQLite's ``title_spellings``, its diacritics
      translated away, for autocomplete), computed by PostgreSQL in the statement that
      writes the row.

Neither is a Django model (SQLite has no ``tsvector``, and the FTS5 tables are
virtual): ``cms.search.fulltext_schema`` makes and keeps them (migrations, ``ensure``
after every ``migrate``, the daily ``optimize``, integrity checks). This module holds
what a search needs to read them: their names, the weights and the query syntax.
"""

from __future__ import annotations

import unicodedata

from cms.search.lexicon import SPELLED_OUT as SPELLED_OUT_LETTERS
from cms.search.lexicon import UMLAUTS_WRITTEN_OUT

DOCUMENTS = "sitesearch_searchdocument"
#: SQLite: the FTS5 table (title, body, language); PostgreSQL: the search's own table
#: (id, language, country, kind, sector_ids, date, search_vector).
FULLTEXT = "sitesearch_fulltext"
TITLES = "sitesearch_titles"  # SQLite: title_spellings, language, country
#: SQLite: a virtual generated column of the document table, the display title as
#: autocomplete indexes it (``title_spellings_sql``); ``TITLES`` reads it.
TITLE_SPELLINGS = "title_spellings"
SEARCH_VECTOR = "search_vector"  # PostgreSQL, in FULLTEXT: title (A), body (D)
TITLE_VECTOR = "title_vector"  # PostgreSQL: display title without diacritics

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


#: Letters a visitor types otherwise than as one letter without its diacritics (``ß`` as
#: ``ss``) or that have no decomposition to take them off (``ł``): the titles' index for
#: autocomplete holds them spelled so, as ``cms.search.lexicon.fold`` folds what is typed.
SPELLED_OUT = tuple(SPELLED_OUT_LETTERS.items())
#: German umlauts written out, as German visitors type them without the letters
#: (``oberoesterreich``): a title holding one is indexed both ways.
UMLAUTS = tuple(UMLAUTS_WRITTEN_OUT.items())


def replaced_sql(expression: str, pairs) -> str:
    for letter, spelled in pairs:
        expression = f"replace({expression}, {sql_string(letter)}, {sql_string(spelled)})"
    return expression


def title_spellings_sql(column: str) -> str:
    """SQL of the text autocomplete indexes of a title ``column``: its letters spelled out
    (``SPELLED_OUT``), followed, when it holds umlauts, by the same with them written out
    (``Großhändler`` -> ``Grosshändler Grosshaendler``). The same on both databases; the
    diacritics left are the index's business (SQLite's tokenizer, PostgreSQL's
    ``translate``)."""
    spelled = replaced_sql(f"coalesce({column}, '')", SPELLED_OUT)
    written_out = replaced_sql(spelled, UMLAUTS)
    return (
        f"CASE WHEN {written_out} <> {spelled} THEN {spelled} || ' ' || {written_out} "
        f"ELSE {spelled} END"
    )


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def folded_sql(expression: str) -> str:
    """``expression`` with diacritics translated away (immutable: usable in a generated column)."""
    source, target = folding_table()
    return f"translate({expression}, {sql_string(source)}, {sql_string(target)})"


#: SQLite: a narrow index of the document table for the full-text hits' filters and facets
#: (``INDEXED BY`` in ``cms.search.database_search``): looking up thousands of matches by id
#: in it reads a few pages, in the table itself a page per row. Migration ``0004``.
FACETS_INDEX = f"{DOCUMENTS}_facets"
#: SQLite: the same columns, language first, for a search whose words are in thousands of
#: a language's documents: its facets are grouped walking the language's entries in this
#: order (no sort) and checking each id against the matches, cheaper than looking every
#: match up by id and sorting the groups (``cms.search.database_search``). Migration ``0006``.
LANGUAGE_FACETS_INDEX = f"{DOCUMENTS}_language_facets"

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


def supported(connection) -> bool:
    return connection.vendor in ("sqlite", "postgresql")


# --- queries ----------------------------------------------------------------------------------


def fts_string(token: str) -> str:
    """A token as an FTS5 string (quoted: the query syntax's words never clash with it).

    A phrase's tokens (``Term.token`` of a ``Term.phrase``: joined by spaces) make one
    string of several tokens, which FTS5 matches as a phrase: the tokens one after
    another in one column."""
    return '"' + token.replace('"', '""') + '"'


def fts_any(tokens: list[str]) -> str:
    """FTS5 query: any of ``tokens`` (in any column); a phrase's as a phrase."""
    return " OR ".join(fts_string(token) for token in tokens)


def fts_in_language(tokens: list[str], language: str) -> str:
    """FTS5 query: any of ``tokens`` in title or body, in a document of ``language``."""
    return f"{{title body}} : ({fts_any(tokens)}) AND language : {fts_string(language)}"


def tsquery_string(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_term(token: str) -> str:
    """``to_tsquery`` text for one term: a token, or a phrase's tokens (joined by spaces)
    followed one by the next (``('a' <-> 'b')``, which the ``simple`` configuration
    leaves as it is: the vectors hold the same analysed tokens at their positions)."""
    parts = token.split(" ")
    if len(parts) == 1:
        return tsquery_string(token)
    return "(" + " <-> ".join(tsquery_string(part) for part in parts) + ")"


def tsquery_any(tokens: list[str]) -> str:
    """``to_tsquery`` text: any of ``tokens``; a phrase's as a phrase."""
    return " | ".join(tsquery_term(token) for token in tokens)
