"""A dead search engine leaves the admin's searches working, answered by the database.

The engine here is OpenSearch at a local port where nothing listens: every call
to it is a real refused connection, as when the node is stopped. Beside it, the
database backend (``database``) holds the same objects, as ``cms.settings.search``
configures it. A Czech editor runs every admin search route: page search, the
explorer, the "Page translations" listing, the page chooser, snippet listing and
chooser, images and documents with their choosers, and the admin API. Each
answers 200 and finds the object from the database. The visitor search service
still reports its own fallback (``degraded``). Runs in the SQLite suite.
"""

import io
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import override_settings
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import RequestError, TransportError
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.search.backends import get_search_backend

from cms.clusters.models import ClusterProfile
from cms.news.models import NewsIndexPage
from cms.search.backends import engine_only, engine_outage, is_outage
from cms.search.models import SearchDocument
from cms.search.service import SearchRequest, autocomplete, search
from tests.factories import country_user, news_page

WORD = "Quokkafest"


def czech_collection() -> Collection:
    return Collection.objects.get(name__startswith="CZ ")


def make_image(title: str, file_name: str):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    image = get_image_model()(title=title, collection=czech_collection())
    image.file = ImageFile(buffer, name=file_name)
    image.save()
    return image


def make_document(title: str, file_name: str):
    document = get_document_model()(title=title, collection=czech_collection())
    document.file = ContentFile(b"minutes of the meeting", name=file_name)
    document.save()
    return document


@pytest.fixture
def found(dead_engine, country):
    """One object of each kind the admin searches, with ``WORD`` in its title."""
    cz = country("CZ")
    page = news_page(cz, title={"en": f"{WORD} news", "cs": f"{WORD} aktuality"})
    return {
        "page": page,
        "index": NewsIndexPage.objects.child_of(cz.home_page).get(),
        "cluster": ClusterProfile.objects.create(
            name_en=f"{WORD} cluster", slug="quokkafest-cluster", country=cz
        ),
        "image": make_image(f"{WORD} photo", "quokkafest.png"),
        "document": make_document(f"{WORD} minutes", "quokkafest.txt"),
    }


def routes(found) -> dict[str, tuple[str, str]]:
    """Route → (URL, the text that shows the object was found).

    The editor is Czech, so the admin names the page by its Czech title."""
    q = f"q={WORD}"
    return {
        "page search": (f"/admin/pages/search/?{q}", f"{WORD} aktuality"),
        "explorer": (f"/admin/pages/{found['index'].pk}/?{q}", f"{WORD} aktuality"),
        "page translations": (f"/admin/translations-newspage/?{q}", f"{WORD} aktuality"),
        "page chooser": (f"/admin/choose-page/search/?{q}", f"{WORD} aktuality"),
        "snippet listing": (f"/admin/snippets/clusters/clusterprofile/?{q}", f"{WORD} cluster"),
        "snippet chooser": (
            f"/admin/snippets/choose/clusters/clusterprofile/results/?{q}",
            f"{WORD} cluster",
        ),
        "images": (f"/admin/images/?{q}", f"{WORD} photo"),
        "image chooser": (f"/admin/images/chooser/results/?{q}", f"{WORD} photo"),
        "documents": (f"/admin/documents/?{q}", f"{WORD} minutes"),
        "document chooser": (f"/admin/documents/chooser/results/?{q}", f"{WORD} minutes"),
        "admin API pages": (f"/admin/api/main/pages/?search={WORD}", f"{WORD} aktuality"),
        "admin API images": (f"/admin/api/main/images/?search={WORD}", f"{WORD} photo"),
        "admin API documents": (f"/admin/api/main/documents/?search={WORD}", f"{WORD} minutes"),
    }


def test_the_engine_is_really_dead(dead_engine):
    """The premise: the configured engine refuses the connection."""
    with pytest.raises(Exception, match="Connection refused|ConnectionError"):
        get_search_backend("default").es.info()


def test_every_admin_search_answers_from_the_database(client, found, caplog):
    client.force_login(country_user("CZ", "editors"))
    client.raise_request_exception = False  # a 500 is counted, not raised
    failed = {}
    with caplog.at_level(logging.WARNING, logger="cms.search"):
        for name, (url, expected) in routes(found).items():
            response = client.get(url)
            if response.status_code != 200 or expected not in response.content.decode():
                failed[name] = response.status_code
    assert failed == {}
    assert "answering from the database" in caplog.text


def test_searches_that_find_nothing_stay_empty(client, found):
    """The fallback searches as the engine would: an unknown word finds nothing."""
    client.force_login(country_user("CZ", "editors"))
    response = client.get("/admin/api/main/pages/?search=Zzyzxquux")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == 0


def test_visitor_search_still_says_it_is_degraded(dead_engine):
    """The visitor service asks for the engine alone, so it still knows when it fell back."""
    response = search(SearchRequest(query="cluster", language="en"))
    assert response.degraded
    assert response.total > 0


def test_visitor_autocomplete_answers_from_the_database(dead_engine, caplog):
    with caplog.at_level(logging.WARNING, logger="cms.search"):
        titles = [hit["title"] for hit in autocomplete("clust", "en")]
    assert titles and all("clust" in title.lower() for title in titles)
    assert "answering from the database" in caplog.text


def test_without_a_database_fallback_the_engine_error_is_raised(dead_engine):
    """``engine_only`` (the visitor service, the evaluation, the benchmark) sees the failure."""
    with pytest.raises(EngineConnectionError):
        list(engine_only().search("cluster", SearchDocument))


@pytest.fixture
def engine_left_alone():
    """The production pause after a failure (tests otherwise ask the engine every time),
    from no failure noted (an earlier test's would count)."""
    engine_outage.end()
    with override_settings(SEARCH_ENGINE_RETRY_SECONDS=60):
        yield
    engine_outage.end()


def test_after_a_failure_the_engine_is_left_alone_for_a_while(
    client, found, engine_left_alone, caplog
):
    """A hung engine cost ``SEARCH_TIMEOUT`` per call: the admin's page search called it
    three times (16.7 s), a snippet listing twice; now the process asks it once, then
    answers from the database until the pause is over, the visitor search included."""
    client.force_login(country_user("CZ", "editors"))
    paths = routes(found)
    with caplog.at_level(logging.WARNING, logger="cms.search"):
        for name in ("page search", "snippet listing", "images", "admin API pages"):
            url, expected = paths[name]
            assert expected in client.get(url).content.decode(), name
        during = search(SearchRequest(query="cluster", language="en"))
        assert during.degraded and during.total > 0
        assert caplog.text.count("Search engine unavailable") == 1
        with override_settings(SEARCH_ENGINE_RETRY_SECONDS=0):  # the pause is over
            client.get(paths["page search"][0])
    assert caplog.text.count("Search engine unavailable") > 1  # asked again


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (EngineConnectionError("N/A", "Connection refused", None), True),
        (TransportError(503, "unavailable", {}), True),
        (TransportError(429, "too many requests", {}), True),
        (RequestError(400, "too_many_clauses", {}), False),  # this query only
        (KeyError("hits"), False),  # a bug here, not the engine
    ],
)
def test_only_an_engine_that_cannot_answer_pauses_it(error, outage):
    """A query the engine refuses (a 4xx), or a bug in reading its answer, is answered from
    the database for that request only: pausing the engine for the whole process on it let
    one crafted query every 10 s keep every search on the database."""
    assert is_outage(error, (TransportError,)) is outage
