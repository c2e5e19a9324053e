"""Moving live pages to another country's site (``cms.core.page_moves``): the confirmation
warns of the text that site requires and they lack; the move itself still goes through
(``tests/core/test_redirects.py``: every old address redirects)."""

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from cms.events.models import EventIndexPage
from cms.home.models import StandardPage
from cms.news.models import NewsIndexPage
from tests.factories import logged_in, news_page

WARNING = "lacks its text in German, which that site requires"


def superuser():
    """Who may move pages between sites (a network administrator moves none)."""
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


def confirm_url(page, destination) -> str:
    return f"/admin/pages/{page.pk}/move/{destination.pk}/confirm/"


def warnings_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_moving_a_live_page_without_the_sites_language_is_warned_of(country):
    """It went live on the German site with no German, without a word, and its next edit
    was refused for the German it lacked."""
    page = news_page(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    german_news = NewsIndexPage.objects.child_of(country("DE").home_page).get()
    client = logged_in(superuser())

    confirmation = client.get(confirm_url(page, german_news))
    assert confirmation.status_code == 200
    assert any(WARNING in m and "Info day" in m for m in warnings_of(confirmation))
    assert client.post(confirm_url(page, german_news)).status_code == 302
    page.refresh_from_db()
    assert page.get_parent().pk == german_news.pk


def test_no_warning_within_a_site_or_for_a_draft(country):
    page = news_page(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    events = EventIndexPage.objects.child_of(country("CZ").home_page).get()
    client = logged_in(superuser())
    within = client.get(confirm_url(page, events))
    assert within.status_code == 200 and not warnings_of(within)

    page.unpublish()
    german_news = NewsIndexPage.objects.child_of(country("DE").home_page).get()
    draft = client.get(confirm_url(page, german_news))
    assert draft.status_code == 200 and not warnings_of(draft)


def test_a_page_without_english_is_refused_with_the_reason(country):
    """Wagtail's move validates the page in English: a Polish-only item was a 500, moved to
    another site or within its own. It stays, and the editor is told what to add."""
    page = news_page(country("PL"), title={"pl": "Przeniesiona wiadomość"})
    slovene_news = NewsIndexPage.objects.child_of(country("SI").home_page).get()
    client = logged_in(superuser())
    for method in (client.get, client.post):
        response = method(confirm_url(page, slovene_news), follow=True)
        assert response.status_code == 200
        assert any("cannot be moved yet" in m for m in warnings_of(response))
    page.refresh_from_db()
    assert page.get_parent().pk != slovene_news.pk


def polish_page(title: str, parent):
    page = parent.add_child(instance=StandardPage(title_pl=title, slug_pl=slugify(title)))
    page.save_revision().publish()
    return page


def test_within_its_site_too_and_with_english_it_moves(country):
    home = country("PL").home_page
    page, section = polish_page("Nasi partnerzy", home), polish_page("O projekcie", home)
    client = logged_in(superuser())
    refused = client.post(confirm_url(page, section), follow=True)
    assert any("cannot be moved yet" in m for m in warnings_of(refused))
    page.title_en, page.slug_en = "Our partners", "our-partners"
    page.save_revision().publish()
    assert client.post(confirm_url(page, section)).status_code == 302
    page.refresh_from_db()
    assert page.get_parent().pk == section.pk


def test_a_draft_without_english_and_a_bulk_move_are_refused_too(country):
    home = country("PL").home_page
    section = polish_page("O projekcie", home)
    draft = home.add_child(instance=StandardPage(title_pl="Szkic", slug_pl="szkic", live=False))
    page = polish_page("Nasi partnerzy", home)
    client = logged_in(superuser())
    refused = client.post(confirm_url(draft, section), follow=True)
    assert any("cannot be moved yet" in m for m in warnings_of(refused))
    bulk = client.post(
        f"/admin/bulk/wagtailcore/page/move/?id={page.pk}&next=/admin/pages/{home.pk}/",
        {"chooser": str(section.pk)},
        follow=True,
    )
    assert bulk.status_code == 200
    assert any("cannot be moved yet" in m for m in warnings_of(bulk))
    for moved in (draft, page):
        moved.refresh_from_db()
        assert moved.get_parent().pk == home.pk


def test_reordering_a_page_without_english_is_refused_with_the_reason(country):
    home = country("PL").home_page
    first, page = polish_page("O projekcie", home), polish_page("Nasi partnerzy", home)
    client = logged_in(superuser())
    response = client.post(f"/admin/pages/{page.pk}/set_position/?position=0")
    assert response.status_code == 400
    assert "cannot be moved yet" in response.content.decode()
    assert [p.pk for p in home.get_children()][-2:] == [first.pk, page.pk]
