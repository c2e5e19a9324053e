"""Two people editing the same sector, synonyms, promoted result, webhook, image or document.

These edit forms wrote back every field they were opened with, so the second of two
saves put back what the first had changed (a reviewer on the demo data: one sets a
sector's Czech name, the other, whose form was opened before, its German one, and the
Czech name was gone). They keep each other's changes now, as the country snippets and
pages do (``tests/core/test_concurrent_edits.py``, whose helpers drive the forms here).
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html as lxml_html
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.users.models import UserProfile

from cms.clusters.models import ClusterProfile
from cms.core.models import Country, CustomImage, Sector
from cms.search.models import Promotion, SynonymGroup
from cms.webhooks.models import Webhook
from tests.core.test_concurrent_edits import (
    KEEPS_MINE,
    discard_link,
    errors_of,
    opened,
    posted_back,
    take_theirs_boxes,
)
from tests.factories import country_user, logged_in, network_admin


def network_admins():
    """Two network administrators (sectors and webhooks are theirs), their admin in Czech."""
    pair = []
    for _n in range(2):
        user = network_admin()
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "cs"
        profile.save()
        pair.append(logged_in(user))
    return tuple(pair)


def czech_moderators():
    """Two of the Czech team's moderators, who keep the Czech synonyms and promoted results."""
    return logged_in(country_user("CZ", "moderators")), logged_in(country_user("CZ", "moderators"))


def czech_editors():
    """Two of the Czech team's editors, who edit the Czech collection's images and documents."""
    return logged_in(country_user("CZ")), logged_in(country_user("CZ"))


def snippet_url(obj) -> str:
    meta = obj._meta
    return f"/admin/snippets/{meta.app_label}/{meta.model_name}/edit/{obj.pk}/"


def czech_collection():
    return Country.objects.get(code="CZ").collection


def an_image() -> CustomImage:
    return CustomImage.objects.create(
        title="Cluster meeting photo",
        collection=czech_collection(),
        file=get_test_image_file(filename="meeting.png"),
    )


def a_document():
    document = get_document_model()(title="Meeting minutes", collection=czech_collection())
    document.file = ContentFile(b"minutes", name="minutes.txt")
    document.save()
    return document


def a_sector(db):
    return Sector.objects.order_by("pk").first()


def a_synonym_group(db):
    return SynonymGroup.objects.create(language="cs", terms="IT, ICT")


def a_promotion(db):
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    return Promotion.objects.create(
        language="cs", query="klastr", cluster=cluster, description="", sort_order=0
    )


def a_webhook(db):
    return Webhook.objects.create(
        country=Country.objects.get(code="CZ"), name="cz front end", url="https://a.example/"
    )


def image_url(image) -> str:
    return f"/admin/images/{image.pk}/"


def document_url(document) -> str:
    return f"/admin/documents/edit/{document.pk}/"


#: Per kind: the object, its edit page, the two people, and two fields with a value each
#: (what A changes, what B changes: each their own language or their own part).
CASES = {
    "sector": (
        a_sector,
        snippet_url,
        network_admins,
        ("name_cs", "Zemědělství A"),
        ("name_de", "Landwirtschaft B"),
    ),
    # Network administrators keep every language's lists: B moves the group to English.
    "synonyms": (
        a_synonym_group,
        snippet_url,
        network_admins,
        ("terms", "IT, ICT, informatika"),
        ("language", "en"),
    ),
    "promotion": (
        a_promotion,
        snippet_url,
        czech_moderators,
        ("description", "Popis A"),
        ("sort_order", "5"),
    ),
    "webhook": (
        a_webhook,
        snippet_url,
        network_admins,
        ("name", "cz front end A"),
        ("url", "https://b.example/"),
    ),
    "image": (
        lambda db: an_image(),
        image_url,
        czech_editors,
        ("alt_text_cs", "Účastníci"),
        ("alt_text_en", "Participants"),
    ),
    "document": (
        lambda db: a_document(),
        document_url,
        czech_editors,
        ("title", "Zápis A"),
        ("tags", "zápis"),
    ),
}


def saved(obj, name: str):
    obj = type(obj).objects.get(pk=obj.pk)
    if name == "tags":
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))
    return str(getattr(obj, name))


@pytest.mark.parametrize("kind", CASES)
def test_two_people_changing_different_fields_both_keep_their_edit(kind, db):
    make, url_of, people, (field_a, value_a), (field_b, value_b) = CASES[kind]
    obj = make(db)
    a, b = people()
    url = url_of(obj)
    form_a, form_b = opened(a, url), opened(b, url)
    form_a[field_a] = [value_a]
    form_b[field_b] = [value_b]

    first = a.post(url, form_a)
    assert first.status_code == 302, errors_of(first)
    response = b.post(url, form_b)
    assert response.status_code == 302, errors_of(response)

    assert saved(obj, field_a) == value_a
    assert saved(obj, field_b) == value_b


@pytest.mark.parametrize("kind", CASES)
def test_the_same_field_changed_by_both_is_refused_with_the_others_value(kind, db):
    make, url_of, people, (field, value_a), _b = CASES[kind]
    obj = make(db)
    a, b = people()
    url = url_of(obj)
    form_a, form_b = opened(a, url), opened(b, url)
    value_b = "99" if field == "sort_order" else f"{value_a} B"
    if field.startswith("name") or field == "title":
        value_b = f"{value_a} (B)"
    form_a[field] = [value_a]
    form_b[field] = [value_b]
    assert a.post(url, form_a).status_code == 302

    response = b.post(url, form_b)

    assert response.status_code == 200
    assert errors_of(response)[field] == [KEEPS_MINE % value_a]
    assert "Někdo jiný tuto položku uložil, zatímco jste ji upravovali" in response.text
    assert discard_link(response) == url
    assert take_theirs_boxes(response) == {field: False}
    assert saved(obj, field) == value_a  # nothing of B's is saved

    # B has seen A's value and saves again: B's on purpose.
    again = b.post(url, posted_back(response))
    assert again.status_code == 302, errors_of(again)
    assert saved(obj, field) == value_b


@pytest.mark.parametrize("kind", CASES)
def test_a_single_edit_saves(kind, db):
    make, url_of, people, (field, value), _b = CASES[kind]
    obj = make(db)
    a, _other = people()
    form = opened(a, url_of(obj))
    form[field] = [value]
    response = a.post(url_of(obj), form)
    assert response.status_code == 302, errors_of(response)
    assert saved(obj, field) == value


@pytest.mark.parametrize("kind", ["image", "document"])
@pytest.mark.parametrize(
    ("next_value", "lands_on"),
    [("anything-without-slash", None), ("/admin/?from=edit", "/admin/?from=edit")],
)
def test_a_next_that_is_no_address_is_dropped(kind, db, next_value, lands_on):
    """Wagtail's media edit views took ``next=foo`` for a URL's name: a 500 after the save
    (``cms.core.middleware.AdminNextMiddleware``)."""
    make, url_of, people, (field, value), _b = CASES[kind]
    obj = make(db)
    a, _other = people()
    form = opened(a, url_of(obj))
    form[field] = [value]
    response = a.post(f"{url_of(obj)}?next={next_value}", form)
    assert response.status_code == 302, errors_of(response)
    assert response["Location"] == (lands_on or f"/admin/{kind}s/")
    assert saved(obj, field) == value


def uploaded(name: str) -> SimpleUploadedFile:
    """An image file as the browser uploads it."""
    return SimpleUploadedFile(name, get_test_image_file(filename=name).file.getvalue())


def test_an_image_upload_still_adds_the_image(db):
    """A new image has nobody else's save to keep: the add form saves as Wagtail's."""
    a, _b = czech_editors()
    response = a.post(
        "/admin/images/add/",
        {
            "title": "Nová fotka",
            "collection": str(czech_collection().pk),
            "file": uploaded("new.png"),
            "tags": "",
            "alt_text_cs": "Nová",
        },
    )
    assert response.status_code == 302, errors_of(response)
    image = CustomImage.objects.get(title="Nová fotka")
    assert image.alt_text_cs == "Nová"
    assert image.file.name


def test_replacing_an_images_file_still_works(db):
    image = an_image()
    a, _b = czech_editors()
    form = opened(a, image_url(image))
    form["file"] = [uploaded("replaced.png")]
    response = a.post(image_url(image), form)
    assert response.status_code == 302, errors_of(response)
    image.refresh_from_db()
    assert "replaced" in image.file.name


@pytest.mark.parametrize("kind", CASES)
def test_the_edit_page_carries_what_it_showed_once(kind, db):
    """The hidden digests are in the form of each edit page (images and documents have
    their own templates), once."""
    make, url_of, people, _a, _b = CASES[kind]
    obj = make(db)
    a, _other = people()
    page = lxml_html.fromstring(a.get(url_of(obj)).content)
    digests = page.xpath("//form[@id='w-editor-form']//input[@name='opened_digests']/@value")
    assert len(digests) == 1 and digests[0].startswith("{")


@pytest.mark.parametrize("action", ["delete", "unpublish"])
def test_a_page_action_with_a_next_that_is_no_address_is_done(action, db):
    """Wagtail's page actions follow ``next`` the same way: the page was gone, and the
    editor was shown a 500."""
    from cms.core.models import Country
    from tests.factories import news_page

    page = news_page(Country.objects.get(code="CZ"), title={"en": "Going", "cs": "Odchází"})
    page.save_revision().publish()
    moderator, _other = czech_moderators()
    response = moderator.post(f"/admin/pages/{page.pk}/{action}/?next=foo", {})
    assert response.status_code == 302 and response["Location"].startswith("/admin/")
    page = type(page).objects.filter(pk=page.pk).first()
    assert page is None if action == "delete" else not page.live
