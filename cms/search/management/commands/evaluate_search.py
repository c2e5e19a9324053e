from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cms.search.backends import engine_errors, engine_failure
from cms.search.evaluation import CorpusError, evaluate

#: The judged set shared with other projects (read-only, outside the repository).
DEFAULT_CORPUS = settings.BASE_DIR.parent / "shared" / "search-relevance"
#: The project's own judged queries by kind, over the demo content (search-relevance/README.md).
PROJECT_CORPUS = settings.BASE_DIR / "search-relevance"


def kind_threshold(value: str) -> tuple[str, float]:
    """``0.8`` (every kind) or ``typo=0.6`` (one kind) -> (kind or "", minimum)."""
    kind, _, number = value.rpartition("=")
    try:
        minimum = float(number)
    except ValueError:
        raise CommandError(
            f"--min-kind-mrr: {value!r} is not a number or KIND=NUMBER (e.g. 0.8 or typo=0.6)"
        ) from None
    if not 0 <= minimum <= 1:
        raise CommandError(f"--min-kind-mrr: {value!r}: the MRR is between 0 and 1")
    return kind.strip(), minimum


class Command(BaseCommand):
    help = (
        "Load a judged corpus into a throwaway index, run every query through the search "
        "service and print MRR@k and recall@k per language, per query kind and overall."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus",
            type=Path,
            default=None,
            help=(
                "A folder with docs.jsonl and queries.jsonl (default: the shared set; "
                f"'project' for {PROJECT_CORPUS.name}/)"
            ),
        )
        parser.add_argument("--docs", type=Path, default=None)
        parser.add_argument("--queries", type=Path, default=None)
        parser.add_argument("--backend", default="default", help="A WAGTAILSEARCH_BACKENDS name")
        parser.add_argument("-k", type=int, default=10)
        parser.add_argument(
            "--min-mrr", type=float, default=None, help="Fail below this overall MRR"
        )
        parser.add_argument(
            "--min-language-mrr", type=float, default=None, help="Fail if any language is below"
        )
        parser.add_argument(
            "--min-kind-mrr",
            action="append",
            default=[],
            metavar="[KIND=]MRR",
            help=(
                "Fail if a query kind's MRR is below: 0.8 for every kind, typo=0.6 for one "
                "(repeatable; a kind named here must occur in the queries)"
            ),
        )

    def handle(self, *args, corpus, docs, queries, backend, k, min_kind_mrr, **options):
        if backend not in settings.WAGTAILSEARCH_BACKENDS:
            raise CommandError(
                f"--backend: unknown backend {backend!r}; configured: "
                f"{', '.join(settings.WAGTAILSEARCH_BACKENDS)}"
            )
        if not 1 <= k <= settings.SEARCH_MAX_PAGE_SIZE:
            raise CommandError(f"-k: {k} is not between 1 and {settings.SEARCH_MAX_PAGE_SIZE}")
        for option in ("min_mrr", "min_language_mrr"):
            if options[option] is not None and not 0 <= options[option] <= 1:
                raise CommandError(
                    f"--{option.replace('_', '-')}: {options[option]}: the MRR is between 0 and 1"
                )
        kind_minimums = [kind_threshold(value) for value in min_kind_mrr]
        if corpus is not None and str(corpus) == "project":
            corpus = PROJECT_CORPUS
        folder = Path(corpus or DEFAULT_CORPUS)
        docs = Path(docs or folder / "docs.jsonl")
        queries = Path(queries or folder / "queries.jsonl")
        try:
            result = evaluate(docs, queries, backend_name=backend, k=k)
        except CorpusError as error:
            raise CommandError(str(error)) from error
        except engine_errors(backend) as error:
            raise CommandError(f"--backend {backend}: {engine_failure(error, backend)}") from error
        self.report(result, backend, queries)
        failures = self.failures(result, options["min_mrr"], options["min_language_mrr"])
        for kind, minimum in kind_minimums:
            if kind and kind not in result.per_kind:
                raise CommandError(
                    f"--min-kind-mrr: no query of kind {kind!r} in {queries}; kinds there: "
                    f"{', '.join(result.per_kind) or 'none'}"
                )
            failures += [
                f"kind {name} MRR {row['mrr']:.3f} < {minimum}"
                for name, row in result.per_kind.items()
                if (not kind or name == kind) and row["mrr"] < minimum
            ]
        if failures:
            raise CommandError("; ".join(failures))

    def report(self, result, backend: str, queries: Path) -> None:
        write = self.stdout.write
        k = result.k
        engine = settings.WAGTAILSEARCH_BACKENDS[backend]["BACKEND"].rsplit(".", 1)[-1]
        label = f"{engine} on {connection.vendor}" if engine == "database" else engine
        write(f"Search relevance, backend {backend!r} ({label}), k={k}, queries {queries}")

        def table(title: str, rows: dict) -> None:
            width = max([6, *map(len, rows)])
            write(f"{title:{width}} {'queries':>7} {'MRR@' + str(k):>8} {'recall@' + str(k):>10}")
            for name, row in rows.items():
                write(
                    f"{name:{width}} {row['queries']:>7} {row['mrr']:>8.3f} {row['recall']:>10.3f}"
                )

        table("lang", {**result.per_language, "all": result.overall})
        if result.per_kind:
            table("kind", result.per_kind)
        for miss in result.misses:
            kind = f" [{miss['kind']}]" if miss["kind"] else ""
            write(
                f"  not first: {miss['id']}{kind} {miss['q']!r} "
                f"relevant={miss['relevant']} got={miss['got']}"
            )

    def failures(self, result, min_mrr, min_language_mrr) -> list[str]:
        row = result.overall
        failures = []
        if min_mrr is not None and row["mrr"] < min_mrr:
            failures.append(f"overall MRR {row['mrr']:.3f} < {min_mrr}")
        if min_language_mrr is not None:
            failures += [
                f"{language} MRR {lang_row['mrr']:.3f} < {min_language_mrr}"
                for language, lang_row in result.per_language.items()
                if lang_row["mrr"] < min_language_mrr
            ]
        return failures
