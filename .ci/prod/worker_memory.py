"""Where a task worker's memory goes (issue 13: ``db_worker`` at 242 MB against 200).

    DJANGO_SETTINGS_MODULE=cms.settings.dev .venv/bin/python .ci/prod/worker_memory.py

RSS of this process after each step a ``db_worker`` takes: Django set up (every app's
models), the URL modules, then analysing a little text in each language (which loads
simplemma's tables, ``cms/search/analysis.py``), releasing them as an idle worker does
and loading them again. Then, each in a fresh process, simplemma
alone with ``StreamDictionaryFactory(cache_max_size=N)`` for N = 7, 3, 1: what capping the
resident tables would save, and how long each table takes to load.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = ("cs", "de", "it", "pl", "sk", "sl", "en")


def rss_mb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def steps() -> None:
    sys.path.insert(0, str(REPO))
    say(f"python: {rss_mb()} MB")
    import django

    django.setup()
    say(f"django.setup(): {rss_mb()} MB")
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every URL module)
    say(f"URL modules: {rss_mb()} MB")
    from cms.search.analysis import analyse_to_string

    for language in LANGUAGES:
        analyse_to_string("klastr cluster", language)
        say(f"analysis tables up to {language}: {rss_mb()} MB")
    from cms.ops.task_memory import release_tables

    release_tables()
    say(f"tables released (what an idle db_worker does, cms/ops/task_memory.py): {rss_mb()} MB")
    for language in LANGUAGES:
        analyse_to_string("klastr cluster", language)
    say(f"loaded again: {rss_mb()} MB")
    release_tables()
    say(f"released again: {rss_mb()} MB")


def tables(cache_size: int) -> None:
    from simplemma.strategies import DictionaryLookupStrategy, StreamDictionaryFactory

    base = rss_mb()
    lookup = DictionaryLookupStrategy(StreamDictionaryFactory(cache_max_size=cache_size))
    figures = []
    for language in LANGUAGES:
        started = time.perf_counter()
        lookup.get_lemma("a", language)
        took = (time.perf_counter() - started) * 1000
        figures.append(f"{language} +{rss_mb() - base} MB ({took:.0f} ms)")
    say(f"cache_max_size={cache_size}: " + ", ".join(figures))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        tables(int(sys.argv[1]))
    else:
        steps()
        for size in (7, 3, 1):
            subprocess.run([sys.executable, __file__, str(size)], check=True)  # noqa: S603
