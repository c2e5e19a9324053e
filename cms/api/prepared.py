"""Queries compiled once per shape and process, then run with fresh parameters.

Django builds and compiles a queryset's SQL on every evaluation, and for the
small queries every API request makes (the countries and their sites, the
view restrictions, the sectors of a page of items) that is nearly all they
cost: compiling takes ten times longer than SQLite takes to answer. A
``Prepared`` query is written as an ordinary ``values_list()`` queryset,
compiled on first use, and from then on only executed: a prepared statement
on the Python side. Nothing read from the database is kept; every call runs
the SQL again.

The SQL is reused only where that is provably right: ``build(*values)`` must
compile to parameters equal to ``values``, in order (checked on the first
compilation of each shape; a query whose parameters the ORM transforms is
refused there, not silently served with stale ones). Everything else that
shapes the SQL goes into ``shape``, which is part of the key.

Rows come back in the order of the ``values_list()`` columns, which for a
model with translated fields means building the queryset with
modeltranslation's ``rewrite(False)`` (its rewriting reorders them).

Listings are kept differently (``Plans``): their querysets have too many
parameters to check one by one, so a listing's compiled SQL is kept under a
key naming every input the querysets are built from (``plan_key`` in
``cms.api.responses``), values included. ``Scalars`` compiles the one-row
query of a listing's count and Last-Modified.
"""

from __future__ import annotations

import datetime
import decimal
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Field, IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import ValuesListIterable

#: Shapes kept per prepared query (an ``IN`` list of each length is a shape).
MAX_SHAPES = 256


class NotPreparable(ValueError):
    """``build`` made a query whose compiled SQL cannot be reused as it is."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    #: Position -> (converter functions, expression), as Django's compiler keeps them.
    converters: dict[int, tuple[list, Any]]


class Prepared:
    """A ``values_list()`` query built by ``build(*shape, *values)``; see the module docstring."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, _Compiled] = {}

    def rows(self, *values: Any, shape: tuple[Hashable, ...] = (), using: str = "default"):
        """The result rows (tuples) for these parameter ``values``."""
        connection = connections[using]
        key = (using, connection.vendor, shape, len(values))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(shape, values, using)
            if len(self._compiled) >= MAX_SHAPES:
                self._compiled.clear()
            self._compiled[key] = compiled
        rows = fetched(connection, compiled.sql, values)
        if not compiled.converters:
            return rows
        seen: dict[tuple[int, Any], Any] = {}
        return [converted(row, compiled.converters, connection, seen) for row in rows]

    def _compile(self, shape: tuple, values: tuple, using: str) -> _Compiled:
        queryset = self.build(*shape, *values)
        if queryset._iterable_class is not ValuesListIterable:
            raise NotPreparable(
                f"{self.build.__qualname__} must build a plain values_list() queryset "
                "(with rewrite(False) on a translated model: modeltranslation reorders columns)"
            )
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        if tuple(params) != tuple(values):
            raise NotPreparable(
                f"{self.build.__qualname__} compiled to parameters {params!r}, not {values!r}"
            )
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        return _Compiled(sql=sql, converters=compiler.get_converters(columns))


def fetched(connection, sql: str, params) -> list[tuple]:
    """Every row of ``sql`` run with ``params``."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def converted(row: tuple, converters: dict, connection, seen: dict) -> tuple:
    """The row with Django's converters applied, each distinct value converted once.

    ``converters``: position -> (functions, expression), as Django's compiler
    gives them. Joined rows repeat values (a sector's columns on each of its
    links), and on SQLite each datetime is parsed from text: ``seen`` keeps what
    this result already converted (converters are functions of the value).
    """
    row = list(row)
    for position, (functions, expression) in converters.items():
        raw = row[position]
        key = (position, raw) if isinstance(raw, HASHABLE_RAW) else None
        if key is None or key not in seen:
            value = raw
            for function in functions:
                value = function(value, expression, connection)
            if key is None or not isinstance(value, IMMUTABLE):  # never share a dict
                row[position] = value
                continue
            seen[key] = value
        row[position] = seen[key]
    return tuple(row)


#: Raw values that can key the memo (sqlite3 hands over datetimes already parsed).
HASHABLE_RAW = (str, int, float, datetime.date, datetime.time, type(None))
#: Converted values safe to share between rows.
IMMUTABLE = (str, int, float, bool, datetime.date, datetime.time, decimal.Decimal, type(None))


@dataclass(frozen=True)
class Scalar:
    """One compiled part of ``Scalars``: a scalar subquery and what its value is."""

    sql: str
    params: tuple
    output_field: Any

    def expression(self, output_field=None) -> RawSQL:
        # The SQL is Django's own compiled output; values stay in ``params``.
        output_field = output_field or self.output_field
        return RawSQL(self.sql, self.params, output_field=output_field)  # noqa: S611


@dataclass(frozen=True)
class Scalars:
    """One-column querysets compiled into one SELECT of scalar subqueries; ``run()`` answers.

    Each queryset is compiled on its own and the SQL joined. Django's
    ``Subquery`` would do the same, but it clones and relabels every inner
    query to fit it into an outer one, which measured 2.5 times the compile
    time of the queries alone; they share no aliases here, so there is nothing
    to relabel. ``count_first``: the first value is the number of rows of the
    first queryset instead of its value.

    The parts are uncorrelated, so they can also ride along another query as
    extra columns (``annotations()``; the database computes each once for the
    statement): a listing's count and Last-Modified come back with its items.
    """

    db: str
    parts: tuple[Scalar, ...]
    #: Position -> (functions, expression): Django's converters of each part's value.
    converters: dict[int, tuple[list, Any]]

    @classmethod
    def of(cls, *querysets: QuerySet, count_first: bool = False) -> Scalars:
        parts = []
        for position, queryset in enumerate(querysets):
            counted = count_first and position == 0
            compiler = queryset.query.get_compiler(using=queryset.db)
            output_field = IntegerField() if counted else None
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:  # matches nothing: no rows, no value
                if output_field is None:
                    output_field = queryset.query.output_field
                parts.append(Scalar("0" if counted else "NULL", (), output_field))
                continue
            if len(compiler.select) != 1:
                raise ValueError(f"Scalars take one-column querysets, not {sql!r}")
            if output_field is None:
                output_field = compiler.select[0][0].output_field
            # The SQL is Django's compiled output; values stay in ``params``.
            part = f"(SELECT COUNT(*) FROM ({sql}) counted)" if counted else f"({sql})"  # noqa: S608
            parts.append(Scalar(part, tuple(params), output_field))
        converters = compiler.get_converters([part.expression() for part in parts])
        return cls(db=querysets[0].db, parts=tuple(parts), converters=converters)

    @cached_property
    def sql(self) -> str:
        return f"SELECT {', '.join(part.sql for part in self.parts)}"  # noqa: S608

    @cached_property
    def params(self) -> tuple:
        return tuple(param for part in self.parts for param in part.params)

    def run(self) -> list:
        """The values, from a query of their own."""
        connection = connections[self.db]
        (row,) = fetched(connection, self.sql, self.params)
        return self.converted(row, connection)

    def converted(self, row, connection) -> list:
        """The values of a row the database gave for the parts, as Django's fields read them."""
        return list(converted(row, self.converters, connection, {}))

    def annotations(self, prefix: str) -> dict[str, RawSQL]:
        """The parts as annotations named ``prefix0``, ``prefix1``…, for another queryset.

        As they come from the database, unconverted (a plain ``Field``): every row
        carries them, one row is read (``converted``).
        """
        return {
            f"{prefix}{position}": part.expression(Field())
            for position, part in enumerate(self.parts)
        }


#: Compiled listings kept per process (least recently used go first).
MAX_PLANS = 256

T = TypeVar("T")


class Plans:
    """Compiled SQL of listings, by everything their querysets were built from.

    An API consumer asks the same few listings again and again, and building
    and compiling their querysets is most of what a small listing costs.
    ``get(key, compile)`` keeps what ``compile()`` returns (an ``ObjectsPlan``
    or ``Scalars``) under ``key``, which must name every input of the
    queryset (see ``cms.api.responses.plan_key``); ``None`` compiles afresh.
    Only SQL is kept: every request runs it against the database again.
    """

    def __init__(self, size: int = MAX_PLANS):
        self.size = size
        self._plans: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()  # threaded servers share a process

    def get(self, key: Hashable | None, compile: Callable[[], T]) -> T:
        if key is None:
            return compile()
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
                return plan
        plan = compile()
        with self._lock:
            self._plans[key] = plan
            if len(self._plans) > self.size:
                self._plans.popitem(last=False)
        return plan

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()


PLANS = Plans()
