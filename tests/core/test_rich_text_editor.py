"""Rich text posted as HTML, not as the editor's JSON, is read through the editor's
converter (``cms.core.rich_text_editor``): before, every such form was a 500.

Driven through the real admin views as a Czech editor: a snippet's rich text field and a
rich text block in a page's StreamField.
"""

import json

import pytest

from cms.clusters.models import ClusterProfile
from cms.news.models import NewsPage
from tests.factories import country_user, logged_in, page_form_data

HOSTILE = (
    '<p>Glass <b>and</b> crystal</p><script>alert("x")</script>'
    '<a href="javascript:alert(1)" onclick="steal()">trap</a><h2>Heading</h2>'
)


def kept_and_cleaned(html: str) -> None:
    """The text kept, within the field's features; nothing that runs."""
    assert "Glass <b>and</b> crystal" in html
    assert "trap" in html and "Heading" in html
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html
    assert "<h2" not in html  # not a feature of these fields


def posted_description(client, country, description: str):
    """A Czech cluster profile's edit form posted with ``description`` as its Czech
    description: the profile (reloaded) and the response."""
    cluster = ClusterProfile.objects.filter(country=country("CZ")).exclude(name_cs="").first()
    response = client.post(
        f"/admin/snippets/clusters/clusterprofile/edit/{cluster.pk}/",
        {
            "name_cs": cluster.name_cs,
            "slug": cluster.slug,
            "country": cluster.country_id,
            "ready_languages": ["cs"],
            "description_cs": description,
        },
    )
    cluster.refresh_from_db()
    return cluster, response


def contentstate(text: str, entity_ranges=(), entity_map=None) -> str:
    """What Draftail posts: one paragraph of ``text``."""
    block = {
        "key": "r97rs",
        "text": text,
        "type": "unstyled",
        "depth": 0,
        "inlineStyleRanges": [],
        "entityRanges": list(entity_ranges),
        "data": {},
    }
    return json.dumps({"blocks": [block], "entityMap": entity_map or {}})


@pytest.fixture
def czech_editor(db):
    return logged_in(country_user("CZ"))


def test_a_snippet_rich_text_field_posted_as_html_is_saved_cleaned(czech_editor, country):
    cluster, response = posted_description(czech_editor, country, HOSTILE)
    assert response.status_code == 302
    kept_and_cleaned(cluster.description_cs)


EMPTY_EDITOR = contentstate("")


@pytest.mark.parametrize("posted", ["", "  ", '{"foo": 1}', "null", "<p> </p>", EMPTY_EDITOR])
def test_an_empty_or_shapeless_rich_text_saves_empty(czech_editor, country, posted):
    cluster, response = posted_description(czech_editor, country, posted)
    assert response.status_code == 302
    assert cluster.description_cs == ""


@pytest.mark.parametrize(
    ("posted", "kept"),
    [
        ('<p>See <a linktype="page" id="abc">our page</a></p>', "See our page"),
        (  # contentstate the converter refuses: a link without its data
            contentstate(
                "Linked words",
                entity_ranges=[{"offset": 0, "length": 6, "key": 0}],
                entity_map={"0": {"type": "LINK", "mutability": "MUTABLE", "data": {}}},
            ),
            "Linked words",
        ),
    ],
)
def test_rich_text_the_converter_cannot_take_keeps_its_text(czech_editor, country, posted, kept):
    cluster, response = posted_description(czech_editor, country, posted)
    assert response.status_code == 302
    assert kept in cluster.description_cs
    assert "{" not in cluster.description_cs and "linktype" not in cluster.description_cs


def test_a_link_to_an_oversized_id_is_a_form_error_not_a_500(czech_editor, country):
    _cluster, response = posted_description(
        czech_editor, country, '<p>See <a linktype="page" id="99999999999999999999">it</a></p>'
    )
    assert response.status_code == 200
    assert "description_cs" in response.context["form"].errors


def test_a_streamfield_rich_text_block_posted_as_html_is_saved_cleaned(czech_editor, country):
    news = NewsPage.objects.live().descendant_of(country("CZ").site.root_page).first()
    body = page_form_data("news", title=news.title_cs or news.title, slug=news.slug)
    body.update(
        {
            "body_cs-count": "1",
            "body_cs-0-type": "paragraph",
            "body_cs-0-value": HOSTILE,
            "body_cs-0-deleted": "",
            "body_cs-0-order": "0",
            "body_cs-0-id": "",
        }
    )
    response = czech_editor.post(f"/admin/pages/{news.pk}/edit/", body)
    assert response.status_code == 302
    news.refresh_from_db()
    (block,) = news.get_latest_revision_as_object().body_cs
    kept_and_cleaned(str(block.value.source))
