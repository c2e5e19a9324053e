"""``sync/``: a full pull, then exactly the changes and removals since, with a cursor."""

from __future__ import annotations

import pytest

from cms.clusters.models import ClusterProfile
from cms.partners.models import ContactPerson
from cms.projections.models import Projection
from tests.api.conftest import published_news


def pull(api, cursor: str | None = None, **query) -> tuple[list[dict], list[dict], str]:
    """Every page from ``cursor`` until ``more`` is false: (items, deleted, the last cursor)."""
    items, deleted = [], []
    for _page in range(1000):
        parameters = {**query, **({"cursor": cursor} if cursor else {})}
        path = "sync/?" + "&".join(f"{name}={value}" for name, value in parameters.items())
        response = api(path)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        deleted += body["deleted"]
        cursor = body["cursor"]
        if not body["more"]:
            return items, deleted, cursor
    raise AssertionError("the sync never ended")


def keys(items: list[dict]) -> list[tuple[str, int]]:
    return [(item["meta"]["type"], item["id"]) for item in items]


def test_a_full_sync_then_exactly_what_changed(api, country):
    items, deleted, cursor = pull(api, limit=7, lang="en")
    shown = Projection.objects.filter(language="en").filter(country__in=["CZ", ""])
    assert sorted(keys(items)) == sorted(shown.values_list("object_type", "object_id"))
    assert len(set(keys(items))) == len(items)  # each once
    assert deleted == []
    assert {item["meta"]["type"] for item in items} >= {"news.NewsPage", "core.Sector"}

    # Nothing changed: nothing comes.
    assert pull(api, cursor, limit=7, lang="en")[:2] == ([], [])

    # A cluster renamed, a page published, a contact deleted: exactly those.
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    cluster.name_en = "Renamed cluster"
    cluster.save()
    page = published_news(country("CZ"), title={"cs": "Nové", "en": "New"})
    contact = ContactPerson.objects.filter(country__code="CZ").last()
    contact_id = contact.pk
    contact.delete()
    changed, deleted, cursor = pull(api, cursor, limit=7, lang="en")
    assert ("clusters.ClusterProfile", cluster.pk) in keys(changed)
    assert ("news.NewsPage", page.pk) in keys(changed)
    assert next(i for i in changed if i["id"] == cluster.pk)["name"] == "Renamed cluster"
    assert [(d["type"], d["id"], d["reason"]) for d in deleted] == [
        ("partners.ContactPerson", contact_id, "deleted")
    ]
    # Only what changed: the cluster, the page, and what showed the deleted contact.
    assert len(changed) == len(set(keys(changed)))
    assert all(
        key in {("clusters.ClusterProfile", cluster.pk), ("news.NewsPage", page.pk)}
        or key[0] in {"news.NewsPage", "events.EventPage", "clusters.ClusterProfile"}
        for key in keys(changed)
    )
    assert pull(api, cursor, limit=7, lang="en")[:2] == ([], [])

    page.unpublish()
    changed, deleted, cursor = pull(api, cursor, lang="en")
    assert changed == []
    assert [(d["id"], d["reason"]) for d in deleted] == [(page.pk, "unpublished")]


def test_a_sync_follows_only_its_types_site_and_language(api):
    items, _deleted, cursor = pull(api, type="core.Sector", lang="de")
    assert {item["meta"]["type"] for item in items} == {"core.Sector"}
    assert all(item["meta"]["language"] == "de" for item in items)
    # The cursor is bound to what it follows.
    for other in ("type=core.Sector&lang=cs", "lang=de", "type=core.Sector&lang=de&site=SK"):
        response = api(f"sync/?{other}&cursor={cursor}")
        assert response.status_code == 400, other
        assert response.json()["errors"][0]["parameter"] == "cursor"


@pytest.mark.parametrize("cursor", ["x", "bm90IGpzb24", "eyJ2IjoyfQ", "e30", "%00"])
def test_a_cursor_the_api_did_not_give_is_a_400_naming_it(api, cursor):
    response = api(f"sync/?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "cursor"
