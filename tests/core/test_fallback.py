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
