"""The SQL of a search on a database backend: the one statement that finds, ranks and
counts (``cms.search.database_search`` runs it and says how a search goes, and how
hits are ranked).

Built from constants and the models' table and column names; every value (tokens,
filters, limits) is a query parameter. SQLite (FTS5, ``bm25()``) and PostgreSQL
(``tsvector``, ``ts_rank_cd``) each have their own matching and scoring pieces.
"""

# ruff: noqa: S608 - SQL text is built from constants and the models' table and column
# names only; every value (tokens, filters, limits) is a query parameter.
from __future__ import annotations

from dataclasses import dataclass

from cms.core.models import Sector
from cms.search import fulltext
from cms.search.models import SearchDocument
from cms.search.query import Query, SearchRequest

#: ``ts_rank_cd`` normalisation 32: rank / (rank + 1). The same order as no normalisation
#: within a group of terms (what the judged queries rank best with: 1.000 on PostgreSQL,
#: where dividing by the document's length gives 0.967-0.983), and each group's share of a
#: score stays below its weight, so added terms never outweigh the visitor's own.
PG_NORMALIZATION = 32


@dataclass(frozen=True)
class Group:
    """Terms that count the same: the visitor's own, or added ones of one weight."""

    exact: bool
    weight: float
    tokens: tuple[str, ...]


def term_groups(query: Query) -> list[Group]:
    """The query's terms grouped by (exact, weight), the visitor's own first."""
    grouped: dict[tuple[bool, float], list[str]] = {}
    for term in query.terms:
        tokens = grouped.setdefault((term.first_tier, float(term.weight)), [])
        if term.token not in tokens:
            tokens.append(term.token)
    return [
        Group(exact, weight, tuple(tokens))
        for (exact, weight), tokens in sorted(grouped.items(), key=lambda item: (not item[0][0],))
        if weight > 0
    ]


# --- SQL pieces -------------------------------------------------------------------------------


def names(connection) -> dict[str, str]:
    quote = connection.ops.quote_name
    through = SearchDocument.sectors.through
    return {
        "docs": quote(SearchDocument._meta.db_table),
        "through": quote(through._meta.db_table),
        "through_doc": quote(through._meta.get_field("searchdocument").column),
        "through_sector": quote(through._meta.get_field("sector").column),
        "sectors": quote(Sector._meta.db_table),
    }


def placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def filter_sql(
    request: SearchRequest, connection, alias: str = "d", *, sectors: bool = True
) -> tuple[str, list]:
    """``WHERE`` conditions (on the document table as ``alias``) for the request's filters
    (without the sectors' when ``sectors`` is False).

    Language first: it, country and type are answered by the ``(language, kind, country)``
    index, dates by ``(language, date)``, sectors by the sector table's own index.
    """
    conditions = [f"{alias}.language = %s"]
    params: list = [request.language]
    if request.countries:
        conditions.append(f"{alias}.country IN ({placeholders(request.countries)})")
        params += list(request.countries)
    if request.kinds:
        conditions.append(f"{alias}.kind IN ({placeholders(request.kinds)})")
        params += list(request.kinds)
    if request.date_from:
        conditions.append(f"{alias}.date >= %s")
        params.append(connection.ops.adapt_datefield_value(request.date_from))
    if request.date_to:
        conditions.append(f"{alias}.date <= %s")
        params.append(connection.ops.adapt_datefield_value(request.date_to))
    if request.sectors and sectors:
        conditions.append(sector_sql(request, connection, alias))
        params += list(request.sectors)
    return " AND ".join(conditions), params


def sector_sql(request: SearchRequest, connection, alias: str = "d") -> str:
    """The condition that the document ``alias`` is in one of the request's sectors."""
    n = names(connection)
    # A subquery, not a join: a join would list a document once per requested sector.
    return (
        f"{alias}.id IN (SELECT t.{n['through_doc']} FROM {n['through']} t "
        f"JOIN {n['sectors']} s ON s.id = t.{n['through_sector']} "
        f"WHERE s.slug IN ({placeholders(request.sectors)}))"
    )


def sqlite_matches(tokens: list[str], request: SearchRequest, connection) -> tuple[str, list]:
    """The filtered matches on SQLite: (id, country, kind, sector_ids), unranked.

    The match is restricted to the request's language inside the full-text index
    (``fulltext.fts_in_language``); each match is then looked up by id in the narrow
    ``FACETS_INDEX`` (not in the table's wide rows) for the other filters and the facets.
    CROSS JOIN: SQLite keeps the full-text match as the outer loop (with a plain join it
    may walk the language's documents and run the match once per document).
    """
    n = names(connection)
    fts = fulltext.FULLTEXT
    where, filter_params = filter_sql(request, connection)
    sql = (
        "SELECT d.id AS id, d.country AS country, d.kind AS kind, d.sector_ids AS sector_ids "
        f"FROM {fts} CROSS JOIN {n['docs']} d INDEXED BY {fulltext.FACETS_INDEX} "
        f"ON d.id = {fts}.rowid WHERE {fts} MATCH %s AND {where}"
    )
    return sql, [fulltext.fts_in_language(tokens, request.language), *filter_params]


def filtered(request: SearchRequest) -> bool:
    """True when the request filters by more than its language (which SQLite's full-text
    match checks itself: there, without other filters, every match is a hit)."""
    return any(
        (request.countries, request.kinds, request.sectors, request.date_from, request.date_to)
    )


def sqlite_scores(groups: list[Group], request: SearchRequest, connection) -> tuple[str, list]:
    """The candidates' scores on SQLite: (id, score, exact) for the hits with id >= the
    candidates' bound, ``bm25()`` per group of terms times the group's weight, summed."""
    fts = fulltext.FULLTEXT
    bm25 = f"bm25({fts}, {fulltext.TITLE_WEIGHT!r}, {fulltext.BODY_WEIGHT!r}, 0.0)"
    # With only the language as filter (in the match itself) every match is a hit; other
    # filters are checked per match ("+rowid": not handed to FTS5, which would run the
    # whole match again for each id of the list).
    in_hits = " AND +rowid IN (SELECT id FROM hits)" if filtered(request) else ""
    parts, params = [], []
    for group in groups:
        parts.append(
            f"SELECT rowid AS id, -{bm25} * {group.weight!r} AS score, "
            f"{int(group.exact)} AS exact FROM {fts} WHERE {fts} MATCH %s "
            f"AND rowid >= (SELECT id FROM bound){in_hits}"
        )
        params.append(fulltext.fts_in_language(list(group.tokens), request.language))
    if len(parts) == 1:
        return parts[0], params
    sql = (
        "SELECT id, SUM(score) AS score, MAX(exact) AS exact "
        f"FROM ({' UNION ALL '.join(parts)}) GROUP BY id"
    )
    return sql, params


def postgres_matches(tokens: list[str], request: SearchRequest, connection) -> tuple[str, list]:
    """The filtered matches on PostgreSQL: (id, tid, country, kind, sector_ids), unranked,
    through the GIN index (no ``tsvector`` is read: a plain ``|`` query needs no recheck;
    a synonym's phrase, ``<->``, does, for its candidates only).

    Read from the search's own table (``fulltext.FULLTEXT``: only what a search reads,
    half the pages of the documents' wide rows), where a common word's hits, thousands of
    rows spread over the whole table, cost fewer page visits. ``tid`` is the row's
    ``ctid``, where this statement's snapshot has it: the ranked candidates are read
    again by it (:func:`postgres_scores`)."""
    where, filter_params = filter_sql(request, connection, sectors=False)
    sql = (
        "SELECT d.id AS id, d.ctid AS tid, d.country AS country, d.kind AS kind, "
        "d.sector_ids AS sector_ids "
        f"FROM {connection.ops.quote_name(fulltext.FULLTEXT)} d "
        f"WHERE d.{fulltext.SEARCH_VECTOR} @@ to_tsquery('simple', %s) AND {where}"
    )
    params = [fulltext.tsquery_any(tokens), *filter_params]
    if request.sectors:
        # The sectors checked on the matches (OFFSET 0: a fence the planner keeps). Else it
        # may walk a sector's documents of every language and read each one's tsvector.
        sql = (
            f"SELECT m.id, m.tid, m.country, m.kind, m.sector_ids FROM ({sql} OFFSET 0) m "
            f"WHERE {sector_sql(request, connection, 'm')}"
        )
        params += list(request.sectors)
    return sql, params


def postgres_scores(groups: list[Group], request: SearchRequest, connection) -> tuple[str, list]:
    """The candidates' scores on PostgreSQL: ``ts_rank_cd`` per group times its weight,
    summed, read for the candidates only (each reads the document's ``tsvector``).

    The candidates' rows are fetched by the ``ctid`` the hits found them at (a TID scan),
    not looked up again by id in the primary key's index: 2,000 index descents were a
    quarter of a search's statement at 100,000 documents (``docs/benchmarks.md``)."""
    vector = f"d.{fulltext.SEARCH_VECTOR}"
    params: list = []
    scores = []
    for group in groups:
        scores.append(
            f"{group.weight!r} * ts_rank_cd(%s::float4[], {vector}, "
            f"to_tsquery('simple', %s), {PG_NORMALIZATION})"
        )
        params += [fulltext.PG_WEIGHTS, fulltext.tsquery_any(list(group.tokens))]
    exact_tokens = [token for group in groups if group.exact for token in group.tokens]
    if all(group.exact for group in groups):
        exact = "1"
    elif exact_tokens:
        exact = f"CASE WHEN {vector} @@ to_tsquery('simple', %s) THEN 1 ELSE 0 END"
        params.append(fulltext.tsquery_any(exact_tokens))
    else:
        exact = "0"
    sql = (
        f"SELECT d.id AS id, ({' + '.join(scores)}) AS score, {exact} AS exact "
        f"FROM {connection.ops.quote_name(fulltext.FULLTEXT)} d WHERE d.ctid = ANY(ARRAY("
        "SELECT tid FROM hits WHERE id >= (SELECT id FROM bound)))"
    )
    return sql, params


#: Tags of the one result set's rows.
PAGE, COUNTRY_KIND, SECTOR = 0, 1, 2

#: At most this many matches are ranked: the newest, when a query finds more (see
#: :func:`statement`).
RANK_CANDIDATES = 2000


def statement(request: SearchRequest, query: Query, connection) -> tuple[str, list]:
    """The one statement: the page's (id, score, exact), then (country, kind, n), then
    (sector slug, n, sort order), as rows of one result set told apart by their tag.

    ``hits``: every match with the request's filters, unranked (id, country, kind, sector ids): the
    total and the facets are counted from it, exactly, whatever its size.

    Ranking reads each ranked document's term positions (``bm25()``, ``ts_rank_cd``), the
    one cost that grows with the hits. So the :data:`RANK_CANDIDATES` newest hits (by id:
    the documents written last) are ranked, and all of them when there are fewer: a query
    whose words are in more documents than that has no rare word to tell them apart, and
    the newest of them are what a visitor of a news site wants first. The older hits follow
    the ranked ones, newest first, so that every hit is on some page, exactly once.
    """
    groups = term_groups(query)
    tokens = list(dict.fromkeys(token for group in groups for token in group.tokens))
    if connection.vendor == "sqlite":
        hits, hit_params = sqlite_matches(tokens, request, connection)
        scores, score_params = sqlite_scores(groups, request, connection)
    else:
        hits, hit_params = postgres_matches(tokens, request, connection)
        scores, score_params = postgres_scores(groups, request, connection)
    n = names(connection)
    start = request.start
    null = {
        "id": "CAST(NULL AS bigint)",
        "score": "CAST(NULL AS double precision)",
        "int": "CAST(NULL AS integer)",
        "text": "CAST(NULL AS text)",
    }
    position = "strpos"
    if connection.vendor == "sqlite":
        null = dict.fromkeys(null, "NULL")
        position = "instr"
    if (
        connection.vendor == "sqlite"
        and not filtered(request)
        and start + request.page_size <= RANK_CANDIDATES
    ):
        return sqlite_unfiltered_statement(
            request, tokens, (hits, hit_params), (scores, score_params), connection
        )
    if start + request.page_size <= RANK_CANDIDATES:
        # The page is among the ranked hits (or there are fewer hits than candidates).
        page = (
            "SELECT id, score, exact FROM ranked "
            "ORDER BY exact DESC, score DESC, id DESC LIMIT %s OFFSET %s"
        )
    else:
        page = (
            "SELECT h.id AS id, r.score AS score, r.exact AS exact FROM hits h "
            "LEFT JOIN ranked r ON r.id = h.id ORDER BY CASE WHEN r.id IS NULL THEN 0 "
            "ELSE 1 END DESC, r.exact DESC, r.score DESC, h.id DESC LIMIT %s OFFSET %s"
        )
    # The facets from the hits' own rows: one GROUP BY (country, kind, sector ids) gives
    # a few groups, which the total, the country and type counts sum up, and which each
    # sector's count sums where its " <id> " is in the group's sector ids.
    sql = (
        f"WITH hits AS MATERIALIZED ({hits}), "
        "bound AS (SELECT COALESCE(MIN(id), 0) AS id FROM "
        "(SELECT id FROM hits ORDER BY id DESC LIMIT %s) newest), "
        f"ranked AS MATERIALIZED ({scores}), "
        "facet_groups AS MATERIALIZED (SELECT country, kind, sector_ids, COUNT(*) AS n FROM hits "
        "GROUP BY country, kind, sector_ids) "
        f"{result_rows(page, null, position, n)}"
    )
    return sql, [*hit_params, RANK_CANDIDATES, *score_params, request.page_size, start]


def result_rows(page: str, null: dict[str, str], position: str, n: dict[str, str]) -> str:
    """The statement's one result set: the page's rows (from ``page``), then the country and
    type counts and the sector counts, from the CTEs ``ranked`` and ``facet_groups``."""
    return (
        f"SELECT {PAGE}, id, score, exact, {null['text']}, {null['text']}, {null['id']}, "
        f"{null['int']} FROM ({page}) page "
        f"UNION ALL SELECT {COUNTRY_KIND}, {null['id']}, {null['score']}, {null['int']}, "
        f"country, kind, CAST(SUM(n) AS bigint), {null['int']} FROM facet_groups "
        "GROUP BY country, kind "
        f"UNION ALL SELECT {SECTOR}, {null['id']}, {null['score']}, {null['int']}, "
        f"s.slug, {null['text']}, CAST(SUM(g.n) AS bigint), s.sort_order FROM facet_groups g "
        f"JOIN {n['sectors']} s ON {position}(g.sector_ids, ' ' || s.id || ' ') > 0 "
        "GROUP BY s.id, s.slug, s.sort_order"
    )


def sqlite_unfiltered_statement(
    request: SearchRequest,
    tokens: list[str],
    hits: tuple[str, list],
    scores: tuple[str, list],
    connection,
) -> tuple[str, list]:
    """:func:`statement` on SQLite for a request filtered by its language only, whose page
    is among the ranked candidates (nearly every search): the same rows, without
    materialising the hits.

    Every full-text match is then a hit, so the candidates' bound comes from FTS5 itself:
    its matches newest first (``ORDER BY rowid DESC``, which FTS5 reads in that order),
    the first :data:`RANK_CANDIDATES`, instead of sorting every materialised hit by id.
    The facets are grouped in one of two ways, whichever is cheaper, told apart by whether
    those newest matches reached :data:`RANK_CANDIDATES` (a condition without a table,
    which SQLite checks once before the loop it guards):

    - fewer hits: each match looked up by id in the facets index, the groups sorted;
    - as many or more (a word in thousands of the language's documents): the language's
      entries of :data:`fulltext.LANGUAGE_FACETS_INDEX` walked in (country, kind, sector
      ids) order, so the groups need no sort, each id checked against the matches.

    The same rows as the general statement; at 100,000 documents the statement's p50 is
    about a quarter lower (``docs/benchmarks.md``, fourth round).
    """
    fts = fulltext.FULLTEXT
    hits_sql, hit_params = hits
    scores_sql, score_params = scores
    docs = names(connection)["docs"]
    page = (
        "SELECT id, score, exact FROM ranked "
        "ORDER BY exact DESC, score DESC, id DESC LIMIT %s OFFSET %s"
    )
    null = dict.fromkeys(("id", "score", "int", "text"), "NULL")
    rows = result_rows(page, null, "instr", names(connection))
    groups = "GROUP BY country, kind, sector_ids"
    sql = (
        f"WITH newest AS MATERIALIZED (SELECT rowid AS id FROM {fts} WHERE {fts} MATCH %s "
        "ORDER BY rowid DESC LIMIT %s), "
        "bound AS (SELECT COALESCE(MIN(id), 0) AS id, COUNT(*) AS n FROM newest), "
        f"ranked AS MATERIALIZED ({scores_sql}), "
        "facet_groups AS MATERIALIZED (SELECT country, kind, sector_ids, COUNT(*) AS n "
        f"FROM ({hits_sql}) matched WHERE (SELECT n FROM bound) < %s {groups} "
        "UNION ALL SELECT country, kind, sector_ids, COUNT(*) AS n "
        f"FROM {docs} INDEXED BY {fulltext.LANGUAGE_FACETS_INDEX} WHERE language = %s "
        f"AND id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s) "
        f"AND (SELECT n FROM bound) >= %s {groups}) "
        f"{rows}"
    )
    match = fulltext.fts_in_language(tokens, request.language)
    return sql, [
        match,
        RANK_CANDIDATES,
        *score_params,
        *hit_params,
        RANK_CANDIDATES,
        request.language,
        match,
        RANK_CANDIDATES,
        request.page_size,
        request.start,
    ]
