"""The CDN purge when a snippet visitors see changes (``cms.core.frontend_cache_snippets``).

A profile, a sector, a partner organisation or contact person, an image: the CDN
must not serve the old text for ``VISITOR_CACHE_S_MAXAGE`` after an editor saved it.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.clusters.importing import apply_import, preview_import
from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.clusters.reading import read_table
from cms.core import frontend_cache_snippets
from cms.core.languages import site_languages
from cms.core.models import Sector
from cms.partners.models import PartnerOrganisation
from cms.settings.environment import env_count
from tests.factories import news_page, path_of
from tests.purging import PurgeRecorder, purging_to_server


def directory_of(country):
    return ClusterDirectoryPage.objects.live().child_of(country.home_page).get()


def addresses(country, suffix: str = "", *, page=None) -> set[tuple[str, str]]:
    """(host, path) of ``page`` (default: ``country``'s cluster directory) plus ``suffix``,
    in every language of ``country``'s site."""
    page = page or directory_of(country)
    host = Site.objects.get(country=country).hostname
    return {(host, path_of(page, code) + suffix) for code in site_languages(country)}


@pytest.fixture
def purged(purge_server, django_capture_on_commit_callbacks):
    """``with purged():`` runs the block with purging on and its commit callbacks run."""

    class Purged:
        def __call__(self):
            PurgeRecorder.received = []
            return self

        def __enter__(self):
            self.settings = purging_to_server(purge_server)
            self.settings.__enter__()
            self.callbacks = django_capture_on_commit_callbacks(execute=True)
            self.callbacks.__enter__()

        def __exit__(self, *exc):
            self.callbacks.__exit__(*exc)
            self.settings.__exit__(*exc)

        @property
        def urls(self) -> set[tuple[str, str]]:
            return set(PurgeRecorder.received)

    return Purged()


def a_czech_profile():
    return ClusterProfile.objects.filter(country__code="CZ", sectors__isnull=False).first()


def test_editing_a_profile_purges_its_addresses_listings_and_home_pages(country, purged):
    cz, hub = country("CZ"), country("INT")
    profile = a_czech_profile()
    sector = profile.sectors.first()
    with purged():
        profile.name_en = "Corrected name"
        profile.save()
    expected = (
        addresses(cz, f"{profile.slug}/")  # /cs/klastry/<slug>/, /en/clusters/<slug>/
        | addresses(hub, f"{profile.slug}/")  # the hub's directory, its seven languages
        | addresses(cz)
        | addresses(hub)
        | addresses(cz, f"?sector={sector.slug}")
        | addresses(cz, page=cz.home_page)
        | addresses(hub, page=hub.home_page)
    )
    assert expected <= purged.urls
    assert not any(host == "it.localhost" for host, _ in purged.urls)  # other sites stay


def test_a_new_slug_purges_the_old_address_too(country, purged):
    profile = a_czech_profile()
    old = profile.slug
    with purged():
        profile.slug = "renamed-cluster"
        profile.save()
    cz = country("CZ")
    assert addresses(cz, f"{old}/") | addresses(cz, "renamed-cluster/") <= purged.urls


def test_deleting_a_profile_purges_its_addresses_and_the_news_relating_it(country, purged):
    cz = country("CZ")
    profile = ClusterProfile.objects.create(
        name_en="Short-lived", slug="short-lived", country=cz, name_cs="Krátký"
    )
    item = news_page(cz, title={"cs": "Novinka", "en": "News"})
    item.related_clusters.add(profile)
    item.save()
    with purged():
        profile.delete()
    assert addresses(cz, "short-lived/") | addresses(cz, page=item) <= purged.urls


def test_renaming_a_sector_purges_the_pages_showing_it(country, purged):
    cz, it = country("CZ"), country("IT")
    profile = a_czech_profile()
    sector = profile.sectors.first()
    item = news_page(cz, title={"cs": "Novinka", "en": "News"})
    item.sectors.add(sector)
    item.save()
    with purged():
        sector.name_en = "Renamed sector"
        sector.save()
    expected = (
        addresses(cz, page=item)
        | addresses(cz, page=item.get_parent())  # the news listing
        | addresses(cz, f"{profile.slug}/")
        | addresses(country("INT"), f"{profile.slug}/")
        # Every directory's sector filter and every home page's sector links:
        | addresses(it)
        | addresses(it, f"?sector={sector.slug}")
        | addresses(it, page=it.home_page)
    )
    assert expected <= purged.urls


def test_a_footer_partner_purges_its_site(country, purged):
    cz = country("CZ")
    partner = PartnerOrganisation.objects.get(country=cz)
    item = news_page(cz, title={"cs": "Novinka", "en": "News"})
    profile = ClusterProfile.objects.filter(country=cz).last()
    with purged():
        partner.city_en = "Ústí nad Labem"
        partner.save()
    assert addresses(cz, page=item) | addresses(cz, f"{profile.slug}/") <= purged.urls
    assert not any(host == "it.localhost" for host, _ in purged.urls)


def test_deleting_a_footer_partner_purges_the_sites_that_named_it(country, purged):
    """After the deletion no footer names it: the sites are those it was named on before
    (the Czech site's, and the hub's, whose footer names the lead partner)."""
    cz, hub = country("CZ"), country("INT")
    partner = PartnerOrganisation.objects.get(country=cz)
    assert partner.is_lead_partner
    item = news_page(cz, title={"cs": "Novinka", "en": "News"})
    profile = ClusterProfile.objects.filter(country=cz).last()
    with purged():
        partner.delete()
    expected = (
        addresses(cz, page=item)
        | addresses(cz, f"{profile.slug}/")
        | addresses(cz, page=cz.home_page)
        | addresses(hub, page=hub.home_page)
    )
    assert expected <= purged.urls
    assert not any(host == "it.localhost" for host, _ in purged.urls)


def test_a_partner_moved_to_another_country_purges_the_site_it_left(country, purged):
    cz, sk = country("CZ"), country("SK")
    partner = PartnerOrganisation.objects.get(country=cz)
    with purged():
        partner.country = sk
        partner.is_lead_partner = False
        partner.save()
    assert addresses(cz, page=cz.home_page) <= purged.urls


def test_replacing_an_image_purges_the_pages_showing_it(country, purged):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Photo", file=get_test_image_file())
    item = news_page(country("CZ"), title={"cs": "Novinka", "en": "News"}, image=image)
    with purged():
        image.title = "Photo, cropped"
        image.save()
    assert addresses(country("CZ"), page=item) <= purged.urls


def test_a_change_purges_at_most_the_cap_own_addresses_first(country, purged, caplog):
    profile = a_czech_profile()
    with override_settings(FRONTEND_CACHE_MAX_URLS=4), purged():
        profile.name_en = "Capped"
        profile.save()
    assert len(purged.urls) == 4
    own = addresses(country("CZ"), f"{profile.slug}/") | addresses(
        country("INT"), f"{profile.slug}/"
    )
    assert purged.urls <= own
    assert "FRONTEND_CACHE_MAX_URLS" in caplog.text


def test_nothing_is_purged_when_no_cache_is_configured(
    db, purge_server, django_capture_on_commit_callbacks
):
    PurgeRecorder.received = []
    profile = a_czech_profile()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        profile.name_en = "Edited"
        profile.save()
        sector = profile.sectors.first()
        sector.save()
    assert PurgeRecorder.received == []
    assert not [each for each in callbacks if each.__module__ == frontend_cache_snippets.__name__]


class RaisingBackend:
    """A purge backend that fails every purge (a CDN's API refusing the token)."""

    def __init__(self, params):
        pass

    def invalidates_hostname(self, hostname):
        return True

    def purge_batch(self, urls):
        raise RuntimeError("refused")


def test_a_failing_purge_does_not_fail_the_save(
    db, django_capture_on_commit_callbacks, caplog, monkeypatch
):
    profile = a_czech_profile()
    backend = {"raising": {"BACKEND": f"{__name__}.RaisingBackend"}}
    with override_settings(WAGTAILFRONTENDCACHE=backend):
        with django_capture_on_commit_callbacks(execute=True):
            profile.name_en = "Saved anyway"
            profile.save()
        # And the URLs cannot even be listed:
        monkeypatch.setattr(frontend_cache_snippets, "snippet_urls", RaisingBackend.purge_batch)
        with django_capture_on_commit_callbacks(execute=True):
            profile.name_en = "Saved again"
            profile.save()
    profile.refresh_from_db()
    assert profile.name_en == "Saved again"
    assert "could not purge clusters.ClusterProfile" in caplog.text


def sector_shown_by(country, count: int) -> Sector:
    sector = Sector.objects.create(slug=f"shown-{count}", name_en=f"Shown {count}")
    for number in range(count):
        item = news_page(country, title={"en": f"News {number}"})
        item.sectors.add(sector)
        item.save()
    return sector


def purge_queries(sector, purge_server, django_capture_on_commit_callbacks) -> int:
    """The queries the purge after a save of ``sector`` costs (its receiver costs none
    at the save: it only registers the callback)."""
    with purging_to_server(purge_server):
        with django_capture_on_commit_callbacks() as callbacks:
            sector.name_en += "!"
            sector.save()
        ours = [each for each in callbacks if each.__module__ == frontend_cache_snippets.__name__]
        with CaptureQueriesContext(connection) as queries:
            for callback in ours:
                callback()
    assert len(ours) == 1
    return len(queries)


def test_the_purge_costs_as_many_queries_for_twenty_pages_as_for_two(
    country, purge_server, django_capture_on_commit_callbacks
):
    few = sector_shown_by(country("CZ"), 2)
    many = sector_shown_by(country("CZ"), 20)
    purge_queries(few, purge_server, django_capture_on_commit_callbacks)  # caches warmed
    cost = purge_queries(few, purge_server, django_capture_on_commit_callbacks)
    assert PurgeRecorder.received  # it did purge
    assert purge_queries(many, purge_server, django_capture_on_commit_callbacks) == cost


def test_the_cap_is_configured_by_environment(settings, monkeypatch):
    assert settings.FRONTEND_CACHE_MAX_URLS == 1000
    monkeypatch.setenv("FRONTEND_CACHE_MAX_URLS", "250")
    assert env_count("FRONTEND_CACHE_MAX_URLS", 1000) == 250
    monkeypatch.setenv("FRONTEND_CACHE_MAX_URLS", "many")
    with pytest.raises(ImproperlyConfigured, match="FRONTEND_CACHE_MAX_URLS: expected a whole"):
        env_count("FRONTEND_CACHE_MAX_URLS", 1000)


def test_an_import_purges_the_profiles_it_wrote_where_they_were_and_are(country, purged):
    """An import writes in bulk, without post_save: nothing it changed or moved was purged."""
    cz, sk, hub = country("CZ"), country("SK"), country("INT")
    profile = a_czech_profile()
    content = f"slug,country,name_en,name_sk\n{profile.slug},SK,Moved,Presunutý\n".encode()
    preview = preview_import(read_table(content, "clusters.csv"))
    assert [row.action for row in preview.rows] == ["update"], preview.rows[0].errors
    with purged():
        apply_import(preview)
    slug = f"{profile.slug}/"
    assert addresses(cz, slug) | addresses(sk, slug) | addresses(hub, slug) <= purged.urls
    assert addresses(cz) | addresses(sk) | addresses(hub) <= purged.urls  # their listings
    assert not any(host == "it.localhost" for host, _ in purged.urls)


def test_an_import_purges_the_news_relating_the_profiles_it_wrote(country, purged):
    """They show the profile's name: left to expire, they showed the old one."""
    cz = country("CZ")
    profile = a_czech_profile()
    item = news_page(cz, title={"cs": "Novinka", "en": "News"})
    item.related_clusters.add(profile)
    item.save()
    content = f"slug,country,name_en,name_cs\n{profile.slug},CZ,Renamed,Přejmenovaný\n".encode()
    preview = preview_import(read_table(content, "clusters.csv"))
    assert [row.action for row in preview.rows] == ["update"], preview.rows[0].errors
    with purged():
        apply_import(preview)
    assert addresses(cz, page=item) <= purged.urls
