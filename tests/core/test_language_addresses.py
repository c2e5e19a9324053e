"""Every address Wagtail gives a page is served, even where its routing cannot follow it.

wagtail-modeltranslation builds the English address of a page below a Polish-only section
from the section's Polish slug, and routes English addresses by English slugs only: the
English page's own address, the one its language switcher, the sitemap and "View live"
give, was a 404.
"""

import pytest
from django.utils import translation

from cms.core.translation_status import mark_complete_ready
from cms.home.models import StandardPage
from tests.factories import path_of, restrict, translated


def standard_page(parent, *, title: dict[str, str], slug: dict[str, str], **fields):
    page = StandardPage(
        slug=next(iter(slug.values())),
        **translated("title", title),
        **translated("slug", slug),
        **fields,
    )
    if "ready_languages" not in fields:
        mark_complete_ready(page)
    with translation.override(next(iter(title))):
        parent.add_child(instance=page)
    return page


@pytest.fixture
def polish_section(country):
    """A Polish-only section of the Polish site (no English title or slug)."""
    return standard_page(country("PL").home_page, title={"pl": "O nas"}, slug={"pl": "o-nas"})


def team_below(section, **fields):
    return standard_page(
        section, title={"en": "Team", "pl": "Zespół"}, slug={"en": "team", "pl": "zespol"}, **fields
    )


def test_an_english_page_below_a_polish_only_section_is_served_in_english(
    site_client, polish_section
):
    team = team_below(polish_section)
    assert path_of(team, "en") == "/en/o-nas/team/"
    client = site_client("PL")
    response = client.get(path_of(team, "en"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="en">' in body and "Team" in body and "Zespół" not in body
    assert response["Content-Language"] == "en"
    assert client.get(path_of(team, "pl")).status_code == 200
    # The section itself still goes to Polish, and nothing else is found below it.
    assert client.get(path_of(polish_section, "en"))["Location"] == path_of(polish_section, "pl")
    assert client.get("/en/o-nas/no-such-page/").status_code == 404


def test_a_polish_only_page_there_redirects_to_polish(site_client, polish_section):
    history = standard_page(polish_section, title={"pl": "Historia"}, slug={"pl": "historia"})
    response = site_client("PL").get(path_of(history, "en") + "?from=sitemap")
    assert response.status_code == 302
    assert response["Location"] == path_of(history, "pl") + "?from=sitemap"


def test_a_restricted_page_there_asks_for_its_password_as_routing_would(
    site_client, polish_section
):
    team = team_below(polish_section)
    restrict(team)
    response = site_client("PL").get(path_of(team, "en"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="password"' in body and "Team" not in body


def test_an_unpublished_page_there_is_not_found(site_client, polish_section):
    team = team_below(polish_section)
    team.unpublish()
    assert site_client("PL").get(path_of(team, "en")).status_code == 404


def test_the_page_with_the_language_wins_over_a_sibling_sharing_its_address(
    site_client, polish_section
):
    standard_page(polish_section, title={"pl": "Zespół"}, slug={"pl": "team"})
    team = team_below(polish_section)
    response = site_client("PL").get(path_of(team, "en"))
    assert response.status_code == 200
    assert "Team" in response.content.decode()
