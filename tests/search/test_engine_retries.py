"""Wagtail's own index on the engine (the admin's searches) keeps what it missed during an
outage: each object is noted, and ``search_index_worker`` sends it again
(``cms.search.engine_retries``). Against a refused connection, as when the node is
stopped; ``tests/search/test_engine_outage.py`` follows one through a real node's stop
and start."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.clusters.models import ClusterProfile
from cms.news.models import NewsPage
from cms.search.backends import EngineLeftAlone, engine_outage
from cms.search.engine_retries import send_missed
from cms.search.indexing import index_items, process_pending_updates
from cms.search.models import PendingEngineObject, PendingIndexUpdate, SearchDocument
from cms.settings.search import search_backends_from_url
from tests.factories import news_page, standard_section, superuser


def pending(obj) -> PendingEngineObject:
    return PendingEngineObject.objects.get(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


@pytest.fixture
def cluster(dead_engine, country):
    return ClusterProfile.objects.create(
        name_en="Quokka cluster", slug="quokka-cluster", country=country("CZ")
    )


def test_a_save_the_engine_missed_is_kept_and_the_save_stands(cluster):
    assert ClusterProfile.objects.filter(pk=cluster.pk).exists()
    entry = pending(cluster)
    assert entry.attempts == 0 and entry.next_attempt_at <= timezone.now()


def test_a_published_page_the_engine_missed_is_kept_as_its_own_type(dead_engine, country):
    page = news_page(country("CZ"), title={"en": "Quokka news"})
    page.save_revision().publish()
    assert pending(page).content_type.model_class() is NewsPage


def test_a_removal_the_engine_missed_is_kept(cluster):
    pk = cluster.pk
    cluster.delete()
    content_type = ContentType.objects.get_for_model(ClusterProfile)
    assert PendingEngineObject.objects.filter(content_type=content_type, object_id=str(pk))


def test_items_indexed_together_that_the_engine_missed_are_each_kept(dead_engine, country):
    """A large import indexes its clusters in bulk (``index_items``), past the signals."""
    clusters = ClusterProfile.objects.bulk_create(
        ClusterProfile(name_en=f"Bulk {n}", slug=f"bulk-{n}", country=country("CZ"))
        for n in range(3)
    )
    index_items(clusters)
    assert all(pending(cluster).next_attempt_at <= timezone.now() for cluster in clusters)


def test_while_the_engine_stays_down_the_worker_backs_off_and_keeps_it(cluster):
    assert send_missed() == {"sent": 0, "failed": 1, "refused": 0}
    entry = pending(cluster)
    assert entry.attempts == 1
    assert entry.next_attempt_at > timezone.now()
    assert "Connection" in entry.last_error
    # Not due yet: the next round leaves it alone.
    assert send_missed() == {"sent": 0, "failed": 0, "refused": 0}


def test_another_miss_while_waiting_makes_it_due_again(cluster):
    send_missed()
    cluster.name_en = "Quokka cluster, renamed"
    cluster.save()
    entry = pending(cluster)
    assert entry.next_attempt_at <= timezone.now()


def test_the_worker_reports_what_is_still_pending(cluster, capsys):
    call_command("search_index_worker", once=True)
    output = capsys.readouterr().out
    waiting = PendingIndexUpdate.objects.count() + 1
    assert f"still pending {waiting}" in output


def test_without_an_engine_in_the_settings_there_is_nothing_to_send(cluster, settings):
    """Database search only: the entry is dropped, as there is no engine to catch up."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "cms.search.backends.database", "AUTO_UPDATE": True}
    }
    assert send_missed() == {"sent": 1, "failed": 0, "refused": 0}
    assert not PendingEngineObject.objects.exists()


def test_an_object_the_engine_refuses_is_logged_and_not_sent_again(cluster, monkeypatch, caplog):
    """A 4xx is the engine's answer, not an outage: retrying it every ten minutes forever
    (and holding up the rest of the round, and ``--drain``) would not help."""
    from opensearchpy.exceptions import RequestError

    from cms.search import engine_retries

    def refuse(backend, entry):
        raise RequestError(400, "mapper_parsing_exception", {})

    monkeypatch.setattr(engine_retries, "send", refuse)
    assert send_missed() == {"sent": 0, "failed": 0, "refused": 1}
    assert not PendingEngineObject.objects.exists()
    assert "refused" in caplog.text


class MaintenancePage(BaseHTTPRequestHandler):
    """What a proxy in front of the engine answers while the node is away: 200, HTML."""

    def answer(self):
        body = b"<html><body>Down for maintenance</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = answer  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def engine_behind_a_maintenance_page(db):
    server = ThreadingHTTPServer(("127.0.0.1", 0), MaintenancePage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address
    try:
        with override_settings(
            WAGTAILSEARCH_BACKENDS=search_backends_from_url(f"opensearch2://{host}:{port}")
        ):
            yield
    finally:
        server.shutdown()
        server.server_close()


def test_an_answer_that_is_not_the_engines_is_an_outage(
    engine_behind_a_maintenance_page, country, admin_client
):
    """The searches answer from the database, and a save's miss is kept."""
    cluster = ClusterProfile.objects.create(
        name_en="Quokka cluster", slug="quokka-cluster", country=country("CZ")
    )
    assert pending(cluster)
    for url in (
        "/admin/pages/search/?q=cluster",
        "/admin/snippets/clusters/clusterprofile/?q=q",
        "/api/v3/search/autocomplete/?q=clu&lang=en",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_a_hung_engine_costs_a_deleted_section_one_timeout(client, country, hung_engine):
    """Wagtail removes each deleted page from the index in the editor's request, and each
    removal waited ``SEARCH_TIMEOUT`` for a hung engine: a section of a few dozen pages
    passed gunicorn's timeout, which rolled the deletion back. Now the first failure
    pauses the engine's writes too; each page is noted for the worker."""
    section = standard_section(country("CZ"), children=6)
    pages = [section, *section.get_descendants().specific()]
    asked = len(hung_engine.connections)
    client.force_login(superuser())
    assert client.post(f"/admin/pages/{section.pk}/delete/").status_code == 302
    assert not Page.objects.filter(pk=section.pk).exists()
    assert len(hung_engine.connections) - asked <= 1
    for page in pages:
        assert pending(page)
    # The worker leaves the engine alone while the pause lasts.
    assert send_missed() == {"sent": 0, "failed": 0, "refused": 0}


@pytest.fixture
def engine_left_alone(dead_engine):
    """The engine failed a moment ago: left alone for a minute."""
    engine_outage.note()
    with override_settings(SEARCH_ENGINE_RETRY_SECONDS=60):
        yield
    engine_outage.end()


def test_a_write_while_the_engine_is_left_alone_is_never_taken_for_done(engine_left_alone, country):
    """Returned as if sent, a write during the pause made the worker drop the project's
    documents it had queued (``PendingIndexUpdate``: "sent", never on the engine). It
    raises instead; Wagtail's signal handlers log it, and an editor's save stands."""
    page = news_page(country("CZ"), title={"en": "Quokka pause"})
    page.save_revision().publish()
    assert pending(page)  # noted by Wagtail's own index update, which raised
    backend = get_search_backend("default")
    document = SearchDocument.objects.filter(object_id=page.pk).first()
    with pytest.raises(EngineLeftAlone):
        backend.add_bulk(SearchDocument, [document])
    queued = list(PendingIndexUpdate.objects.values_list("pk", "attempts"))
    assert queued
    assert process_pending_updates() == {"sent": 0, "failed": 0}
    assert list(PendingIndexUpdate.objects.values_list("pk", "attempts")) == queued
