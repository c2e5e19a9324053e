"""The server-side response cache: per URL, language and site; emptied by publishing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.clusters.models import ClusterProfile
from tests.api.conftest import published_news

pytestmark = pytest.mark.usefixtures("response_cache")  # tests.api.conftest


def test_the_second_read_is_served_from_the_cache_without_queries(api, django_assert_num_queries):
    first = api("news/?limit=20")
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = api("news/?limit=20")
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    for header in ("ETag", "Last-Modified", "Content-Language", "Cache-Control", "Vary"):
        assert second[header] == first[header]
    assert api("news/?limit=20", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_languages_and_sites_are_cached_apart(api):
    czech = api("news/", HTTP_ACCEPT_LANGUAGE="cs")
    english = api("news/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Cache"] == "MISS"
    assert (czech["Content-Language"], english["Content-Language"]) == ("cs", "en")
    assert api("news/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")["Content-Language"] == "en"
    assert api("news/", HTTP_ACCEPT_LANGUAGE="cs")["X-Cache"] == "HIT"
    italian_site = api("news/", host="it.localhost")
    assert italian_site["X-Cache"] == "MISS"
    assert italian_site.json()["site"] == "IT"
    assert api("news/?site=IT")["X-Cache"] == "MISS"


def test_publishing_empties_the_cache(api, country, django_capture_on_commit_callbacks):
    api("news/?lang=en")
    assert api("news/?lang=en")["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        page = published_news(country("CZ"), title={"en": "Fresh news"})
    response = api("news/?lang=en")
    assert response["X-Cache"] == "MISS"
    assert page.pk in [item["id"] for item in response.json()["items"]]

    api("news/?lang=en")
    page.unpublish()
    response = api("news/?lang=en")
    assert response["X-Cache"] == "MISS"
    assert page.pk not in [item["id"] for item in response.json()["items"]]


def test_saving_or_deleting_a_snippet_empties_the_cache(api):
    api("clusters/")
    assert api("clusters/")["X-Cache"] == "HIT"
    profile = ClusterProfile.objects.filter(country__code="CZ").first()
    profile.save()
    assert api("clusters/")["X-Cache"] == "MISS"
    profile.delete()
    assert profile.pk not in [item["id"] for item in api("clusters/").json()["items"]]


def test_errors_are_not_cached(api):
    assert api("news/?limit=0").status_code == 400
    assert api("news/?limit=0")["X-Cache"] == "MISS"


def test_a_bad_token_is_refused_before_the_cache(api):
    api("news/")
    refused = api("news/", HTTP_AUTHORIZATION="Bearer x")
    assert refused.status_code == 401
    assert refused.get("X-Cache") is None


def test_a_valid_token_does_not_bypass_the_cache_of_public_reads(api, api_token):
    assert api("news/")["X-Cache"] == "MISS"
    assert api("news/", HTTP_AUTHORIZATION=f"Bearer {api_token}")["X-Cache"] == "HIT"


def test_previews_are_never_cached(api, api_token, country):
    page = published_news(country("CZ"), title={"en": "Previewed"})
    path = f"pages/{page.pk}/preview/"
    for _ in range(2):
        response = api(path, HTTP_AUTHORIZATION=f"Bearer {api_token}")
        assert response.status_code == 200
        assert response.get("X-Cache") is None
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/1", "cms.ops.cache.ResilientRedisCache"),
        ("rediss://user:pw@cache:6380/0", "cms.ops.cache.ResilientRedisCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_cache_url_picks_the_backend(url, backend):
    from cms.settings.base import cache_from_url

    config = cache_from_url(url)
    assert config["BACKEND"] == backend
    if "redis" in url:
        assert config["LOCATION"] == url
        # A dead Redis is a miss, never an error (tests/api/test_cache_outage.py).
        assert config["OPTIONS"]["SOCKET_TIMEOUT"] == 0.5


def test_an_unknown_cache_url_is_refused():
    from cms.settings.base import cache_from_url

    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1")
