"""The admin names pages in the editor's language (its fallback chain), wherever it lists them.

Wagtail shows ``draft_title``, one string in whatever language the last save ran in:
Czech and Slovak editors saw the seeded English titles ("About the project", "News")
beside the Czech titles of their new items.
"""

from django.utils import translation

from cms.core.models import Country
from cms.news.models import NewsPage
from tests.factories import country_user, news_page


def explorer(client, code: str, page) -> str:
    client.force_login(country_user(code))
    response = client.get(f"/admin/pages/{page.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_czech_explorer_lists_czech_titles(client, db):
    html = explorer(client, "CZ", Country.objects.get(code="CZ").home_page)
    for czech in ("Aktuality", "Akce", "O projektu", "Clusters Cord Česká republika"):
        assert czech in html, czech
    for english in ("About the project", ">News<", "Clusters Cord Czech Republic"):
        assert english not in html, english


def test_a_slovak_editor_reads_slovak_then_its_fallback(db):
    item = news_page(
        Country.objects.get(code="SK"), title={"en": "Study trip", "cs": "Studijní cesta"}
    )
    with translation.override("sk"):
        assert item.get_admin_display_title() == "Studijní cesta"  # sk -> cs -> en
    item.title_sk = "Študijná cesta"
    with translation.override("sk"):
        assert item.get_admin_display_title() == "Študijná cesta"
    with translation.override("de"):
        assert item.get_admin_display_title() == "Study trip"


def test_a_live_pages_draft_title_comes_from_its_latest_revision(db):
    item = news_page(Country.objects.get(code="CZ"), title={"en": "Old", "cs": "Starý"})
    draft = NewsPage.objects.get(pk=item.pk)
    draft.title_cs, draft.title_en = "Nový", "New"
    draft.save_revision()  # a draft of a live page: the row keeps the live title
    listed = NewsPage.objects.get(pk=item.pk)
    assert listed.title_cs == "Starý"
    with translation.override("cs"):
        assert listed.get_admin_display_title() == "Nový"
    with translation.override("en"):
        assert listed.get_admin_display_title() == "New"
