"""Search-engine updates with the production task backend: the editor's save only enqueues.

With django-tasks-db (``TASKS_BACKEND=database``) publishing writes the search
documents and a ``PendingIndexUpdate`` per document for the engine, plus one
task row; the engine is not called during the save. The worker
(``manage.py db_worker``) sends the update. The engine here is a recording
stand-in, so this runs without OpenSearch (``test_engine_outage.py`` covers a
real one).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.search import indexing
from cms.search.models import PendingIndexUpdate, SearchDocument
from tests.factories import news_page

TASK_PATH = "cms.search.indexing.process_pending_updates_task"


class RecordingEngine:
    """Stands in for OpenSearch: records what it is sent, or fails while ``down``."""

    def __init__(self):
        self.added: list[int] = []
        self.down = False

    def get_index_for_model(self, model):
        return self  # the index "exists" already

    def exists(self):
        return True

    def add_bulk(self, model, docs):
        if self.down:
            raise ConnectionError("engine unreachable")
        self.added.extend(doc.pk for doc in docs)

    def delete(self, doc):
        if self.down:
            raise ConnectionError("engine unreachable")


@pytest.fixture
def engine(monkeypatch):
    """The configured database backends, plus the recording engine named ``engine``."""
    recording = RecordingEngine()
    database_backends = [entry for entry in indexing.backends() if entry[2]]
    monkeypatch.setattr(
        indexing, "backends", lambda: [*database_backends, ("engine", recording, False)]
    )
    return recording


def search_tasks():
    return DBTaskResult.objects.filter(task_path=TASK_PATH)


def test_publishing_enqueues_and_the_worker_updates_the_engine(
    country, engine, database_tasks, django_capture_on_commit_callbacks
):
    page = news_page(country("CZ"), title={"en": "Quokka queued", "cs": "Kvokka"})
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    documents = set(
        SearchDocument.objects.filter(kind="news", object_id=page.pk).values_list("pk", flat=True)
    )
    assert documents  # the database backend was updated in the save itself
    assert engine.added == []  # the engine was not called during the save
    pending = set(
        PendingIndexUpdate.objects.filter(backend="engine").values_list("document_id", flat=True)
    )
    assert documents <= pending
    assert search_tasks().get().status == TaskResultStatus.READY

    database_tasks()  # manage.py db_worker --batch

    assert documents <= set(engine.added)
    assert not PendingIndexUpdate.objects.filter(backend="engine").exists()
    assert search_tasks().get().status == TaskResultStatus.SUCCESSFUL


def test_engine_down_the_worker_postpones_and_search_index_worker_retries(
    country, engine, database_tasks, django_capture_on_commit_callbacks
):
    engine.down = True
    page = news_page(country("CZ"), title={"en": "Wombat while down"})
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()  # the save succeeds while the engine is down
    database_tasks()

    pending = PendingIndexUpdate.objects.filter(backend="engine")
    assert pending.exists() and all(entry.attempts == 1 for entry in pending)
    assert (
        search_tasks().get().status == TaskResultStatus.SUCCESSFUL
    )  # failures are kept, not raised

    engine.down = False
    pending.update(next_attempt_at=timezone.now())
    call_command("search_index_worker", once=True, stdout=io.StringIO())
    assert not PendingIndexUpdate.objects.filter(backend="engine").exists()
    assert set(
        SearchDocument.objects.filter(kind="news", object_id=page.pk).values_list("pk", flat=True)
    ) <= set(engine.added)
