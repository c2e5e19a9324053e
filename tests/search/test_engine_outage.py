"""A dead engine loses no edit: search degrades to the database, the index catches up.

Runs only against a real engine whose start/stop script is named by
``OPENSEARCH_CONTROL`` (``.ci/run`` sets it to ``.ci/opensearch/opensearch.sh``).
"""

import os
import subprocess

import pytest
from django.core.management import call_command

from cms.news.models import NewsPage
from cms.search.backends import engine_only
from cms.search.indexing import process_pending_updates
from cms.search.models import PendingEngineObject, PendingIndexUpdate
from cms.search.service import SearchRequest, search
from tests.factories import news_page
from tests.search.conftest import ENGINE, refresh_engine, settle

CONTROL = os.environ.get("OPENSEARCH_CONTROL", "")
pytestmark = pytest.mark.skipif(
    not (ENGINE and CONTROL), reason="needs a real engine and OPENSEARCH_CONTROL"
)


def engine(action: str) -> None:
    subprocess.run([CONTROL, action], check=True, capture_output=True, timeout=180)  # noqa: S603


def find(word):
    return search(SearchRequest(query=word, language="en"))


def test_engine_outage_loses_no_edit_and_the_index_catches_up(db, country):
    page = news_page(country("CZ"), title={"en": "Marmalade makers meet"})
    page.save_revision().publish()
    settle()
    assert find("marmalade").total == 1 and not find("marmalade").degraded

    engine("stop")
    try:
        page.title_en = "Marzipan makers meet"
        page.save_revision().publish()  # the editor's publish succeeds while the engine is down
        assert process_pending_updates()["failed"] > 0
        assert PendingIndexUpdate.objects.filter(attempts=1).exists()
        # Wagtail's own index (the admin's searches) missed it too, and keeps it.
        assert PendingEngineObject.objects.filter(object_id=str(page.pk)).exists()
        during = find("marzipan")
        assert during.degraded and during.total == 1  # answered by the database backend
    finally:
        engine("start")

    call_command("search_index_worker", drain=True, interval=1, max_rounds=60)
    refresh_engine()
    assert not PendingIndexUpdate.objects.exists()
    assert not PendingEngineObject.objects.exists()
    admin_index = engine_only()
    admin_index.get_index_for_model(NewsPage).refresh()
    assert page.pk in [p.pk for p in admin_index.search("Marzipan", NewsPage)]
    after = find("marzipan")
    assert not after.degraded and after.total == 1
    assert find("marmalade").total == 0


def test_searches_are_answered_by_the_engine(db):
    response = find("cluster")
    assert response.total > 0
    assert not response.degraded
