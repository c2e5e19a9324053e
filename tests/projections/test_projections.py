"""Projections: written whatever made the change, only what a reader sees, never a draft."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms.core.models import Sector
from cms.news.models import NewsPage
from cms.partners.models import ContactPerson
from cms.projections import rendering, writing
from cms.projections.models import Projection, StaleProjection
from cms.projections.registry import VARIANTS
from tests.api.conftest import make_image, published_news, sectors
from tests.factories import news_page

pytestmark = pytest.mark.django_db

LABEL = NewsPage._meta.label


@pytest.fixture
def api(client):
    return lambda path: client.get(f"/api/v3/{path}", HTTP_HOST="cz.localhost")


def undated(body: dict) -> dict:
    for item in body["items"]:
        item["meta"].pop("updated_at", None)
    return body


def rows(obj) -> dict[str, Projection]:
    label = obj.specific_class._meta.label if isinstance(obj, Page) else obj._meta.label
    return {p.language: p for p in Projection.objects.filter(object_type=label, object_id=obj.pk)}


def test_the_demo_content_matches_a_fresh_rendering():
    call_command("check_projections")  # raises CommandError on any difference


def test_a_published_item_has_every_language_variant(country):
    page = published_news(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    found = rows(page)
    assert set(found) == set(VARIANTS)
    assert found["cs"].data["title"] == "Informační den"
    assert found["sk"].data["title"] == "Informační den"  # sk -> cs -> en
    assert found["sk"].data["_fallback"]["title"] == "cs"
    assert found["all"].data["title"]["de"] is None
    assert found["en"].country == "CZ"
    assert found["en"].data["meta"]["detail_url"] == f"/api/v3/pages/{page.pk}/"


def test_an_unready_translations_slug_is_served_as_its_title_is(api, country):
    """Czech written, not made ready: its slug (transliterated from the unready title)
    is no more the consumer's than the title; the served language's chain decides both."""
    page = published_news(
        country("CZ"), title={"en": "Info day", "cs": "Nehotový den"}, ready_languages=[]
    )
    page.slug_cs = "nehotovy-den"
    page.save_revision().publish()
    czech = api(f"pages/{page.pk}/?lang=cs").json()
    assert (czech["title"], czech["slug"]) == ("Info day", page.slug_en)
    assert czech["_fallback"] == {"title": "en", "slug": "en", "lead": "en"}
    every = api(f"pages/{page.pk}/?lang=all").json()
    assert every["slug"]["cs"] is None and every["slug"]["en"] == page.slug_en


def test_the_api_detail_is_the_stored_row_with_absolute_urls(api, country):
    page = published_news(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    row = rows(page)["cs"]
    Projection.objects.filter(pk=row.pk).update(
        body=row.body.replace('"title":"Informační den"', '"title":"Read from the projection"')
    )
    body = api(f"pages/{page.pk}/?lang=cs&site=CZ").json()
    assert body["title"] == "Read from the projection"
    assert body["meta"]["detail_url"] == (
        f"http://cz.localhost/api/v3/pages/{page.pk}/?site=CZ&lang=cs"
    )


def test_a_listing_reads_the_stored_rows(api, country):
    """The listing subset for the default fields, the whole row for fields only details show."""
    page = published_news(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    row = rows(page)["cs"]
    assert "body" in row.data and "body" not in row.listing
    Projection.objects.filter(pk=row.pk).update(
        data={**row.data, "title": "From the whole row"},
        listing_body=row.listing_body.replace(
            '"title":"Informační den"', '"title":"From the listing subset"'
        ),
    )

    def item(path):
        items = api(f"news/?lang=cs&site=CZ&limit=100{path}").json()["items"]
        return next(item for item in items if item["id"] == page.pk)

    assert item("")["title"] == "From the listing subset"
    assert item("")["meta"]["detail_url"] == (
        f"http://cz.localhost/api/v3/pages/{page.pk}/?site=CZ&lang=cs"
    )
    assert item("&fields=body")["title"] == "From the whole row"


def test_a_row_without_its_listing_subset_is_rendered_and_reported(api, country):
    page = published_news(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    Projection.objects.filter(object_type=LABEL, object_id=page.pk).update(listing=None)
    items = api("news/?lang=cs&site=CZ&limit=100").json()["items"]
    assert next(item for item in items if item["id"] == page.pk)["title"] == "Informační den"
    with pytest.raises(CommandError):
        call_command("check_projections")
    call_command("check_projections", "--write")
    assert all(row.listing for row in rows(page).values())


IDENTICAL_PATHS = [
    "news/?lang=sk",
    "news/?lang=all&site=INT",
    "news/?limit=2&offset=1&order=title",
    "news/?updated_since=2020-01-01T00:00:00Z",
    "events/?lang=de",
    "pages/?type=news.NewsPage",
    "clusters/?lang=pl",
    "partners/?lang=sl",
    "contacts/",
    "sectors/?lang=it",
    "news/{page}/?lang=sk",
    "pages/{page}/?lang=all",
    "pages/{page}/?site=INT",
]


@pytest.mark.parametrize("path", IDENTICAL_PATHS)
def test_the_stored_text_serves_the_bytes_the_decoded_json_does(api, country, path):
    """A row's text (``bodies``) is what the response would write from its JSON, links and
    Last-Modified included; byte for byte (so the same ETag) where the database keeps a JSON
    object's key order (SQLite; PostgreSQL's jsonb reorders ``_fallback`` and language maps
    when the JSON is read back, the text keeps the rendering's order)."""
    image = make_image(en="Photo", cs="Fotka")
    pages = [
        published_news(
            country("CZ"),
            title={"en": f"News {number}", "cs": f"Zpráva {number}"},
            sectors=sectors("food", "ict"),
            image=image,
        )
        for number in range(3)
    ]
    path = path.format(page=pages[0].pk)
    from_text = api(path)
    assert from_text.status_code == 200, from_text.content
    Projection.objects.update(body=None, listing_body=None)
    from_json = api(path)
    assert from_json.json() == from_text.json()
    assert from_json["Last-Modified"] == from_text["Last-Modified"]
    if connection.vendor == "sqlite":
        assert from_json.content == from_text.content
        assert from_json["ETag"] == from_text["ETag"]


def test_a_row_without_its_text_is_reported_and_rewritten(country):
    page = published_news(country("CZ"), title={"en": "Info day"})
    Projection.objects.filter(object_type=LABEL, object_id=page.pk).update(listing_body=None)
    with pytest.raises(CommandError):
        call_command("check_projections")
    call_command("check_projections", "--write")
    assert all(row.body and row.listing_body for row in rows(page).values())
    call_command("check_projections")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("body", '{"id":1}'),
        ("listing_body", "not json"),
        ("title_key", "00"),
        ("sector_ids", " 9 "),
    ],
)
def test_a_text_or_column_its_data_no_longer_gives_is_reported_and_rewritten(
    country, column, value
):
    """Texts and columns are made from a row's data when it is written; if what makes them
    changed since, check_projections says so and --write makes them again."""
    page = published_news(country("CZ"), title={"en": "Info day"}, sectors=sectors("food"))
    Projection.objects.filter(object_type=LABEL, object_id=page.pk, language="de").update(
        **{column: value}
    )
    with pytest.raises(CommandError):
        call_command("check_projections")
    call_command("check_projections", "--write")
    assert getattr(rows(page)["de"], column) != value
    call_command("check_projections")


def test_a_link_the_text_cannot_hold_is_served_from_the_json(api, country):
    """A host-relative link with an escape in it is left to the decoding path."""
    page = published_news(country("CZ"), title={"en": "Info day"})
    row = rows(page)["en"]
    body = row.body.replace(f'"detail_url":"/api/v3/pages/{page.pk}/"', '"detail_url":"/a\\b"')
    Projection.objects.filter(pk=row.pk).update(body=body)
    served = api(f"pages/{page.pk}/?lang=en").json()
    assert served["meta"]["detail_url"] == f"http://cz.localhost/api/v3/pages/{page.pk}/?lang=en"


@pytest.mark.parametrize(
    "path",
    [
        "news/?lang=sk&fields=*&date_from=2000-01-01",
        "news/?lang=all&order=title",
        "pages/?fields=*&order=-last_published_at",
        "clusters/?lang=de&fields=*&order=founded",
        "partners/?fields=*",
        "contacts/?lang=it&order=updated_at",
        "sectors/?lang=pl&fields=*",
    ],
)
def test_items_rendered_for_another_rich_text_format_are_the_rows_items(api, country, path):
    """Rich text in another format than html is rendered from the models, for exactly
    the items the rows list, in their order, with the same fields and meta."""
    czechia = country("CZ")
    image = make_image(en="Photo", cs="Fotka")
    for number in range(3):
        published_news(
            czechia,
            title={"en": f"News {number}", "cs": f"Zpráva {number}"},
            sectors=sectors("food", "ict"),
            image=image,
        )
    stored = api(path)
    rendered = api(f"{path}&rich_text_format=markdown")
    assert rendered.status_code == 200, rendered.content
    items = rendered.json()["items"]
    assert items
    assert [item["id"] for item in items] == [item["id"] for item in stored.json()["items"]]
    assert rendered.json()["count"] == stored.json()["count"]
    assert rendered["Last-Modified"] == stored["Last-Modified"]
    for item, kept in zip(items, stored.json()["items"], strict=True):
        assert set(item) == set(kept)
        assert set(item["meta"]) == set(kept["meta"])
        # Dated by its row, as the stored item is (not by its model's last save).
        assert item["meta"]["updated_at"] == kept["meta"]["updated_at"]
    detail = items[0]["meta"]["detail_url"].split("/api/v3/", 1)[1]
    assert "rich_text_format=markdown" in detail
    one = api(detail)
    assert one.status_code == 200, one.content
    assert one.json()["meta"]["updated_at"] == items[0]["meta"]["updated_at"]


def test_a_detail_costs_a_fixed_number_of_queries(api, country):
    page = published_news(country("CZ"), title={"en": "Info day"}, sectors=sectors("food", "ict"))
    api(f"pages/{page.pk}/")  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert api(f"pages/{page.pk}/").status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "projections_projection" in q["sql"]]
    assert len(reads) == 1
    assert not any("news_newspage" in q["sql"] for q in queries.captured_queries)


def test_editing_an_embedded_contact_renders_the_item_again(country):
    contact = ContactPerson.objects.filter(country__code="CZ").first()
    page = published_news(country("CZ"), title={"en": "Info day"}, contact=contact)
    before = rows(page)["en"]
    contact.role_en = "Head of the cluster programme"
    contact.save()
    after = rows(page)["en"]
    assert after.data["contact"]["role"] == "Head of the cluster programme"
    assert after.updated_at > before.updated_at


def test_a_draft_never_reaches_the_projection(country):
    page = published_news(country("CZ"), title={"en": "Published title"})
    page.title_en = "Draft title"
    page.save_revision()
    page.refresh_from_db()
    page.save()  # even a plain save of the live row renders from the database, not the draft
    assert rows(page)["en"].data["title"] == "Published title"


def test_unpublishing_and_deleting_remove_the_rows(country):
    page = published_news(country("CZ"), title={"en": "Info day"})
    page.unpublish()
    assert rows(page) == {}
    page.save_revision().publish()
    assert set(rows(page)) == set(VARIANTS)
    page.delete()
    assert not Projection.objects.filter(object_type=LABEL, object_id=page.pk).exists()


def test_a_new_url_reaches_the_pages_below(country):
    page = published_news(country("CZ"), title={"en": "Info day"})
    index = page.get_parent().specific
    index.slug_en = "press-releases"
    index.slug = "press-releases"
    index.save_revision().publish()
    assert "/press-releases/" in rows(page)["en"].data["meta"]["html_url"]


def test_a_new_czech_slug_reaches_every_page_below_whatever_the_first_links(country, settings):
    """One page below stood for all: an English-only first child's rows link its English
    page, still below the section's English URL, so a new Czech slug of the section was "no
    move", and the Czech items below kept /cs/aktuality/… (301s) and sent no webhook."""
    settings.PROJECTION_INLINE_LIMIT = 1000
    cz = country("CZ")
    czech = published_news(cz, title={"en": "Info day", "cs": "Informační den"})
    english = news_page(cz, title={"en": "English only"})
    english.save_revision().publish()
    index = english.get_parent().specific
    english.move(index, pos="first-child")
    assert Page.objects.child_of(index).live().order_by("path").first().pk == english.pk

    index = type(index).objects.get(pk=index.pk)
    index.slug_cs = "zpravy"
    index.save_revision().publish()

    assert "/cs/zpravy/" in rows(czech)["cs"].data["meta"]["html_url"]
    call_command("check_projections")


def test_many_dependents_go_to_the_worker(country, settings):
    settings.PROJECTION_INLINE_LIMIT = 0
    page = published_news(country("CZ"), title={"en": "Info day"}, sectors=sectors("food"))
    food = Sector.objects.get(slug="food")
    food.name_en = "Food and drink"
    food.save()
    assert StaleProjection.objects.filter(object_type=LABEL, object_id=page.pk).exists()
    assert rows(page)["en"].data["sectors"][0]["name"] != "Food and drink"
    call_command("project_pending")
    assert rows(page)["en"].data["sectors"][0]["name"] == "Food and drink"
    assert not StaleProjection.objects.exists()


def test_a_restricted_subtree_leaves_at_once_however_large(api, country, settings):
    """Listings and details read the rows: a page made private takes its pages below
    with it in the editor's transaction, never after the worker's next pass."""
    from wagtail.models import PageViewRestriction

    settings.PROJECTION_INLINE_LIMIT = 0  # every subtree counts as large
    page = published_news(country("CZ"), title={"en": "Parent"})
    child = page.add_child(
        instance=NewsPage(title="Child", slug="child", date=page.date, lead="Below the parent")
    )
    child.save_revision().publish()
    assert rows(child)
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    assert not rows(page) and not rows(child)
    listed = [item["id"] for item in api("news/?limit=100").json()["items"]]
    assert page.pk not in listed and child.pk not in listed
    assert api(f"pages/{child.pk}/").status_code == 404


def test_publishing_a_restricted_page_keeps_its_tombstone(api, country):
    """A consumer synced the page, then it was made private (a tombstone says so); its
    next publication, still private, must not take the tombstone away: the sync would
    never tell the consumer to drop it."""
    from wagtail.models import PageViewRestriction

    from cms.projections.models import Tombstone

    page = published_news(country("CZ"), title={"en": "Members only soon"})
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    buried = Tombstone.objects.filter(object_type=LABEL, object_id=page.pk)
    assert list(buried.values_list("reason", flat=True)) == ["unpublished"]
    page.title_en = "Members only now"
    page.save_revision().publish()
    assert not rows(page)
    assert list(buried.values_list("reason", flat=True)) == ["unpublished"]
    PageViewRestriction.objects.filter(page=page).delete()
    page.save_revision().publish()  # public again: the tombstone goes
    assert rows(page) and not buried.exists()


def test_a_failing_rendering_never_fails_the_save(country, monkeypatch):
    contact = ContactPerson.objects.filter(country__code="CZ").first()

    def broken(self, served, obj):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(rendering.Renderer, "render", broken)
    contact.role_en = "Saved all the same"
    contact.save()
    contact.refresh_from_db()
    assert contact.role_en == "Saved all the same"
    assert StaleProjection.objects.filter(
        object_type=ContactPerson._meta.label, object_id=contact.pk
    ).exists()
    monkeypatch.undo()
    writing.project_pending()
    assert rows(contact)["en"].data["role"] == "Saved all the same"


def test_check_projections_reports_and_repairs_a_difference(country):
    page = published_news(country("CZ"), title={"en": "Info day"})
    Projection.objects.filter(object_type=LABEL, object_id=page.pk, language="de").update(
        digest="tampered"
    )
    Projection.objects.filter(object_type=LABEL, object_id=page.pk, language="pl").delete()
    with pytest.raises(CommandError, match="2 projection rows differ"):
        call_command("check_projections")
    call_command("check_projections", write=True)
    call_command("check_projections")


def test_a_row_without_the_top_level_type_is_reported_and_rewritten(country):
    """A row rendered before ``type`` and ``language`` existed (by the previous deploy)."""
    page = published_news(country("CZ"), title={"en": "Info day"})
    row = rows(page)["en"]
    assert row.data["type"] == row.data["meta"]["type"] == LABEL
    assert row.data["language"] == row.data["meta"]["language"] == "en"
    old = {k: v for k, v in row.data.items() if k not in ("type", "language")}
    Projection.objects.filter(pk=row.pk).update(data=old, digest=rendering.digest_of(old))
    with pytest.raises(CommandError, match="1 projection rows differ"):
        call_command("check_projections")
    call_command("check_projections", write=True)
    fresh = rows(page)["en"]
    assert fresh.data["type"] == LABEL and fresh.data["language"] == "en"


def test_a_directory_unpublished_and_published_again_renders_its_clusters(country, settings):
    """A cluster's ``html_url`` follows the directory serving it: the hub's while its
    country has none (``ClusterDirectoryPage.directories_serving``), its own once again."""
    from cms.clusters.models import ClusterDirectoryPage, ClusterProfile

    settings.PROJECTION_INLINE_LIMIT = 1000  # the clusters are rendered again at once
    directory = ClusterDirectoryPage.objects.child_of(country("PL").home_page).get()
    clusters = list(ClusterProfile.objects.filter(country__code="PL"))
    assert clusters
    directory.unpublish()
    for cluster in clusters:
        assert rows(cluster)["pl"].data["html_url"].startswith("http://localhost/pl/klastry/")
    call_command("check_projections")
    directory.save_revision().publish()
    for cluster in clusters:
        assert rows(cluster)["pl"].data["html_url"].startswith("http://pl.localhost/pl/klastry/")
    call_command("check_projections")


def test_publishing_a_section_with_an_unchanged_url_renders_nothing_below(country, settings):
    """The section's URLs are the same in every language, so nothing below is rendered
    again (an English-only item's Slovak row links its English page, below the section's
    English URL, not the Czech one the section's own Slovak row links)."""
    settings.PROJECTION_INLINE_LIMIT = 0  # anything rendered below would be marked stale
    page = news_page(country("CZ"), title={"en": "English only"})
    page.save_revision().publish()
    assert "/en/news/" in rows(page)["sk"].data["meta"]["html_url"]
    assert "/cs/aktuality/" in rows(page.get_parent())["sk"].data["meta"]["html_url"]
    StaleProjection.objects.all().delete()
    page.get_parent().specific.save_revision().publish()
    assert not StaleProjection.objects.exists()


def test_a_directory_moved_to_another_country_renders_the_clusters_it_served(country, settings):
    """The Czech directory moved to the Slovak site (whose own is deleted): the Slovak
    clusters are served there now, and the Czech ones, which it served until the move, by
    the hub's directory; both sets' ``html_url`` follow at once."""
    from cms.clusters.models import ClusterDirectoryPage, ClusterProfile

    settings.PROJECTION_INLINE_LIMIT = 1000  # the clusters are rendered again at once
    sk, cz = country("SK"), country("CZ")
    ClusterDirectoryPage.objects.child_of(sk.home_page).get().delete()
    directory = ClusterDirectoryPage.objects.child_of(cz.home_page).get()
    czech = list(ClusterProfile.objects.filter(country=cz))
    slovak = list(ClusterProfile.objects.filter(country=sk))
    assert czech and slovak
    assert rows(czech[0])["cs"].data["html_url"].startswith("http://cz.localhost/")

    directory.move(sk.home_page, pos="last-child")
    for cluster in slovak:
        assert rows(cluster)["sk"].data["html_url"].startswith("http://sk.localhost/sk/")
    for cluster in czech:
        assert rows(cluster)["cs"].data["html_url"].startswith("http://localhost/cs/")
    call_command("check_projections")
