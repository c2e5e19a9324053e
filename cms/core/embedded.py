"""A StreamField or rich text value with some of its embedded objects taken out.

When an edit is refused for embedding objects the editor may not choose
(``cms.core.forms.CountryScopedFormMixin``), the form shows the editor's
submission again, less those objects: the chooser that held one is emptied,
a rich-text link to one is unlinked (its words stay), an embed of one is
dropped. Everything else the editor typed stays, and nothing of the refused
objects (title, file name, URL, rendition) reaches the page.

Objects are ``(model, pk)`` pairs, as ``wagtail.models.ReferenceIndex`` and
the fields' ``extract_references`` name them (pk as a string).
"""

from __future__ import annotations

import copy

from wagtail.fields import StreamField
from wagtail.rich_text import RichText, extract_references_from_rich_text
from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter


def without_references(field, value, refused):
    """``value`` of StreamField or rich text ``field``, less the ``refused`` objects."""
    refused = {(model, str(pk)) for model, pk in refused}
    if not isinstance(field, StreamField):
        return unlinked(value, refused)
    # JSON-ready, as saved; a copy, so the submitted value stays as it is. This first:
    # it gives every block an id, which the content paths below name.
    raw = copy.deepcopy(field.stream_block.get_prep_value(value))
    for model, pk, _model_path, content_path in field.extract_references(value):
        if (model, str(pk)) not in refused:
            continue
        path = content_path.split(".") if content_path else []
        block = field.get_block_by_content_path(value, path)
        if block is not None and isinstance(block.value, RichText):
            replace_at(raw, path, lambda html: unlinked(html, refused))
        else:  # a chooser (image, document, page, snippet): emptied
            replace_at(raw, path, lambda _pk: None)
    return field.stream_block.to_python(raw)


def replace_at(raw, path: list[str], replace) -> None:
    """Replace what sits at content ``path`` of a StreamField's JSON-ready ``raw`` value
    by ``replace(it)``.

    A content path (Wagtail's, as ``extract_references`` yields it) names the
    children of a stream or list block by id, those of a struct block by name.
    A path that leads nowhere changes nothing.
    """
    holder, key = {"": raw}, ""
    for element in path:
        node = holder[key]
        if isinstance(node, list):  # a stream's or list's children: {"type", "value", "id"}
            holder = next((child for child in node if child.get("id") == element), None)
            key = "value"
        else:  # a struct's children, by name
            holder, key = node, element
        if not isinstance(holder, dict) or key not in holder:
            return
    holder[key] = replace(holder[key])


def unlinked(html: str, refused) -> str:
    """Rich text ``html`` (as stored) with its links to ``refused`` objects unlinked and
    its embeds of them dropped.

    An unlinked link becomes a bare ``<a>``, as Wagtail's own rewriter does with a
    link of an unknown type: its words stay, in the editor and on the site.
    """
    for rewriter, replacement in ((LinkRewriter(), "<a>"), (EmbedRewriter(), "")):
        tags = [tag for same_type in rewriter.extract_tags(html).values() for tag in same_type]
        for tag in sorted(tags, key=lambda tag: tag.start, reverse=True):  # offsets hold
            named = extract_references_from_rich_text(tag.match.group(0))
            if {(model, str(pk)) for model, pk, *_ in named} & refused:
                html = html[: tag.start] + replacement + html[tag.end :]
    return html
