"""What the benchmarks count and how they summarise: statements, engine requests, percentiles."""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


class RequestCounter:
    """SQL statements and engine requests made while :meth:`counting` is active.

    SQL: ``connection.execute_wrapper`` on the default connection. Engine: every
    ``perform_request`` of the engine client's transport class (OpenSearch and
    Elasticsearch clients both send every API call through it), patched on the class for
    the duration so that clients the service makes itself (autocomplete) count too.
    """

    def __init__(self, engine_client=None):
        self.transport_class = type(engine_client.transport) if engine_client else None
        self.sql = 0
        self.engine = 0
        self.endpoints: Counter = Counter()
        self.active = False

    def execute(self, execute, sql, params, many, context):
        if self.active:
            self.sql += 1
        return execute(sql, params, many, context)

    @contextmanager
    def installed(self):
        original = self.transport_class.perform_request if self.transport_class else None
        counter = self

        def perform_request(transport, method, url, *args, **kwargs):
            if counter.active:
                counter.engine += 1
                counter.endpoints[f"{method} {url.split('?')[0].rstrip('/').rsplit('/')[-1]}"] += 1
            return original(transport, method, url, *args, **kwargs)

        if original is not None:
            self.transport_class.perform_request = perform_request
        try:
            with connection.execute_wrapper(self.execute):
                yield self
        finally:
            if original is not None:
                self.transport_class.perform_request = original

    @contextmanager
    def counting(self):
        """Count what happens inside; (sql, engine) of that block are in :attr:`last`."""
        sql, engine, endpoints = self.sql, self.engine, Counter(self.endpoints)
        self.active = True
        try:
            yield
        finally:
            self.active = False
            self.last = (self.sql - sql, self.engine - engine)
            self.last_endpoints = dict(self.endpoints - endpoints)


def count_summary(values: list[int]) -> dict:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "min": min(values),
        "median": percentile(values, 50),
        "max": max(values),
        "mean": sum(values) / len(values),
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (``p`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def summary(values_ms: list[float]) -> dict[str, float]:
    """Percentiles of latencies in ms; a timed-out request is ``math.inf`` (slower than all)."""
    if not values_ms:
        return {"n": 0}
    finished = [ms for ms in values_ms if ms != math.inf]
    return {
        "n": len(values_ms),
        "p50": percentile(values_ms, 50),
        "p95": percentile(values_ms, 95),
        "p99": percentile(values_ms, 99),
        "mean_finished": sum(finished) / len(finished) if finished else None,
        "max_finished": max(finished, default=None),
    }


def chunks(sequence: list, size: int) -> Iterator[list]:
    for start in range(0, len(sequence), size):
        yield sequence[start : start + size]


def elapsed_ms(start_ns: int) -> float:
    return (time.perf_counter_ns() - start_ns) / 1e6


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f}/{five:.2f}"
