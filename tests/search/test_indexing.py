"""Only published content reaches the index, and it follows every change."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.html import strip_tags

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.core.models import Sector
from cms.news.models import NewsIndexPage, NewsPage
from cms.search.models import SearchDocument
from cms.search.service import SearchRequest, search
from tests.factories import draft_page, news_page
from tests.search.conftest import settle


def doc_count(obj, kind):
    return SearchDocument.objects.filter(kind=kind, object_id=obj.pk).count()


def found(query, language="en"):
    settle()
    return search(SearchRequest(query=query, language=language)).total


def titles(query, language):
    settle()
    return [strip_tags(str(hit.title)) for hit in search(SearchRequest(query, language)).hits]


def test_every_published_item_has_one_document_per_language(db):
    item = NewsPage.objects.get(title_cs="Klastrové organizace ze střední Evropy a Clusters – Cord")
    docs = {d.language: d for d in SearchDocument.objects.filter(kind="news", object_id=item.pk)}
    assert set(docs) == {"en", "cs", "de", "it", "pl", "sk", "sl"}
    assert docs["cs"].served_language == "cs"
    assert docs["de"].served_language == "en"  # no German version: the chain serves English
    assert docs["sk"].served_language == "cs"  # Slovak falls back to Czech first


def test_publishing_indexes_and_drafts_never_leak(db, country):
    page = news_page(country("CZ"), title={"en": "Zanzibar draftless", "cs": "Zanzibar"})
    assert doc_count(page, "news") == 0  # created without publishing through a revision
    page.save_revision().publish()
    assert found("zanzibar") == 1

    page.title_en = "Quetzalcoatl secret draft"
    page.save_revision()  # a draft: visitors and search must not see it
    assert found("quetzalcoatl") == 0
    assert found("zanzibar") == 1


def test_unpublish_and_delete_remove_documents(db, country):
    page = news_page(country("CZ"), title={"en": "Xylophone orchestra"})
    page.save_revision().publish()
    assert found("xylophone") == 1
    page.unpublish()
    assert found("xylophone") == 0
    page.save_revision().publish()
    assert found("xylophone") == 1
    page.delete()
    assert found("xylophone") == 0
    assert doc_count(page, "news") == 0


def test_cluster_changes_are_indexed_on_save_and_delete(db, country):
    cluster = ClusterProfile.objects.create(
        slug="kiwi", country=country("PL"), name_en="Kiwifruit growers", name_pl="Plantatorzy kiwi"
    )
    assert found("kiwifruit") == 1
    cluster.name_en = "Pomegranate growers"
    cluster.save()
    assert found("kiwifruit") == 0 and found("pomegranate") == 1
    cluster.delete()
    assert found("pomegranate") == 0


def test_an_unchanged_save_writes_nothing(db):
    cluster = ClusterProfile.objects.first()
    before = list(
        SearchDocument.objects.filter(kind="cluster", object_id=cluster.pk).values_list(
            "updated_at", flat=True
        )
    )
    cluster.save()
    after = list(
        SearchDocument.objects.filter(kind="cluster", object_id=cluster.pk).values_list(
            "updated_at", flat=True
        )
    )
    assert before == after


def test_a_page_moved_to_another_countrys_site_is_searched_there(db, country):
    """A move (the admin's Move, ``page.move()``) publishes nothing, yet changes the page's
    URL and here its country: its documents follow, or search links a 404 on the old site."""
    page = news_page(country("CZ"), title={"en": "Axolotl relocation", "cs": "Axolotl"})
    page.save_revision().publish()
    slovak_news = NewsIndexPage.objects.child_of(country("SK").home_page).get()
    page.move(slovak_news, pos="last-child")
    settle()
    in_czech_site = SearchRequest(query="axolotl", language="en", countries=("CZ",))
    assert search(in_czech_site).total == 0
    assert search(SearchRequest(query="axolotl", language="en", countries=("SK",))).total == 1
    document = SearchDocument.objects.get(kind="news", object_id=page.pk, language="en")
    assert (document.country, document.url) == ("SK", NewsPage.objects.get(pk=page.pk).url)


def stored_urls(kind, obj) -> set[str]:
    return set(
        SearchDocument.objects.filter(kind=kind, object_id=obj.pk).values_list("url", flat=True)
    )


def current_urls(page, languages=("cs", "en")) -> set[str]:
    page = page.specific_class.objects.get(pk=page.pk)
    urls = set()
    for language in languages:
        with translation.override(language):
            urls.add(page.full_url)
    return urls


def test_a_section_given_a_new_slug_takes_the_items_below_it_along(db, country):
    """A new slug moves every URL below the section and publishes nothing there: their
    documents follow, or each search result links its old address (a 404)."""
    page = news_page(country("CZ"), title={"en": "Axolotl relocation", "cs": "Axolotl"})
    page.save_revision().publish()
    index = NewsIndexPage.objects.child_of(country("CZ").home_page).get()
    index.slug_cs, index.slug_en = "zpravy", "stories"
    index.save_revision().publish()
    settle()
    with translation.override("cs"):
        assert "/cs/zpravy/" in NewsPage.objects.get(pk=page.pk).full_url
    assert stored_urls("news", page) == current_urls(page)
    assert all("/zpravy/" in url or "/stories/" in url for url in stored_urls("news", page))


def test_a_directory_given_a_new_slug_takes_its_profiles_along(db, country):
    directory = ClusterDirectoryPage.objects.child_of(country("SK").home_page).get()
    profile = ClusterProfile.objects.filter(country=country("SK")).first()
    before = stored_urls("cluster", profile)
    directory.slug_sk, directory.slug_en = "zoznam-klastrov", "cluster-list"
    directory.save_revision().publish()
    after = stored_urls("cluster", profile)
    assert after != before
    assert all(
        url.endswith(f"/{profile.slug}/")
        and ("/zoznam-klastrov/" in url or "/cluster-list/" in url)
        for url in after
    )


def test_publishing_a_page_with_nothing_below_checks_nothing_below(
    db, country, django_assert_max_num_queries
):
    """The check costs nothing on the common publication (a news item has no children)."""
    from cms.search.content_signals import addresses_changed_below

    page = news_page(country("CZ"), title={"en": "Axolotl relocation", "cs": "Axolotl"})
    page.save_revision().publish()
    page = NewsPage.objects.get(pk=page.pk)
    with django_assert_max_num_queries(0):
        assert not addresses_changed_below(page)


def test_a_language_the_item_has_and_its_site_lacks_is_linked_where_readers_land(
    db, country, site_client
):
    """A Czech profile given German text (the spreadsheet import accepts every language):
    the Czech site publishes no German pages, so its German result links the page a
    German reader lands on, not ``/de/…`` (a 404 there)."""
    profile = ClusterProfile.objects.filter(country=country("CZ")).first()
    for name in ("name", "description", "city", "region"):
        setattr(profile, f"{name}_de", f"{getattr(profile, f'{name}_en') or 'Text'} (de)")
    profile.ready_languages = [*(profile.ready_languages or []), "de"]
    profile.save()
    document = SearchDocument.objects.get(kind="cluster", object_id=profile.pk, language="de")
    assert document.served_language == "en"  # and so is the result's text: the page's
    assert document.display_title == profile.name_en
    path = document.url.removeprefix("http://cz.localhost")
    assert path.startswith("/en/")
    assert site_client("CZ").get(path).status_code == 200


def test_a_result_shows_the_text_of_the_page_it_links_never_another_sites_language(
    db, country, site_client
):
    """A Slovak item with Czech and English text, not yet Slovak: the Slovak site, which
    publishes Slovak and English, shows its English on the listing and the page. Its
    Slovak result did too little of that: the Czech title and text, found by Czech words,
    linking the English page."""
    page = news_page(
        country("SK"),
        title={"en": "Glassmakers meet in Kosice", "cs": "Sklářský klastr v Košicích"},
        lead={"en": "Glassmakers of the east", "cs": "Skláři z východu"},
    )
    page.save_revision().publish()
    document = SearchDocument.objects.get(kind="news", object_id=page.pk, language="sk")
    assert (document.served_language, document.display_title) == (
        "en",
        "Glassmakers meet in Kosice",
    )
    assert document.url.startswith("http://sk.localhost/en/")
    assert titles("glassmakers", "sk") == ["Glassmakers meet in Kosice"]
    assert titles("sklářský", "sk") == []
    assert found("sklářský", "cs") == 0  # its site publishes no Czech: nobody's result
    path = document.url.removeprefix("http://sk.localhost")
    assert site_client("SK").get(path).status_code == 200


def test_words_where_paragraphs_and_list_items_meet_are_found_and_shown_apart(db, country):
    """``strip_tags`` alone glued "Pranzo</li><li>14:30" into "pranzo14", which no query
    finds, and ran one paragraph's last sentence into the next in result snippets."""
    cluster = ClusterProfile.objects.create(
        slug="agenda",
        country=country("IT"),
        name_en="Agenda cluster",
        description_en="<ul><li>13:00 Kumquat</li><li>14:30 Visit</li></ul>"
        "<p>Regional quinces.</p><p>The cluster&nbsp;&amp; its members</p>",
    )
    assert found("kumquat") == 1
    assert found("quinces") == 1
    document = SearchDocument.objects.get(kind="cluster", object_id=cluster.pk, language="en")
    assert "Kumquat 14:30" in document.display_text
    assert "quinces. The cluster\xa0& its members" in document.display_text


def test_plain_text_that_looks_like_markup_keeps_its_words(db, country):
    """A title or lead is plain text: read as HTML, "<Sonderaktion>" vanished from the
    document (unfindable) and from the result's title and snippet."""
    page = news_page(
        country("AT"),
        title={"en": "Offer <Sonderaktion> & more"},
        lead={"en": "Price <5 euro & <Zwetschke> inside"},
    )
    page.save_revision().publish()
    assert found("sonderaktion") == 1
    assert found("zwetschke") == 1
    document = SearchDocument.objects.get(kind="news", object_id=page.pk, language="en")
    assert document.display_title == "Offer <Sonderaktion> & more"
    assert document.display_text == "Price <5 euro & <Zwetschke> inside"


def test_an_items_sectors_are_found_by_their_names_in_the_visitors_language(db, country):
    assert "Turistični grozd Julijske Alpe" in titles("turizem", "sl")
    assert "Cluster agroalimentare del Veneto" in titles("Agroalimentare", "it")
    # A news item in a sector: found by the sector's name in each language, its English
    # text's fallback included.
    page = news_page(country("CZ"), title={"en": "Zorblax fair", "cs": "Veletrh Zorblax"})
    page.sectors.set([Sector.objects.get(slug="energy-environment")])
    page.save_revision().publish()
    assert "Veletrh Zorblax" in titles("životní prostředí", "cs")
    assert "Zorblax fair" in titles("Umwelt", "de")


def test_renaming_a_sector_changes_what_finds_its_items(db):
    tourism = Sector.objects.get(slug="tourism")
    assert "Turistični grozd Julijske Alpe" not in titles("quibbleflux", "sl")
    tourism.name_sl = "Quibbleflux"
    tourism.save()
    assert "Turistični grozd Julijske Alpe" in titles("quibbleflux", "sl")
    assert "Turistični grozd Julijske Alpe" not in titles("turizem", "sl")
    assert "Styrian Spa Region Tourism Cluster" in titles("tourism", "en")  # English kept


def test_a_sector_in_many_items_is_renamed_in_their_documents_by_the_worker(db, monkeypatch):
    """The administrator's save only marks it (a thousand items took it 5.4 s inline); the
    worker, or ``search_pending`` if it never ran, writes the documents after the commit."""
    from cms.search import indexing
    from cms.search.models import PendingSector

    monkeypatch.setattr(indexing, "INLINE_LIMIT", 0)
    tourism = Sector.objects.get(slug="tourism")
    tourism.name_sl = "Quibbleflux"
    tourism.save()
    assert PendingSector.objects.filter(sector=tourism).exists()
    assert "Turistični grozd Julijske Alpe" not in titles("quibbleflux", "sl")
    call_command("search_pending")
    assert "Turistični grozd Julijske Alpe" in titles("quibbleflux", "sl")
    assert not PendingSector.objects.exists()


def test_a_sector_saved_with_the_same_names_writes_nothing(db):
    tourism = Sector.objects.get(slug="tourism")
    before = dict(SearchDocument.objects.values_list("pk", "updated_at"))
    tourism.description_en = "Another description"
    tourism.save()
    assert dict(SearchDocument.objects.values_list("pk", "updated_at")) == before


def test_a_deleted_sector_is_no_longer_found(db):
    Sector.objects.get(slug="tourism").delete()
    assert "Turistični grozd Julijske Alpe" not in titles("turizem", "sl")


def test_a_sites_new_port_reaches_its_documents(db, country, django_capture_on_commit_callbacks):
    """``sync_sites --port`` (the demo on ``make run PORT=8101``) or a new hostname: search
    links the new address, as the pages and the API do."""
    page = news_page(country("CZ"), title={"en": "Port day"})
    page.save_revision().publish()
    profile = ClusterProfile.objects.filter(country=country("CZ")).first()
    site = country("CZ").site
    site.port = 8101
    with django_capture_on_commit_callbacks(execute=True):
        site.save()
    for kind, obj in (("news", page), ("cluster", profile)):
        document = SearchDocument.objects.get(kind=kind, object_id=obj.pk, language="en")
        assert document.url.startswith("http://cz.localhost:8101/en/"), document.url


def test_a_language_a_site_stops_publishing_leaves_its_search(
    db, country, django_capture_on_commit_callbacks
):
    """A country publishing Czech only from now on: its items' English documents linked
    English addresses that had become 404s (the API's rows followed at once)."""
    page = news_page(country("CZ"), title={"en": "Language day", "cs": "Den jazyků"})
    page.save_revision().publish()
    profile = ClusterProfile.objects.filter(country=country("CZ")).first()
    assert SearchDocument.objects.filter(object_id=page.pk, kind="news", language="en").exists()
    czechia = country("CZ")
    czechia.languages = ["cs"]
    with django_capture_on_commit_callbacks(execute=True):
        czechia.save()
    for kind, obj in (("news", page), ("cluster", profile)):
        documents = SearchDocument.objects.filter(kind=kind, object_id=obj.pk)
        assert not documents.filter(language="en").exists(), kind
        assert {d.url.split("/")[3] for d in documents} == {"cs"}, kind


def test_an_event_just_after_midnight_is_dated_its_own_day_by_every_path(db, country):
    """Events are stored in UTC: one at 00:30 in Prague is 22:30 the day before in UTC. The
    editor's published object carried the local time, a page read back from the database
    the UTC one, so a rebuild (or a lifted restriction, a move, a renamed sector) dated it
    the day before in search, and ``date_from`` on its day missed it."""
    page = draft_page(country("CZ"), "event", title="Midnight opening")
    page.start = datetime(2027, 8, 1, 0, 30, tzinfo=ZoneInfo("Europe/Prague"))
    # Published by an editor whose admin time zone is New York's: Wagtail activates it.
    with timezone.override(ZoneInfo("America/New_York")):
        page.save_revision().publish()
    assert event_dates(page) == {date(2027, 8, 1)}
    call_command("rebuild_search_documents", stdout=io.StringIO())
    assert event_dates(page) == {date(2027, 8, 1)}


def event_dates(page) -> set:
    return set(
        SearchDocument.objects.filter(kind="event", object_id=page.pk).values_list(
            "date", flat=True
        )
    )
