"""The rich text editor's widget: what it saves when the editor typed nothing, and what it
reads of a value the editor did not write.

- An empty editor posts one empty block, which Wagtail saved as an empty paragraph
  (``<p data-block-key="…"></p>``): text nobody wrote, which the translation status
  counted as a partial translation and the API served in place of a fallback. Rich
  text with nothing to show is saved as ``""``.
- Draftail posts its content as JSON (contentstate). Wagtail's widget decodes it
  without a guard, so a form posted by anything else (a script, a hand-made request
  with the HTML itself) was a 500 on every rich text field and StreamField rich text
  block. Such a value is read as the HTML it most likely is, through the same
  converter the editor's content passes: only the field's features survive (no
  script, no attribute it does not allow). HTML the converter cannot take (a link to
  a page id that is no number) and contentstate it refuses keep their text only.
"""

from __future__ import annotations

import json

from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import escape, strip_tags
from wagtail.admin.rich_text import DraftailRichTextArea

#: What the converter raises on input it cannot take.
UNREADABLE = (ValueError, TypeError, LookupError, AttributeError, ObjectDoesNotExist, OverflowError)


class CheckedDraftailRichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        try:
            return nothing_to_show_as_empty(super().value_from_datadict(data, files, name))
        except UNREADABLE:
            posted = data.get(name) or ""
        try:
            contentstate = json.loads(posted)
        except ValueError:
            return self.from_html(posted)
        if isinstance(contentstate, dict) and isinstance(contentstate.get("blocks"), list):
            return self.from_html(paragraphs_of(contentstate["blocks"]))
        return self.from_html(posted)  # JSON of another shape: its text as typed

    def from_html(self, html: str) -> str:
        """``html`` as the editor would save it, or its text alone if it cannot be read."""
        if not html.strip():
            return ""
        try:
            converted = self.converter.from_database_format(html)
        except UNREADABLE:
            converted = self.converter.from_database_format(escape(strip_tags(html)))
        return nothing_to_show_as_empty(self.converter.to_database_format(converted))


def nothing_to_show_as_empty(html: str | None) -> str | None:
    """``""`` for rich text with no text and nothing embedded, else ``html``."""
    if html and not strip_tags(html).strip() and "<embed" not in html and "<img" not in html:
        return ""
    return html


def paragraphs_of(blocks: list) -> str:
    """The text of contentstate ``blocks``, a paragraph each."""
    texts = [block.get("text") for block in blocks if isinstance(block, dict)]
    return "".join(f"<p>{escape(text)}</p>" for text in texts if isinstance(text, str))
