"""One page of a listing's projection rows, and their total: one SQL statement.

Every listing of stored items (``cms.api.selectors``) says which rows it shows
and in what order as a ``RowQuery``; ``page`` reads one page of them. Most
listings filter only by what a row holds (type, language, country, sectors,
``updated_at``) and order by its columns (``cms.projections.columns``); for
those the statement is written out here rather than built by the ORM, since
building and compiling the equivalent queryset costs about three times what
running it does (0.86 against 0.24 ms CPU for a 20-item news listing,
``docs/api-performance.md``), and it is the one query such a listing runs.
Everything in it is a placeholder except the column names of ``ORDER_COLUMNS``.
A listing that also narrows by its models (``within``: tags, dates, kinds…) or
orders by a model's field (``keys``) is the same query built by the ORM.
``tests/api/test_projected_listings.py`` checks both list the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window

from cms.projections.models import Projection

#: Order names a listing can sort its rows by, and the column each is.
ORDER_COLUMNS = {
    "id": "object_id",
    "title": "title_key",
    "name": "title_key",
    "date": "date",
    "start": "date",
}

#: What ``page`` gives for each row.
Row = tuple[int, str, str | None]  # object_id, object_type, listing_body


@dataclass(frozen=True)
class RowQuery:
    """Which rows a listing shows, in which order.

    ``order``: order names, ``-`` for descending, each a column of ``ORDER_COLUMNS``
    or of ``keys``, functions making the expression to order by (evaluated per row,
    ``OuterRef("object_id")``); the id breaks ties. ``countries`` None: network-wide
    items (sectors). ``within``: querysets of ids the items must be among.
    """

    types: list[str]
    language: str
    countries: list[str] | None
    order: list[str]
    sector_ids: list[int] = field(default_factory=list)
    updated_since: datetime | None = None
    within: list[QuerySet] = field(default_factory=list)
    keys: dict = field(default_factory=dict)

    @property
    def is_plain(self) -> bool:
        """Whether the rows' own columns answer it (``statement``)."""
        names = [token.removeprefix("-") for token in self.order]
        return not self.within and all(name in ORDER_COLUMNS for name in names)

    def where(self) -> tuple[str, list]:
        conditions = [f"object_type IN ({placeholders(self.types)})", "language = %s"]
        params = [*self.types, self.language]
        if self.countries is not None:
            conditions.append(
                f"country IN ({placeholders(self.countries)})" if self.countries else "1 = 0"
            )
            params += self.countries
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

    def queryset(self) -> QuerySet:
        """The same rows through the ORM, narrowed by ``within`` and ordered by ``keys`` too."""
        rows = Projection.objects.filter(object_type__in=self.types, language=self.language)
        if self.countries is not None:
            rows = rows.filter(country__in=self.countries)
        if self.sector_ids:
            in_sectors = Q(pk__in=[])
            for pk in self.sector_ids:
                in_sectors |= Q(sector_ids__contains=f" {pk} ")
            rows = rows.filter(in_sectors)
        if self.updated_since is not None:
            rows = rows.filter(updated_at__gte=self.updated_since)
        for ids in self.within:
            rows = rows.filter(object_id__in=ids)
        order = []
        for token in self.order:
            name = token.removeprefix("-")
            key = F(ORDER_COLUMNS[name]) if name in ORDER_COLUMNS else self.keys[name]()
            order.append(key.desc() if token.startswith("-") else key.asc())
        return rows.order_by(*order, F("object_id").asc())


def page(query: RowQuery, offset: int, limit: int) -> tuple[list[Row], int]:
    """Rows ``offset`` to ``offset + limit`` and how many there are in all."""
    if not query.is_plain:
        rows = query.queryset()
        found = list(
            rows.annotate(total=Window(Count("pk"))).values_list(
                "object_id", "object_type", "listing_body", "total"
            )[offset : offset + limit]
        )
        if found:
            return [row[:3] for row in found], found[0][3]
        return [], rows.count() if offset else 0
    return statement(query, offset, limit)


def statement(query: RowQuery, offset: int, limit: int) -> tuple[list[Row], int]:
    """``page`` of a plain query as one written-out statement (the total rides on every
    row; a page past the end asks for it on its own)."""
    table = connection.ops.quote_name(Projection._meta.db_table)
    where, params = query.where()
    with connection.cursor() as cursor:
        cursor.execute(
            # Only placeholders and the column names of ORDER_COLUMNS are put in.
            f"SELECT object_id, object_type, listing_body, COUNT(*) OVER () FROM {table} "  # noqa: S608
            f"WHERE {where} ORDER BY {query.order_by()} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            return [row[:3] for row in rows], rows[0][3]
        if not offset:
            return [], 0
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)  # noqa: S608
        return [], cursor.fetchone()[0]


def placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))
