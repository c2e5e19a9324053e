"""What the editor was shown at the preview, checked again when they confirm the import.

The admin's import is two requests: a preview, then "Import". Between them someone may
save a cluster the file names; the confirmation must write what the editor approved, or
nothing (``cms.clusters.views.confirm``). ``fingerprints`` is what the preview showed,
kept with the upload (``PendingImport.previewed``); ``changed_since`` compares it with the
preview worked out again at the confirmation, and ``changed_since_message`` names what
changed.
"""

from __future__ import annotations

import hashlib
import json

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.clusters.importing import ImportPreview
from cms.clusters.validation import RowResult


def fingerprints(preview: ImportPreview) -> dict[str, dict[str, str]]:
    """What the editor is shown, small enough to keep with the upload until the confirmation.

    By row number (the file is kept, so a number names the same row then): the
    row's action under ``""``, and for an update a digest of each changed column's
    old and new value (a description's old value with its formatting: bold or a link
    added meanwhile leaves its text the same, and the import would drop it unseen),
    so that ``changed_since`` can name the columns. Unchanged
    rows are left out (a missing row is one that was unchanged). A new cluster's
    values come from the file alone, so its action is all there is to compare.
    """
    shown = {}
    for row in preview.rows:
        if row.action == "unchanged":
            continue
        shown[str(row.number)] = {
            "": row.action,
            **{
                column: digest(old, new, row.stored_text.get(column, ""))
                for column, old, new in row.changes
            },
        }
    return shown


def digest(*values: str) -> str:
    """A short, stable stand-in for a change (descriptions may be long)."""
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:16]


def changed_since(previewed: dict, preview: ImportPreview) -> list[tuple[RowResult, list[str]]]:
    """The rows whose outcome differs from what ``previewed`` (``fingerprints``) recorded.

    Each with the columns whose change differs (a column changed now, no longer,
    or to or from another value), or with none when the action itself differs (a
    cluster created meanwhile, a row now refused, an update now unchanged): the
    action then says more than the columns.
    """
    now = fingerprints(preview)
    unchanged = {"": "unchanged"}
    found = []
    for row in preview.rows:
        before = previewed.get(str(row.number), unchanged)
        after = now.get(str(row.number), unchanged)
        if before == after:
            continue
        if before[""] != after[""]:
            found.append((row, []))
            continue
        columns = sorted(
            column
            for column in set(before) | set(after)
            if column and before.get(column) != after.get(column)
        )
        found.append((row, columns))
    return found


def changed_since_message(changed: list[tuple[RowResult, list[str]]]) -> str:
    """The refusal of a confirmation: which clusters changed since the preview, in which columns."""
    clusters = []
    for row, columns in changed:
        if columns:
            clusters.append(
                _("%(cluster)s (columns %(columns)s)")
                % {"cluster": row.slug, "columns": ", ".join(columns)}
            )
        else:
            clusters.append(
                _("%(cluster)s (now: %(action)s)")
                % {"cluster": row.slug, "action": row.action_label}
            )
    return refusal(clusters)


def refusal(clusters: list[str]) -> str:
    """ "Nothing was written…", naming ``clusters`` (each with what changed)."""
    return ngettext(
        "Nothing was written: since your preview, this cluster changed: %(clusters)s. "
        "The preview below shows the changes as they are now; check them and import again.",
        "Nothing was written: since your preview, these clusters changed: %(clusters)s. "
        "The preview below shows the changes as they are now; check them and import again.",
        len(clusters),
    ) % {"clusters": "; ".join(clusters)}
