from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cms.search.evaluation import CorpusError, evaluate

DEFAULT_CORPUS = settings.BASE_DIR.parent / "shared" / "search-relevance"


class Command(BaseCommand):
    help = (
        "Load a judged corpus into a throwaway index, run every query through the search "
        "service and print MRR@k and recall@k per language and overall."
    )

    def add_arguments(self, parser):
        parser.add_argument("--docs", type=Path, default=DEFAULT_CORPUS / "docs.jsonl")
        parser.add_argument("--queries", type=Path, default=DEFAULT_CORPUS / "queries.jsonl")
        parser.add_argument("--backend", default="default", help="A WAGTAILSEARCH_BACKENDS name")
        parser.add_argument("-k", type=int, default=10)
        parser.add_argument(
            "--min-mrr", type=float, default=None, help="Fail below this overall MRR"
        )
        parser.add_argument(
            "--min-language-mrr", type=float, default=None, help="Fail if any language is below"
        )

    def handle(self, *args, docs, queries, backend, k, min_mrr, min_language_mrr, **options):
        if backend not in settings.WAGTAILSEARCH_BACKENDS:
            raise CommandError(
                f"--backend: unknown backend {backend!r}; configured: "
                f"{', '.join(settings.WAGTAILSEARCH_BACKENDS)}"
            )
        try:
            result = evaluate(docs, queries, backend_name=backend, k=k)
        except CorpusError as error:
            raise CommandError(str(error)) from error
        engine = settings.WAGTAILSEARCH_BACKENDS[backend]["BACKEND"].rsplit(".", 1)[-1]
        label = f"{engine} on {connection.vendor}" if engine == "database" else engine
        self.stdout.write(f"Search relevance, backend {backend!r} ({label}), k={k}")
        self.stdout.write(
            f"{'lang':6} {'queries':>7} {'MRR@' + str(k):>8} {'recall@' + str(k):>10}"
        )
        for language, row in result.per_language.items():
            self.stdout.write(
                f"{language:6} {row['queries']:>7} {row['mrr']:>8.3f} {row['recall']:>10.3f}"
            )
        row = result.overall
        self.stdout.write(
            f"{'all':6} {row['queries']:>7} {row['mrr']:>8.3f} {row['recall']:>10.3f}"
        )
        for miss in result.misses:
            self.stdout.write(
                f"  not first: {miss['id']} {miss['q']!r} "
                f"relevant={miss['relevant']} got={miss['got']}"
            )
        failures = []
        if min_mrr is not None and row["mrr"] < min_mrr:
            failures.append(f"overall MRR {row['mrr']:.3f} < {min_mrr}")
        if min_language_mrr is not None:
            failures += [
                f"{language} MRR {lang_row['mrr']:.3f} < {min_language_mrr}"
                for language, lang_row in result.per_language.items()
                if lang_row["mrr"] < min_language_mrr
            ]
        if failures:
            raise CommandError("; ".join(failures))
