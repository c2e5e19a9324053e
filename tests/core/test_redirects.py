"""Old addresses keep working: an editor's new slug (in any language) or a move redirects
(301) every old address of the page, of the live pages below it and of a directory's
profiles, in each language the site publishes, to the same thing in the same language
(``cms.core.redirects``)."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from treebeard.mp_tree import MP_MoveHandler
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail.users.models import UserProfile

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.core import page_addresses, redirects
from cms.core.languages import LANGUAGE_CODES
from cms.core.translation_status import mark_complete_ready
from cms.home.models import StandardPage
from cms.news.models import NewsIndexPage, NewsPage
from tests.factories import (
    country_user,
    logged_in,
    news_page,
    page_form_data,
    path_of,
    translated,
)
from tests.purging import PurgeRecorder, purging_to_server


def news_index(country) -> NewsIndexPage:
    return NewsIndexPage.objects.child_of(country.home_page).get()


def rename(page, **slugs) -> None:
    """Publish ``page`` with new slugs, as an editor does (``slug_cs="zpravy"``)."""
    page = type(page).objects.get(pk=page.pk)
    for language, slug in slugs.items():
        setattr(page, f"slug_{language}", slug)
    page.save_revision().publish()


def assert_redirects(client, old: str, new: str) -> None:
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get(new).status_code == 200, new


def standard_page(parent, *, en: str, cs: str) -> StandardPage:
    page = StandardPage(**translated("title", {"en": en, "cs": cs}), slug_en=en, slug_cs=cs)
    mark_complete_ready(page)
    with translation.override("en"):
        parent.add_child(instance=page)
    return page


def test_a_sections_new_slugs_redirect_its_items_in_each_language(
    country, site_client, django_capture_on_commit_callbacks
):
    cz = country("CZ")
    item = news_page(cz, title={"en": "Cluster day", "cs": "Den klastrů"})
    index = news_index(cz)
    old = {code: (path_of(index, code), path_of(item, code)) for code in ("cs", "en")}
    assert old["cs"][1].startswith("/cs/aktuality/") and old["en"][1].startswith("/en/news/")

    # After the commit, Wagtail's own redirects (if they were on) would run too.
    with django_capture_on_commit_callbacks(execute=True):
        rename(index, cs="zpravy", en="updates")
    item = NewsPage.objects.get(pk=item.pk)
    client = site_client("CZ")
    for code, prefix in (("cs", "/cs/zpravy/"), ("en", "/en/updates/")):
        new = path_of(item, code)
        assert new.startswith(prefix)
        assert_redirects(client, old[code][1], new)  # the item, in the same language
        assert_redirects(client, old[code][0], prefix)  # the section itself
    # Only the site's languages (cs, en), and only ours: Wagtail's own (to a page) are off.
    made = Redirect.objects.filter(site=cz.site)
    assert all(r.old_path.startswith(("/cs/", "/en/")) for r in made)
    assert all(r.redirect_link and r.redirect_page_id is None for r in made)


def test_one_languages_new_slug_redirects_that_language_only(country, site_client):
    cz = country("CZ")
    item = news_page(cz, title={"en": "Only Czech", "cs": "Jen česky"})
    old_cs, en = path_of(item, "cs"), path_of(item, "en")
    rename(news_index(cz), cs="zpravy")
    assert_redirects(site_client("CZ"), old_cs, path_of(NewsPage.objects.get(pk=item.pk), "cs"))
    assert not Redirect.objects.filter(old_path=Redirect.normalise_path(en)).exists()


def test_a_move_redirects_the_page_and_those_below_it(country, site_client):
    home = country("CZ").home_page
    regions = standard_page(home, en="regions", cs="kraje")
    about = standard_page(home, en="about", cs="o-nas")
    moved = standard_page(regions, en="usti", cs="ustecky")
    below = standard_page(moved, en="cities", cs="mesta")
    old = {code: (path_of(moved, code), path_of(below, code)) for code in ("cs", "en")}

    moved.move(about, pos="last-child")
    client = site_client("CZ")
    for code in ("cs", "en"):
        new_moved = path_of(StandardPage.objects.get(pk=moved.pk), code)
        new_below = path_of(StandardPage.objects.get(pk=below.pk), code)
        assert new_moved == {"cs": "/cs/o-nas/ustecky/", "en": "/en/about/usti/"}[code]
        assert_redirects(client, old[code][0], new_moved)
        assert_redirects(client, old[code][1], new_below)


def test_the_admins_move_redirects(country, site_client, client):
    home = country("CZ").home_page
    regions = standard_page(home, en="regions-admin", cs="kraje-admin")
    about = standard_page(home, en="about-admin", cs="o-nas-admin")
    moved = standard_page(regions, en="usti", cs="ustecky")
    old = path_of(moved, "cs")
    client.force_login(country_user("CZ", "moderators"))
    response = client.post(f"/admin/pages/{moved.pk}/move/{about.pk}/confirm/")
    assert response.status_code == 302
    assert_redirects(site_client("CZ"), old, "/cs/o-nas-admin/ustecky/")


def test_a_directorys_new_slug_redirects_its_profiles(country, site_client):
    cz = country("CZ")
    profile = ClusterProfile.objects.create(
        slug="quokkacluster-redirected",
        country=cz,
        ready_languages=["cs", "en"],
        **translated("name", {"en": "Quokka cluster", "cs": "Klastr kvok"}),
    )
    directory = ClusterDirectoryPage.objects.child_of(cz.home_page).get()
    old = {code: path_of(directory, code) + f"{profile.slug}/" for code in ("cs", "en")}

    rename(directory, cs="organizace", en="organisations")
    client = site_client("CZ")
    assert_redirects(client, old["cs"], f"/cs/organizace/{profile.slug}/")
    assert_redirects(client, old["en"], f"/en/organisations/{profile.slug}/")


def test_a_chain_of_new_slugs_leads_straight_to_the_last(country, site_client):
    cz = country("CZ")
    item = news_page(cz, title={"en": "Chained", "cs": "Řetěz"})
    first = path_of(item, "cs")
    rename(news_index(cz), cs="zpravy")
    rename(news_index(cz), cs="novinky")
    last = path_of(NewsPage.objects.get(pk=item.pk), "cs")
    assert last.startswith("/cs/novinky/")
    assert_redirects(site_client("CZ"), first, last)  # one hop, not two


def test_going_back_to_an_old_slug_serves_the_page_there_again(country, site_client):
    cz = country("CZ")
    item = news_page(cz, title={"en": "Back", "cs": "Zpět"})
    original = path_of(item, "cs")
    rename(news_index(cz), cs="zpravy")
    between = path_of(NewsPage.objects.get(pk=item.pk), "cs")
    rename(news_index(cz), cs="aktuality")
    client = site_client("CZ")
    assert client.get(original).status_code == 200
    assert_redirects(client, between, original)
    # The old address lost its redirect: it would only wait for the page to leave, or loop.
    assert not Redirect.objects.filter(old_path=Redirect.normalise_path(original)).exists()


def test_a_redirect_never_shadows_a_live_page(country, site_client):
    """Wagtail's RedirectMiddleware acts on 404s only: a page living at an address wins."""
    cz = country("CZ")
    item = news_page(cz, title={"en": "Alive", "cs": "Živý"})
    path = path_of(item, "cs")
    Redirect.add_redirect(path, redirect_to="/cs/", site=cz.site)
    assert site_client("CZ").get(path).status_code == 200


def test_an_editors_own_redirect_from_an_old_address_is_kept(country, site_client):
    cz = country("CZ")
    item = news_page(cz, title={"en": "Kept", "cs": "Ponechán"})
    old = path_of(item, "cs")
    Redirect.add_redirect(old, redirect_to="/cs/", site=cz.site)
    rename(news_index(cz), cs="zpravy")
    response = site_client("CZ").get(old)
    assert (response.status_code, response["Location"]) == (301, "/cs/")


def test_pages_visitors_cannot_see_get_no_redirect(country):
    cz = country("CZ")
    draft = news_page(cz, title={"en": "Draft", "cs": "Koncept"}, live=False)
    old = path_of(draft, "cs")
    rename(news_index(cz), cs="zpravy")
    assert not Redirect.objects.filter(old_path=Redirect.normalise_path(old)).exists()
    # A page never published gets none for its own draft's new slug either.
    draft.slug_cs = "jiny-koncept"
    draft.save()
    assert not Redirect.objects.filter(old_path__contains="koncept").exists()


def test_a_failure_is_logged_and_the_editors_save_stands(country, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("redirects table unavailable")

    monkeypatch.setattr(redirects, "redirect_changed", broken)
    cz = country("CZ")
    with caplog.at_level(logging.ERROR, logger="cms.core.redirects"):
        rename(news_index(cz), cs="zpravy")
    assert news_index(cz).slug_cs == "zpravy"
    assert "could not keep the old addresses" in caplog.text


@pytest.fixture
def queries_of_redirects(monkeypatch):
    """How many queries ``cms.core.redirects`` itself makes (the other receivers of a
    publication, search and projections, are measured in their own tests)."""
    counted = []

    def counting(function):
        def run(*args, **kwargs):
            with CaptureQueriesContext(connection) as queries:
                result = function(*args, **kwargs)
            counted.append(len(queries))
            return result

        return run

    monkeypatch.setattr(redirects, "moving", counting(redirects.moving))
    monkeypatch.setattr(redirects, "keep_old_addresses", counting(redirects.keep_old_addresses))
    return counted


def section_of(home, name: str, children: int) -> StandardPage:
    section = standard_page(home, en=name, cs=f"{name}-cs")
    for number in range(children):
        standard_page(section, en=f"{name}-{number}", cs=f"{name}-cs-{number}")
    return section


def test_the_cost_does_not_grow_with_the_pages_below(country, queries_of_redirects):
    home = country("CZ").home_page
    small, large = section_of(home, "small", 2), section_of(home, "large", 20)
    # The sites' root paths, cached per language, are read before: they are not per page.
    page_addresses.addresses([home], languages=page_addresses.languages_by_site(), routes={})
    queries_of_redirects.clear()
    rename(small, cs="male", en="little")
    cost_of_small = sum(queries_of_redirects)
    queries_of_redirects.clear()
    rename(large, cs="velke", en="big")

    assert Redirect.objects.filter(redirect_link__contains="/velke/").count() == 21
    assert Redirect.objects.filter(redirect_link__contains="/big/").count() == 21
    assert sum(queries_of_redirects) == cost_of_small <= 6


def test_a_cdn_forgets_the_old_addresses(country, purge_server, django_capture_on_commit_callbacks):
    """With a CDN, the old addresses (the section's and those below it) are purged after
    the commit: it fetches their redirects instead of serving the old pages there."""
    cz = country("CZ")
    item = news_page(cz, title={"en": "Cluster day", "cs": "Den klastrů"})
    index = news_index(cz)
    old = {path_of(page, code) for page in (index, item) for code in ("cs", "en")}
    with purging_to_server(purge_server), django_capture_on_commit_callbacks(execute=True):
        rename(index, cs="zpravy", en="updates")
    assert {("cz.localhost", path) for path in old} <= set(PurgeRecorder.received)


def test_a_page_moved_to_another_countrys_site_redirects_every_old_language(country, site_client):
    """The hub publishes in seven languages, the Czech site in two: after a move there, the
    hub's addresses in the others go (301) to the page in the language their readers land
    on (``link_language``): Slovak readers to the Czech page (sk -> cs -> en), German ones
    to the English; those below it too. Czech and English go to the same language."""
    hub, cz = country("INT"), country("CZ")
    texts = {"en": "Moving on", "cs": "Stěhování", "sk": "Sťahovanie", "de": "Umzug"}
    moved = StandardPage(**translated("title", texts), slug_en="moving-on", slug_cs="stehovani")
    moved.slug_sk, moved.slug_de = "stahovanie", "umzug"
    mark_complete_ready(moved)
    with translation.override("en"):
        hub.home_page.add_child(instance=moved)
    below = standard_page(moved, en="below", cs="pod")
    old = {code: (path_of(moved, code), path_of(below, code)) for code in ("en", "cs", "sk", "de")}

    moved.move(cz.home_page, pos="last-child")
    moved, below = StandardPage.objects.get(pk=moved.pk), StandardPage.objects.get(pk=below.pk)
    hub_client = site_client("INT")
    lands_in = {"en": "en", "cs": "cs", "sk": "cs", "de": "en"}
    for requested, landing in lands_in.items():
        for page, old_path in zip((moved, below), old[requested], strict=True):
            response = hub_client.get(old_path)
            assert response.status_code == 301, old_path
            with translation.override(landing):
                assert response["Location"] == page.get_full_url(), old_path
    cz_client = site_client("CZ")
    for code in ("cs", "en"):
        assert cz_client.get(path_of(moved, code)).status_code == 200


def test_a_directory_moved_to_another_country_sends_its_old_profiles_where_they_are_now(
    country, site_client
):
    """The Czech directory moved to the Slovak site (whose own is deleted) serves the
    Slovak profiles there; the Czech ones are the hub's now, so their old addresses go
    to the hub's directory, not below the moved one (a 404)."""
    sk, cz, hub = country("SK"), country("CZ"), country("INT")
    ClusterDirectoryPage.objects.child_of(sk.home_page).get().delete()
    directory = ClusterDirectoryPage.objects.child_of(cz.home_page).get()
    profile = next(
        p for p in ClusterProfile.objects.filter(country=cz) if "cs" in p.ready_languages
    )
    old = {code: path_of(directory, code) + f"{profile.slug}/" for code in ("cs", "en")}

    directory.move(sk.home_page, pos="last-child")
    hub_directory = ClusterDirectoryPage.objects.child_of(hub.home_page).get()
    client = site_client("CZ")
    for code in ("cs", "en"):
        response = client.get(old[code])
        new = f"http://localhost{path_of(hub_directory, code)}{profile.slug}/"
        assert (response.status_code, response["Location"]) == (301, new), old[code]
    assert site_client("INT").get(new).status_code == 200


def admin_in(language: str, client):
    """``client`` logged in as a superuser whose admin language is ``language``."""
    user = get_user_model().objects.create_superuser(f"root-{language}", password="pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def assert_moved(old_host: str, old: dict[str, str], page, lands_in: dict[str, str]) -> None:
    """Each old address (language -> path on ``old_host``) of ``page`` (reloaded) goes (301)
    to its new address in the language its readers land on (a path on the same site, a
    full URL on another), which serves it."""
    page = type(page).objects.get(pk=page.pk)
    for language, path in old.items():
        with translation.override(lands_in[language]):
            host, new = page.get_full_url().removeprefix("http://").split("/", 1)
        new = f"/{new}"
        response = Client(HTTP_HOST=old_host).get(path)
        link = new if host == old_host else f"http://{host}{new}"
        assert (response.status_code, response.get("Location")) == (301, link), path
        assert Client(HTTP_HOST=host).get(new).status_code == 200, link


@pytest.mark.parametrize("admin_language", ["cs", "en", "de", "sk"])
def test_the_admins_move_to_another_country_redirects_whatever_the_admin_language(
    country, client, admin_language
):
    """A move sets the active language's url path first and the others after (two saves):
    every old address still redirects, whichever language the editor's admin speaks, and
    the page and those below it are stored at their new place in every language."""
    cz, de = country("CZ"), country("DE")
    moved = standard_page(cz.home_page, en="moving-away", cs="stehujeme-se")
    below = standard_page(moved, en="below-it", cs="pod-tim")
    item = news_page(cz, title={"en": "Moved news", "cs": "Přesunutá zpráva"})
    old = {
        page: {code: path_of(page, code) for code in ("cs", "en")} for page in (moved, below, item)
    }
    assert old[item]["cs"].startswith("/cs/aktuality/")

    admin = admin_in(admin_language, client)
    for page, target in ((moved, de.home_page), (item, news_index(de))):
        response = admin.post(f"/admin/pages/{page.pk}/move/{target.pk}/confirm/")
        assert response.status_code == 302

    # The German site publishes German and English: Czech readers land on the English page.
    for page in (moved, below, item):
        assert_moved("cz.localhost", old[page], page, {"cs": "en", "en": "en"})
        stored = Page.objects.filter(pk=page.pk).values(*page_addresses.URL_PATHS).get()
        assert all(path.startswith("de/") for path in stored.values()), stored


@pytest.mark.parametrize("admin_language", ["cs", "en"])
def test_the_admins_move_within_a_site_redirects_every_language(country, client, admin_language):
    home = country("CZ").home_page
    regions = standard_page(home, en=f"regions-{admin_language}", cs=f"kraje-{admin_language}")
    about = standard_page(home, en=f"about-{admin_language}", cs=f"o-nas-{admin_language}")
    moved = standard_page(regions, en="usti", cs="ustecky")
    below = standard_page(moved, en="cities", cs="mesta")
    old = {page: {code: path_of(page, code) for code in ("cs", "en")} for page in (moved, below)}

    response = admin_in(admin_language, client).post(
        f"/admin/pages/{moved.pk}/move/{about.pk}/confirm/"
    )
    assert response.status_code == 302
    for page in (moved, below):
        assert_moved("cz.localhost", old[page], page, {"cs": "cs", "en": "en"})
    assert path_of(StandardPage.objects.get(pk=below.pk), "cs") == (
        f"/cs/o-nas-{admin_language}/ustecky/mesta/"
    )


def test_a_move_in_code_with_czech_active_redirects_every_language(country):
    cz, de = country("CZ"), country("DE")
    moved = standard_page(cz.home_page, en="moved-in-code", cs="presunuto-v-kodu")
    old = {code: path_of(moved, code) for code in ("cs", "en")}
    with translation.override("cs"):
        moved.move(de.home_page, pos="last-child")
    assert_moved("cz.localhost", old, moved, {"cs": "en", "en": "en"})


def test_the_admins_bulk_move_redirects_every_language(country, client):
    cz, de = country("CZ"), country("DE")
    items = [news_page(cz, title={"en": f"Bulk {n}", "cs": f"Hromadně {n}"}) for n in (1, 2)]
    old = {item: {code: path_of(item, code) for code in ("cs", "en")} for item in items}
    ids = "&".join(f"id={item.pk}" for item in items)
    response = admin_in("cs", client).post(
        f"/admin/bulk/wagtailcore/page/move/?{ids}", {"chooser": news_index(de).pk}
    )
    assert response.status_code == 302
    for item in items:
        assert_moved("cz.localhost", old[item], item, {"cs": "en", "en": "en"})


def test_a_failed_move_leaves_later_saves_their_redirects(country, monkeypatch):
    """A move that fails after ``pre_page_move`` (nothing moved) does not keep the page's
    later saves from redirecting."""
    cz = country("CZ")
    item = news_page(cz, title={"en": "Stays", "cs": "Zůstává"})
    old = path_of(item, "cs")

    def broken(*args, **kwargs):
        raise RuntimeError("tree unavailable")

    monkeypatch.setattr(MP_MoveHandler, "process", broken)
    with pytest.raises(RuntimeError):
        item.move(news_index(country("DE")), pos="last-child")
    monkeypatch.undo()
    rename(item, cs="zustava-jinde")
    new = path_of(NewsPage.objects.get(pk=item.pk), "cs")
    assert new.endswith("/zustava-jinde/")
    assert Redirect.objects.filter(
        old_path=Redirect.normalise_path(old), redirect_link=new
    ).exists()


def test_a_failure_after_a_move_is_logged_and_the_move_stands(country, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("redirects table unavailable")

    monkeypatch.setattr(redirects, "redirect_changed", broken)
    cz, de = country("CZ"), country("DE")
    item = news_page(cz, title={"en": "Moves anyway", "cs": "Stejně se stěhuje"})
    with caplog.at_level(logging.ERROR, logger="cms.core.redirects"):
        item.move(news_index(de), pos="last-child")
    assert NewsPage.objects.get(pk=item.pk).get_site().pk == de.site_id
    assert "could not keep the old addresses" in caplog.text


def test_a_redirect_keeps_the_visitors_query_string(country, site_client):
    """Page 2 of a tag's listing at a section's old address: Wagtail's redirect went to the
    new address alone, page 1 and unfiltered (campaign parameters lost too)."""
    cz = country("CZ")
    rename(news_index(cz), cs="zpravy")
    client = site_client("CZ")
    response = client.get("/cs/aktuality/?page=2&tag=ict&utm_source=mail")
    assert response.status_code == 301
    assert response["Location"] == "/cs/zpravy/?page=2&tag=ict&utm_source=mail"
    assert client.get("/cs/aktuality/")["Location"] == "/cs/zpravy/"  # none: none added


def test_an_editors_redirect_made_for_a_query_goes_where_it_says(country, site_client):
    cz = country("CZ")
    Redirect.add_redirect("/cs/stare/?p=12", redirect_to="/cs/akce/", site=cz.site)
    Redirect.add_redirect("/cs/stare/", redirect_to="/cs/aktuality/?from=old", site=cz.site)
    client = site_client("CZ")
    assert client.get("/cs/stare/?p=12")["Location"] == "/cs/akce/"
    # A target with its own query keeps it, and is not given the visitor's on top.
    assert client.get("/cs/stare/?p=13")["Location"] == "/cs/aktuality/?from=old"


def test_the_visitors_query_goes_before_the_targets_fragment(country, site_client):
    cz = country("CZ")
    Redirect.add_redirect(
        "/cs/kontakt/", redirect_to="https://example.org/stranka#kontakt", site=cz.site
    )
    response = site_client("CZ").get("/cs/kontakt/?utm_source=x")
    assert response["Location"] == "https://example.org/stranka?utm_source=x#kontakt"


def test_a_cleared_translation_sends_its_readers_to_the_page_in_another_language(
    country, site_client
):
    """The English text of a Czech item taken out: its English address leads where an
    English reader of the Czech site lands, the Czech page (not to an address nothing
    serves)."""
    item = news_page(country("CZ"), title={"en": "Cluster day", "cs": "Den klastrů"})
    rename(item, en="cluster-day", cs="den-klastru")
    old_en = path_of(NewsPage.objects.get(pk=item.pk), "en")
    page = NewsPage.objects.get(pk=item.pk)
    for name in ("title", "slug", "lead"):
        setattr(page, f"{name}_en", "")
    page.ready_languages = ["cs"]
    page.save_revision().publish()
    client = site_client("CZ")
    assert_redirects(client, old_en, path_of(NewsPage.objects.get(pk=item.pk), "cs"))


def test_a_cleared_translation_of_a_page_written_in_its_sites_language(country, site_client):
    """Written in Slovene in the admin, the page's untranslated slug is the Slovene one: with
    its English taken out, modeltranslation's English url path fell back to it, and the old
    English address led, permanently, to ``/en/news/zalski-grozdi/``, which nothing serves."""
    index = news_index(country("SI"))
    client = logged_in(country_user("SI", "moderators"))
    data = page_form_data("news", title="", slug="")
    data.update(
        {
            **dict.fromkeys((f"lead_{code}" for code in LANGUAGE_CODES), ""),
            **{"title_sl": "Žalski grozdi", "slug_sl": "zalski-grozdi", "lead_sl": "Uvod"},
            **{"title_en": "Žalec clusters", "slug_en": "zalec-clusters", "lead_en": "Lead"},
            "ready_languages": ["sl"],
            "action-publish": "1",
        }
    )
    with translation.override("sl"):
        assert client.post(f"/admin/pages/add/news/newspage/{index.pk}/", data).status_code == 302
    page = NewsPage.objects.get(slug_sl="zalski-grozdi")
    old_en = path_of(page, "en")
    data.update({"title_en": "", "slug_en": "", "lead_en": ""})
    assert client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    assert_redirects(site_client("SI"), old_en, path_of(NewsPage.objects.get(pk=page.pk), "sl"))
