"""Moving live pages to another country's site (``cms.core.page_moves``): refused while they
lack the text that site requires, as a copy published at once is."""

from django.contrib.auth import get_user_model

from cms.events.models import EventIndexPage
from cms.news.models import NewsIndexPage
from tests.factories import logged_in, news_page


def superuser():
    """Who may move pages between sites (a network administrator moves none)."""
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


def confirm_url(page, destination) -> str:
    return f"/admin/pages/{page.pk}/move/{destination.pk}/confirm/"


def test_a_live_page_without_the_sites_language_is_not_moved_there(country):
    """It went live on the German site with no German, and every later edit was refused."""
    page = news_page(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    german_news = NewsIndexPage.objects.child_of(country("DE").home_page).get()
    client = logged_in(superuser())

    for method in (client.get, client.post):
        response = method(confirm_url(page, german_news), follow=True)
        messages = [str(m) for m in response.context["messages"]]
        assert any("cannot be moved to that site" in m and "German" in m for m in messages), (
            messages
        )
    page.refresh_from_db()
    assert page.get_parent().pk != german_news.pk

    page.unpublish()  # a draft moves, to be translated there
    assert client.get(confirm_url(page, german_news)).status_code == 200


def test_a_move_within_its_site_is_wagtails(country):
    page = news_page(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    events = EventIndexPage.objects.child_of(country("CZ").home_page).get()
    response = logged_in(superuser()).get(confirm_url(page, events))
    assert response.status_code == 200
