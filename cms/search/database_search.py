"""Answering a search on a database backend (SQLite, PostgreSQL), in two SQL statements.

The documents' tokens are analysed already (``cms.search.analysis``); the
database's own full-text index (``cms.search.fulltext``: FTS5 on SQLite; on
PostgreSQL a narrow table of its own with a ``tsvector`` column and a GIN index)
finds and ranks them.
Wagtail's database backend, which ranks through a correlated subquery per
matching row, is not on this path (it still serves the admin's searches).

One search is:

1. **One statement** for everything that depends on the match set: the hits
   (``MATCH`` / ``@@`` through the full-text index, the request's language inside
   the match on SQLite, then the other filters: country, type, date range, sector),
   materialised once, unranked; from them ``GROUP BY country, kind, sector_ids``
   (a few groups: the total, and the country and type facets are its marginal sums,
   every document having one country and one kind; a sector's count is the sum of the
   groups whose ``sector_ids``, the row's own copy of its sectors, hold it), and the
   ranked page (``cms.search.statements.statement``: at most ``RANK_CANDIDATES`` hits are ranked,
   the newest). On SQLite a search filtered by its language alone (nearly every one)
   materialises nothing: its candidates' bound and its facets come straight from the
   full-text matches (``statements.sqlite_unfiltered_statement``).
2. **One statement** for the page's rows by primary key (none when the page is
   empty).

However many documents match and however many facet values there are. Nothing
else runs per search on this path: validation's country codes and sector slugs
(``cms.search.query.KnownValues``), the synonym lists and the typo vocabulary
(``cms.search.process_cache``) are kept in the process.

Ranking: exact matches first
----------------------------
A query's terms are the visitor's own tokens (``Term.exact``, weight 1) and
tokens added for them (synonyms, compound parts, near spellings; weight < 1).
Hits are ordered

1. by whether a first-tier token matched (``Term.first_tier``: the visitor's own
   words and editors' synonyms, which are deliberate equivalents), so whatever a
   compound part or a near spelling finds alone ranks below every document those
   find,
2. then by the weighted score: per group of terms of equal weight, the
   database's relevance (``bm25()`` with title and body weighted 3:1 on SQLite;
   ``ts_rank_cd`` with title (A) and body (D) weighted 3:1 on PostgreSQL) times
   the group's weight, summed,
3. then newest document first (the id), so that the order is total.

``bm25()`` is a sum over the query's phrases, so with only exact terms the score
is exactly the ``bm25`` of the whole query: the ranking the judged queries were
tuned on.
"""

# ruff: noqa: S608 - SQL text is built from constants and the models' table and column
# names only; every value (tokens, filters, limits) is a query parameter.
from __future__ import annotations

from django.db import connections
from django.db.models import Count, FilteredRelation

from cms.search import fulltext
from cms.search.lexicon import fold
from cms.search.models import SearchDocument
from cms.search.query import Found, Query, SearchRequest, by_count, filtered_documents
from cms.search.statements import (
    COUNTRY_KIND,
    PAGE,
    filter_sql,
    names,
    placeholders,
    statement,
    term_groups,
)


def connection_for_documents():
    return connections[SearchDocument.objects.db]


def available() -> bool:
    """True when the documents' database has the full-text index (SQLite or PostgreSQL)."""
    connection = connection_for_documents()
    return fulltext.supported(connection)


def search_page(request: SearchRequest, query: Query, backend=None) -> Found:
    """The ranked page, the total and every facet: two SQL statements at most."""
    connection = connection_for_documents()
    if not fulltext.supported(connection):
        return wagtail_search_page(request, query, backend)
    if not any(group.tokens for group in term_groups(query)):
        return Found(documents=[], total=0, facets={})
    sql, params = statement(request, query, connection)
    page_rows, by_country, by_kind, sector_rows = [], {}, {}, []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for tag, pk, score, exact, key, kind, count, sort_order in cursor.fetchall():
            if tag == PAGE:
                page_rows.append((exact, score, pk))
            elif tag == COUNTRY_KIND:
                by_country[key] = by_country.get(key, 0) + count
                by_kind[kind] = by_kind.get(kind, 0) + count
            else:
                sector_rows.append((sort_order, key, count))
    total = sum(by_kind.values())
    if not total:
        return Found(documents=[], total=0, facets={})
    # UNION ALL keeps no order: the page's order again, as the statement sorted it.
    page_rows.sort(key=ranking_key)
    ids = [pk for _, _, pk in page_rows]
    # Not the analysed tokens (title, body): nothing shows them, and they are the row's
    # longest columns (PostgreSQL reads them out of line).
    by_id = SearchDocument.objects.defer("title", "body").in_bulk(ids) if ids else {}
    facets = {
        "country": by_count(by_country),
        "type": by_count(by_kind),
        "sector": {slug: count for _, slug, count in sorted(sector_rows) if count},
    }
    return Found(documents=[by_id[pk] for pk in ids if pk in by_id], total=total, facets=facets)


def ranking_key(row: tuple) -> tuple:
    """(exact, score, id) of a page row in the statement's order; unranked rows (older than
    the ranked candidates: no score) after the ranked ones, newest first."""
    exact, score, pk = row
    if score is None:
        return (1, 0, 0.0, -pk)
    return (0, -exact, -score, -pk)


def count_matches(tokens: list[str], request: SearchRequest) -> int:
    """How many documents any of ``tokens`` finds with the request's language and filters
    (one statement; did-you-mean checks a correction with it)."""
    connection = connection_for_documents()
    if not tokens:
        return 0
    n = names(connection)
    where, params = filter_sql(request, connection)
    if connection.vendor == "sqlite":
        fts = fulltext.FULLTEXT
        sql = (
            f"SELECT COUNT(*) FROM {fts} CROSS JOIN {n['docs']} d "
            f"INDEXED BY {fulltext.FACETS_INDEX} ON d.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s AND {where}"
        )
        params = [fulltext.fts_in_language(tokens, request.language), *params]
    else:
        sql = (
            f"SELECT COUNT(*) FROM {connection.ops.quote_name(fulltext.FULLTEXT)} d "
            f"WHERE d.{fulltext.SEARCH_VECTOR} @@ to_tsquery('simple', %s) AND {where}"
        )
        params = [fulltext.tsquery_any(tokens), *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def autocomplete(
    words: list[str], language: str, countries: tuple[str, ...] = (), limit: int = 8
) -> list[dict]:
    """Titles whose words start with each of ``words`` (any case, with or without
    diacritics), best match first, in one statement through the titles' full-text index."""
    connection = connection_for_documents()
    # Folded as the index spells the titles (``ß`` as ``ss``, ``ł`` as ``l``, no diacritics).
    words = [fold(word) for word in words if any(char.isalnum() for char in word)]
    if not words:
        return []
    n = names(connection)
    if connection.vendor == "sqlite":
        titles = fulltext.TITLES
        column = fulltext.TITLE_SPELLINGS
        match = " AND ".join(f"{column} : {fulltext.fts_string(word)} *" for word in words)
        match += f" AND language : {fulltext.fts_string(language)}"
        if countries:
            match += (
                " AND ("
                + " OR ".join(f"country : {fulltext.fts_string(code)}" for code in countries)
                + ")"
            )
        sql = (
            "SELECT d.display_title, d.url, d.kind, d.object_id FROM ("
            f"SELECT rowid AS id, bm25({titles}, 1.0, 0.0, 0.0) AS rank FROM {titles} "
            f"WHERE {titles} MATCH %s ORDER BY rank, rowid DESC LIMIT %s) t "
            f"JOIN {n['docs']} d ON d.id = t.id ORDER BY t.rank, t.id DESC"
        )
        params: list = [match, limit]
    else:
        tsquery = " & ".join(f"{fulltext.tsquery_string(word)}:*" for word in words)
        vector = fulltext.TITLE_VECTOR
        country_sql = ""
        if countries:
            country_sql = f" AND country IN ({placeholders(countries)})"
        sql = (
            f"SELECT display_title, url, kind, object_id FROM {n['docs']}, "
            "to_tsquery('simple', %s) q "
            f"WHERE {vector} @@ q AND language = %s{country_sql} "
            f"ORDER BY ts_rank({vector}, q) DESC, id DESC LIMIT %s"
        )
        params = [tsquery, language, *countries, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"title": title, "url": url, "type": kind, "id": object_id}
            for title, url, kind, object_id in cursor
        ]


# --- other databases (MySQL): Wagtail's backend --------------------------------------------------


def wagtail_search_page(request: SearchRequest, query: Query, backend) -> Found:
    """The search through Wagtail's database backend, for a database without the index."""
    # Any of the tokens; this backend knows no phrases, whose words alone find too much.
    text = " ".join(term.token for term in query.terms if len(term.phrase) == 1)
    documents = filtered_documents(request, database=True)
    results = backend.search(text, documents, operator="or")
    start = request.start
    page = list(results[start : start + request.page_size])
    matched = backend.search(text, documents, operator="or", order_by_relevance=False)
    total, facets = database_facets(matched)
    return Found(documents=page, total=total, facets=facets)


def database_facets(matched) -> tuple[int, dict[str, dict[str, int]]]:
    """(total, facets) of a Wagtail database backend's unranked results, in two statements:
    ``GROUP BY country, kind`` (the total and two facets are its sums) and ``GROUP BY``
    sector over a join of its own (a ``FilteredRelation``, not the request's sector filter)."""
    queryset = matched.get_queryset().order_by()
    by_country: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    rows = queryset.values_list("country", "kind").annotate(n=Count("pk")).order_by()
    for country, kind, count in rows:
        by_country[country] = by_country.get(country, 0) + count
        by_kind[kind] = by_kind.get(kind, 0) + count
    total = sum(by_kind.values())
    if not total:
        return 0, {}
    sector_rows = (
        queryset.annotate(facet_sector=FilteredRelation("sectors"))
        .filter(facet_sector__isnull=False)
        .values_list("facet_sector__slug")
        .annotate(n=Count("pk"))
        .order_by("facet_sector__sort_order", "facet_sector__slug")
    )
    facets = {
        "country": by_count(by_country),
        "type": by_count(by_kind),
        "sector": {slug: count for slug, count in sector_rows if count},
    }
    return total, facets
