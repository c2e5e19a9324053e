"""``sync/``: a full pull, then exactly the changes and removals since, with a cursor."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signing import b64_encode
from django.test import override_settings
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from cms.api.routers.sync import CURSOR_SALT
from cms.clusters.models import ClusterProfile
from cms.core.models import Sector
from cms.news.models import NewsPage
from cms.partners.models import ContactPerson
from cms.projections.models import Projection, Tombstone
from tests.api.conftest import make_image, published_news


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
    # The same set of types, however written.
    same = api(f"sync/?type=core.Sector,core.Sector&lang=de&cursor={cursor}")
    assert same.status_code == 200, same.content


@pytest.mark.parametrize("cursor", ["x", "bm90IGpzb24", "eyJ2IjoyfQ", "e30", "%00"])
def test_a_cursor_the_api_did_not_give_is_a_400_naming_it(api, cursor):
    response = api(f"sync/?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "cursor"


@pytest.mark.parametrize(
    ("position", "moment"),
    [("changed", "0001-01-01T00:00:00+14:00"), ("removed", "9999-12-31T23:59:59-14:00")],
)
def test_a_cursor_holding_a_time_utc_cannot_hold_is_a_400_naming_it(api, position, moment):
    """A cursor edited by hand (a time at the calendar's edge, in a far zone): a 400, not a 500."""
    cursor = api("sync/?lang=en&type=core.Sector").json()["cursor"]
    payload = signing.loads(cursor, salt=CURSOR_SALT)
    payload[position] = [moment, "core.Sector", 1] if position == "changed" else [moment, 1]
    edited = signing.dumps(payload, salt=CURSOR_SALT)  # signed as the API would have
    response = api(f"sync/?lang=en&type=core.Sector&cursor={edited}")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["parameter"] == "cursor"


def test_an_edited_or_unsigned_cursor_is_a_400_naming_it(api):
    """A cursor moved into the future answered nothing, for ever, without an error; one of
    version 1 (unsigned, as cursors were before) is refused the same way."""
    cursor = api("sync/?lang=en&type=core.Sector").json()["cursor"]
    payload = signing.loads(cursor, salt=CURSOR_SALT)
    payload["changed"] = ["2099-01-01T00:00:00+00:00", "core.Sector", 1]
    signature = cursor.rsplit(":", 1)[1]  # the genuine cursor's, on the edited payload
    forged = signing.dumps(payload, salt=CURSOR_SALT).rsplit(":", 1)[0] + ":" + signature
    unsigned = b64_encode(json.dumps({**payload, "v": 1}).encode()).decode()
    for edited in (forged, unsigned):
        response = api(f"sync/?lang=en&type=core.Sector&cursor={edited}")
        assert response.status_code == 400, response.content
        assert response.json()["errors"][0]["parameter"] == "cursor"


def test_a_deleted_sector_reaches_every_sites_sync(api):
    """Sectors belong to no country and every site shows them: so do their tombstones."""
    _items, _deleted, cursor = pull(api, lang="en", type="core.Sector")
    tourism = Sector.objects.get(slug="tourism")
    tourism_id = tourism.pk
    tourism.delete()
    _changed, deleted, _cursor = pull(api, cursor, lang="en", type="core.Sector")
    assert [(d["type"], d["id"], d["reason"]) for d in deleted] == [
        ("core.Sector", tourism_id, "deleted")
    ]


def test_publishing_again_without_a_visible_change_keeps_the_served_json(api, country):
    """Not listed as changed, so not changed either: a full sync serves what the copy has."""
    page = published_news(
        country("CZ"), title={"cs": "Den", "en": "Day"}, body={"en": ["<p>Text</p>"]}
    )
    detail = api(f"pages/{page.pk}/?lang=en").json()
    _items, _deleted, cursor = pull(api, lang="en", type="news.NewsPage")
    page.save_revision().publish()  # new block keys in the body, a new last_published_at
    assert pull(api, cursor, lang="en", type="news.NewsPage")[:2] == ([], [])
    assert api(f"pages/{page.pk}/?lang=en").json() == detail


@override_settings(API_RESPONSE_CACHE_SECONDS=300)
def test_a_live_page_saved_from_a_shell_is_not_served_from_the_response_cache(api, country):
    cache.clear()
    page = published_news(country("CZ"), title={"cs": "Den", "en": "Day"})
    assert api(f"pages/{page.pk}/?lang=en").json()["title"] == "Day"
    assert api(f"pages/{page.pk}/?lang=en")["X-Cache"] == "HIT"
    page = NewsPage.objects.get(pk=page.pk)
    page.title_en = "Saved in a shell"
    page.save()  # no revision, no publish signal: only the model's post_save
    assert api(f"pages/{page.pk}/?lang=en").json()["title"] == "Saved in a shell"
    cache.clear()


def test_an_image_whose_file_is_replaced_is_shown_with_its_new_renditions(
    api, country, admin_user, django_capture_on_commit_callbacks
):
    """The admin deletes the old renditions after saving the image: items are rendered again."""
    photo = make_image(en="A photo")
    page = published_news(country("CZ"), title={"cs": "Foto", "en": "Photo"}, image=photo)
    before = api(f"pages/{page.pk}/?lang=en").json()["image"]["renditions"]["thumbnail"]["url"]
    with django_capture_on_commit_callbacks(execute=True):
        replace_file(photo, admin_user, "replaced.png")
    after = api(f"pages/{page.pk}/?lang=en").json()["image"]["renditions"]["thumbnail"]["url"]
    assert after != before and "replaced" in after


def replace_file(image, user, filename: str) -> None:
    """What the admin's image edit form does when an editor uploads a new file."""
    form_class = get_image_form(get_image_model())
    data = {
        name: getattr(value, "pk", value)
        for name, value in form_class(instance=image, user=user).initial.items()
        if value is not None and name != "file"
    }
    data["tags"] = ""
    upload = get_test_image_file(filename=filename, size=(640, 480))
    upload = SimpleUploadedFile(filename, upload.file.getvalue(), "image/png")
    form = form_class(data, {"file": upload}, instance=image, user=user)
    assert form.is_valid(), form.errors
    form.save()


def test_a_page_put_behind_a_view_restriction_leaves_a_tombstone(api, country):
    """Private: gone from the site as if unpublished; public again: back, and no tombstone."""
    page = published_news(country("CZ"), title={"cs": "Soukromé", "en": "Private"})
    _items, _deleted, cursor = pull(api, lang="en", type="news.NewsPage")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    changed, deleted, cursor = pull(api, cursor, lang="en", type="news.NewsPage")
    assert changed == []
    assert [(d["id"], d["reason"]) for d in deleted] == [(page.pk, "unpublished")]
    restriction.delete()
    changed, deleted, cursor = pull(api, cursor, lang="en", type="news.NewsPage")
    assert (keys(changed), deleted) == ([("news.NewsPage", page.pk)], [])
    # Restricted and public again between two syncs: the consumer keeps it.
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    restriction.delete()
    changed, deleted, cursor = pull(api, cursor, lang="en", type="news.NewsPage")
    assert deleted == []


def settle_everything_so_far():
    """Age every stored row and tombstone past the window: the demo content may have been
    loaded a moment ago (a test run's first minute), and would otherwise arrive late."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Projection.objects.update(updated_at=an_hour_ago)
    Tombstone.objects.update(removed_at=an_hour_ago)


@override_settings(SYNC_SETTLE_SECONDS=30)
def test_a_change_stamped_before_a_cursor_but_committed_after_it_still_comes(api, country):
    """Rows are stamped when rendered, inside their transaction: a long transaction can
    commit after a shorter, later one that a consumer already synced. The sync holds back
    the last ``SYNC_SETTLE_SECONDS``, so its cursor never passes a stamp still to commit."""
    settle_everything_so_far()
    _items, _deleted, cursor = pull(api, lang="en")
    now = timezone.now()
    early = published_news(country("CZ"), title={"en": "Rendered first, committed last"})
    later = published_news(country("CZ"), title={"en": "Rendered and committed later"})
    rows = Projection.objects.filter(object_type="news.NewsPage", language="en")
    rows.filter(object_id=later.pk).update(updated_at=now - timedelta(seconds=10))
    # ``early`` (stamped 35 s ago) has not committed yet: this sync cannot see it.
    held = list(rows.filter(object_id=early.pk).values())
    rows.filter(object_id=early.pk).delete()
    assert pull(api, cursor, lang="en")[0] == []  # ``later`` waits: the cursor stays put

    Projection.objects.bulk_create(
        [Projection(**{**held[0], "updated_at": now - timedelta(seconds=35)})]
    )
    items, _deleted, cursor = pull(api, cursor, lang="en")
    assert keys(items) == [("news.NewsPage", early.pk)]  # not skipped
    rows.filter(object_id=later.pk).update(updated_at=now - timedelta(seconds=31))
    items, _deleted, cursor = pull(api, cursor, lang="en")
    assert keys(items) == [("news.NewsPage", later.pk)]


@override_settings(SYNC_SETTLE_SECONDS=30)
def test_changes_of_the_last_seconds_wait_for_the_next_sync(api, country):
    settle_everything_so_far()
    _items, _deleted, cursor = pull(api, lang="en")
    page = published_news(country("CZ"), title={"en": "Just published"})
    assert pull(api, cursor, lang="en")[0] == []  # within the window: not yet
    Projection.objects.filter(object_type="news.NewsPage", object_id=page.pk).update(
        updated_at=timezone.now() - timedelta(seconds=31)
    )
    items, _deleted, cursor = pull(api, cursor, lang="en")
    assert keys(items) == [("news.NewsPage", page.pk)]
    assert pull(api, cursor, lang="en")[:2] == ([], [])


@override_settings(SYNC_SETTLE_SECONDS=1, API_RESPONSE_CACHE_SECONDS=300)
def test_a_change_still_settling_is_handed_out_once_settled_though_responses_are_cached(
    api, country
):
    """A sync that holds a change back answers for a moment only: the response cache must
    not keep it until the next change (up to ``API_RESPONSE_CACHE_SECONDS``), or the change
    comes minutes late to every consumer polling with that cursor."""
    cache.clear()
    settle_everything_so_far()
    _items, _deleted, cursor = pull(api, lang="en")
    page = published_news(country("CZ"), title={"en": "Published a moment ago"})
    assert pull(api, cursor, lang="en")[0] == []  # within the window: not yet
    time.sleep(1.1)
    items, _deleted, _cursor = pull(api, cursor, lang="en")
    assert keys(items) == [("news.NewsPage", page.pk)]


def test_the_openapi_document_offers_a_sync_html_rich_text_only(api):
    """A sync carries html only, and refused markdown with a 400 its document did not warn
    of: the parameter offered html and markdown, as every other read's does."""
    document = api("openapi.json").json()
    (parameter,) = [
        p
        for p in document["paths"]["/api/v3/sync/"]["get"]["parameters"]
        if p["name"] == "rich_text_format"
    ]
    assert [option.get("const") for option in parameter["schema"]["anyOf"]] == ["html", None]
    refused = api("sync/?rich_text_format=markdown")
    assert refused.status_code == 400 and refused.json()["parameter"] == "rich_text_format"
    assert api("sync/?rich_text_format=html&limit=1").status_code == 200
