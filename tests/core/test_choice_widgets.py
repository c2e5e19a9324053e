"""Sectors and related clusters are ticked in checkbox lists, not Ctrl+clicked in a select.

The related clusters offered are still only the editor's country's (``CountryScopedPageForm``
narrows the choices, and the checkbox list is built from them).
"""

from cms.clusters.models import ClusterProfile
from cms.core.models import Sector
from cms.events.models import EventPage
from cms.news.models import NewsPage
from tests.factories import country_user


def edit_form(client, page) -> str:
    client.force_login(country_user("CZ", "editors"))
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def czech_news():
    return NewsPage.objects.get(slug_en="study-trip-to-austria-how-tourism-clusters-work")


def test_news_sectors_and_related_clusters_are_checkboxes(client, db):
    html = edit_form(client, czech_news())
    assert html.count('type="checkbox" name="sectors"') == Sector.objects.count()
    czech = ClusterProfile.objects.filter(country__code="CZ")
    assert html.count('type="checkbox" name="related_clusters"') == czech.count()
    assert '<select name="sectors"' not in html and '<select name="related_clusters"' not in html


def test_the_related_clusters_listed_are_only_the_editors_country(client, db):
    html = edit_form(client, czech_news())
    slovak = ClusterProfile.objects.filter(country__code="SK").first()
    assert f'name="related_clusters" value="{slovak.pk}"' not in html


def test_event_and_cluster_sectors_are_checkboxes(client, db):
    client.force_login(country_user("CZ", "editors"))
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    html = client.get(f"/admin/snippets/clusters/clusterprofile/edit/{cluster.pk}/").content
    assert b'type="checkbox" name="sectors"' in html
    event = EventPage.objects.filter(title_en__icontains="info day").first()
    html = client.get(f"/admin/pages/{event.pk}/edit/").content
    assert b'type="checkbox" name="sectors"' in html
