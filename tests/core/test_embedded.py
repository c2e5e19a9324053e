"""Rich text less some of its links and embeds (``cms.core.embedded``), nothing else changed."""

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.clusters.models import ClusterProfile
from cms.core.embedded import unlinked, without_references

HTML = (
    '<p>Read <a linktype="document" id="7">the minutes</a> and '
    '<a linktype="document" id="8">ours</a>, <b>bold</b> '
    '<a href="https://example.org/">outside</a>.</p>'
    '<embed alt="a photo" embedtype="image" format="left" id="7"/><p>After.</p>'
)


def test_a_refused_document_link_is_unlinked_and_its_words_kept():
    html = unlinked(HTML, {(get_document_model(), "7")})
    assert html == HTML.replace('<a linktype="document" id="7">', "<a>")


def test_a_refused_image_embed_is_dropped_and_the_rest_kept():
    html = unlinked(HTML, {(get_image_model(), "7")})
    assert html == HTML.replace('<embed alt="a photo" embedtype="image" format="left" id="7"/>', "")


def test_a_rich_text_field_value_is_unlinked_the_same_way():
    field = ClusterProfile._meta.get_field("description_en")
    refused = [(get_document_model(), "8"), (get_image_model(), "7")]
    assert without_references(field, HTML, refused) == (
        HTML.replace('<a linktype="document" id="8">', "<a>").replace(
            '<embed alt="a photo" embedtype="image" format="left" id="7"/>', ""
        )
    )
