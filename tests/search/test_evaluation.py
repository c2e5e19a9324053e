"""The relevance evaluation runs the judged queries through the real service."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cms.core.languages import LANGUAGE_CODES
from cms.search.models import SearchDocument

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "search-relevance"
needs_shared_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="shared judged corpus not present"
)


@needs_shared_corpus
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


@needs_shared_corpus
def test_a_malformed_corpus_is_named(db, tmp_path):
    (tmp_path / "docs.jsonl").write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"docs\.jsonl:1: missing field"):
        call_command(
            "evaluate_search", docs=tmp_path / "docs.jsonl", queries=CORPUS / "queries.jsonl"
        )


def jsonl(*rows: dict) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def write_corpus(folder: Path, queries: list[dict]) -> Path:
    (folder / "docs.jsonl").write_text(
        jsonl(
            {"id": "a", "type": "news", "lang": "de", "title": "Kunststoffe", "body": "Linz"},
            {"id": "b", "type": "cluster", "lang": "de", "title": "Mechatronik", "body": "Roboter"},
            {"id": "c", "type": "cluster", "lang": "cs", "title": "Klastr potravinářů", "body": ""},
        ),
        encoding="utf-8",
    )
    (folder / "queries.jsonl").write_text(jsonl(*queries), encoding="utf-8")
    return folder


def query(id, lang, q, relevant, kind=None):
    return {"id": id, "lang": lang, "q": q, "relevant": relevant} | ({"kind": kind} if kind else {})


KIND_QUERIES = [
    query("1", "de", "Roboters", ["b"], "inflection"),
    query("2", "cs", "klastr potravinaru", ["c"], "no-diacritics"),
    query("3", "de", "Mechatronik", ["b"], "no-diacritics"),
    # Nothing in the corpus is near this name: it finds nothing on any backend, with any
    # synonyms, compound parts or typo tolerance.
    query("4", "de", "Bratislava", ["a"], "name"),
    query("5", "de", "Linz", ["a"]),
]


def test_scores_are_printed_per_query_kind(db, tmp_path, capsys):
    call_command("evaluate_search", corpus=write_corpus(tmp_path, KIND_QUERIES))
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines()]
    assert ["kind", "queries", "MRR@10", "recall@10"] in lines
    assert ["inflection", "1", "1.000", "1.000"] in lines
    assert ["no-diacritics", "2", "1.000", "1.000"] in lines
    # A kind whose queries find nothing is scored, not left out.
    assert ["name", "1", "0.000", "0.000"] in lines
    # The query without a kind counts per language and overall only.
    assert ["all", "5", "0.800", "0.800"] in lines
    assert ["de", "4", "0.750", "0.750"] in lines
    assert "  not first: 4 [name] 'Bratislava' relevant=['a'] got=[]" in out


def test_no_kind_table_when_the_queries_name_no_kind(db, tmp_path, capsys):
    call_command("evaluate_search", corpus=write_corpus(tmp_path, KIND_QUERIES[4:]))
    assert "kind " not in capsys.readouterr().out


def test_the_kind_gate_fails_only_below_its_threshold(db, tmp_path, capsys):
    corpus = write_corpus(tmp_path, KIND_QUERIES)
    call_command(
        "evaluate_search", corpus=corpus, min_kind_mrr=["inflection=1", "no-diacritics=0.9"]
    )
    with pytest.raises(CommandError, match=r"^kind name MRR 0\.000 < 0\.5$"):
        call_command("evaluate_search", corpus=corpus, min_kind_mrr=["0.5"])
    with pytest.raises(CommandError, match=r"kind name MRR 0\.000 < 0\.1"):
        call_command("evaluate_search", corpus=corpus, min_kind_mrr=["name=0.1"])
    # Thresholds of languages and overall keep working beside it.
    with pytest.raises(CommandError, match=r"overall MRR 0\.800 < 0\.95; de MRR 0\.750 < 0\.9"):
        call_command("evaluate_search", corpus=corpus, min_mrr=0.95, min_language_mrr=0.9)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("synonym=0.5", r"no query of kind 'synonym' in .*queries\.jsonl; kinds there: inflection"),
        ("typo=high", r"'typo=high' is not a number or KIND=NUMBER"),
        ("1.5", r"'1\.5': the MRR is between 0 and 1"),
    ],
)
def test_a_wrong_kind_gate_is_named(db, tmp_path, value, message):
    corpus = write_corpus(tmp_path, KIND_QUERIES)
    with pytest.raises(CommandError, match=message):
        call_command("evaluate_search", corpus=corpus, min_kind_mrr=[value])


def test_a_judgement_of_an_unknown_document_is_named(db, tmp_path):
    corpus = write_corpus(
        tmp_path,
        [KIND_QUERIES[0], query("x", "de", "Linz", ["a", "zz"])],
    )
    with pytest.raises(CommandError, match=r"queries\.jsonl:2: relevant: zz not in docs\.jsonl"):
        call_command("evaluate_search", corpus=corpus)


PROJECT_CORPUS = Path(settings.BASE_DIR) / "search-relevance"
KINDS = {"inflection", "no-diacritics", "typo", "compound", "synonym", "multiword", "name"}


def test_the_project_set_judges_every_kind_in_the_seven_languages():
    docs = [json.loads(line) for line in (PROJECT_CORPUS / "docs.jsonl").open(encoding="utf-8")]
    queries = [
        json.loads(line) for line in (PROJECT_CORPUS / "queries.jsonl").open(encoding="utf-8")
    ]
    ids = {doc["id"] for doc in docs}
    assert len(ids) == len(docs)
    assert {query["kind"] for query in queries} == KINDS
    assert all(sum(q["kind"] == kind for q in queries) >= 7 for kind in KINDS)
    assert {query["lang"] for query in queries} == set(LANGUAGE_CODES)
    assert {doc["lang"] for doc in docs} == set(LANGUAGE_CODES)
    for query in queries:
        assert query["relevant"] and set(query["relevant"]) <= ids, query["id"]
        assert {doc["lang"] for doc in docs if doc["id"] in query["relevant"]} == {query["lang"]}


def test_the_project_set_runs_with_a_table_per_kind(db, capsys):
    call_command("evaluate_search", corpus="project")
    out = capsys.readouterr().out
    assert "search-relevance/queries.jsonl" in out
    for kind in KINDS:
        assert any(line.split()[:1] == [kind] for line in out.splitlines()), kind


DOC = {"id": "a", "type": "news", "lang": "de", "title": "Kunststoffe", "body": "Linz"}
QUERY = {"id": "q", "lang": "de", "q": "Linz", "relevant": ["a"]}


@pytest.mark.parametrize(
    ("docs", "queries", "message"),
    [
        # Each of these was a traceback from deep inside the search service.
        ("\ufeff".encode("utf-16"), jsonl(QUERY), r"docs\.jsonl: not UTF-8 text"),
        (b"5\n", jsonl(QUERY), r"docs\.jsonl:1: not a JSON object"),
        (jsonl(DOC | {"lang": "xx"}), jsonl(QUERY), r"docs\.jsonl:1: lang: unknown language 'xx'"),
        (jsonl(DOC | {"title": 5}), jsonl(QUERY), r"docs\.jsonl:1: title must be a text"),
        (jsonl(DOC | {"date": "May"}), jsonl(QUERY), r"docs\.jsonl:1: date: 'May' is not an ISO"),
        (jsonl(DOC | {"sectors": "food"}), jsonl(QUERY), r"docs\.jsonl:1: sectors must be a list"),
        (jsonl(DOC | {"id": ["a"]}), jsonl(QUERY), r"docs\.jsonl:1: id must be a text or a number"),
        (jsonl(DOC | {"type": "blog"}), jsonl(QUERY), r"docs\.jsonl:1: type: unknown type 'blog'"),
        (jsonl(DOC), jsonl(QUERY | {"lang": "xx"}), r"queries\.jsonl:1: lang: unknown language"),
        (jsonl(DOC), jsonl(QUERY | {"q": 5}), r"queries\.jsonl:1: q must be a text, not 5"),
        (jsonl(DOC), jsonl(QUERY | {"relevant": [["a"]]}), r"queries\.jsonl:1: relevant must be"),
    ],
)
def test_a_malformed_corpus_row_is_named_by_file_line_and_field(
    db, tmp_path, docs, queries, message
):
    for name, content in (("docs.jsonl", docs), ("queries.jsonl", queries)):
        path = tmp_path / name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("evaluate_search", corpus=tmp_path)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"k": 0}, r"^-k: 0 is not between 1 and 50$"),
        ({"k": 51}, r"^-k: 51 is not between 1 and 50$"),
        ({"min_mrr": 2.0}, r"^--min-mrr: 2\.0: the MRR is between 0 and 1$"),
        ({"min_language_mrr": -1.0}, r"^--min-language-mrr: -1\.0: the MRR is between 0 and 1$"),
    ],
)
def test_options_out_of_range_are_named(db, tmp_path, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("evaluate_search", corpus=write_corpus(tmp_path, KIND_QUERIES), **options)


def test_a_dead_engine_is_named_and_the_corpus_is_thrown_away(dead_engine, tmp_path):
    before = SearchDocument.objects.count()
    with pytest.raises(
        CommandError, match=f"^--backend default: the search engine at {dead_engine}"
    ):
        call_command("evaluate_search", corpus=write_corpus(tmp_path, KIND_QUERIES))
    assert SearchDocument.objects.count() == before
