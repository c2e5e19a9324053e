"""StreamField blocks shared by every page type that has a rich body."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image")
        description = _("An image with an optional caption")
        preview_value = {"caption": "Info day in Ústí nad Labem"}

    def get_api_representation(self, value, context=None):
        image = value.get("image")
        if not image:
            return None
        rendition = image.get_rendition("max-1200x1200")
        request = (context or {}).get("request")
        return {
            # Absolute, because API consumers show it on their own sites.
            "url": request.build_absolute_uri(rendition.url) if request else rendition.url,
            "width": rendition.width,
            "height": rendition.height,
            "alt": image.alt_text or image.title,
            "caption": value.get("caption", ""),
        }


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Text"))
    attribution = blocks.CharBlock(required=False, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        label = _("Quote")
        description = _("A pull quote with its source")
        preview_value = {"text": "Clusters grow stronger together.", "attribution": "RRA ÚK"}


class BodyBlock(blocks.StreamBlock):
    """The body of news items, events and standard pages."""

    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        label=_("Heading"),
        description=_("A section heading"),
        preview_value="Benchmarking conference",
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        icon="pilcrow",
        label=_("Paragraph"),
        description=_("A paragraph of text"),
        preview_value="<p>Cluster organisations from Central Europe meet in Milan.</p>",
    )
    image = ImageBlock()
    quote = QuoteBlock()

    def value_from_datadict(self, data, files, prefix):
        """The blocks as posted; a post without the counts and types Wagtail's editor writes
        (a form cut short, a hand-made request) is a body with an error, refused by
        ``clean``: Wagtail reads them as ``data[key]``, a 500 for a missing one."""
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError):
            incomplete = blocks.StreamValue(self, [])
            incomplete.sent_incomplete = True
            return incomplete

    def clean(self, value):
        if getattr(value, "sent_incomplete", False):
            message = _("The body arrived incomplete. Reload the page and make your changes again.")
            raise blocks.StreamBlockValidationError(
                non_block_errors=ErrorList([ValidationError(message)])
            )
        return super().clean(value)
