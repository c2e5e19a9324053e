"""Every page type renders in every language its site publishes in."""

import json
import re
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.text import slugify
from lxml import html as lxml_html
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.core.models import Country, CustomImage
from cms.core.translation_status import mark_complete_ready
from cms.core.views import server_error
from cms.events.models import EventIndexPage, EventPage
from cms.home.models import StandardPage
from cms.news.models import NewsIndexPage, NewsPage
from tests.factories import draft_page, news_page, path_of, restrict, translated

COUNTRY_CODES = ["CZ", "IT", "DE", "PL", "AT", "SK", "SI", "INT"]


def urls_of(country: Country, language: str) -> dict[str, str]:
    """One URL per page type on ``country``'s site, in ``language``."""
    home = country.home_page
    pages = {
        "home": home,
        "news index": NewsIndexPage.objects.child_of(home).get(),
        "event index": EventIndexPage.objects.child_of(home).get(),
        "cluster directory": ClusterDirectoryPage.objects.child_of(home).get(),
        "news item": NewsPage.objects.descendant_of(home).live().first(),
        "event": EventPage.objects.descendant_of(home).live().first(),
        "standard page": StandardPage.objects.descendant_of(home).live().first(),
    }
    urls = {kind: path_of(page, language) for kind, page in pages.items() if page is not None}
    cluster = ClusterProfile.objects.filter(country=country).first()
    if cluster:
        urls["cluster profile"] = urls["cluster directory"] + cluster.slug + "/"
    return urls


@pytest.mark.parametrize("code", COUNTRY_CODES)
def test_every_page_type_renders_in_every_site_language(db, client, code):
    country = Country.objects.get(code=code)
    host = country.site.hostname
    for language in country.languages:
        urls = urls_of(country, language)
        if not country.is_hub:
            assert {"news item", "event", "cluster profile"} <= set(urls), code
        for kind, url in urls.items():
            assert url.startswith(f"/{language}/"), (kind, url)
            response = client.get(url, HTTP_HOST=host)
            assert response.status_code == 200, (code, language, kind, url)
            assert f'<html lang="{language}">' in response.content.decode()


def test_cz_news_list_shows_the_press_release_in_czech(site_client):
    response = site_client("CZ").get("/cs/aktuality/")
    assert "Klastrové organizace ze střední Evropy a Clusters – Cord" in response.content.decode()


def test_english_news_list_shows_the_translation(site_client):
    response = site_client("CZ").get("/en/news/")
    html = response.content.decode()
    assert "Cluster organisations from Central Europe and Clusters Cord" in html
    assert "Klastrové organizace ze střední Evropy" not in html


def test_country_sites_answer_by_hostname(client, db):
    for site in Site.objects.all():
        response = client.get("/", HTTP_HOST=site.hostname)
        assert response.status_code == 302
        assert response["Location"] == f"/{site.country.default_language}/"


def test_root_follows_the_browser_language_when_the_site_has_it(client, db):
    response = client.get("/", HTTP_HOST="cz.localhost", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response["Location"] == "/en/"
    response = client.get("/", HTTP_HOST="cz.localhost", HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9")
    assert response["Location"] == "/cs/"


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("unknown.example", "/"),
        ("unknown.example", "/cs/"),
        ("cz.localhost", "/xx/"),
        ("cz.localhost", "/xx/aktuality/"),
        ("cz.localhost", "/de/"),
        ("cz.localhost", "/cs/does-not-exist/"),
        ("cz.localhost", "/cs/klastry/no-such-cluster/"),
    ],
)
def test_bad_addresses_get_a_friendly_404(client, db, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()


def test_404_page_speaks_the_visitor_language(client, db):
    response = client.get("/cs/neexistuje/", HTTP_HOST="cz.localhost")
    assert response.status_code == 404
    assert '<html lang="cs">' in response.content.decode()


def test_cluster_directory_shows_only_own_country(site_client):
    html = site_client("CZ").get("/cs/klastry/").content.decode()
    for cluster in ClusterProfile.objects.exclude(country__code="CZ"):
        assert f"/{cluster.slug}/" not in html
    for cluster in ClusterProfile.objects.filter(country__code="CZ"):
        assert f"/{cluster.slug}/" in html


def test_other_countrys_cluster_is_not_served(site_client):
    slovak = ClusterProfile.objects.filter(country__code="SK").first()
    assert site_client("CZ").get(f"/cs/klastry/{slovak.slug}/").status_code == 404


# The site chrome: search box, navigation, breadcrumbs, footer (templates/base.html).

SEARCH_BOX = re.compile(
    r'<form class="search-box" role="search" action="([^"]+)"[^>]*>.*?'
    r'<input id="site-search" name="q" type="search" maxlength="(\d+)"',
    re.S,
)


def site_search_box(html: str) -> tuple[str, int]:
    """(action, maxlength) of the header's search box; fails when there is none."""
    match = SEARCH_BOX.search(html)
    assert match, "no search box in the header"
    return match.group(1), int(match.group(2))


@pytest.mark.parametrize("code", ["CZ", "INT"])
def test_every_page_type_has_the_search_box_with_the_servers_limit(client, db, code):
    country = Country.objects.get(code=code)
    language = country.default_language
    urls = {**urls_of(country, language), "search": f"/{language}/search/?q=cluster"}
    urls["404"] = f"/{language}/no-such-page/"
    for kind, url in urls.items():
        response = client.get(url, HTTP_HOST=country.site.hostname)
        assert response.status_code in (200, 404), (kind, url)
        action, maxlength = site_search_box(response.content.decode())
        assert action == f"/{language}/search/", kind
        assert maxlength == settings.SEARCH_MAX_QUERY_CHARS, kind


def current_links(html: str) -> dict[str, str]:
    """``{href: aria-current}`` of the main navigation's links."""
    nav = re.search(r'<ul class="site-nav__links">(.*?)</ul>', html, re.S).group(1)
    return dict(re.findall(r'<a href="([^"]+)"(?: aria-current="(\w+)")?>', nav))


def test_navigation_marks_the_current_section(site_client):
    client = site_client("CZ")
    assert current_links(client.get("/cs/").content.decode())["/cs/aktuality/"] == ""
    assert current_links(client.get("/cs/aktuality/").content.decode()) == {
        "/cs/aktuality/": "page",
        "/cs/akce/": "",
        "/cs/klastry/": "",
        "/cs/o-projektu/": "",
    }
    item = NewsPage.objects.descendant_of(Country.objects.get(code="CZ").home_page).first()
    links = current_links(client.get(path_of(item, "cs")).content.decode())
    assert links["/cs/aktuality/"] == "true"


def breadcrumbs(html: str) -> list[tuple[str, str]]:
    """(href or "", text) of each crumb; the current one has no link."""
    match = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', html, re.S)
    assert match, "no breadcrumbs"
    crumbs = []
    for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S):
        link = re.search(r'<a href="([^"]+)"[^>]*>(.*?)</a>', item)
        if link:
            crumbs.append((link.group(1), link.group(2)))
        else:
            current = re.search(r'<span aria-current="page">(.*?)</span>', item)
            crumbs.append(("", current.group(1)))
    return crumbs


def test_breadcrumbs_lead_home_on_every_page_but_the_home_page(site_client):
    country = Country.objects.get(code="CZ")
    client = site_client("CZ")
    for kind, url in urls_of(country, "cs").items():
        html = client.get(url).content.decode()
        if kind == "home":
            assert 'class="breadcrumbs"' not in html
            continue
        crumbs = breadcrumbs(html)
        assert crumbs[0] == ("/cs/", "Úvod"), kind
        assert crumbs[-1][0] == "", kind  # the page itself is not a link
    item = NewsPage.objects.descendant_of(country.home_page).live().first()
    assert breadcrumbs(client.get(path_of(item, "cs")).content.decode()) == [
        ("/cs/", "Úvod"),
        ("/cs/aktuality/", "Aktuality"),
        ("", item.title_cs),
    ]
    cluster = ClusterProfile.objects.filter(country=country).first()
    crumbs = breadcrumbs(client.get(f"/cs/klastry/{cluster.slug}/").content.decode())
    assert crumbs[1:] == [("/cs/klastry/", "Klastry"), ("", cluster.name_cs)]


def test_a_page_below_a_draft_does_not_name_the_draft(site_client):
    """Wagtail serves a published page below a draft section: its breadcrumbs (and their
    JSON-LD) lead home without the draft's unpublished title or its address (a 404)."""
    country = Country.objects.get(code="CZ")
    section = draft_page(country, "standard", title="Unpublished section")
    child = StandardPage(
        slug="below-a-draft",
        **translated("title", {"cs": "Pod konceptem", "en": "Below a draft"}),
        **translated("slug", {"cs": "pod-konceptem", "en": "below-a-draft"}),
    )
    mark_complete_ready(child)
    with translation.override("en"):
        section.add_child(instance=child)
    child.save_revision().publish()
    response = site_client("CZ").get(path_of(child, "cs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert breadcrumbs(html) == [("/cs/", "Úvod"), ("", "Pod konceptem")]
    assert "BreadcrumbList" in html
    assert "Unpublished section" not in html  # nor in the JSON-LD trail


def test_an_english_page_below_a_polish_only_section_names_it_in_polish(site_client):
    """The section has no English title or address: its crumb (and its JSON-LD entry) was
    an empty link to ``/en/o-nas/``, which redirects to the Polish page."""
    country = Country.objects.get(code="PL")
    with translation.override("pl"):  # a Polish editor's: no English slug either
        section = StandardPage(
            **translated("title", {"pl": "O nas"}), **translated("slug", {"pl": "o-nas"})
        )
        child = StandardPage(
            **translated("title", {"pl": "Zespół", "en": "Team"}),
            **translated("slug", {"pl": "zespol", "en": "team"}),
        )
        for parent, page in ((country.home_page, section), (section, child)):
            mark_complete_ready(page)
            parent.add_child(instance=page)
            page.save_revision().publish()
    html = site_client("PL").get(path_of(child, "en")).content.decode()
    assert breadcrumbs(html) == [("/en/", "Home"), ("/pl/o-nas/", "O nas"), ("", "Team")]
    assert '<a href="/pl/o-nas/" lang="pl">O nas</a>' in html
    (script,) = lxml_html.fromstring(html).head.xpath('script[@type="application/ld+json"]')
    (trail,) = [n for n in json.loads(script.text)["@graph"] if n["@type"] == "BreadcrumbList"]
    assert trail["itemListElement"][1] == {
        "@type": "ListItem",
        "position": 2,
        "name": "O nas",
        "item": "http://pl.localhost/pl/o-nas/",
    }


def test_footer_names_the_partner_contact_and_legal_pages(site_client):
    html = site_client("CZ").get("/cs/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Regionální rozvojová agentura Ústeckého kraje" in footer
    assert "Mgr. Petra Mašková" in footer
    assert 'href="mailto:info@rrauk.cz"' in footer
    for title in ("Tiráž", "Ochrana osobních údajů", "Prohlášení o přístupnosti"):
        assert f">{title}</a>" in footer
    imprint = site_client("CZ").get("/cs/tiraz/")
    assert imprint.status_code == 200
    assert "Vydavatel: Regionální rozvojová agentura Ústeckého kraje" in imprint.content.decode()


def test_hub_footer_names_the_lead_partner(site_client):
    footer = (
        site_client("INT").get("/de/").content.decode().split('<footer class="site-footer">')[1]
    )
    assert "Regional Development Agency of the Ústí Region" in footer
    assert ">Impressum</a>" in footer


def test_a_partner_and_contact_shown_in_another_language_say_which(site_client):
    """The hub's German and Slovak footers show the lead partner (Czech and English) in
    the language its text falls back to: marked with ``lang``, so that a screen reader
    does not read "Project manager" with German rules. The page's own language is not."""
    hub = site_client("INT")
    german = hub.get("/de/").content.decode().split('<footer class="site-footer">')[1]
    assert '<strong lang="en">Regional Development Agency of the Ústí Region</strong>' in german
    assert '<span lang="en">Project manager</span>' in german
    slovak = hub.get("/sk/").content.decode().split('<footer class="site-footer">')[1]
    assert '<span lang="cs">Projektová manažerka</span>' in slovak
    czech = hub.get("/cs/").content.decode().split('<footer class="site-footer">')[1]
    assert "<strong>Regionální rozvojová agentura Ústeckého kraje</strong>" in czech
    assert ' lang="' not in czech.split("</address>")[0]
    news = (
        NewsPage.objects.live()
        .exclude(contact=None)
        .filter(contact__organisation__is_lead_partner=True)
    )
    page = news.filter(path__startswith=Country.objects.get(code="INT").home_page.path).first()
    html = hub.get(path_of(page, "de")).content.decode()
    assert '<span class="meta" lang="en">Project manager</span>' in html


# Listings: pagination, upcoming events first.


def more_news(country, count: int) -> list[NewsPage]:
    return [
        news_page(country, title={"en": f"Extra {n}", "cs": f"Další {n}"}, date=date(2020, 1, 1))
        for n in range(count)
    ]


def test_a_cluster_cards_place_in_a_fallback_language_says_so(site_client):
    """On the hub's Italian directory an Austrian cluster (German and English) shows its
    English name, marked ``lang``, and its English city and region: marked too."""
    html = site_client("INT").get("/it/cluster/").content.decode()
    (card,) = [part for part in html.split('<article class="card">') if "Mechatronics" in part]
    assert '<p class="meta"><span lang="en">Linz, Upper Austria</span> · Austria</p>' in card
    czech = site_client("CZ").get("/cs/klastry/").content.decode()
    assert '<p class="meta">Ústí nad Labem, Ústecký kraj</p>' in czech


def test_a_related_cluster_in_a_fallback_language_links_there_and_says_so(site_client):
    """A Slovak news item relating a Slovak cluster ready only in English: the item's aside
    shows the English name, marked ``lang``, linked to the English profile (the Slovak
    address only redirected there)."""
    slovakia = Country.objects.get(code="SK")
    cluster = ClusterProfile.objects.create(
        slug="english-only-cluster",
        country=slovakia,
        ready_languages=[],
        **translated("name", {"en": "English-only cluster", "sk": "Nepripravený klaster"}),
    )
    ready = ClusterProfile.objects.filter(country=slovakia).exclude(pk=cluster.pk).first()
    page = news_page(slovakia, title={"en": "Related", "sk": "Súvisiace"})
    page.related_clusters.add(cluster, ready)
    page.save_revision().publish()
    directory = ClusterDirectoryPage.objects.child_of(slovakia.home_page).get()
    html = site_client("SK").get(path_of(page, "sk")).content.decode()
    english = f"{path_of(directory, 'en')}english-only-cluster/"
    assert f'<li lang="en"><a href="{english}">English-only cluster</a></li>' in html
    slovak = f"{path_of(directory, 'sk')}{ready.slug}/"
    assert f'<li><a href="{slovak}">{ready.name_sk}</a></li>' in html
    assert "Nepripravený" not in html


def test_related_clusters_are_in_the_readers_alphabetical_order(site_client):
    """By the names shown, as the directory lists them: "ch" after "h", Ž after Z in Czech."""
    czechia = Country.objects.get(code="CZ")
    names = ["Žatecký klastr", "Zlínský klastr", "Chmelařský klastr", "Hradní klastr"]
    clusters = [
        ClusterProfile.objects.create(
            slug=f"related-{number}",
            country=czechia,
            ready_languages=["cs"],
            **translated("name", {"en": f"Cluster {number}", "cs": name}),
        )
        for number, name in enumerate(names)
    ]
    page = news_page(czechia, title={"en": "Related", "cs": "Související"})
    page.related_clusters.add(*clusters)
    page.save_revision().publish()
    html = site_client("CZ").get(path_of(page, "cs")).content.decode()
    shown = re.findall(r"<li><a [^>]*>([^<]+)</a></li>", html)
    assert [name for name in shown if name in names] == [
        "Hradní klastr",
        "Chmelařský klastr",
        "Zlínský klastr",
        "Žatecký klastr",
    ]


def test_news_index_is_paginated(site_client):
    country = Country.objects.get(code="CZ")
    more_news(country, NewsIndexPage.per_page)
    client = site_client("CZ")
    first = client.get("/cs/aktuality/").content.decode()
    assert first.count('<article class="card">') == NewsIndexPage.per_page
    assert 'href="?page=2" rel="next"' in first
    second = client.get("/cs/aktuality/", {"page": 2})
    assert second.status_code == 200
    html = second.content.decode()
    assert '<span aria-current="page">2</span>' in html
    # Page 1 has one address, the listing's own; each other page is its own canonical.
    assert 'href="/cs/aktuality/" rel="prev"' in html
    assert "page=1" not in html
    assert '<link rel="canonical" href="http://cz.localhost/cs/aktuality/?page=2">' in html
    assert '<link rel="canonical" href="http://cz.localhost/cs/aktuality/">' in first
    # Its language versions are page 2 of each (page 1 of each named page 2's canonical
    # its own version: a set search engines drop).
    hreflang = dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)"', html))
    assert hreflang == {
        "cs": "http://cz.localhost/cs/aktuality/?page=2",
        "en": "http://cz.localhost/en/news/?page=2",
        "x-default": "http://cz.localhost/cs/aktuality/?page=2",
    }
    total = NewsPage.objects.live().descendant_of(country.home_page).count()
    assert html.count('<article class="card">') == total - NewsIndexPage.per_page


def test_a_card_in_a_fallback_language_links_to_that_language_and_says_so(site_client):
    """A Slovak news item only ready in English, listed on the Slovak site, shows its English
    title: its card says so (``lang``) and links to the English address (the Slovak one only
    redirected there, and made public a slug nobody had made ready)."""
    country = Country.objects.get(code="SK")
    page = news_page(
        country, title={"en": "Only English ready", "sk": "Nepripravené"}, ready_languages=["en"]
    )
    index = NewsIndexPage.objects.child_of(country.home_page).get()
    html = site_client("SK").get(path_of(index, "sk")).content.decode()
    (card,) = [part for part in html.split('<article class="card">') if "Only English" in part]
    assert f'lang="en"><a href="{path_of(page, "en")}">Only English ready</a>' in card
    assert path_of(page, "en").startswith("/en/")
    assert "Nepripravené" not in html
    others = [part for part in html.split('<article class="card">')[1:] if part != card]
    assert others
    assert all("lang=" not in other.split("</h2>")[0] for other in others)  # read in Slovak


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99", "1.5", "2%00"])
def test_a_bad_page_number_is_a_404_not_a_500(site_client, page):
    response = site_client("CZ").get("/cs/aktuality/", {"page": page})
    assert response.status_code == 404
    assert "Stránka nenalezena" in response.content.decode()


def event(country, title: str, start: datetime, end: datetime | None = None) -> EventPage:
    index = EventIndexPage.objects.child_of(country.home_page).get()
    slug = slugify(title)
    page = EventPage(
        kind="info-day",
        start=start,
        end=end,
        **translated("title", {"en": title, "cs": title}),
        **translated("lead", {"en": "Lead", "cs": "Úvod"}),
        **translated("place", {"en": "Ústí", "cs": "Ústí"}),
        **translated("slug", {"en": slug, "cs": slug}),
        slug=slug,
    )
    mark_complete_ready(page)
    index.add_child(instance=page)
    return page


def test_events_index_lists_upcoming_soonest_first_then_the_archive(site_client):
    country = Country.objects.get(code="CZ")
    now = timezone.now()
    event(country, "Later forum", now + timedelta(days=30))
    event(country, "Sooner info day", now + timedelta(days=3))
    event(country, "Running study trip", now - timedelta(days=1), now + timedelta(days=1))
    event(country, "Ended yesterday", now - timedelta(days=3), now - timedelta(days=1))
    html = site_client("CZ").get("/cs/akce/").content.decode()
    upcoming, archive = html.split('id="past"')
    assert upcoming.index("Running study trip") < upcoming.index("Sooner info day")
    assert upcoming.index("Sooner info day") < upcoming.index("Later forum")
    assert "Ended yesterday" in archive
    assert "Místní info den v Ústí nad Labem" in archive  # the demo's 2011 info day
    assert archive.index("Ended yesterday") < archive.index("Místní info den v Ústí nad Labem")


def test_home_page_shows_upcoming_events_only(site_client):
    country = Country.objects.get(code="CZ")
    event(country, "Next conference", timezone.now() + timedelta(days=10))
    html = site_client("CZ").get("/cs/").content.decode()
    events = html[html.index('id="home-events"') :]
    assert "Next conference" in events
    assert "Místní info den v Ústí nad Labem" not in events


# Private pages: a page under a view restriction refuses visitors on its own URL, so no
# listing may show its title, lead or link either.


def private_news(country) -> NewsPage:
    """A news item dated tomorrow (first on the home page too), restricted after publication."""
    page = news_page(
        country,
        title={"en": "Embargoed merger", "cs": "Utajená fúze"},
        lead={"en": "Secret terms", "cs": "Tajné podmínky"},
        date=timezone.localdate() + timedelta(days=1),
    )
    page.save_revision().publish()
    return page


def test_a_restricted_news_item_is_in_no_listing(site_client):
    page = private_news(Country.objects.get(code="CZ"))
    client = site_client("CZ")
    assert "Utajená fúze" in client.get("/cs/aktuality/").content.decode()
    assert "Utajená fúze" in client.get("/cs/").content.decode()
    restrict(page)
    assert "Tajné podmínky" not in client.get(path_of(page, "cs")).content.decode()  # a form
    for url in ("/cs/aktuality/", "/cs/"):
        html = client.get(url).content.decode()
        assert "Utajená fúze" not in html and "Tajné podmínky" not in html, url
        assert path_of(page, "cs") not in html, url


def test_news_under_a_restricted_index_leaves_the_home_page(site_client):
    country = Country.objects.get(code="CZ")
    private_news(country)
    index = NewsIndexPage.objects.child_of(country.home_page).get()
    restrict(index)
    html = site_client("CZ").get("/cs/").content.decode()
    assert "Utajená fúze" not in html
    assert f'href="{path_of(index, "cs")}"' not in html  # nor the link to the refused index


def test_a_restricted_event_is_in_no_listing(site_client):
    page = event(
        Country.objects.get(code="CZ"), "Closed board meeting", timezone.now() + timedelta(days=2)
    )
    page.save_revision().publish()
    client = site_client("CZ")
    assert "Closed board meeting" in client.get("/cs/akce/").content.decode()
    assert "Closed board meeting" in client.get("/cs/").content.decode()
    restrict(page)
    for url in ("/cs/akce/", "/cs/"):
        assert "Closed board meeting" not in client.get(url).content.decode(), url


def test_events_under_a_restricted_index_leave_the_home_page(site_client):
    country = Country.objects.get(code="CZ")
    event(country, "Closed board meeting", timezone.now() + timedelta(days=2))
    restrict(EventIndexPage.objects.child_of(country.home_page).get())
    assert "Closed board meeting" not in site_client("CZ").get("/cs/").content.decode()


# Error pages.


@pytest.mark.parametrize(
    "path", ["/cs/aktuality/", "/cs/search/", "/cs/feeds/news.rss", "/sitemap.xml", "/language/"]
)
def test_too_many_parameters_get_the_sites_400_in_the_visitors_language(client, db, path):
    """Django refuses a query string of more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``
    parameters as a view reads it: that was its bare English "Bad Request (400)"."""
    fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1
    query = "&".join(f"a{number}=1" for number in range(fields))
    response = client.get(f"{path}?{query}", HTTP_HOST="cz.localhost")
    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="cs">' in html and "Chyba 400" in html
    assert "Tento požadavek nelze přečíst" in html
    assert "no-cache" in response["Cache-Control"]


def test_a_refused_form_gets_the_sites_403_in_the_visitors_language(db):
    """A POST without a CSRF token (a password form left open too long, a bot) got Django's
    bare English page; the admin keeps Django's page, which explains cookies to an editor."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_HOST="cz.localhost")
    response = client.post("/cs/aktuality/", {"q": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="cs">' in html
    assert "Formulář nebyl přijat" in html
    assert "Chyba 403" in html
    assert "no-cache" in response["Cache-Control"]
    admin = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert admin.status_code == 403
    assert "CSRF" in admin.content.decode()


def test_404_page_is_in_the_site_chrome_and_the_visitor_language(client, db):
    response = client.get("/cs/neexistuje/", HTTP_HOST="cz.localhost")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Stránka nenalezena</h1>" in html
    assert site_search_box(html) == ("/cs/search/", settings.SEARCH_MAX_QUERY_CHARS)
    assert '<a class="brand" href="/cs/">' in html
    assert '<footer class="site-footer">' in html
    # The switcher offers the site's home page in each of its languages.
    assert 'href="/language/?next=/cs/" hreflang="cs"' in html.replace("%2F", "/")
    assert 'href="/language/?next=/en/" hreflang="en"' in html.replace("%2F", "/")
    # ... but the head names no alternates: the home pages are not this address in
    # another language, and a noindex page's hreflang would only confuse crawlers.
    assert '<link rel="alternate" hreflang=' not in html


def test_a_page_has_hreflang_alternates_in_its_head(client, db):
    html = client.get("/cs/", HTTP_HOST="cz.localhost").content.decode()
    assert '<link rel="alternate" hreflang="cs" href="http://cz.localhost/cs/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://cz.localhost/en/">' in html


def test_404_home_link_goes_to_a_language_the_site_serves(client, db):
    html = client.get("/de/nichts/", HTTP_HOST="cz.localhost").content.decode()
    assert '<a class="brand" href="/cs/">' in html
    assert site_search_box(html)[0] == "/cs/search/"


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Sorry, something went wrong"), ("cs", "Omlouváme se, něco se pokazilo")],
)
def test_500_page_renders_without_context_or_queries(
    db, django_assert_num_queries, language, heading
):
    with translation.override(language), django_assert_num_queries(0):
        html = render_to_string("500.html")
        response = server_error(RequestFactory().get(f"/{language}/x/", HTTP_HOST="cz.localhost"))
    assert response.status_code == 500
    assert f"<h1>{heading}</h1>" in html
    assert f'<html lang="{language}">' in html
    assert f'maxlength="{settings.SEARCH_MAX_QUERY_CHARS}"' in html
    assert '<a class="brand" href="/">' in html


def test_news_cards_and_items_show_responsive_webp_renditions(site_client):
    image = CustomImage.objects.create(
        title="Photo",
        file=get_test_image_file(filename="card.png", size=(1600, 900)),
        **translated("alt_text", {"en": "Partners at the info day", "cs": "Partneři na info dni"}),
    )
    page = news_page(
        Country.objects.get(code="CZ"),
        title={"cs": "Zpráva s fotkou", "en": "News with a photo"},
        date=date(2031, 1, 1),
        image=image,
    )
    client = site_client("CZ")
    listing = client.get("/cs/aktuality/").content.decode()
    card = re.search(r"<picture>.*?</picture>", listing, re.S).group(0)
    assert re.search(r'<source [^>]*type="image/webp"', card)
    assert re.search(r'srcset="[^"]+ 400w, [^"]+ 800w"', card)
    assert 'sizes="(min-width: 72em) 22rem' in card
    assert re.search(r'<img [^>]*loading="lazy"', card)
    assert re.search(r'<img [^>]*height="267"[^>]*width="400"', card)  # no layout shift
    assert 'alt=""' in card  # the card's title says it all
    item = client.get(path_of(page, "cs")).content.decode()
    assert 'alt="Partneři na info dni"' in item
    assert re.search(r'srcset="[^"]+ 480w, [^"]+ 800w, [^"]+ 1200w"', item)


def test_titles_name_the_site_once(site_client):
    client = site_client("CZ")
    assert "<title>Clusters Cord Česká republika</title>" in client.get("/cs/").content.decode()
    news = client.get("/cs/aktuality/").content.decode()
    assert "<title>Aktuality · Clusters Cord Česká republika</title>" in news
