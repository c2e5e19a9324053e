"""The plain text of a field's value, as search reads it: plain text, rich text or blocks.

Apart from ``documents.py`` (visitors' search) because the admin's search text
(``admin_search.py``), which the models mix in, reads values the same way.
"""

from __future__ import annotations

import unicodedata

from wagtail.fields import RichTextField
from wagtail.rich_text import get_text_for_indexing


def to_text(value, *, rich: bool = False) -> str:
    """Plain text of a field value: plain text as it is, rich text HTML (``rich``) or a
    StreamField value as their text.

    Rich text is read with Wagtail's ``get_text_for_indexing``: where paragraphs, list
    items and line breaks meet, a space (``strip_tags`` alone glued "Pranzo</li><li>14:30"
    into one word no query found, and snippets ran sentences together), and entities
    decoded. Plain text is never read as HTML: a title "Preis <5 Euro" keeps its words.
    """
    if value is None:
        return ""
    if hasattr(value, "raw_data"):  # StreamValue
        return " ".join(block_text(block.value) for block in value)
    return get_text_for_indexing(str(value)) if rich else str(value)


def is_rich_text(model, field_name: str) -> bool:
    """Whether ``model``'s field holds rich text HTML (else plain text or a StreamField)."""
    return isinstance(model._meta.get_field(field_name), RichTextField)


def block_text(value) -> str:
    if hasattr(value, "source"):  # RichText
        return get_text_for_indexing(value.source)
    if isinstance(value, dict) or hasattr(value, "items"):
        return " ".join(block_text(v) for k, v in value.items() if k != "image")
    if isinstance(value, str):
        return value
    return ""


def without_control_characters(value):
    """Typed text with NUL and every other control character as a space (tabs and line
    breaks too), stripped: they mean nothing in a search, HTML cannot hold most of them,
    and they came back in the API's ``query`` and ``did_you_mean`` and in the search
    page's title and box. Anything but a string is left as it is (for the validators)."""
    if not isinstance(value, str):
        return value
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in value).strip()
