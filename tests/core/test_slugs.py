"""Slugs are transliterated to ASCII (``cluster-day-in-usti``), never kept with diacritics.

With Wagtail's default (``WAGTAIL_ALLOW_UNICODE_SLUGS = True``) the admin's slug field
copied the title's letters, so even English URLs read ``cluster-day-in-ústí-…``.
"""

from django.utils import translation

from cms.news.models import NewsIndexPage, NewsPage
from tests.factories import country_user


def test_the_admin_slug_field_transliterates(client, country):
    news = NewsIndexPage.objects.child_of(country("CZ").home_page).get()
    client.force_login(country_user("CZ", "editors"))
    response = client.get(f"/admin/pages/add/news/newspage/{news.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-controller="w-slug"' in html  # the slug fields, filled from the titles
    assert "data-w-slug-allow-unicode-value" not in html  # False: Django leaves the attribute out


def test_a_slug_made_from_a_title_is_ascii(db, country):
    news = NewsIndexPage.objects.child_of(country("CZ").home_page).get()
    with translation.override("en"):
        page = NewsPage(title="Cluster day in Ústí", lead="Lead")
        news.add_child(instance=page)
    assert page.slug == "cluster-day-in-usti"
