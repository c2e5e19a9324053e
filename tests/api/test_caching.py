"""Strong ETags, Last-Modified, 304s, Cache-Control and CORS on every read."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings
from django.utils.http import http_date, parse_http_date

from cms.clusters.models import ClusterProfile
from cms.core.models import Sector
from cms.partners.models import ContactPerson
from tests.api.conftest import published_news

READS = [
    "news/",
    "events/",
    "pages/",
    "clusters/",
    "partners/",
    "contacts/",
    "sectors/",
    "sites/",
    "sites/CZ/",
    "openapi.json",
]


@pytest.mark.parametrize("path", READS)
def test_every_read_has_a_strong_etag_and_caching_headers(api, path):
    response = api(path)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "max-age=60" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]
    again = api(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


@pytest.mark.parametrize("path", [p for p in READS if p != "openapi.json"])
def test_every_content_read_has_last_modified(api, path):
    response = api(path)
    last_modified = parse_http_date(response["Last-Modified"])
    assert api(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    earlier = http_date(last_modified - 60)
    assert api(path, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_304_repeats_the_language_headers(api):
    first = api("news/?lang=en")
    again = api("news/?lang=en", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Content-Language"] == "en"
    assert "Accept-Language" in again["Vary"]


def test_etag_differs_by_language_and_changes_with_the_content(api, country):
    czech, english = api("news/"), api("news/?lang=en")
    assert czech["ETag"] != english["ETag"]
    published_news(country("CZ"), title={"cs": "Čerstvé", "en": "Fresh"})
    fresh = api("news/", HTTP_IF_NONE_MATCH=czech["ETag"])
    assert fresh.status_code == 200
    assert fresh["ETag"] != czech["ETag"]


def test_last_modified_moves_when_an_embedded_object_changes(api, country):
    before = api("news/?fields=_,sectors&site=INT&lang=en")
    # HTTP dates count whole seconds, and the seeded content may be from this very
    # second (the test database is built just before): let the clock pass it first.
    since = parse_http_date(before["Last-Modified"])
    while time.time() < since + 1:
        time.sleep(0.05)
    sector = Sector.objects.get(slug="food")
    sector.name_en = "Food and drink"
    sector.save()
    after = api(
        "news/?fields=_,sectors&site=INT&lang=en",
        HTTP_IF_MODIFIED_SINCE=http_date(parse_http_date(before["Last-Modified"])),
    )
    assert after.status_code == 200
    assert "Food and drink" in after.content.decode()


def test_last_modified_moves_when_an_embedded_object_is_deleted(api, country):
    """A deleted contact leaves no newer stamp in what the item is built from; the item's
    JSON changed all the same (``contact`` is null), so its Last-Modified must move, or a
    consumer revalidating with If-Modified-Since keeps the deleted contact (a 304)."""
    contact = ContactPerson.objects.filter(country__code="CZ").first()
    page = published_news(country("CZ"), title={"cs": "Den", "en": "Day"}, contact=contact)
    before = api(f"news/{page.pk}/?lang=en")
    assert before.json()["contact"]["id"] == contact.pk
    since = parse_http_date(before["Last-Modified"])
    while time.time() < since + 1:  # HTTP dates count whole seconds
        time.sleep(0.05)
    contact.delete()
    after = api(f"news/{page.pk}/?lang=en", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert after.json()["contact"] is None
    assert parse_http_date(after["Last-Modified"]) > since
    listing = api("news/?lang=en&fields=_,contact", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert listing.status_code == 200


@pytest.mark.parametrize("path", ["sites/CZ/?lang=en", "sites/?lang=en"])
def test_a_sites_new_address_moves_its_countrys_stamps(api, path):
    """A site's hostname and port are what ``sites/`` shows of its country: saving the
    site moves the country's ``meta.updated_at`` (``updated_since`` lists it) and the
    Last-Modified (else If-Modified-Since would get a 304 with the old address)."""
    from wagtail.models import Site

    before = api(path)
    since = parse_http_date(before["Last-Modified"])
    while time.time() < since + 1:  # HTTP dates count whole seconds
        time.sleep(0.05)
    started = time.time()
    site = Site.objects.get(hostname="cz.localhost")
    site.port = 8443
    site.save()
    after = api(path, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert parse_http_date(after["Last-Modified"]) > since
    moment = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(started)))
    changed = api(f"sites/?lang=en&updated_since={moment}")
    assert [item["id"] for item in changed.json()["items"]] == ["CZ"]
    assert changed.json()["items"][0]["port"] == 8443


def test_a_removal_moves_the_listings_last_modified(api, country):
    page = published_news(country("CZ"), title={"cs": "Zmizí", "en": "Goes away"})
    before = api("news/")
    page.unpublish()
    after = api("news/")
    assert parse_http_date(after["Last-Modified"]) >= parse_http_date(before["Last-Modified"])
    assert api("news/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_detail_etag_and_304(api):
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    first = api(f"clusters/{cluster.pk}/")
    assert api(f"clusters/{cluster.pk}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert api(f"clusters/{cluster.pk}/", HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert api(f"clusters/{cluster.pk}/", HTTP_IF_NONE_MATCH="*").status_code == 304


def test_errors_are_not_cached(api):
    response = api("news/?limit=-1")
    assert response["Cache-Control"] == "no-store"
    assert not response.has_header("ETag")


@override_settings(CORS_ALLOWED_ORIGINS=["https://partner.example"])
def test_cors_for_configured_origins(api):
    response = api("news/", HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    other = api("news/", HTTP_ORIGIN="https://elsewhere.example")
    assert not other.has_header("Access-Control-Allow-Origin")


@override_settings(CORS_ALLOWED_ORIGINS=["https://partner.example"])
def test_the_document_shows_the_headers_cors_exposes(api):
    response = api("openapi.json", HTTP_ORIGIN="https://partner.example")
    exposed = response["Access-Control-Expose-Headers"]
    header = response.json()["components"]["headers"]["Access-Control-Expose-Headers"]
    assert header["example"] == exposed


@override_settings(CORS_ALLOWED_ORIGINS=["https://partner.example"])
def test_cors_preflight_allows_conditional_gets_only(client, db):
    response = client.options(
        "/api/v3/news/",
        HTTP_HOST="cz.localhost",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "POST" not in response["Access-Control-Allow-Methods"]
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


@override_settings(CORS_ALLOWED_ORIGINS=["https://partner.example"])
def test_no_cors_outside_the_api(client, db):
    response = client.get("/cs/", HTTP_HOST="cz.localhost", HTTP_ORIGIN="https://partner.example")
    assert not response.has_header("Access-Control-Allow-Origin")


def test_cors_origins_come_from_the_environment(monkeypatch):
    import importlib

    import cms.settings.api as api_settings

    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example")
    try:
        reloaded = importlib.reload(api_settings)
        assert reloaded.CORS_ALLOWED_ORIGINS == ["https://a.example", "https://b.example"]
    finally:
        monkeypatch.delenv("CORS_ALLOWED_ORIGINS")
        importlib.reload(api_settings)
