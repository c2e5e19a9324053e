"""A delete confirmation counts the many-to-many links to what is deleted
(``cms.core.viewsets.CountsManyToManyUses``): Wagtail's reference index keeps none, so a
sector in use and a cluster profile news items name were "referenced 0 times"."""

from django.contrib.auth import get_user_model

from cms.clusters.models import ClusterProfile
from cms.core.models import Sector
from tests.api.conftest import published_news, sectors
from tests.factories import country_user, logged_in


def test_a_sector_in_use_is_counted_as_used(country):
    food = Sector.objects.get(slug="food")
    published_news(country("CZ"), title={"en": "About food"}, sectors=sectors("food"))
    uses = food.news.count() + food.events.count() + food.clusters.count()
    assert uses >= 1
    client = logged_in(get_user_model().objects.create_superuser("r", "r@example.org", "pw"))
    response = client.get(f"/admin/snippets/core/sector/delete/{food.pk}/")
    assert response.status_code == 200
    assert response.context["usage_count"] == uses


def test_a_cluster_profile_news_items_name_is_counted_as_used(country):
    usti = ClusterProfile.objects.get(slug="it-klastr-usti")
    published_news(country("CZ"), title={"en": "About Ústí"}, clusters=[usti])
    response = logged_in(country_user("CZ")).get(
        f"/admin/snippets/clusters/clusterprofile/delete/{usti.pk}/"
    )
    assert response.status_code == 200
    assert response.context["usage_count"] >= usti.news.count() >= 1
