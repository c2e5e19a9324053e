"""One page of a listing's projection rows, and their total: one SQL statement.

Most listings filter only by what a row holds (type, language, country,
sectors, ``updated_at``) and order by its columns (``cms.projections.columns``).
Their page is this one statement, written out here rather than built by the
ORM: building and compiling the equivalent queryset costs about three times
what running it does (0.86 against 0.24 ms CPU for a 20-item news listing,
``docs/api-performance.md``), and it is the one query such a listing runs.
Everything in it is a placeholder except the column names, which come from
``ORDER_COLUMNS``. ``tests/api/test_projected_listings.py`` checks it lists
what the models do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from cms.projections.models import Projection

#: Order names a listing can sort its rows by, and the column each is.
ORDER_COLUMNS = {
    "id": "object_id",
    "title": "title",
    "name": "title",
    "date": "date",
    "start": "date",
}


@dataclass(frozen=True)
class RowQuery:
    """Which rows a listing shows, in which order (``order``: names of ``ORDER_COLUMNS``,
    ``-`` for descending; the id breaks ties)."""

    types: list[str]
    language: str
    countries: list[str]
    order: list[str]
    sector_ids: list[int]
    updated_since: datetime | None = None

    @staticmethod
    def can_order(tokens: list[str]) -> bool:
        return all(token.removeprefix("-") in ORDER_COLUMNS for token in tokens)

    def where(self) -> tuple[str, list]:
        conditions = [
            f"object_type IN ({placeholders(self.types)})",
            "language = %s",
            f"country IN ({placeholders(self.countries)})" if self.countries else "1 = 0",
        ]
        params = [*self.types, self.language, *self.countries]
        if self.sector_ids:  # ``sector_ids`` is " 1 4 5 ": any of those asked for
            conditions.append(f"({' OR '.join(['sector_ids LIKE %s'] * len(self.sector_ids))})")
            params += [f"% {pk} %" for pk in self.sector_ids]
        if self.updated_since is not None:
            conditions.append("updated_at >= %s")
            params.append(connection.ops.adapt_datetimefield_value(self.updated_since))
        return " AND ".join(conditions), params

    def order_by(self) -> str:
        keys = [
            f"{ORDER_COLUMNS[token.removeprefix('-')]} {'DESC' if token[0] == '-' else 'ASC'}"
            for token in self.order
        ]
        return ", ".join([*keys, "object_id ASC"])


def page(query: RowQuery, offset: int, limit: int) -> tuple[list[tuple[int, str | None]], int]:
    """``(object_id, listing_body)`` of the rows ``offset`` to ``offset + limit``, and
    how many rows there are in all (riding on every row; a page past the end asks
    for it on its own)."""
    table = connection.ops.quote_name(Projection._meta.db_table)
    where, params = query.where()
    with connection.cursor() as cursor:
        cursor.execute(
            # Only placeholders and the column names of ORDER_COLUMNS are put in.
            f"SELECT object_id, listing_body, COUNT(*) OVER () FROM {table} WHERE {where} "  # noqa: S608
            f"ORDER BY {query.order_by()} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            return [(object_id, body) for object_id, body, _ in rows], rows[0][2]
        if not offset:
            return [], 0
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)  # noqa: S608
        return [], cursor.fetchone()[0]


def placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))
