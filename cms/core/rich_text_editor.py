"""The rich text editor's widget, reading a value the editor did not write.

Draftail posts its content as JSON (contentstate). Wagtail's widget decodes it
without a guard, so a form posted by anything else (a script, a browser extension,
a hand-made request with the HTML itself) was a 500 on every rich text field and
StreamField rich text block. ``CheckedDraftailRichTextArea`` reads such a value as
the HTML it most likely is, through the same converter the editor's own content
passes: only the field's features survive (no script, no attribute it does not
allow), and nothing the sender wrote in them is lost.
"""

from __future__ import annotations

from wagtail.admin.rich_text import DraftailRichTextArea


class CheckedDraftailRichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, LookupError, AttributeError):
            # Not contentstate: malformed JSON, or JSON of another shape.
            html = data.get(name) or ""
            if not html.strip():
                return ""
            return self.converter.to_database_format(self.converter.from_database_format(html))
