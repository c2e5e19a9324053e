"""SQLite's full-text index, merged into one segment, answers as before."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from wagtail.search.backends import get_search_backend

from cms.news.models import NewsPage
from cms.search.maintenance import full_text_table, optimize_full_text_index
from cms.search.models import SearchDocument
from cms.search.service import SearchRequest, search
from tests.factories import news_page

pytestmark = pytest.mark.django_db


def data_rows(table: str) -> int:
    """Rows of the FTS5 table's storage: each segment adds some."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table + '_data')}")  # noqa: S608
        return cursor.fetchone()[0]


def database_backend():
    """Wagtail's database backend (``database`` beside an engine, else ``default``)."""
    alias = "database" if "database" in settings.WAGTAILSEARCH_BACKENDS else "default"
    return get_search_backend(alias)


def found(query: str) -> list[tuple[str, int]]:
    request = SearchRequest(query=query, language="cs", countries=("CZ",))
    response = search(request, backend=database_backend())
    return [(hit.kind, hit.object_id) for hit in response.hits]


def test_optimize_merges_the_segments_and_keeps_the_answers():
    table = full_text_table()
    if table is None:
        pytest.skip("the database backend keeps a full-text table on SQLite only")
    backend = database_backend()
    for document in SearchDocument.objects.all()[:20]:
        with transaction.atomic():  # a write of its own, as each publish is
            backend.add(document)
    before = found("klastr")
    fragmented = data_rows(table)
    assert optimize_full_text_index()
    assert data_rows(table) < fragmented
    assert found("klastr") == before and before


def test_the_command_says_what_it_did(capsys):
    call_command("optimize_search_index")
    said = capsys.readouterr().out
    if full_text_table() is None:
        assert "nothing to do" in said
    else:
        assert "merged into one segment" in said


def test_update_index_rebuilds_the_database_backend(country):
    """README's step after an upgrade that changes the admin's search fields. It stopped
    at once with "The annotation 'object_id' conflicts with a field on the model"
    (``SearchDocument.object_id``), on SQLite and PostgreSQL alike."""
    news = news_page(country("CZ"), title={"en": "Cooperation", "cs": "Spolupráce klastrů"})
    alias = "database" if "database" in settings.WAGTAILSEARCH_BACKENDS else "default"
    out = io.StringIO()
    call_command("update_index", backend_name=alias, stdout=out)
    assert "indexed" in out.getvalue()
    results = database_backend().search("spolupráce", NewsPage)
    assert news.pk in [page.pk for page in results]


def test_rebuild_with_engine_and_no_engine_is_refused_naming_the_option():
    if "database" in settings.WAGTAILSEARCH_BACKENDS:
        pytest.skip("an engine is configured: --engine has one to rebuild")
    with pytest.raises(CommandError, match="^--engine: SEARCH_URL names no search engine"):
        call_command("rebuild_search_documents", engine=True, stdout=io.StringIO())
