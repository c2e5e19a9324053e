"""Relevance evaluation: judged queries through the real search service.

The corpus (``docs.jsonl``: id, type, country, sectors, lang, title, body,
date) is loaded as search documents into a throwaway state — a database
transaction that is rolled back, and for an engine a separate, temporary
index — and every query in ``queries.jsonl`` (id, lang, q, relevant, and
optionally kind) is run through ``cms.search.service.search``. Reported: MRR@k
and recall@k per language, per query kind (when the queries say one: e.g.
``inflection``, ``no-diacritics``, ``typo``, ``compound``, ``synonym``,
``multiword``, ``name``) and overall.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from wagtail.search.backends import get_search_backend

from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Sector
from cms.search.analysis import analyse_to_string
from cms.search.backends import engine_only
from cms.search.indexing import is_database_backend
from cms.search.models import SearchDocument
from cms.search.service import SearchRequest, search

KINDS = {"cluster": "cluster", "news": "news", "event": "event", "page": "page"}


class CorpusError(ValueError):
    pass


@dataclass
class Evaluation:
    backend: str
    k: int
    per_language: dict[str, dict[str, float]]
    per_kind: dict[str, dict[str, float]]
    overall: dict[str, float]
    misses: list[dict]


class Rollback(Exception):
    pass


def read_jsonl(path: Path, required: tuple[str, ...], check=None) -> list[dict]:
    """The rows of a JSON-lines file; an error names the file, the line and the field.
    ``check(row)`` may return a further problem with a row, as text."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CorpusError(f"{path}: {error}") from error
    except UnicodeDecodeError as error:
        raise CorpusError(f"{path}: not UTF-8 text ({error})") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusError(f"{path}:{number}: not JSON ({error})") from error
        if not isinstance(row, dict):
            raise CorpusError(f"{path}:{number}: not a JSON object")
        missing = [name for name in required if name not in row]
        if missing:
            raise CorpusError(f"{path}:{number}: missing field(s) {', '.join(missing)}")
        problem = check(row) if check else None
        if problem:
            raise CorpusError(f"{path}:{number}: {problem}")
        rows.append(row)
    if not rows:
        raise CorpusError(f"{path}: holds no rows")
    return rows


def evaluate(
    docs_path: Path, queries_path: Path, *, backend_name: str = "default", k: int = 10
) -> Evaluation:
    docs = read_jsonl(docs_path, ("id", "type", "lang", "title", "body"), check_document)
    doc_ids = {row["id"] for row in docs}

    def check(query: dict) -> str | None:
        if query["lang"] not in LANGUAGE_CODES:
            return unknown_language(query["lang"])
        if not isinstance(query["q"], str):
            return f"q must be a text, not {query['q']!r}"
        if not isinstance(query.get("kind", ""), str):
            return f"kind must be a text, not {query['kind']!r}"
        relevant = query["relevant"]
        if not isinstance(relevant, list) or not all(isinstance(i, str | int) for i in relevant):
            return "relevant must be a list of document ids"
        unknown = [doc_id for doc_id in query["relevant"] if doc_id not in doc_ids]
        if unknown:
            return f"relevant: {', '.join(map(str, unknown))} not in {docs_path.name}"
        return None

    queries = read_jsonl(queries_path, ("id", "lang", "q", "relevant"), check)
    result: Evaluation | None = None
    try:
        with transaction.atomic():
            backend = throwaway_backend(backend_name)
            try:
                id_by_pk = load_corpus(docs, backend)
                result = run_queries(queries, backend, backend_name, id_by_pk, k)
            finally:
                if not is_database_backend(backend):
                    drop_index(backend)
            raise Rollback
    except Rollback:
        pass
    return result


def unknown_language(code) -> str:
    """The problem of a row's ``lang`` that is no language of the network."""
    return f"lang: unknown language {code!r}; use one of {', '.join(LANGUAGE_CODES)}"


def check_document(row: dict) -> str | None:
    """What is wrong with a row of ``docs.jsonl``, if anything (``read_jsonl``'s ``check``)."""
    if not isinstance(row["id"], str | int):
        return f"id must be a text or a number, not {row['id']!r}"
    if row["type"] not in KINDS:
        return f"type: unknown type {row['type']!r}; use one of {', '.join(KINDS)}"
    if row["lang"] not in LANGUAGE_CODES:
        return unknown_language(row["lang"])
    for name in ("title", "body", "country"):
        if not isinstance(row.get(name, ""), str):
            return f"{name} must be a text, not {row[name]!r}"
    sectors = row.get("sectors", [])
    if not isinstance(sectors, list) or not all(isinstance(slug, str) for slug in sectors):
        return "sectors must be a list of sector slugs"
    if row.get("date"):
        try:
            date.fromisoformat(row["date"])
        except (TypeError, ValueError):
            return f"date: {row['date']!r} is not an ISO date (2011-07-26)"
    return None


def throwaway_backend(name: str):
    backend = get_search_backend(name)
    if is_database_backend(backend):
        return backend  # lives in the transaction that is rolled back
    prefix = f"eval_{uuid.uuid4().hex[:8]}_"
    return engine_only(name, INDEX_PREFIX=prefix)  # measures the engine, never the fallback


def drop_index(backend) -> None:
    index = backend.get_index_for_model(SearchDocument)
    backend.es.indices.delete(index=f"{index.name}*", ignore_unavailable=True)


def load_corpus(docs: list[dict], backend) -> dict[int, str]:
    SearchDocument.objects.all().delete()
    sectors = {}
    for row in docs:
        for slug in row.get("sectors", []):
            if slug not in sectors:
                sectors[slug], _ = Sector.objects.get_or_create(slug=slug, defaults={"name": slug})
    created = []
    for number, row in enumerate(docs, start=1):
        language = row["lang"]
        doc = SearchDocument.objects.create(
            kind=KINDS[row["type"]],
            object_id=number,
            language=language,
            served_language=language,
            country=row.get("country", ""),
            date=date.fromisoformat(row["date"]) if row.get("date") else None,
            title=analyse_to_string(row["title"], language),
            body=analyse_to_string(row["body"], language),
            display_title=row["title"],
            display_text=row["body"],
        )
        doc.sectors.set([sectors[slug] for slug in row.get("sectors", [])])
        created.append(doc)
    # The database index is reset inside the transaction that is rolled back afterwards;
    # an engine gets a fresh index of its own.
    index = backend.get_index_for_model(SearchDocument)
    index.reset()
    if not is_database_backend(backend):
        index.add_model(SearchDocument)  # the mapping: analysers, copy_to, filter fields
    index.add_items(SearchDocument, created)
    if not is_database_backend(backend):
        index.refresh()
    return {doc.pk: row["id"] for doc, row in zip(created, docs, strict=True)}


def run_queries(queries, backend, backend_name, id_by_pk, k) -> Evaluation:
    object_to_id = {number: row_id for number, row_id in enumerate(id_by_pk.values(), start=1)}
    by_language: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    misses = []
    for query in queries:
        response = search(
            SearchRequest(query=query["q"], language=query["lang"], page_size=k), backend=backend
        )
        ranked = [object_to_id[hit.object_id] for hit in response.hits]
        relevant = set(query["relevant"])
        reciprocal = next(
            (1 / rank for rank, doc_id in enumerate(ranked, 1) if doc_id in relevant), 0.0
        )
        recall = len(relevant & set(ranked)) / len(relevant) if relevant else 0.0
        by_language[query["lang"]].append((reciprocal, recall))
        if query.get("kind"):
            by_kind[query["kind"]].append((reciprocal, recall))
        if reciprocal < 1:
            misses.append(
                {
                    "id": query["id"],
                    "kind": query.get("kind", ""),
                    "q": query["q"],
                    "relevant": sorted(relevant),
                    "got": ranked[:5],
                }
            )
    all_scores = [score for scores in by_language.values() for score in scores]
    return Evaluation(
        backend=backend_name,
        k=k,
        per_language={language: scored(s) for language, s in sorted(by_language.items())},
        per_kind={kind: scored(s) for kind, s in sorted(by_kind.items())},
        overall=scored(all_scores),
        misses=misses,
    )


def scored(scores: list[tuple[float, float]]) -> dict[str, float]:
    """Number of queries, mean reciprocal rank and mean recall of (reciprocal, recall) pairs."""
    return {
        "queries": len(scores),
        "mrr": sum(s[0] for s in scores) / len(scores),
        "recall": sum(s[1] for s in scores) / len(scores),
    }
