"""Search tests run against whatever backend the settings configure.

With ``SEARCH_URL`` set (CI runs this suite against a real OpenSearch node),
the engine is not rolled back with the test's database transaction. So tests
call ``settle()`` to push their changes to the engine, and every document a
test touched is put back to its committed state when the test ends.
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.search.backends import get_search_backend

from cms.search import indexing
from cms.search.models import PendingIndexUpdate, SearchDocument

ENGINE = "database" in settings.WAGTAILSEARCH_BACKENDS
_touched: set[int] = set()


def refresh_engine() -> None:
    if ENGINE:
        index = get_search_backend("default").get_index_for_model(SearchDocument)
        if index.exists():
            index.refresh()


def settle() -> None:
    """Send pending index updates now (as the worker would) and make them searchable."""
    _touched.update(PendingIndexUpdate.objects.values_list("document_id", flat=True))
    indexing.process_pending_updates()
    refresh_engine()


@pytest.fixture(scope="session", autouse=True)
def engine_index(django_db_setup, django_db_blocker):
    """The engine's indexes hold exactly the committed demo content at the start.

    Every index, Wagtail's own (pages, images, documents, snippets: what the admin
    searches) included, is built with its mapping by ``update_index``, as
    ``rebuild_search_documents --engine`` does in a deployment: indexes that the
    first writes create on their own have no mapping, and the admin's searches fail.
    """
    if ENGINE:
        with django_db_blocker.unblock():
            indexing.process_pending_updates()
            call_command("update_index", backend_name="default", stdout=io.StringIO())
            refresh_engine()
    yield
    # Every index of this run, Wagtail's included: CI gives each run its own prefix
    # (``SEARCH_INDEX_PREFIX=ci_<pid>_``) on a node that may outlive it.
    prefix = settings.WAGTAILSEARCH_BACKENDS["default"].get("INDEX_PREFIX", "")
    if ENGINE and prefix:
        get_search_backend("default").es.indices.delete(index=f"{prefix}*", ignore_unavailable=True)


@pytest.fixture(autouse=True)
def restore_engine(django_db_blocker):
    """After the test's transaction is rolled back, resend what it touched."""
    _touched.clear()
    yield
    if ENGINE and _touched:
        with django_db_blocker.unblock():
            backend = get_search_backend("default")
            present = list(SearchDocument.objects.filter(pk__in=_touched))
            if present:
                backend.add_bulk(SearchDocument, present)
            for pk in _touched - {doc.pk for doc in present}:
                indexing.delete_from_engine(backend, pk)
            refresh_engine()
