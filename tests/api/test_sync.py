"""Incremental sync: ``updated_since`` lists what changed and what was removed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from django.db.models import F
from django.utils import timezone
from django.utils.http import parse_http_date, urlencode
from wagtail.models import Page

from cms.clusters.models import ClusterProfile
from cms.core.models import Country, Sector
from cms.events.models import EventPage
from cms.news.models import NewsIndexPage, NewsPage
from cms.partners.models import ContactPerson
from cms.projections.models import Projection, Tombstone
from tests.api.conftest import published_news


def since(moment) -> str:
    return urlencode({"updated_since": moment.isoformat()})


def test_updated_since_lists_only_what_changed(api, country):
    start = timezone.now()
    page = published_news(country("CZ"), title={"cs": "Nové", "en": "New"})
    body = api(f"news/?{since(start)}").json()
    assert [item["id"] for item in body["items"]] == [page.pk]
    assert body["deleted"] == []
    assert "deleted" not in api("news/").json()


def test_unpublishing_leaves_a_tombstone(api, country):
    page = published_news(country("CZ"), title={"cs": "Stažené", "en": "Withdrawn"})
    start = timezone.now()
    page.unpublish()
    body = api(f"news/?{since(start)}").json()
    assert body["items"] == []
    (removed,) = body["deleted"]
    assert removed["id"] == page.pk
    assert removed["type"] == "news.NewsPage"
    assert removed["reason"] == "unpublished"
    assert removed["site"] == "CZ"
    # Other sites do not hear about it; the hub does.
    assert api(f"news/?{since(start)}", host="sk.localhost").json()["deleted"] == []
    assert len(api(f"news/?{since(start)}", host="localhost").json()["deleted"]) == 1
    assert len(api(f"pages/?{since(start)}").json()["deleted"]) == 1


def test_deleting_a_page_leaves_a_tombstone(api, country):
    page = published_news(country("CZ"), title={"cs": "Smazané", "en": "Deleted"})
    page_id = page.pk
    start = timezone.now()
    page.delete()
    (removed,) = api(f"news/?{since(start)}").json()["deleted"]
    assert removed == {
        "id": page_id,
        "type": "news.NewsPage",
        "reason": "deleted",
        "removed_at": removed["removed_at"],
        "site": "CZ",
    }


def test_deleting_a_section_buries_every_live_page_below_it(api, country):
    from cms.news.models import NewsIndexPage

    published_news(country("CZ"), title={"cs": "Pod indexem", "en": "Below the index"})
    index = NewsIndexPage.objects.child_of(country("CZ").home_page).get()
    children = set(index.get_children().live().values_list("pk", flat=True))
    start = timezone.now()
    index.delete()
    deleted = api(f"pages/?{since(start)}&limit=100").json()["deleted"]
    assert {item["id"] for item in deleted} == children | {index.pk}


def test_publishing_again_removes_the_tombstone(api, country):
    page = published_news(country("CZ"), title={"cs": "Zpět", "en": "Back"})
    start = timezone.now()
    page.unpublish()
    assert Tombstone.objects.filter(object_id=page.pk).exists()
    page.save_revision().publish()
    body = api(f"news/?{since(start)}").json()
    assert body["deleted"] == []
    assert [item["id"] for item in body["items"]] == [page.pk]


def test_draft_pages_that_are_deleted_leave_no_tombstone(country):
    page = published_news(country("CZ"), title={"cs": "Koncept", "en": "Draft"})
    page.unpublish()
    Tombstone.objects.all().delete()
    page.delete()
    assert not Tombstone.objects.exists()


def test_deleted_snippets_leave_tombstones(api):
    start = timezone.now()
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    cluster_id = cluster.pk
    cluster.delete()
    (removed,) = api(f"clusters/?{since(start)}").json()["deleted"]
    assert (removed["id"], removed["type"], removed["site"]) == (
        cluster_id,
        "clusters.ClusterProfile",
        "CZ",
    )
    contact = ContactPerson.objects.get(slug="kontakt-sk")
    ContactPerson.objects.filter(pk=contact.pk).delete()
    assert api(f"contacts/?{since(start)}").json()["deleted"] == []
    assert len(api(f"contacts/?{since(start)}", host="sk.localhost").json()["deleted"]) == 1


def test_sector_changes_and_removals(api):
    start = timezone.now()
    food = Sector.objects.get(slug="food")
    food.description_en = "Farms, food producers and their suppliers"
    food.save()
    tourism = Sector.objects.get(slug="tourism")
    tourism_id = tourism.pk
    tourism.delete()
    body = api(f"sectors/?{since(start)}").json()
    assert [item["slug"] for item in body["items"]] == ["food"]
    assert [item["id"] for item in body["deleted"]] == [tourism_id]


def test_a_mirror_can_follow_along(api, country):
    """Full pull, then pulls with updated_since = the previous Last-Modified."""
    mirror = {item["id"]: item for item in api("news/?limit=100&lang=all").json()["items"]}
    response = api("news/?limit=100&lang=all")
    cursor = response["Last-Modified"]

    added = published_news(country("CZ"), title={"cs": "Přidané", "en": "Added"})
    gone = next(iter(mirror))
    Page.objects.get(pk=gone).specific.unpublish()

    moment = datetime.fromtimestamp(parse_http_date(cursor), tz=UTC)
    delta = api(f"news/?limit=100&lang=all&{since(moment)}").json()
    for item in delta["items"]:
        mirror[item["id"]] = item
    for removed in delta["deleted"]:
        mirror.pop(removed["id"], None)

    current = {item["id"] for item in api("news/?limit=100&lang=all").json()["items"]}
    assert set(mirror) == current
    assert added.pk in mirror and gone not in mirror


def test_sites_changes(api):
    start = timezone.now() - timedelta(seconds=1)
    Country.objects.filter(code="AT").get().save()
    assert [item["code"] for item in api(f"sites/?{since(start)}").json()["items"]] == ["AT"]


def test_an_item_whose_embedded_contact_changed_is_listed_as_changed(api, country):
    """The contact's role shows inside the item: the item changed for its readers."""
    contact = ContactPerson.objects.filter(country__code="CZ").first()
    page = published_news(country("CZ"), title={"cs": "Den", "en": "Day"}, contact=contact)
    # Everything published an hour ago (Last-Modified counts whole seconds).
    an_hour = timedelta(hours=1)
    Page.objects.update(last_published_at=F("last_published_at") - an_hour)
    Projection.objects.update(last_modified=F("last_modified") - an_hour)
    before = api("news/?lang=en")
    start = timezone.now()
    assert api(f"news/?{since(start)}").json()["items"] == []
    contact.role_en = "Head of the cluster programme"
    contact.save()
    czech_site = Country.objects.get(code="CZ").site.root_page
    on_the_site = NewsPage.objects.live().descendant_of(czech_site)
    showing = {item.pk for item in on_the_site.filter(contact=contact)}
    assert page.pk in showing
    body = api(f"news/?{since(start)}&lang=en&fields=contact&limit=100").json()
    assert {item["id"] for item in body["items"]} == showing  # and nothing else
    assert {item["contact"]["role"] for item in body["items"]} == {"Head of the cluster programme"}
    events = EventPage.objects.live().descendant_of(czech_site).filter(contact=contact)
    listed = api(f"pages/?{since(start)}&lang=en&limit=100").json()["items"]
    assert {item["id"] for item in listed} == showing | {event.pk for event in events}
    # The English listing's Last-Modified moved with it: revalidating gets the change.
    after = api("news/?lang=en", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert parse_http_date(after["Last-Modified"]) >= parse_http_date(before["Last-Modified"])


def test_saving_without_a_visible_change_is_no_change(api, country):
    """Re-saving rewrites rich text's block keys and the save stamps: nothing a reader sees."""
    page = published_news(country("CZ"), title={"cs": "Den", "en": "Day"})
    start = timezone.now()
    page.save_revision().publish()
    assert api(f"news/?{since(start)}").json()["items"] == []
    page.title_en = "Another day"
    page.save_revision().publish()
    body = api(f"news/?{since(start)}&lang=en").json()
    assert [(item["id"], item["title"]) for item in body["items"]] == [(page.pk, "Another day")]


def test_saving_what_an_item_embeds_without_a_change_keeps_its_last_modified(api, country):
    """A contact saved as it was: the items showing it are the same, and so is their
    Last-Modified. It moved to the contact's save, and If-Modified-Since fetched every
    body showing the contact again."""
    contact = ContactPerson.objects.filter(country__code="CZ").first()
    page = published_news(country("CZ"), title={"cs": "Den", "en": "Day"}, contact=contact)
    Projection.objects.update(last_modified=F("last_modified") - timedelta(hours=1))
    before = api(f"news/{page.pk}/?lang=en")
    contact.save()
    after = api(f"news/{page.pk}/?lang=en", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 304
    assert after["ETag"] == before["ETag"]


def test_an_item_that_moves_country_leaves_the_old_sites_listing(api):
    """The old site is told to remove it, the new one and the hub see it changed."""
    start = timezone.now()
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    cz_before = api("clusters/")
    cluster.country = Country.objects.get(code="SK")
    cluster.save()

    czech = api(f"clusters/?{since(start)}").json()
    assert czech["items"] == []
    (removed,) = czech["deleted"]
    assert (removed["id"], removed["reason"], removed["site"]) == (cluster.pk, "moved", "CZ")
    assert api("clusters/").json()["count"] == cz_before.json()["count"] - 1
    slovak = api(f"clusters/?{since(start)}", host="sk.localhost").json()
    assert [item["id"] for item in slovak["items"]] == [cluster.pk]
    assert slovak["deleted"] == []
    hub = api(f"clusters/?{since(start)}", host="localhost").json()
    assert [item["id"] for item in hub["items"]] == [cluster.pk]
    assert hub["deleted"] == []
    assert len(api(f"clusters/?{since(start)}&country=CZ", host="localhost").json()["deleted"]) == 1

    cluster.country = Country.objects.get(code="CZ")  # and back: no tombstone left
    cluster.save()
    czech = api(f"clusters/?{since(start)}").json()
    assert [item["id"] for item in czech["items"]] == [cluster.pk]
    assert czech["deleted"] == []


def test_meta_updated_at_is_what_updated_since_compares(api, country):
    """Every item says when it last changed for its readers in this language."""
    page = published_news(country("CZ"), title={"cs": "Den", "en": "Day"})

    def updated_at(path):
        body = api(path).json()
        items = body["items"] if "items" in body else [body]
        return next(item for item in items if item["id"] == page.pk)["meta"]["updated_at"]

    stamp = updated_at(f"pages/{page.pk}/?lang=en")
    assert updated_at("news/?lang=en&limit=100") == stamp
    page.save_revision().publish()  # nothing a reader sees changed
    assert updated_at(f"pages/{page.pk}/?lang=en") == stamp
    assert api(f"news/?updated_since={quote(stamp)}&lang=en").json()["items"][0]["id"] == page.pk
    czech = updated_at(f"pages/{page.pk}/?lang=cs")
    page.title_en = "Another day"
    page.save_revision().publish()
    assert updated_at(f"pages/{page.pk}/?lang=en") > stamp
    assert updated_at(f"pages/{page.pk}/?lang=cs") == czech  # nothing changed in Czech
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    assert api(f"clusters/{cluster.pk}/").json()["meta"]["updated_at"]


def moved_to_slovakia(country) -> NewsPage:
    """A Czech news item, published, then moved (Wagtail's page move) to the Slovak site."""
    page = published_news(country("CZ"), title={"cs": "Přesunutá", "en": "Moved"})
    slovak_news = NewsIndexPage.objects.child_of(country("SK").home_page).get()
    Page.objects.get(pk=page.pk).move(slovak_news, pos="last-child")
    return NewsPage.objects.get(pk=page.pk)


def removals_seen(api, start, host) -> list[tuple[int, str, str]]:
    body = api(f"news/?{since(start)}", host=host).json()
    return [(item["id"], item["reason"], item["site"]) for item in body["deleted"]]


def test_a_moved_page_published_again_is_still_removed_from_the_old_site(api, country):
    """An edit published after the move wiped the old site's tombstone: a consumer of the
    Czech site that had not synced in between kept the item for ever."""
    start = timezone.now()
    page = moved_to_slovakia(country)
    page.title_en = "Moved, then edited"
    page.save_revision().publish()

    assert removals_seen(api, start, "cz.localhost") == [(page.pk, "moved", "CZ")]
    assert removals_seen(api, start, "sk.localhost") == []
    assert removals_seen(api, start, "localhost") == []


def test_a_moved_page_unpublished_is_removed_from_both_sites(api, country):
    """One tombstone per item: the Slovak unpublication overwrote the Czech "moved"."""
    start = timezone.now()
    page = moved_to_slovakia(country)
    page.unpublish()

    assert removals_seen(api, start, "cz.localhost") == [(page.pk, "moved", "CZ")]
    assert removals_seen(api, start, "sk.localhost") == [(page.pk, "unpublished", "SK")]
    assert removals_seen(api, start, "localhost") == [(page.pk, "unpublished", "SK")]

    page.save_revision().publish()  # and back on the Slovak site
    assert removals_seen(api, start, "cz.localhost") == [(page.pk, "moved", "CZ")]
    assert removals_seen(api, start, "sk.localhost") == []
    assert removals_seen(api, start, "localhost") == []


def test_a_moved_cluster_deleted_is_removed_from_both_sites(api):
    start = timezone.now()
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    cluster.country = Country.objects.get(code="SK")
    cluster.save()
    pk = cluster.pk
    cluster.delete()

    def seen(host):
        body = api(f"clusters/?{since(start)}", host=host).json()
        return [(item["id"], item["reason"], item["site"]) for item in body["deleted"]]

    assert seen("cz.localhost") == [(pk, "moved", "CZ")]
    assert seen("sk.localhost") == [(pk, "deleted", "SK")]
