"""Untranslated fields fall back along the configured chain (sk → cs → en)."""

from django.utils import translation

from cms.clusters.models import ClusterProfile
from tests.factories import news_page, translated


def make_cluster(country, **names):
    return ClusterProfile.objects.create(
        slug="fallback-test", country=country, **translated("name", names)
    )


def test_untranslated_slovak_field_falls_back_to_czech(country):
    cluster = make_cluster(country("SK"), cs="Strojársky klastr CZ", en="Engineering cluster")
    with translation.override("sk"):
        assert cluster.name == "Strojársky klastr CZ"


def test_slovak_falls_back_to_english_when_czech_is_missing_too(country):
    cluster = make_cluster(country("SK"), en="Engineering cluster")
    with translation.override("sk"):
        assert cluster.name == "Engineering cluster"


def test_own_translation_wins_over_fallback(country):
    cluster = make_cluster(country("SK"), sk="Klaster SK", cs="Klastr CZ", en="Cluster EN")
    with translation.override("sk"):
        assert cluster.name == "Klaster SK"


def test_slovenian_does_not_fall_back_to_czech(country):
    cluster = make_cluster(country("SI"), cs="Klastr CZ", en="Cluster EN")
    with translation.override("sl"):
        assert cluster.name == "Cluster EN"


def test_page_fields_fall_back_too(country):
    page = news_page(country("SK"), title={"cs": "Novinka", "en": "News"}, lead={"en": "Lead"})
    page.refresh_from_db()
    with translation.override("sk"):
        assert page.title == "Novinka"
        assert page.lead == "Lead"


def test_a_page_field_shown_in_its_fallback_language_says_so(country, site_client):
    """A Polish page whose body and funding note were left in English showed them as if
    they were Polish (``<html lang="pl">``, nothing marked): screen readers and
    translation tools read English with Polish rules."""
    page = news_page(
        country("PL"),
        title={"en": "Info day", "pl": "Dzień informacyjny"},
        lead={"en": "Lead", "pl": "Wstęp"},
        **translated("body", {"en": [("heading", "Programme of the day")]}),
        **translated("funding_note", {"en": "Co-financed by the EU"}),
    )
    with translation.override("pl"):
        html = site_client("PL").get(page.url).content.decode()
    assert '<div class="prose" lang="en">' in html and "Programme of the day" in html
    assert '<p class="funding-note" lang="en">Co-financed by the EU</p>' in html
    assert '<p class="lead">Wstęp</p>' in html  # its own: nothing to mark
