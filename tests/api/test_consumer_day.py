"""The consumer's day: a partner's copy kept in step through ``sync/`` while editors work.

Against a live server (``tests/api/live.py``), several consumers (the Czech site in
English and in Czech, the Slovak site in Slovak, the hub in every language at once)
each make a full sync, paging with the cursor. Then the changes of a working day,
made the way editors, imports and shells make them, each one committed (its
``on_commit`` work, such as the task worker's renderings, runs). After each, every
consumer asks with its cursor: it must get exactly the items whose JSON changed and
a tombstone for exactly each item that left its scope, no more, no less, each once;
applied to its copy, the copy must equal a fresh full sync, JSON for JSON. The
response cache is on, as in production.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import override_settings
from wagtail.models import Page, PageViewRestriction

from cms.clusters.models import ClusterProfile
from cms.core.models import Country, Sector
from cms.events.models import EventPage
from cms.news.models import NewsIndexPage, NewsPage
from cms.partners.models import ContactPerson
from cms.projections.checking import differences
from tests.api.conftest import make_image
from tests.api.live import LiveServer
from tests.api.test_sync_cursor import replace_file

Key = tuple[str, int]


def key(item: dict) -> Key:
    return (item["meta"]["type"], item["id"])


@dataclass(eq=False)
class Consumer:
    """A partner's copy of one site in one language, kept by ``sync/`` and its cursor."""

    server: LiveServer
    host: str
    lang: str
    copy: dict[Key, dict] = field(default_factory=dict)
    cursor: str | None = None

    def __str__(self) -> str:
        return f"{self.host} lang={self.lang}"

    def pull(self, cursor: str | None) -> tuple[list[dict], list[dict], str]:
        """Every page from ``cursor`` until ``more`` is false."""
        items, deleted = [], []
        for _page in range(200):
            query = {"lang": self.lang, "limit": 25, **({"cursor": cursor} if cursor else {})}
            answer = self.server.get(f"/api/v3/sync/?{urlencode(query)}", host=self.host)
            assert answer.status == 200, answer.body[:500]
            body = answer.json()
            items += body["items"]
            deleted += body["deleted"]
            cursor = body["cursor"]
            if not body["more"]:
                return items, deleted, cursor
        raise AssertionError(f"{self}: the sync never ended")

    def full(self) -> dict[Key, dict]:
        items, deleted, _cursor = self.pull(None)
        found = {key(item): item for item in items}
        assert len(found) == len(items), f"{self}: an item twice in a full sync"
        assert deleted == [], f"{self}: a first sync has nothing to delete"
        return found

    def start(self) -> None:
        items, _deleted, self.cursor = self.pull(None)
        self.copy = {key(item): item for item in items}

    def follow(self, step: str) -> tuple[set[Key], set[Key]]:
        """Sync with the cursor, check it against a fresh full sync; (changed, removed)."""
        items, deleted, self.cursor = self.pull(self.cursor)
        fresh = self.full()
        changed = [key(item) for item in items]
        removed = [(tombstone["type"], tombstone["id"]) for tombstone in deleted]
        assert len(changed) == len(set(changed)), f"{step}, {self}: an item twice: {changed}"
        assert len(removed) == len(set(removed)), f"{step}, {self}: a tombstone twice: {removed}"
        expected = {k for k, item in fresh.items() if self.copy.get(k) != item}
        assert set(changed) == expected, (
            f"{step}, {self}: changed items: extra {set(changed) - expected}, "
            f"missing {expected - set(changed)}"
        )
        gone = set(self.copy) - set(fresh)
        assert set(removed) == gone, (
            f"{step}, {self}: tombstones: extra {set(removed) - gone}, "
            f"missing {gone - set(removed)}"
        )
        for item in items:
            self.copy[key(item)] = item
        for k in removed:
            self.copy.pop(k, None)
        assert self.copy == fresh, f"{step}, {self}: the copy differs from a full sync"
        return set(changed), set(removed)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` a change, then what runs after its commit (worker tasks)."""

    @contextmanager
    def commit():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return commit


@pytest.fixture
def server(db):
    cache.clear()
    with override_settings(API_RESPONSE_CACHE_SECONDS=300), LiveServer() as live:
        yield live
    cache.clear()


def test_the_consumers_day(server, committed, admin_user):
    czech, slovak = Country.objects.get(code="CZ"), Country.objects.get(code="SK")
    contact = ContactPerson.objects.get(country=czech)
    event = EventPage.objects.live().get(contact=contact)
    news = list(NewsPage.objects.live().descendant_of(czech.home_page).order_by("pk"))
    photo = make_image(en="A photo")
    with committed():  # before the day: a photo on a Czech news item and a cluster's logo
        news[0].image = photo
        news[0].save_revision().publish()
        logo_holder = ClusterProfile.objects.filter(country=czech).order_by("pk").first()
        logo_holder.logo = photo
        logo_holder.save()

    consumers = [
        Consumer(server, "cz.localhost", "en"),
        Consumer(server, "cz.localhost", "cs"),
        Consumer(server, "sk.localhost", "sk"),
        Consumer(server, "localhost", "all"),
    ]
    cz_en, cz_cs, sk, hub = consumers
    for consumer in consumers:
        consumer.start()
    assert ("events.EventPage", event.pk) in cz_en.copy

    def follow(step: str) -> dict[Consumer, tuple[set[Key], set[Key]]]:
        return {consumer: consumer.follow(step) for consumer in consumers}

    # Nothing changed: nothing comes.
    assert all(result == (set(), set()) for result in follow("nothing").values())

    # 1. A contact's role, shown inside an event and news items.
    with committed():
        contact.role_en, contact.role_cs = "Head of cluster programmes", "Vedoucí programů"
        contact.save()
    seen = follow("contact's role")
    assert ("events.EventPage", event.pk) in seen[cz_en][0]
    assert ("partners.ContactPerson", contact.pk) in seen[cz_cs][0]
    assert seen[sk] == (set(), set())
    assert cz_en.copy[("events.EventPage", event.pk)]["contact"]["role"] == (
        "Head of cluster programmes"
    )

    # 2. Two clusters move from the Czech Republic to Slovakia.
    listing = server.get("/api/v3/clusters/?lang=en")
    # Last-Modified counts whole seconds (HTTP dates): a change in the same second as the
    # copy's is invisible to If-Modified-Since (the ETag below sees it). Step past it.
    time.sleep(1.01 - time.time() % 1)
    moving = list(ClusterProfile.objects.filter(country=czech).order_by("-pk")[:2])
    with committed():
        for cluster in moving:
            cluster.country = slovak
            cluster.save()
    seen = follow("two clusters moved")
    moved = {("clusters.ClusterProfile", cluster.pk) for cluster in moving}
    assert seen[cz_en][1] == moved and seen[cz_cs][1] == moved
    assert moved <= seen[sk][0] and seen[sk][1] == set()
    assert moved <= seen[hub][0] and seen[hub][1] == set()
    again = server.get(
        "/api/v3/clusters/?lang=en", **{"If-Modified-Since": listing["Last-Modified"]}
    )
    assert again.status == 200  # the listing lost two items: not "not modified"
    assert again.json()["count"] == listing.json()["count"] - 2
    revalidated = server.get("/api/v3/clusters/?lang=en", **{"If-None-Match": listing["ETag"]})
    assert revalidated.status == 200

    # 3. Saving again without a visible change: a snippet in the admin, a page re-published.
    with committed():
        ClusterProfile.objects.filter(country=czech).first().save()
        contact.save()
        news[1].save_revision().publish()
    assert all(result == (set(), set()) for result in follow("saved, unchanged").values())

    # 4. A change made outside the admin: a shell saves a live page.
    with committed():
        page = NewsPage.objects.get(pk=news[1].pk)
        page.title_en = "Edited in a shell"
        page.save()
    seen = follow("shell")
    assert ("news.NewsPage", news[1].pk) in seen[cz_en][0]
    assert cz_en.copy[("news.NewsPage", news[1].pk)]["title"] == "Edited in a shell"

    # 5. A sector renamed: shown by many items, rendered by the worker after the commit.
    food = Sector.objects.get(slug="food")
    with override_settings(PROJECTION_INLINE_LIMIT=3), committed():
        food.name_en, food.name_sk = "Agri-food", "Agropotraviny"
        food.save()
    seen = follow("sector renamed")
    assert ("core.Sector", food.pk) in seen[sk][0]
    assert len(seen[hub][0]) > 3

    # 6. An image replaced in the admin (its renditions are deleted after the save).
    with committed():
        replace_file(photo, admin_user, "replaced.png")
    seen = follow("image replaced")
    assert ("news.NewsPage", news[0].pk) in seen[cz_en][0]
    assert ("clusters.ClusterProfile", logo_holder.pk) in seen[cz_cs][0]
    assert (
        "replaced"
        in cz_en.copy[("news.NewsPage", news[0].pk)]["image"]["renditions"]["thumbnail"]["url"]
    )

    # 7. A language ticked ready, then unticked.
    page = NewsPage.objects.get(pk=news[2].pk) if len(news) > 2 else news[0]
    with committed():
        page.title_sk, page.lead_sk = "Slovenský titulok", "Slovenský úvod"
        page.ready_languages = [*page.ready_languages, "sk"]
        page.save_revision().publish()
    follow("Slovak ticked")
    with committed():
        page.ready_languages = [code for code in page.ready_languages if code != "sk"]
        page.save_revision().publish()
    seen = follow("Slovak unticked")
    assert ("news.NewsPage", page.pk) in seen[hub][0]

    # 7b. A news item moved (Wagtail's page move) from the Czech site to the Slovak one.
    slovak_news = NewsIndexPage.objects.child_of(slovak.home_page).get()
    with committed():
        Page.objects.get(pk=page.pk).move(slovak_news, pos="last-child")
    seen = follow("page moved to another site")
    assert seen[cz_en][1] == {("news.NewsPage", page.pk)}
    assert ("news.NewsPage", page.pk) in seen[sk][0]
    assert ("news.NewsPage", page.pk) in seen[hub][0] and not seen[hub][1]

    # 7c. An event made private (a view restriction) and public again.
    private = event
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    seen = follow("made private")
    assert seen[cz_en][1] == {("events.EventPage", private.pk)}
    with committed():
        restriction.delete()
    seen = follow("public again")
    assert ("events.EventPage", private.pk) in seen[cz_cs][0]

    # 8. Unpublished.
    with committed():
        news[1].unpublish()
    seen = follow("unpublished")
    assert ("news.NewsPage", news[1].pk) in seen[cz_en][1]
    assert ("news.NewsPage", news[1].pk) in seen[hub][1]

    # 9. Deleted: an event page, a cluster, a contact, a sector.
    with committed():
        Page.objects.get(pk=event.pk).delete()
        ClusterProfile.objects.filter(country=czech).first().delete()
        ContactPerson.objects.get(pk=contact.pk).delete()
        tourism = Sector.objects.get(slug="tourism")
        tourism_id = tourism.pk
        tourism.delete()
    seen = follow("deleted")
    assert ("events.EventPage", event.pk) in seen[cz_cs][1]
    assert ("core.Sector", tourism_id) in seen[sk][1]
    assert ("core.Sector", tourism_id) in seen[cz_en][1]

    # The stored projections are what a fresh rendering gives: nothing left stale.
    assert [str(difference) for difference in differences()] == []
