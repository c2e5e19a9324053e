"""A spreadsheet import reaches the Delivery API at once, as an editor's save does.

``apply_import`` writes with ``bulk_create``/``bulk_update``, which send no ``post_save``:
the API kept serving the old website of an updated cluster, left a new one out (while its
visitor page answered), and the news showing a renamed cluster kept its old name, until
someone saved each by hand (``check_projections`` found the rows differing).
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from cms.clusters.importing import apply_import, preview_import
from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.clusters.reading import read_table
from cms.projections import writing
from cms.projections.models import Projection, StaleProjection
from cms.projections.rendering import Renderer
from cms.projections.writing import project_pending
from tests.api.conftest import published_news

HEADER = "slug,country,name_en,website"


def imported(*lines: str) -> dict:
    content = ("\n".join([HEADER, *lines]) + "\n").encode()
    return apply_import(preview_import(read_table(content, "clusters.csv"), allowed_countries=None))


def served(api, slug: str) -> dict | None:
    items = api("clusters/?lang=en&limit=100&fields=website").json()["items"]
    return next((item for item in items if item["slug"] == slug), None)


def test_created_and_changed_clusters_and_the_news_showing_them_are_served(api, country):
    usti = ClusterProfile.objects.get(slug="it-klastr-usti")
    news = published_news(country("CZ"), title={"en": "About Ústí"}, clusters=[usti])
    assert served(api, "brno-robotics") is None

    counts = imported(
        "it-klastr-usti,CZ,Ústí IT Cluster (renamed),https://changed.example.cz/",
        "brno-robotics,CZ,Brno Robotics,https://robotics.example.cz/",
    )

    assert counts["created"] == counts["updated"] == 1
    assert served(api, "it-klastr-usti")["website"] == "https://changed.example.cz/"
    assert served(api, "brno-robotics")["name"] == "Brno Robotics"
    shown = api(f"news/{news.pk}/?lang=en").json()["related_clusters"]
    assert [cluster["name"] for cluster in shown] == ["Ústí IT Cluster (renamed)"]
    call_command("check_projections")  # a CommandError on any row differing


def news_showing_usti() -> int:
    from cms.news.models import NewsPage

    return NewsPage.objects.filter(related_clusters__slug="it-klastr-usti").values_list(
        "pk", flat=True
    )[0]


@override_settings(PROJECTION_INLINE_LIMIT=1)
def test_a_large_import_goes_to_the_worker(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        imported(
            "it-klastr-usti,CZ,Ústí IT Cluster,https://changed.example.cz/",
            "brno-robotics,CZ,Brno Robotics,https://robotics.example.cz/",
        )
    marked = set(StaleProjection.objects.values_list("object_type", "object_id"))
    clusters = ClusterProfile.objects.filter(slug__in=["it-klastr-usti", "brno-robotics"])
    assert {
        ("clusters.ClusterProfile", pk) for pk in clusters.values_list("pk", flat=True)
    } < marked
    assert ("news.NewsPage", news_showing_usti()) in marked  # what shows it, too
    project_pending()
    assert served(api, "brno-robotics")["website"] == "https://robotics.example.cz/"
    assert served(api, "it-klastr-usti")["website"] == "https://changed.example.cz/"


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0


def directory_lookups(clusters: int) -> int:
    """Queries of the cluster directories while rendering ``clusters`` new clusters."""
    lines = [f"cz-cluster-{n},CZ,Cluster {n},https://c{n}.example.cz/" for n in range(clusters)]
    with CaptureQueriesContext(connection) as queries:
        imported(*lines)
    return sum("clusters_clusterdirectorypage" in q["sql"] for q in queries.captured_queries)


def test_the_directories_are_looked_up_once_however_many_clusters_are_imported(db):
    """Each cluster's ``html_url`` is under its country's directory: looked up per cluster
    and language, an import of 5,000 rows asked the same question 40,000 times (215 s)."""
    assert directory_lookups(1) == directory_lookups(6) > 0


def test_a_worker_run_reads_the_directories_again_in_each_batch(db, country):
    """The renderer keeps each country's directory for a batch, not for its run: the Czech
    directory unpublished between two batches of a worker's run (an editor's commit), the
    second batch rendered its clusters under it still, a 404, and nothing corrected it."""
    label = ClusterProfile._meta.label
    first, second = ClusterProfile.objects.filter(country=country("CZ"))[:2]
    renderer = Renderer()
    writing.project_ids(label, [first.pk], renderer=renderer)  # a first batch
    ClusterDirectoryPage.objects.child_of(country("CZ").home_page).get().unpublish()
    writing.project_ids(label, [second.pk], renderer=renderer)  # the next batch
    stored = Projection.objects.get(object_type=label, object_id=second.pk, language="en")
    assert not stored.data["html_url"].startswith("http://cz.localhost/"), stored.data["html_url"]
    call_command("check_projections")
