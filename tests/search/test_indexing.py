"""Only published content reaches the index, and it follows every change."""

from cms.clusters.models import ClusterProfile
from cms.news.models import NewsIndexPage, NewsPage
from cms.search.models import SearchDocument
from cms.search.service import SearchRequest, search
from tests.factories import news_page
from tests.search.conftest import settle


def doc_count(obj, kind):
    return SearchDocument.objects.filter(kind=kind, object_id=obj.pk).count()


def found(query, language="en"):
    settle()
    return search(SearchRequest(query=query, language=language)).total


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
