"""Images, documents and collections: a national editor reaches their own country's only.

An image or document belongs to the country whose collection holds it (one
collection per country, made by ``sync_sites``). A Czech editor drives every
admin route Wagtail offers for images, documents and collections (listings,
searches, object views, choosers, multiple upload, bulk actions and their
confirmation pages, the admin API) against a Slovak image and document: no
response carries the Slovak title, file name or URL, every route that acts
on the Slovak object answers 403 or 404, and the object is unchanged after
all of it. The same editor still finds, opens and picks the Czech ones.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from cms.core.models import Country
from tests.factories import country_user, draft_page, logged_in, network_admin, page_form_data

#: Words that appear only in the Slovak objects' titles and file names (and so URLs).
SLOVAK_SECRETS = ("Tatranska", "tatranska-tajna", "Bratislavske", "bratislavske-tajne")


def png(name: str) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return ImageFile(buffer, name=name)


def collection_of(code: str) -> Collection:
    return Country.objects.get(code=code).collection


def make_image(code: str, title: str, file_name: str):
    image = get_image_model()(title=title, collection=collection_of(code))
    image.file = png(file_name)
    image.save()
    return image


def make_document(code: str, title: str, file_name: str):
    document = get_document_model()(title=title, collection=collection_of(code))
    document.file = ContentFile(b"minutes of the meeting", name=file_name)
    document.save()
    return document


@pytest.fixture
def media(db):
    return {
        "image": {
            "SK": make_image("SK", "Tatranska secret photo", "tatranska-tajna.png"),
            "CZ": make_image("CZ", "Krkonose own photo", "krkonose-vlastni.png"),
        },
        "document": {
            "SK": make_document("SK", "Bratislavske secret minutes", "bratislavske-tajne.txt"),
            "CZ": make_document("CZ", "Ustecke own minutes", "ustecke-vlastni.txt"),
        },
    }


@pytest.fixture
def czech_editor(client, db):
    client.force_login(country_user("CZ", "editors"))
    return client


def assert_no_leak(response, label):
    body = response.content.decode() if not response.streaming else ""
    for secret in SLOVAK_SECRETS:
        assert secret not in body, f"{label} shows {secret!r}"


def assert_refused(response, label):
    """A 403 or 404, or Wagtail's admin-wide refusal of a non-AJAX request (its
    ``require_admin_access`` turns PermissionDenied into a redirect to the dashboard
    with "Sorry, you do not have permission"); in every case nothing Slovak."""
    dashboard = response.status_code == 302 and response["Location"] == "/admin/"
    assert response.status_code in (403, 404) or dashboard, f"{label}: {response.status_code}"
    assert_no_leak(response, label)


# Every route that only reads: it may answer, but shows nothing Slovak.


def read_routes(media):
    image, doc = media["image"]["SK"].pk, media["document"]["SK"].pk
    own_image, own_doc = media["image"]["CZ"], media["document"]["CZ"]
    sk_collection = collection_of("SK").pk
    return [
        "/admin/images/",
        "/admin/images/?q=photo",
        "/admin/images/results/?q=photo",
        f"/admin/images/?collection_id={sk_collection}",
        "/admin/images/add/",
        "/admin/images/multiple/add/",
        "/admin/images/chooser/",
        "/admin/images/chooser/?q=photo",
        "/admin/images/chooser/results/?q=photo",
        f"/admin/images/chooser/chosen-multiple/?id={own_image.pk}&id={image}",
        f"/admin/images/chooser/results/?collection_id={sk_collection}",
        "/admin/documents/",
        "/admin/documents/?q=minutes",
        "/admin/documents/results/?q=minutes",
        f"/admin/documents/?collection_id={sk_collection}",
        "/admin/documents/add/",
        "/admin/documents/multiple/add/",
        "/admin/documents/chooser/",
        "/admin/documents/chooser/?q=minutes",
        "/admin/documents/chooser/results/?q=minutes",
        f"/admin/documents/chooser/chosen-multiple/?id={own_doc.pk}&id={doc}",
        f"/admin/documents/chooser/results/?collection_id={sk_collection}",
        "/admin/collections/",
        "/admin/api/main/images/",
        "/admin/api/main/images/?search=photo",
        f"/admin/api/main/images/?id={image}",
        "/admin/api/main/documents/",
        "/admin/api/main/documents/?search=minutes",
        f"/admin/api/main/documents/?id={doc}",
        "/admin/",
    ]


def test_reading_routes_show_nothing_of_another_country(czech_editor, media):
    for url in read_routes(media):
        response = czech_editor.get(url)
        assert response.status_code < 500, (url, response.status_code)
        assert_no_leak(response, url)


def refused_image_routes(image, own):
    pk = image.pk
    bulk = "/admin/bulk/core/customimage"
    return [
        ("get", f"/admin/images/{pk}/", {}),
        ("post", f"/admin/images/{pk}/", {"title": "Taken"}),
        ("get", f"/admin/images/{pk}/delete/", {}),
        ("post", f"/admin/images/{pk}/delete/", {}),
        ("get", f"/admin/images/usage/{pk}/", {}),
        ("get", f"/admin/images/{pk}/generate_url/", {}),
        ("get", f"/admin/images/{pk}/generate_url/output/", {}),
        ("get", f"/admin/images/{pk}/preview/original/", {}),
        ("post", f"/admin/images/multiple/{pk}/", {f"image-{pk}-title": "Taken"}),
        ("post", f"/admin/images/multiple/{pk}/delete/", {}),
        ("get", f"/admin/images/chooser/chosen/{pk}/", {}),
        ("get", f"/admin/images/chooser/{pk}/select_format/", {}),
        (
            "post",
            f"/admin/images/chooser/{pk}/select_format/",
            {"image-chooser-insertion-format": "fullwidth"},
        ),
        ("get", f"/admin/api/main/images/{pk}/", {}),
        ("get", f"/admin/api/main/images/find/?id={pk}", {}),
        ("get", f"{bulk}/delete/?id={own.pk}&id={pk}", {}),
        ("post", f"{bulk}/delete/?id={own.pk}&id={pk}", {}),
        ("get", f"{bulk}/add_tags/?id={own.pk}&id={pk}", {}),
        ("post", f"{bulk}/add_tags/?id={own.pk}&id={pk}", {"tags": "taken"}),
        ("get", f"{bulk}/add_to_collection/?id={own.pk}&id={pk}", {}),
        (
            "post",
            f"{bulk}/add_to_collection/?id={own.pk}&id={pk}",
            {"collection": collection_of("CZ").pk},
        ),
    ]


def refused_document_routes(doc, own):
    pk = doc.pk
    bulk = "/admin/bulk/wagtaildocs/document"
    return [
        ("get", f"/admin/documents/edit/{pk}/", {}),
        ("post", f"/admin/documents/edit/{pk}/", {"title": "Taken"}),
        ("get", f"/admin/documents/delete/{pk}/", {}),
        ("post", f"/admin/documents/delete/{pk}/", {}),
        ("get", f"/admin/documents/usage/{pk}/", {}),
        ("post", f"/admin/documents/multiple/{pk}/", {f"doc-{pk}-title": "Taken"}),
        ("post", f"/admin/documents/multiple/{pk}/delete/", {}),
        ("get", f"/admin/documents/chooser/chosen/{pk}/", {}),
        ("get", f"/admin/api/main/documents/{pk}/", {}),
        ("get", f"/admin/api/main/documents/find/?id={pk}", {}),
        ("get", f"{bulk}/delete/?id={own.pk}&id={pk}", {}),
        ("post", f"{bulk}/delete/?id={own.pk}&id={pk}", {}),
        ("get", f"{bulk}/add_tags/?id={own.pk}&id={pk}", {}),
        ("post", f"{bulk}/add_tags/?id={own.pk}&id={pk}", {"tags": "taken"}),
        ("get", f"{bulk}/add_to_collection/?id={own.pk}&id={pk}", {}),
        (
            "post",
            f"{bulk}/add_to_collection/?id={own.pk}&id={pk}",
            {"collection": collection_of("CZ").pk},
        ),
    ]


def refused_collection_routes():
    pk = collection_of("SK").pk
    return [
        ("get", f"/admin/collections/{pk}/", {}),
        ("post", f"/admin/collections/{pk}/", {"name": "Taken", "parent": pk}),
        ("get", f"/admin/collections/{pk}/delete/", {}),
        ("post", f"/admin/collections/{pk}/delete/", {}),
        ("get", f"/admin/collections/{pk}/privacy/", {}),
        ("post", f"/admin/collections/{pk}/privacy/", {"restriction_type": "login"}),
        ("get", "/admin/collections/add/", {}),
    ]


def snapshot(obj):
    obj = type(obj).objects.get(pk=obj.pk)
    return (obj.title, obj.collection_id, sorted(obj.tags.names()), obj.file.name)


def test_routes_acting_on_another_countrys_media_are_refused(czech_editor, media):
    images, docs = media["image"], media["document"]
    before = {kind: snapshot(objects["SK"]) for kind, objects in media.items()}
    own_before = {kind: snapshot(objects["CZ"]) for kind, objects in media.items()}
    routes = [
        *refused_image_routes(images["SK"], images["CZ"]),
        *refused_document_routes(docs["SK"], docs["CZ"]),
        *refused_collection_routes(),
    ]
    for method, url, data in routes:
        response = getattr(czech_editor, method)(url, data)
        assert_refused(response, f"{method.upper()} {url}")
    # Nothing happened to either country's objects (the refused bulk actions held a Czech one).
    assert {kind: snapshot(objects["SK"]) for kind, objects in media.items()} == before
    assert {kind: snapshot(objects["CZ"]) for kind, objects in media.items()} == own_before
    assert Collection.objects.get(pk=collection_of("SK").pk).name.startswith("SK")


# The own country's media stay fully usable.


def test_the_own_countrys_media_are_listed_chosen_and_served(czech_editor, media):
    image, doc = media["image"]["CZ"], media["document"]["CZ"]
    shows_image = [
        "/admin/images/",
        "/admin/images/?q=photo",
        "/admin/images/chooser/",
        "/admin/images/chooser/results/?q=photo",
        f"/admin/images/{image.pk}/",
        f"/admin/images/chooser/chosen/{image.pk}/",
        f"/admin/images/chooser/chosen-multiple/?id={image.pk}",
        "/admin/api/main/images/",
        "/admin/api/main/images/?search=photo",
        f"/admin/api/main/images/{image.pk}/",
        f"/admin/bulk/core/customimage/add_tags/?id={image.pk}",
    ]
    shows_doc = [
        "/admin/documents/",
        "/admin/documents/?q=minutes",
        "/admin/documents/chooser/",
        "/admin/documents/chooser/results/?q=minutes",
        f"/admin/documents/edit/{doc.pk}/",
        f"/admin/documents/chooser/chosen/{doc.pk}/",
        "/admin/api/main/documents/",
        "/admin/api/main/documents/?search=minutes",
        f"/admin/api/main/documents/{doc.pk}/",
        f"/admin/bulk/wagtaildocs/document/add_tags/?id={doc.pk}",
    ]
    for urls, title in ((shows_image, image.title), (shows_doc, doc.title)):
        for url in urls:
            response = czech_editor.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert title in response.content.decode(), url
    response = czech_editor.post(
        f"/admin/bulk/core/customimage/add_tags/?id={image.pk}", {"tags": "krkonose"}
    )
    assert response.status_code == 302
    assert image.tags.names()[0] == "krkonose"


def test_network_administrators_reach_every_countrys_media(client, media):
    client.force_login(network_admin())
    listing = client.get("/admin/api/main/images/").content.decode()
    assert media["image"]["SK"].title in listing and media["image"]["CZ"].title in listing
    response = client.get(f"/admin/documents/edit/{media['document']['SK'].pk}/")
    assert response.status_code == 200


def test_a_user_without_a_country_sees_no_media(client, media):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nobody", password="pw")
    client.force_login(user)
    for url in ("/admin/api/main/images/", "/admin/api/main/documents/"):
        response = client.get(url)
        assert_no_leak(response, url)
        assert "Krkonose" not in response.content.decode()


# A page or snippet cannot be saved with another country's image or document.


def news_form(page, **extra):
    return {**page_form_data("news", title="With media", slug=page.slug), **extra}


def stream_image(image_pk: int) -> dict:
    """The ``body_en`` StreamField as the admin posts it: one image block."""
    return {
        "body_en-count": "1",
        "body_en-0-type": "image",
        "body_en-0-deleted": "",
        "body_en-0-order": "0",
        "body_en-0-id": "f1a2b3c4",
        "body_en-0-value-image": str(image_pk),
        "body_en-0-value-caption": "",
    }


def stream_document_link(doc_pk: int) -> dict:
    """The ``body_en`` StreamField with a paragraph linking a document (Draftail's JSON)."""
    import json

    contentstate = {
        "blocks": [
            {
                "key": "a1b2c",
                "type": "unstyled",
                "depth": 0,
                "text": "minutes",
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 7, "key": 0}],
                "data": {},
            }
        ],
        "entityMap": {"0": {"type": "DOCUMENT", "mutability": "MUTABLE", "data": {"id": doc_pk}}},
    }
    return {
        "body_en-count": "1",
        "body_en-0-type": "paragraph",
        "body_en-0-deleted": "",
        "body_en-0-order": "0",
        "body_en-0-id": "d1a2b3c4",
        "body_en-0-value": json.dumps(contentstate),
    }


def edit_news(client, page, data):
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("image", lambda m: {"image": m["image"]["SK"].pk}),
        ("body_en", lambda m: stream_image(m["image"]["SK"].pk)),
        ("body_en", lambda m: stream_document_link(m["document"]["SK"].pk)),
    ],
    ids=["image field", "image block", "document link"],
)
def test_a_page_cannot_be_saved_with_another_countrys_media(czech_editor, media, field, extra):
    page = draft_page(Country.objects.get(code="CZ"), "news")
    revisions = page.revisions.count()
    response = edit_news(czech_editor, page, news_form(page, **extra(media)))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert_no_leak(response, "the refused page form")
    assert page.revisions.count() == revisions


@pytest.mark.parametrize(
    "extra",
    [
        lambda m: {"image": m["image"]["CZ"].pk},
        lambda m: stream_image(m["image"]["CZ"].pk),
        lambda m: stream_document_link(m["document"]["CZ"].pk),
    ],
    ids=["image field", "image block", "document link"],
)
def test_a_page_saves_with_its_own_countrys_media(czech_editor, media, extra):
    page = draft_page(Country.objects.get(code="CZ"), "news")
    response = edit_news(czech_editor, page, news_form(page, **extra(media)))
    assert response.status_code == 302, response.context["form"].errors
    assert page.revisions.count() >= 1


def test_media_a_network_administrator_set_survive_a_national_edit(czech_editor, media):
    """Like linked snippets: a CZ editor may keep (not add) another country's image."""
    page = draft_page(Country.objects.get(code="CZ"), "news")
    page.image = media["image"]["SK"]
    page.save_revision()
    response = edit_news(czech_editor, page, news_form(page, image=media["image"]["SK"].pk))
    assert response.status_code == 302, response.context["form"].errors


def test_a_snippet_cannot_be_saved_with_another_countrys_image(czech_editor, media):
    from cms.clusters.models import ClusterProfile

    czechia = Country.objects.get(code="CZ")
    cluster = ClusterProfile.objects.create(name_en="Logo cluster", slug="logo", country=czechia)
    url = f"/admin/snippets/clusters/clusterprofile/edit/{cluster.pk}/"
    data = {
        "name_en": "Logo cluster",
        "name_cs": "Logo klastr",
        "slug": "logo",
        "country": czechia.pk,
    }
    refused = czech_editor.post(url, {**data, "logo": media["image"]["SK"].pk})
    assert refused.status_code == 200
    assert "logo" in refused.context["form"].errors
    assert_no_leak(refused, "the refused snippet form")
    accepted = czech_editor.post(url, {**data, "logo": media["image"]["CZ"].pk})
    assert accepted.status_code == 302, accepted.context["form"].errors
    cluster.refresh_from_db()
    assert cluster.logo == media["image"]["CZ"]


# The multiple uploader, asked for another country's collection.


def upload_file(kind: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if kind == "images":
        return SimpleUploadedFile("upload.png", png("upload.png").file.getvalue())
    return SimpleUploadedFile("upload.txt", b"minutes of the meeting")


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_an_upload_into_another_countrys_collection_is_refused_in_the_form(db, kind):
    """An Italian editor with two collections to choose from (their country's and one in
    it) drops a file with the Czech collection picked: the uploader keeps the file and asks
    for the rest; the form then refuses the collection, as the single upload does (the
    document's went to a 500: Wagtail's file check on a document not yet given its file),
    and takes the editor's own."""
    import json

    from django.utils import translation

    collection_of("IT").add_child(name="IT – events")
    client = logged_in(country_user("IT"))
    model = get_image_model() if kind == "images" else get_document_model()
    name = kind[:-1]
    upload = client.post(
        f"/admin/{kind}/multiple/add/",
        {"files[]": upload_file(kind), "collection": collection_of("CZ").pk},
    )
    upload_id = json.loads(upload.content)["uploaded_file_id"]
    url = f"/admin/{kind}/multiple/create_from_uploaded_{name}/{upload_id}/"
    prefix = f"uploaded-{name}-{upload_id}"

    refused = client.post(
        url, {f"{prefix}-title": "Mine", f"{prefix}-collection": collection_of("CZ").pk}
    )
    assert refused.status_code == 200
    assert json.loads(refused.content)["success"] is False
    with translation.override("it"):
        invalid = gettext("Select a valid choice. That choice is not one of the available choices.")
    assert escape(invalid) in json.loads(refused.content)["form"]
    assert not model.objects.exists()

    taken = client.post(
        url, {f"{prefix}-title": "Mine", f"{prefix}-collection": collection_of("IT").pk}
    )
    assert json.loads(taken.content)["success"] is True
    saved = model.objects.get()
    assert (saved.title, saved.collection) == ("Mine", collection_of("IT"))
    assert saved.file.name


# The network's shared collection: every country chooses from it, none changes it.


def test_every_country_chooses_but_does_not_change_shared_media(czech_editor, db):
    from cms.core.groups import SHARED_COLLECTION

    shared = Collection.objects.get(name=SHARED_COLLECTION)
    image = get_image_model()(title="Interreg mark", collection=shared)
    image.file = png("interreg-mark.png")
    image.save()
    assert "Interreg mark" in czech_editor.get("/admin/images/chooser/").content.decode()
    assert czech_editor.get(f"/admin/images/chooser/chosen/{image.pk}/").status_code == 200
    assert "Interreg mark" not in czech_editor.get("/admin/images/").content.decode()
    change = czech_editor.post(f"/admin/images/{image.pk}/", {"title": "Mine"})
    assert change.status_code == 302
    assert change["Location"] == "/admin/"
    image.refresh_from_db()
    assert image.title == "Interreg mark"
    page = draft_page(Country.objects.get(code="CZ"), "news")
    response = edit_news(czech_editor, page, news_form(page, image=image.pk))
    assert response.status_code == 302, response.context["form"].errors


def test_each_country_has_its_own_collection(db):
    from cms.core.groups import SHARED_COLLECTION

    countries = Country.objects.select_related("collection")
    collections = {country.collection_id for country in countries}
    assert None not in collections and len(collections) == countries.count()
    for country in countries:
        assert country.collection.name.startswith(f"{country.code} – ")
        assert country.collection.get_parent() == Collection.get_first_root_node()
    shared = Collection.objects.get(name=SHARED_COLLECTION)
    country_groups = [c.editors_group for c in countries] + [c.moderators_group for c in countries]
    actions = set(
        shared.group_permissions.filter(group__in=country_groups).values_list(
            "permission__codename", flat=True
        )
    )
    assert actions == {"choose_image", "choose_document"}


def test_sync_sites_links_a_collection_made_before_the_link(db, settings):
    """Databases synced before ``Country.collection`` existed: found by name, linked, no copy."""
    from cms.core.services import sync_network
    from cms.core.site_files import load_network

    czechia = Country.objects.get(code="CZ")
    collection = czechia.collection
    Country.objects.filter(pk=czechia.pk).update(collection=None)
    count = Collection.objects.count()
    report = sync_network(load_network(settings.SITES_DIR))
    assert Country.objects.get(code="CZ").collection == collection
    assert Collection.objects.count() == count
    assert not report.created["collections"]
    assert report.updated["country collections linked"] == 1
    assert sync_network(load_network(settings.SITES_DIR)).summary() == "nothing to change"


def test_another_countrys_media_answer_as_a_missing_id_does(czech_editor, media):
    """Wagtail refused another country's image or document with a redirect to the dashboard
    (or a 403) but a missing id with a 404: which ids existed showed. Both are 404s now, as
    for pages and snippets; the own country's still open."""
    image, doc = media["image"]["SK"].pk, media["document"]["SK"].pk
    missing = max(image, doc, media["image"]["CZ"].pk, media["document"]["CZ"].pk) + 1000
    urls = [
        "/admin/images/{}/",
        "/admin/images/{}/delete/",
        "/admin/images/usage/{}/",
        "/admin/images/chooser/{}/select_format/",
        "/admin/images/chooser/chosen/{}/",
    ]
    doc_urls = [
        "/admin/documents/edit/{}/",
        "/admin/documents/delete/{}/",
        "/admin/documents/usage/{}/",
        "/admin/documents/chooser/chosen/{}/",
    ]
    for pattern, pk in [*((url, image) for url in urls), *((url, doc) for url in doc_urls)]:
        for url in (pattern.format(pk), pattern.format(missing)):
            assert czech_editor.get(url).status_code == 404, url
    post = czech_editor.post(f"/admin/documents/multiple/{doc}/", {f"doc-{doc}-title": "Taken"})
    assert post.status_code == 404
    own = media["image"]["CZ"].pk
    assert czech_editor.get(f"/admin/images/chooser/{own}/select_format/").status_code == 200
