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
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
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
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, values)
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        return [self._converted(row, compiled.converters, connection) for row in rows]

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

    @staticmethod
    def _converted(row: tuple, converters: dict, connection) -> tuple:
        row = list(row)
        for position, (functions, expression) in converters.items():
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        return tuple(row)
