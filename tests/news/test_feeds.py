"""RSS and Atom news feeds: per site and language, network-wide on the hub, ready items only."""

import html
import time

import feedparser
import pytest

from cms.core.models import Country, Sector
from tests.factories import draft_page, news_page, path_of

COUNTRY_CODES = ["CZ", "IT", "DE", "PL", "AT", "SK", "SI", "INT"]
FORMATS = ["rss", "atom"]


def read_feed(client, host: str, language: str, kind: str, query: str = ""):
    response = client.get(f"/{language}/feeds/news.{kind}{query}", HTTP_HOST=host)
    assert response.status_code == 200, response.content
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def links(feed) -> set[str]:
    return {entry.link for entry in feed.entries}


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("code", COUNTRY_CODES)
def test_every_site_and_language_has_a_well_formed_feed(client, db, code, kind):
    country = Country.objects.get(code=code)
    host = country.site.hostname
    for language in country.languages:
        feed = read_feed(client, host, language, kind)
        assert feed.version == ("rss20" if kind == "rss" else "atom10")
        assert feed.feed.language == language
        assert feed.feed.link.startswith(f"http://{host}/{language}/")
        for entry in feed.entries:
            assert entry.link.startswith("http://"), entry.link
            assert f"/{language}/" in entry.link
            assert entry.id.startswith("tag:")


@pytest.mark.parametrize("kind", FORMATS)
def test_the_czech_press_release_is_in_the_czech_and_english_feeds(client, db, kind):
    czech = read_feed(client, "cz.localhost", "cs", kind)
    english = read_feed(client, "cz.localhost", "en", kind)
    assert "Klastrové organizace ze střední Evropy a Clusters – Cord" in {
        entry.title for entry in czech.entries
    }
    assert "Cluster organisations from Central Europe and Clusters Cord" in {
        entry.title for entry in english.entries
    }
    assert all(link.startswith("http://cz.localhost/en/") for link in links(english))


@pytest.mark.parametrize("kind", FORMATS)
def test_drafts_and_unready_translations_are_not_in_feeds(client, country, kind):
    cz = country("CZ")
    unready = news_page(cz, title={"cs": "Nehotový", "en": "Finished one"}, ready_languages=[])
    draft = draft_page(cz, "news", title="A draft that must not leak")
    czech = read_feed(client, "cz.localhost", "cs", kind)
    english = read_feed(client, "cz.localhost", "en", kind)
    assert f"http://cz.localhost{path_of(unready, 'en')}" in links(english)
    assert not any(f"news/{unready.pk}/" in entry.id for entry in czech.entries)
    assert not any(f"news/{draft.pk}/" in entry.id for entry in czech.entries + english.entries)
    assert "A draft that must not leak" not in {entry.title for entry in english.entries}


def test_the_hub_feed_is_network_wide_in_each_site_language(client, country):
    both = news_page(country("CZ"), title={"cs": "Síťová zpráva", "en": "Network news"})
    german = news_page(country("CZ"), title={"en": "Not German here", "de": "Auf Deutsch"})
    english = read_feed(client, "localhost", "en", "rss")
    czech = read_feed(client, "localhost", "cs", "rss")
    deutsch = read_feed(client, "localhost", "de", "rss")
    # The Czech item is linked on its own site, in the feed's language.
    assert f"http://cz.localhost{path_of(both, 'en')}" in links(english)
    assert f"http://cz.localhost{path_of(both, 'cs')}" in links(czech)
    # The Czech site does not publish in German: its German text has no URL to link.
    assert not any(link.startswith("http://cz.localhost/") for link in links(deutsch))
    assert f"http://cz.localhost{path_of(german, 'en')}" in links(english)


def test_entry_ids_survive_an_edit(client, country):
    page = news_page(country("CZ"), title={"cs": "Původní", "en": "Original"})
    before = {
        entry.title: entry.id for entry in read_feed(client, "cz.localhost", "en", "atom").entries
    }
    page.title_en = "Edited title"
    page.slug_en = "edited-title"
    page.save_revision().publish()
    after = {
        entry.title: entry.id for entry in read_feed(client, "cz.localhost", "en", "atom").entries
    }
    assert before["Original"] == after["Edited title"]
    assert "Original" not in after


def test_sector_filter(client, country):
    food = Sector.objects.get(slug="food")
    page = news_page(country("CZ"), title={"cs": "Jídlo", "en": "Food news"})
    page.sectors.set([food])
    page.save_revision().publish()
    feed = read_feed(client, "cz.localhost", "en", "rss", "?sector=food")
    assert "Food news" in {entry.title for entry in feed.entries}
    assert all("Food" in {tag.term for tag in entry.tags} for entry in feed.entries)


@pytest.mark.parametrize("kind", FORMATS)
def test_a_sectors_feed_names_itself_not_the_whole_feed(client, db, kind):
    """Its self link and (Atom) id were the whole feed's: a reader that moves a subscription
    to the self link, or tells feeds apart by id, put the sector's readers on every item."""
    whole = read_feed(client, "cz.localhost", "en", kind)
    food = read_feed(client, "cz.localhost", "en", kind, "?sector=food")
    self_links = {
        name: next(link.href for link in feed.feed.links if link.rel == "self")
        for name, feed in (("whole", whole), ("food", food))
    }
    assert self_links == {
        "whole": f"http://cz.localhost/en/feeds/news.{kind}",
        "food": f"http://cz.localhost/en/feeds/news.{kind}?sector=food",
    }
    if kind == "atom":
        assert food.feed.id != whole.feed.id
        assert food.feed.id == whole.feed.id + "?sector=food"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/cs/feeds/news.rss?sector=no-such-sector", 400),
        ("/cs/feeds/news.atom?sector=" + "x" * 500, 400),
        ("/xx/feeds/news.rss", 404),
        ("/de/feeds/news.rss", 404),  # the Czech site does not publish in German
        ("/cs/feeds/news.json", 404),
    ],
)
def test_bad_feed_requests_are_4xx(client, db, path, status):
    response = client.get(path, HTTP_HOST="cz.localhost")
    assert response.status_code == status
    if status == 400:  # the visitors' error page, in the address's language, naming it
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert '<html lang="cs"' in page and "Chyba 400" in page and "sector" in page


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("value", ["%00", "food%00"])
def test_a_nul_in_the_sector_is_a_400_without_a_query(client, nul_queries, kind, value):
    response = client.get(f"/cs/feeds/news.{kind}?sector={value}", HTTP_HOST="cz.localhost")
    assert response.status_code == 400
    assert "sector" in response.content.decode()
    assert nul_queries == []


@pytest.mark.parametrize("kind", FORMATS)
def test_a_lead_is_text_however_much_it_looks_like_markup(client, country, kind):
    """Readers read a description (RSS) and an html summary (Atom) as HTML: the plain lead,
    written once-escaped, lost "<Sonderaktion>" and carried a live ``<img onerror>``."""
    lead = "Preis <5 Euro & <Sonderaktion> <img src=x onerror=alert(1)> Ende"
    news_page(country("AT"), title={"de": "Aktion", "en": "Offer"}, lead={"de": lead, "en": "x"})
    feed = read_feed(client, "at.localhost", "de", kind)
    (entry,) = [entry for entry in feed.entries if entry.title == "Aktion"]
    assert html.unescape(entry.summary) == lead
    if kind == "atom":  # RFC 4287: a feed without authors needs one on every entry
        assert feed.feed.author == "Clusters Cord Österreich"


@pytest.mark.parametrize("kind", FORMATS)
def test_a_control_character_in_an_item_leaves_the_feeds_well_formed(client, country, kind):
    """A line break pasted from a word processor is often a vertical tab, which the admin
    keeps and XML 1.0 cannot hold: the site's feed, and the hub's network-wide one, were a
    500 while the item was listed."""
    news_page(
        country("SI"),
        title={"sl": "Novica", "en": "Zorblax\x0btrip\x1f"},
        # U+FFFE: a noncharacter, which XML 1.0 cannot hold either (the feed was invalid XML).
        lead={"sl": "Uvod", "en": "Lead\x0bwith\x0ca\ufffetab"},
    )
    for host in ("si.localhost", "localhost"):
        feed = read_feed(client, host, "en", kind)
        (entry,) = [entry for entry in feed.entries if entry.title.startswith("Zorblax")]
        assert entry.title == "Zorblax trip"
        assert html.unescape(entry.summary) == "Lead with a tab"
        assert not feed.bozo, feed.bozo_exception


def test_removing_an_item_renews_last_modified_of_feeds_and_sitemap(client, country):
    """Their Last-Modified was the newest listed item's: after an unpublish, a reader or
    crawler asking If-Modified-Since was answered 304 and kept the removed item."""
    page = news_page(country("CZ"), title={"cs": "Brzy pryč", "en": "Soon gone"})
    paths = ["/sitemap.xml", "/cs/feeds/news.rss", "/cs/feeds/news.atom"]
    dates = {path: client.get(path, HTTP_HOST="cz.localhost")["Last-Modified"] for path in paths}
    time.sleep(1.01 - time.time() % 1)  # HTTP dates count whole seconds
    page.unpublish()
    for path, date in dates.items():
        response = client.get(path, HTTP_HOST="cz.localhost", HTTP_IF_MODIFIED_SINCE=date)
        assert response.status_code == 200, path
        assert (
            "Brzy pryč" not in response.content.decode()
            and f"/{page.slug}/" not in response.content.decode()
        )
