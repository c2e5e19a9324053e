"""A body refused for another country's embedded image or document keeps what was typed.

``CountryScopedFormMixin.clean`` refuses a StreamField or rich text that embeds
an object the editor may not choose. The form comes back with the error and
with the editor's body as submitted, less the refused objects: the image
block's chooser emptied, the link to the document unlinked with its words
kept. Nothing of the refused objects (title, file name, rendition URL) is
shown, and nothing is saved.
"""

import json

import pytest
from django.utils import translation

from cms.core.models import Country
from cms.news.models import NewsPage
from tests.core.test_media_isolation import make_document, make_image
from tests.factories import country_user, draft_page, page_form_data

#: What the editor typed, which must come back (ASCII: the form state is JSON-escaped).
TYPED = "Our members meet on the Elbe riverbank in May"
CAPTION = "Caption typed beside the refused image"
LINK_WORDS = "minutes of the spring meeting"
KEPT_LINK_WORDS = "our own minutes"

#: Only in the Slovak objects' titles and file names (and so in their URLs and renditions).
SLOVAK_SECRETS = ("Tatranska", "tatranska-tajna", "Bratislavske", "bratislavske-tajne")


@pytest.fixture
def media(db):
    return {
        "sk_image": make_image("SK", "Tatranska secret photo", "tatranska-tajna.png"),
        "sk_document": make_document("SK", "Bratislavske minutes", "bratislavske-tajne.txt"),
        "cz_document": make_document("CZ", "Ustecke own minutes", "ustecke-vlastni.txt"),
    }


def paragraph(index: int, text: str, links: dict[str, int], entity: str = "DOCUMENT") -> dict:
    """Block ``index`` of ``body_de``: a paragraph (Draftail's JSON), ``links`` maps
    words of ``text`` to the id each links to: a document, or (``entity="LINK"``) a page."""
    entities, ranges = {}, []
    for key, (words, pk) in enumerate(links.items()):
        entities[str(key)] = {"type": entity, "mutability": "MUTABLE", "data": {"id": pk}}
        ranges.append({"offset": text.index(words), "length": len(words), "key": key})
    contentstate = {
        "blocks": [
            {
                "key": f"k{index}abc",
                "type": "unstyled",
                "depth": 0,
                "text": text,
                "inlineStyleRanges": [],
                "entityRanges": ranges,
                "data": {},
            }
        ],
        "entityMap": entities,
    }
    return block(index, "paragraph", {"value": json.dumps(contentstate)})


def image_block(index: int, image_pk: int, caption: str) -> dict:
    return block(index, "image", {"value-image": str(image_pk), "value-caption": caption})


def block(index: int, kind: str, values: dict) -> dict:
    prefix = f"body_de-{index}"
    fields = {"type": kind, "deleted": "", "order": str(index), "id": f"block-{index}"}
    return {f"{prefix}-{name}": value for name, value in {**fields, **values}.items()}


@pytest.fixture
def refused_edit(client, media):
    """A Czech editor's German body: typed text, another country's image and document."""
    client.force_login(country_user("CZ", "editors"))
    page = draft_page(Country.objects.get(code="CZ"), "news")
    before = (page.revisions.count(), list(NewsPage.objects.get(pk=page.pk).body_de.raw_data))
    data = {
        **page_form_data("news", title="With media", slug=page.slug),
        "title_de": "Mitglieder am Elbufer",
        "body_de-count": "3",
        **paragraph(0, TYPED, {}),
        **image_block(1, media["sk_image"].pk, CAPTION),
        **paragraph(
            2,
            f"Read the {LINK_WORDS} and {KEPT_LINK_WORDS}.",
            {LINK_WORDS: media["sk_document"].pk, KEPT_LINK_WORDS: media["cz_document"].pk},
        ),
    }
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    return page, before, response


def test_the_refusal_names_kind_and_id_only(refused_edit, media):
    _page, _before, response = refused_edit
    assert response.status_code == 200
    [error] = response.context["form"].errors["body_de"]
    with translation.override("cs"):  # the Czech editor's admin language
        for kind in ("sk_image", "sk_document"):
            assert f"{media[kind]._meta.verbose_name} {media[kind].pk}" in error
    body = response.content.decode()
    for secret in SLOVAK_SECRETS:
        assert secret not in body, f"the refused form shows {secret!r}"


def test_the_refused_form_keeps_what_was_typed(refused_edit, media):
    _page, _before, response = refused_edit
    body = response.content.decode()
    for typed in (TYPED, CAPTION, LINK_WORDS, KEPT_LINK_WORDS):
        assert typed in body, f"the refused form lost {typed!r}"
    # The own country's document stays linked; the other field's input stays too.
    assert "ustecke-vlastni" in body
    form = response.context["form"]
    assert form["title_de"].value() == "Mitglieder am Elbufer"
    shown = form["body_de"].value()
    assert [child.block_type for child in shown] == ["paragraph", "image", "paragraph"]
    assert shown[1].value["image"] is None
    assert shown[1].value["caption"] == CAPTION


def test_nothing_is_saved(refused_edit):
    page, before, _response = refused_edit
    after = (page.revisions.count(), list(NewsPage.objects.get(pk=page.pk).body_de.raw_data))
    assert after == before


@pytest.fixture
def nothing_taken_out(monkeypatch):
    """As if the body held a block whose refused object ``without_references`` cannot reach."""
    monkeypatch.setattr("cms.core.forms.without_references", lambda field, value, refused: value)


def test_what_cannot_be_taken_out_shows_the_saved_body(nothing_taken_out, refused_edit):
    _page, _before, response = refused_edit
    assert response.status_code == 200
    assert "body_de" in response.context["form"].errors
    body = response.content.decode()
    for secret in SLOVAK_SECRETS:
        assert secret not in body, f"the refused form shows {secret!r}"
    assert list(response.context["form"]["body_de"].value()) == []  # the saved (empty) body


def test_a_link_to_another_countrys_draft_is_refused_and_one_to_its_live_page_kept(client, db):
    """A page link names a page by id, and Wagtail renders the page's address (the editor
    shows it too), whatever the page: a Czech editor linking to a Slovak draft by id read
    its address. Another country's published page may be linked; its draft may not."""
    slovakia = Country.objects.get(code="SK")
    secret = draft_page(slovakia, "news", title="Tatranska draft plans")
    public = NewsPage.objects.live().public().filter(path__startswith=slovakia.home_page.path)[0]
    client.force_login(country_user("CZ", "editors"))
    page = draft_page(Country.objects.get(code="CZ"), "news")
    revisions = page.revisions.count()
    data = {
        **page_form_data("news", title="With links", slug=page.slug),
        "body_de-count": "1",
        **paragraph(
            0, f"Read the {LINK_WORDS} and {KEPT_LINK_WORDS}.", {LINK_WORDS: secret.pk}, "LINK"
        ),
    }
    data["body_de-0-value"] = data["body_de-0-value"]
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200
    [error] = response.context["form"].errors["body_de"]
    assert str(secret.pk) in error
    body = response.content.decode()
    assert "Tatranska" not in body and secret.slug not in body
    assert LINK_WORDS in body  # the words stay, unlinked
    assert page.revisions.count() == revisions

    data.update(
        paragraph(0, f"Read the {LINK_WORDS}.", {LINK_WORDS: public.pk}, "LINK"),
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    saved = NewsPage.objects.get(pk=page.pk).get_latest_revision_as_object().body_de
    assert f'<a linktype="page" id="{public.pk}">' in saved[0].value.source
