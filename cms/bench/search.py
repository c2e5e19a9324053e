"""Search benchmark: indexing throughput and query latency on one backend.

Not a test: ``manage.py bench_search`` (and ``.ci/bench-search`` / ``make
bench-search`` for all three backends in one run, with ``cms.bench.report``
putting them side by side against the targets) generates news items and
cluster profiles deterministically from a seeded random generator and the
project's own multilingual texts, then measures, each phase on its own:

1. **analysis** — ``analyse_to_string`` over every title and body part, as
   ``cms.search.documents`` does;
2. **row write** — ``SearchDocument`` rows (and their sectors) with
   ``bulk_create`` in batches, one transaction per batch;
3. **indexing** — reading each batch back (sectors prefetched) and
   ``index.add_items`` into the backend (an engine gets a fresh index with the
   model's mapping first, and a refresh at the end);
4. **queries** — a mix of requests through the real service
   (``cms.search.service.search``: validation, page, count, facets) and
   **autocomplete** (``cms.search.service.autocomplete``);

with same-process baselines measured interleaved with the queries (a
primary-key ORM lookup, analysing the query), so that ratios survive a noisy
machine. Every search and autocomplete request is also counted: SQL statements
on the default connection (``connection.execute_wrapper``) and requests the
engine client sends (at its transport, so every endpoint counts, whichever API
the service uses). It runs on a scratch database (it refuses one that already
holds search documents) and, for an engine, in an index with a unique prefix
that is deleted at the end.
"""

from __future__ import annotations

import math
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import override_settings
from wagtail.search.backends import get_search_backend

from cms.bench.measuring import (
    RequestCounter,
    chunks,
    count_summary,
    elapsed_ms,
    load,
    percentile,
    summary,
)
from cms.bench.search_corpus import (
    COUNTRIES,
    SECTORS,
    WARMUP_QUERIES,
    BenchmarkError,
    Item,
    Query,
    TextModel,
    generate_items,
    generate_prefixes,
    generate_queries,
    language_texts,
    lexicon,
    seeded,
)
from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country, Sector
from cms.search.analysis import analyse, analyse_to_string
from cms.search.backends import engine_only
from cms.search.indexing import is_database_backend
from cms.search.models import SearchDocument
from cms.search.service import autocomplete, query_tokens, search
from cms.search.vocabulary import warm_vocabularies
from cms.settings import search as search_settings


@dataclass
class Benchmark:
    items: int = 100_000
    queries: int = 500
    backend_name: str = "default"
    seed: int = 1
    batch_size: int = 1000
    keep: bool = False
    query_timeout: float = 30.0
    budget: float = 600.0
    log: Callable[[str], None] = print
    results: dict = field(default_factory=dict)

    # -- set-up --------------------------------------------------------------------------

    def check_scratch_database(self) -> None:
        name = str(connection.settings_dict.get("NAME") or "")
        shared = settings.BASE_DIR / "var" / "db.sqlite3"
        if connection.vendor == "sqlite" and name and Path(name).resolve() == shared.resolve():
            raise BenchmarkError(f"refusing to run on the shared development database {name}")
        if SearchDocument.objects.exists():
            raise BenchmarkError(
                "the database already holds search documents; run the benchmark on a scratch "
                "database (.ci/bench-search creates one)"
            )

    def backends(self):
        """(query backend, indexing backend, settings override) for the chosen backend."""
        config = dict(settings.WAGTAILSEARCH_BACKENDS[self.backend_name])
        if is_database_backend(get_search_backend(self.backend_name)):
            backend = get_search_backend(self.backend_name)
            return backend, backend, {"default": config}
        # An engine: a fresh index of our own, deleted at the end.
        config["INDEX_PREFIX"] = f"{config.get('INDEX_PREFIX', '')}{uuid.uuid4().hex[:8]}_"
        config["DATABASE_FALLBACK"] = None
        # The engine alone: a benchmark of an engine must never time the database fallback.
        query_backend = engine_only(self.backend_name, INDEX_PREFIX=config["INDEX_PREFIX"])
        # Bulk requests of a whole batch may outlast the visitor-facing timeout.
        index_backend = engine_only(
            self.backend_name, INDEX_PREFIX=config["INDEX_PREFIX"], TIMEOUT=120
        )
        return query_backend, index_backend, {"default": config}

    def reference_rows(self) -> dict[str, int]:
        """The seven countries and five sectors the items refer to; rows that are missing are
        created with ``bulk_create``, which sends no signals: nothing else gets indexed."""
        have = set(Country.objects.values_list("code", flat=True))
        Country.objects.bulk_create(
            Country(code=code, name=name, languages=languages, default_language=languages[0])
            for code, (name, languages) in COUNTRIES.items()
            if code not in have
        )
        have = set(Sector.objects.values_list("slug", flat=True))
        Sector.objects.bulk_create(
            Sector(slug=slug, name=name) for slug, name in SECTORS.items() if slug not in have
        )
        return dict(Sector.objects.filter(slug__in=SECTORS).values_list("slug", "pk"))

    # -- the run -------------------------------------------------------------------------

    def run(self) -> dict:
        self.check_scratch_database()
        backend_config = settings.WAGTAILSEARCH_BACKENDS[self.backend_name]
        engine = backend_config["BACKEND"].rsplit(".", 1)[-1]
        label = f"{engine} on {connection.vendor}" if engine == "database" else engine
        self.results.update(
            backend=self.backend_name,
            label=label,
            database=connection.vendor,
            items=self.items,
            queries=self.queries,
            seed=self.seed,
            batch_size=self.batch_size,
            query_timeout=self.query_timeout,
            budget=self.budget,
            started=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            load_start=load(),
        )
        sector_ids = self.reference_rows()
        query_backend, index_backend, override = self.backends()
        is_database = is_database_backend(query_backend)
        self.results["index"] = (
            "database tables"
            if is_database
            else query_backend.get_index_for_model(SearchDocument).name
        )
        try:
            start = time.perf_counter()
            self.log(f"generating {self.items} items (seed {self.seed}) ...")
            texts, places = language_texts()
            models = {
                code: TextModel(texts[code], lexicon(code, seed=self.seed))
                for code in LANGUAGE_CODES
            }
            items = generate_items(self.items, self.seed, models, places)
            queries = generate_queries(self.queries, self.seed + 1, models)
            warmup = generate_queries(WARMUP_QUERIES, self.seed + 2, models)
            prefixes = generate_prefixes(self.queries, self.seed + 3, items)
            self.results["generate_s"] = time.perf_counter() - start
            self.results["vocabulary"] = {
                code: [len(model.vocabulary), len(model.lexicon)] for code, model in models.items()
            }

            total_start = time.perf_counter()
            self.measure_analysis(items)
            pks = self.measure_row_write(items, sector_ids)
            self.measure_indexing(index_backend, is_database, pks)
            # What rebuilding N search documents costs: analysis, rows, index (not the reading
            # of pages and snippets, which the generated items do not have).
            self.results["total_s"] = time.perf_counter() - total_start
            self.results["total_items_per_s"] = self.items / self.results["total_s"]
            del items

            self.counter = RequestCounter(None if is_database else query_backend.es)
            with (
                # The caches' checks as in production (cms.settings.search), not the tests'
                # "every search": a search then costs what it costs a visitor.
                override_settings(
                    WAGTAILSEARCH_BACKENDS=override,
                    SEARCH_VOCABULARY_CHECK_SECONDS=search_settings.SEARCH_VOCABULARY_CHECK_SECONDS,
                    SEARCH_VOCABULARY_BACKGROUND=search_settings.SEARCH_VOCABULARY_BACKGROUND,
                ),
                self.request_deadlines(),
                self.counter.installed(),
            ):
                self.measure_queries(query_backend, queries, warmup, pks)
                self.measure_autocomplete(prefixes)
        finally:
            self.results["load_end"] = load()
            self.clean_up(query_backend, is_database)
        return self.results

    def measure_analysis(self, items: list[Item]) -> None:
        # Load every language's dictionaries first: a one-off cost per process, not throughput.
        for code in LANGUAGE_CODES:
            analyse("warm up", code)
        self.log(f"analysis of {len(items)} items ... (load {load()})")
        tokens = characters = 0
        start = time.perf_counter()
        for item in items:
            item.analysed_title = analyse_to_string(item.title, item.language)
            item.analysed_body = " ".join(
                analyse_to_string(text, item.language) for text in item.texts if text
            )
            characters += len(item.title) + sum(len(text) for text in item.texts)
            tokens += item.analysed_title.count(" ") + item.analysed_body.count(" ") + 2
            item.texts = []  # only the analysed form is stored
        seconds = time.perf_counter() - start
        self.results["analysis"] = {
            "seconds": seconds,
            "items_per_s": len(items) / seconds,
            "tokens_per_s": tokens / seconds,
            "mb_per_s": characters / seconds / 1e6,
            "tokens_per_item": tokens / len(items),
        }

    def measure_row_write(self, items: list[Item], sector_ids: dict[str, int]) -> list[int]:
        self.log(f"writing {len(items)} SearchDocument rows ... (load {load()})")
        through = SearchDocument.sectors.through
        pks: list[int] = []
        start = time.perf_counter()
        for batch in chunks(items, self.batch_size):
            with transaction.atomic():
                docs = SearchDocument.objects.bulk_create(
                    [
                        SearchDocument(
                            kind=item.kind,
                            object_id=item.object_id,
                            language=item.language,
                            served_language=item.language,
                            country=item.country,
                            date=item.date,
                            url=f"/{item.language}/{item.kind}/{item.object_id}/",
                            title=item.analysed_title,
                            body=item.analysed_body,
                            display_title=item.title[:500],
                            display_text=item.display_text[:600],
                            # as the indexing writes it with the sectors (bulk_create of
                            # the through rows below sends no m2m_changed)
                            sector_ids=SearchDocument.sector_key(
                                sector_ids[slug] for slug in item.sectors
                            ),
                        )
                        for item in batch
                    ]
                )
                if docs and docs[0].pk is None:
                    raise BenchmarkError(f"{connection.vendor}: bulk_create returned no keys")
                through.objects.bulk_create(
                    [
                        through(searchdocument_id=doc.pk, sector_id=sector_ids[slug])
                        for doc, item in zip(docs, batch, strict=True)
                        for slug in item.sectors
                    ]
                )
            pks += [doc.pk for doc in docs]
        seconds = time.perf_counter() - start
        self.results["row_write"] = {"seconds": seconds, "items_per_s": len(items) / seconds}
        return pks

    def measure_indexing(self, backend, is_database: bool, pks: list[int]) -> None:
        self.log(f"indexing {len(pks)} documents in batches of {self.batch_size} ... ({load()})")
        index = backend.get_index_for_model(SearchDocument)
        start = time.perf_counter()
        setup = 0.0
        if not is_database:
            index.put()
            index.add_model(SearchDocument)  # the mapping: analysers, copy_to, filter fields
            setup = time.perf_counter() - start
        read = 0.0
        for number, batch in enumerate(chunks(pks, self.batch_size), start=1):
            read_start = time.perf_counter()
            docs = list(
                SearchDocument.objects.filter(pk__in=batch)
                .order_by("pk")
                .prefetch_related("sectors")
            )
            read += time.perf_counter() - read_start
            with transaction.atomic():
                index.add_items(SearchDocument, docs)
            if number % 20 == 0:
                done = number * self.batch_size
                rate = done / (time.perf_counter() - start)
                self.log(f"  {done} indexed, {rate:.0f} items/s (load {load()})")
        refresh = 0.0
        if not is_database:
            refresh_start = time.perf_counter()
            index.refresh()
            refresh = time.perf_counter() - refresh_start
        seconds = time.perf_counter() - start
        self.results["indexing"] = {
            "seconds": seconds,
            "items_per_s": len(pks) / seconds,
            "read_seconds": read,
            "setup_seconds": setup,
            "refresh_seconds": refresh,
        }

    @contextmanager
    def request_deadlines(self):
        """Abort database work of a request that runs past ``query_timeout``.

        SQLite: a progress handler checks the current request's deadline (set by
        :meth:`timed`); PostgreSQL: ``statement_timeout`` per SQL statement. An engine
        has its own client timeout (``SEARCH_TIMEOUT``). Whatever the mechanism, a
        request that takes longer than the timeout counts as timed out.
        """
        self._deadline = math.inf
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            raw = connection.connection
            raw.set_progress_handler(lambda: time.perf_counter() > self._deadline, 50_000)
            try:
                yield
            finally:
                raw.set_progress_handler(None, 0)
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(self.query_timeout * 1000)}")
            try:
                yield
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SET statement_timeout = 0")
        else:
            yield

    def timed(self, outcome: dict, call, *args, **kwargs) -> tuple[float, object]:
        """(milliseconds, result) of ``call(*args, **kwargs)``; ``math.inf`` ms when it timed
        out or failed (counted in ``outcome``)."""
        self._deadline = time.perf_counter() + self.query_timeout
        start = time.perf_counter_ns()
        try:
            result = call(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - a timeout looks different on every backend
            ms = elapsed_ms(start)
            if (
                ms >= self.query_timeout * 1000
                or "interrupt" in str(error).lower()
                or ("statement timeout" in str(error))
            ):
                outcome["timeouts"] += 1
            else:
                outcome["failures"] += 1
                outcome.setdefault("first_error", f"{type(error).__name__}: {error}"[:300])
            return math.inf, None
        finally:
            self._deadline = math.inf
        ms = elapsed_ms(start)
        if ms >= self.query_timeout * 1000:
            outcome["timeouts"] += 1
            return math.inf, result
        return ms, result

    def measure_queries(self, backend, queries: list[Query], warmup: list[Query], pks) -> None:
        self.log(
            f"{len(queries)} queries through the search service (timeout {self.query_timeout} s, "
            f"budget {self.budget} s) ... (load {load()})"
        )
        outcome = {"timeouts": 0, "failures": 0}
        # As gunicorn's master does before it forks (cms.gunicorn_conf.when_ready): no
        # measured search waits for a language's typo vocabulary to be built.
        started = time.perf_counter()
        built = warm_vocabularies()
        self.results["vocabularies_built_s"] = seconds = time.perf_counter() - started
        self.log(f"vocabularies of {', '.join(built)}: {seconds:.1f} s")
        for query in warmup:
            ms, _ = self.timed(outcome, search, query.request, backend=backend)
            if ms == math.inf:
                break  # no point warming up a backend that cannot answer in time
        rng = seeded(self.seed + 4)
        latencies: dict[str, list[float]] = defaultdict(list)
        orm_ms, analysis_ms, totals = [], [], []
        sql_counts: list[int] = []
        engine_counts: list[int] = []
        several: list[dict] = []  # the first searches with more than one engine request
        self.counter.endpoints.clear()
        outcome = {"timeouts": 0, "failures": 0}
        zero = 0
        phase_start = time.perf_counter()
        for query in queries:
            if time.perf_counter() - phase_start > self.budget:
                break
            # Baselines, interleaved so that they see the same noise as the query itself.
            start = time.perf_counter_ns()
            SearchDocument.objects.filter(pk=rng.choice(pks)).first()
            orm_ms.append(elapsed_ms(start))
            start = time.perf_counter_ns()
            query_tokens(query.request.query, query.request.language)
            analysis_ms.append(elapsed_ms(start))

            with self.counter.counting():
                ms, response = self.timed(outcome, search, query.request, backend=backend)
            sql_counts.append(self.counter.last[0])
            engine_counts.append(self.counter.last[1])
            if self.counter.last[1] > 1 and len(several) < 5:
                several.append(
                    {
                        "query": query.request.query,
                        "language": query.request.language,
                        "category": query.category,
                        "total": getattr(response, "total", None),
                        "requests": self.counter.last_endpoints,
                    }
                )
            latencies[query.category].append(ms)
            if response is not None:
                totals.append(response.total)
                zero += response.total == 0
        every = [ms for values in latencies.values() for ms in values]
        self.results["search"] = {**summary(every), **outcome, "planned": len(queries)}
        self.results["search_by_category"] = {k: summary(v) for k, v in sorted(latencies.items())}
        self.results["search_requests"] = {
            "sql_statements": count_summary(sql_counts),
            "engine_requests": count_summary(engine_counts),
            "engine_endpoints": dict(self.counter.endpoints.most_common()),
            "several_engine_requests": several,
        }
        self.results["search_hits"] = {
            "zero_hit_queries": zero,
            "median_total": percentile(totals, 50) if totals else None,
            "max_total": max(totals, default=None),
        }
        self.results["baseline_orm_pk"] = summary(orm_ms)
        self.results["baseline_query_analysis"] = summary(analysis_ms)
        # What the service adds per request when it is not handed a backend.
        construct = []
        for _ in range(50):
            start = time.perf_counter_ns()
            get_search_backend("default")
            construct.append(elapsed_ms(start))
        self.results["baseline_backend_construction"] = summary(construct)

    def measure_autocomplete(self, prefixes) -> None:
        self.log(f"{len(prefixes)} autocomplete requests ... (load {load()})")
        outcome = {"timeouts": 0, "failures": 0}
        for prefix, language, countries in prefixes[:WARMUP_QUERIES]:
            ms, _ = self.timed(outcome, autocomplete, prefix, language, countries=countries)
            if ms == math.inf:
                break
        outcome = {"timeouts": 0, "failures": 0}
        latencies, empty = [], 0
        sql_counts: list[int] = []
        engine_counts: list[int] = []
        phase_start = time.perf_counter()
        for prefix, language, countries in prefixes:
            if time.perf_counter() - phase_start > self.budget:
                break
            with self.counter.counting():
                ms, suggestions = self.timed(
                    outcome, autocomplete, prefix, language, countries=countries
                )
            sql_counts.append(self.counter.last[0])
            engine_counts.append(self.counter.last[1])
            latencies.append(ms)
            empty += ms != math.inf and not suggestions
        self.results["autocomplete"] = {
            **summary(latencies),
            **outcome,
            "planned": len(prefixes),
            "empty": empty,
            "sql_statements": count_summary(sql_counts),
            "engine_requests": count_summary(engine_counts),
        }

    def clean_up(self, backend, is_database: bool) -> None:
        start = time.perf_counter()
        try:
            if not is_database:
                index = backend.get_index_for_model(SearchDocument)
                backend.es.indices.delete(index=f"{index.name}*", ignore_unavailable=True)
        finally:  # an engine that does not answer leaves its index, not the rows here
            self.delete_rows()
        self.results["cleanup_s"] = time.perf_counter() - start

    def delete_rows(self) -> None:
        """The generated documents' rows, unless ``keep``."""
        if not self.keep:
            from django.contrib.contenttypes.models import ContentType
            from wagtail.search.models import IndexEntry

            # Plain DELETE statements: QuerySet.delete() would load every document to send
            # its signals (Wagtail's index handlers). The full-text index follows by its
            # triggers (SQLite) or generated columns (PostgreSQL).
            content_type = ContentType.objects.get_for_model(SearchDocument)
            quote = connection.ops.quote_name
            index_entries = quote(IndexEntry._meta.db_table)
            content_type_column = quote(IndexEntry._meta.get_field("content_type").column)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {index_entries} WHERE {content_type_column} = %s",  # noqa: S608
                    [content_type.pk],
                )
                for model in (SearchDocument.sectors.through, SearchDocument):
                    cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608
