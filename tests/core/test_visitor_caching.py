"""HTTP caching of visitor pages: validators, 304s, Cache-Control for a CDN, purge on publish."""

import re
import socket
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils.http import http_date, parse_http_date
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import PageLogEntry

from cms.settings.visitors import frontend_cache_backends
from tests.factories import news_page, path_of, restrict
from tests.ports import unused_port
from tests.purging import PurgeRecorder, purging_to


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_an_anonymous_page_view_is_public_with_validators(site_client, settings):
    response = site_client("CZ").get("/cs/aktuality/")
    assert response.status_code == 200
    assert directives(response) == {
        "public",
        f"max-age={settings.VISITOR_CACHE_MAX_AGE}",
        f"s-maxage={settings.VISITOR_CACHE_S_MAXAGE}",
    }
    assert response["ETag"]
    assert parse_http_date(response["Last-Modified"])
    assert "Set-Cookie" not in response


def test_cluster_profiles_and_the_search_page_are_cacheable_too(site_client):
    from cms.clusters.models import ClusterProfile

    client = site_client("CZ")
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    profile = client.get(f"/cs/klastry/{cluster.slug}/")
    assert "public" in directives(profile) and profile["Last-Modified"] and profile["ETag"]
    search = client.get("/cs/search/", {"q": "klastr"})
    assert search.status_code == 200 and "public" in directives(search)


def test_revalidation_answers_304(site_client):
    client = site_client("CZ")
    first = client.get("/cs/aktuality/")
    by_etag = client.get("/cs/aktuality/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    assert by_etag["ETag"] == first["ETag"] and "public" in directives(by_etag)
    by_date = client.get("/cs/aktuality/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    assert client.get("/cs/aktuality/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.parametrize("path", ["/cs/aktuality/", "/cs/feeds/news.rss", "/sitemap.xml"])
def test_a_head_request_gets_the_gets_validators_and_its_304(site_client, path):
    """RFC 9110: a HEAD carries the GET's headers. Django's middleware skips HEAD: no
    ETag, and a 200 to every conditional request (crawlers and feed readers use HEAD)."""
    client = site_client("CZ")
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == 200 and head["ETag"] == get["ETag"]
    assert client.head(path, HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304
    assert client.head(path, HTTP_IF_MODIFIED_SINCE=get["Last-Modified"]).status_code == 304
    assert client.head(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_later_change_anywhere_renews_last_modified(site_client, country):
    client = site_client("CZ")
    first = client.get("/cs/")
    # A news item published (and logged) after the first answer: the home page lists it.
    page = news_page(country("CZ"), title={"cs": "Novinka", "en": "News"})
    later = parse_http_date(first["Last-Modified"]) + 5
    PageLogEntry.objects.filter(page=page).update(timestamp=datetime.fromtimestamp(later, UTC))
    second = client.get("/cs/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert second.status_code == 200
    assert parse_http_date(second["Last-Modified"]) >= later


def test_unpublishing_renews_last_modified_too(site_client, country):
    page = news_page(country("CZ"), title={"cs": "Zmizí", "en": "Gone"})
    client = site_client("CZ")
    first = client.get("/cs/aktuality/")
    page.unpublish()
    later = datetime.fromtimestamp(parse_http_date(first["Last-Modified"]) + 5, UTC)
    PageLogEntry.objects.filter(page=page, action="wagtail.unpublish").update(timestamp=later)
    # Still the old date would have said "not modified" for a list that lost an item.
    response = client.get("/cs/aktuality/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200


def test_a_signed_in_editor_gets_nothing_a_cache_may_keep(site_client):
    client = site_client("CZ")
    client.force_login(get_user_model().objects.create_superuser("editor", password="pw"))
    response = client.get("/cs/aktuality/")
    assert response.status_code == 200
    assert "public" not in directives(response)
    assert {"private", "no-store"} <= directives(response)


def test_responses_that_set_a_cookie_are_never_public(client, db):
    response = client.get("/language/", {"next": "/cs/"}, HTTP_HOST="cz.localhost")
    assert response.cookies
    assert "public" not in directives(response) and "private" in directives(response)


def test_errors_redirects_and_the_api_get_no_public_caching(client, db, site_client, country):
    assert "public" not in directives(client.get("/cs/nic/", HTTP_HOST="cz.localhost"))
    page = news_page(country("CZ"), title={"en": "English only"})
    redirect = site_client("CZ").get(path_of(page, "cs"))
    assert redirect.status_code == 302 and "public" not in directives(redirect)
    api = client.get("/api/v3/pages/", HTTP_HOST="cz.localhost")
    assert "s-maxage" not in directives(api)


@override_settings(VISITOR_CACHE_MAX_AGE=0, VISITOR_CACHE_S_MAXAGE=0)
def test_caching_can_be_switched_off(site_client):
    response = site_client("CZ").get("/cs/aktuality/")
    assert "Cache-Control" not in response
    assert response["ETag"]  # revalidation still works


def test_the_purge_is_off_by_default_and_configured_by_environment(settings):
    assert settings.WAGTAILFRONTENDCACHE == {}
    assert frontend_cache_backends({}) == {}
    backends = frontend_cache_backends({"FRONTEND_CACHE_URL": "http://cache:6081"})
    assert backends["http"]["LOCATION"] == "http://cache:6081"
    cloudflare = frontend_cache_backends(
        {"FRONTEND_CACHE_CLOUDFLARE_ZONE_ID": "z", "FRONTEND_CACHE_CLOUDFLARE_TOKEN": "t"}
    )
    assert cloudflare["cloudflare"]["ZONEID"] == "z"


def publish_new_revision(page, title: str):
    page.title_en = title
    page.save_revision().publish()


def test_publishing_purges_the_page_and_its_listings_in_every_language(
    country, purge_server, django_capture_on_commit_callbacks
):
    page = news_page(country("CZ"), title={"cs": "Česky", "en": "English"})
    host, port = purge_server.server_address
    with purging_to(f"http://{host}:{port}"), django_capture_on_commit_callbacks(execute=True):
        publish_new_revision(page, "English, edited")
    received = set(PurgeRecorder.received)
    assert {
        ("cz.localhost", path_of(page, "cs")),
        ("cz.localhost", path_of(page, "en")),
        ("cz.localhost", "/cs/aktuality/"),
        ("cz.localhost", "/en/news/"),
        ("cz.localhost", "/cs/"),
        ("cz.localhost", "/en/"),
    } <= received


def test_restricting_a_section_purges_it_its_pages_and_its_listings(
    country, purge_server, django_capture_on_commit_callbacks
):
    """A page the CDN kept while public must not stay served after a password is put on it."""
    item = news_page(country("CZ"), title={"cs": "Česky", "en": "English"})
    section = item.get_parent()
    host, port = purge_server.server_address
    expected = {
        ("cz.localhost", path_of(item, "cs")),
        ("cz.localhost", path_of(item, "en")),
        ("cz.localhost", "/cs/aktuality/"),
        ("cz.localhost", "/en/news/"),
        ("cz.localhost", "/cs/"),
    }
    with purging_to(f"http://{host}:{port}"), django_capture_on_commit_callbacks(execute=True):
        restriction = restrict(section)
    assert expected <= set(PurgeRecorder.received)

    PurgeRecorder.received = []
    with purging_to(f"http://{host}:{port}"), django_capture_on_commit_callbacks(execute=True):
        restriction.delete()  # lifted: the CDN's "no such item" listings go too
    assert expected <= set(PurgeRecorder.received)


def test_deleting_a_live_page_purges_it_and_its_listings(
    country, purge_server, django_capture_on_commit_callbacks
):
    """Wagtail unpublishes a live page before deleting it; the purge must follow (it reads
    the page's URLs after the commit, when the page is gone)."""
    item = news_page(country("CZ"), title={"cs": "Česky", "en": "English"})
    gone = {("cz.localhost", path_of(item, "cs")), ("cz.localhost", path_of(item, "en"))}
    host, port = purge_server.server_address
    with purging_to(f"http://{host}:{port}"), django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert gone | {("cz.localhost", "/cs/aktuality/"), ("cz.localhost", "/en/news/")} <= set(
        PurgeRecorder.received
    )


def test_moving_a_page_purges_its_old_and_new_addresses_and_listings(
    country, purge_server, django_capture_on_commit_callbacks
):
    item = news_page(country("CZ"), title={"cs": "Česky", "en": "English"})
    old = {("cz.localhost", path_of(item, "cs")), ("cz.localhost", "/cs/aktuality/")}
    slovak_news = news_page(country("SK"), title={"en": "Slovak"}).get_parent()
    host, port = purge_server.server_address
    with purging_to(f"http://{host}:{port}"), django_capture_on_commit_callbacks(execute=True):
        item.move(slovak_news, pos="last-child")
    item.refresh_from_db()
    new = {("sk.localhost", path_of(item, "en")), ("sk.localhost", path_of(slovak_news, "en"))}
    assert old | new <= set(PurgeRecorder.received)


def test_nothing_is_purged_when_no_cache_is_configured(
    country, purge_server, django_capture_on_commit_callbacks
):
    page = news_page(country("CZ"), title={"en": "English"})
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_revision(page, "Edited")
    assert PurgeRecorder.received == []


def test_a_dead_purge_target_does_not_fail_the_publish(
    country, django_capture_on_commit_callbacks, caplog
):
    page = news_page(country("CZ"), title={"en": "English"})
    with (
        purging_to(f"http://127.0.0.1:{unused_port()}"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish_new_revision(page, "Published anyway")
    page.refresh_from_db()
    assert page.live and page.title_en == "Published anyway"
    assert "could not purge" in caplog.text


def test_a_purge_target_that_never_answers_times_out(
    country, django_capture_on_commit_callbacks, caplog
):
    # Accepts connections (the kernel's backlog) but never answers a request.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(50)
    page = news_page(country("CZ"), title={"en": "English"})
    try:
        with (
            purging_to(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.2),
            django_capture_on_commit_callbacks(execute=True),
        ):
            publish_new_revision(page, "Published anyway")
    finally:
        silent.close()
    page.refresh_from_db()
    assert page.title_en == "Published anyway"
    # One timeout, not one per URL: the page and its listings in each language.
    assert caplog.text.count("timed out") == 1
    assert re.search(r"\d+ more URLs not purged", caplog.text)


def test_a_purge_across_sites_waits_for_a_silent_proxy_once(caplog):
    """Wagtail hands the backend one batch per host name: each waited out a timeout."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(50)
    urls = [f"http://{code}.localhost/cs/{n}/" for code in ("cz", "sk", "pl") for n in range(3)]
    try:
        with purging_to(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.2):
            purge_urls_from_cache(urls)
    finally:
        silent.close()
    assert caplog.text.count("timed out") == 1
    assert sum(map(int, re.findall(r"(\d+) more URLs not purged", caplog.text))) == 8


def test_last_modified_is_an_http_date(site_client):
    response = site_client("CZ").get("/cs/")
    assert response["Last-Modified"] == http_date(parse_http_date(response["Last-Modified"]))


@pytest.mark.parametrize(
    ("path", "magic"),
    [("/favicon.ico", b"\x00\x00\x01\x00"), ("/apple-touch-icon.png", b"\x89PNG")],
)
def test_site_root_icons_are_served(client, db, path, magic):
    response = client.get(path, HTTP_HOST="cz.localhost")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(magic)
    assert response["Content-Type"].startswith("image/")
