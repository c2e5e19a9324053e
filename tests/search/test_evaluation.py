"""The relevance evaluation runs the judged queries through the real service."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cms.search.models import SearchDocument

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "search-relevance"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared judged corpus not present")


def test_judged_queries_reach_the_target_on_this_backend(db, capsys):
    before = SearchDocument.objects.count()
    call_command("evaluate_search", min_mrr=0.95, min_language_mrr=0.9)
    out = capsys.readouterr().out
    assert "all" in out and "MRR@10" in out
    assert SearchDocument.objects.count() == before  # the corpus was thrown away


def test_other_corpus_files_are_accepted_by_path(db, tmp_path, capsys):
    (tmp_path / "docs.jsonl").write_text(
        '{"id": "a", "type": "news", "lang": "pl", "title": "Jakość powietrza", "body": "Śląsk"}\n'
        '{"id": "b", "type": "cluster", "lang": "pl", "title": "Turystyka", "body": "Tatry"}\n',
        encoding="utf-8",
    )
    (tmp_path / "queries.jsonl").write_text(
        '{"id": "q", "lang": "pl", "q": "jakosc powietrza", "relevant": ["a"]}\n', encoding="utf-8"
    )
    call_command(
        "evaluate_search", docs=tmp_path / "docs.jsonl", queries=tmp_path / "queries.jsonl"
    )
    assert "all          1    1.000      1.000" in capsys.readouterr().out


def test_a_malformed_corpus_is_named(db, tmp_path):
    (tmp_path / "docs.jsonl").write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"docs\.jsonl:1: missing field"):
        call_command(
            "evaluate_search", docs=tmp_path / "docs.jsonl", queries=CORPUS / "queries.jsonl"
        )
