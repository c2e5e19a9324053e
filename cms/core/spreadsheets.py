"""Spreadsheet cells that stay text: no exported value is run as a formula.

Anything an editor or an importer typed can end up in a CSV or XLSX export
(cluster names, page titles, phone numbers). A spreadsheet program runs a cell
that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and some also after
a leading tab or carriage return: ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0``
would run on the computer of whoever opens the export. Following OWASP's
CSV-injection guidance, every export writes such a text with a single quote
in front (``'=HYPERLINK(...)``), which the spreadsheet shows as text.

Only text is changed: numbers written as numbers (a cluster's ``members``) are
not text and keep their sign. The rule is reversible, so an export read back
by an import gives the original text: ``restore`` takes the quote off again.
A text that already starts with quotes followed by a formula character gets
one more quote on export and loses one on import, so *every* text survives
the round trip (``'=x`` is exported as ``''=x`` and imported as ``'=x``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain

from django.utils import translation

#: Characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Control characters that XML 1.0, and so an XLSX file, cannot hold (tab, LF and CR can).
NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")  # quotes, then a formula character
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(value):
    """The value as an export writes it: text that a spreadsheet would run gets a leading ``'``.

    Non-text values (numbers, dates, None) are returned unchanged.
    """
    if isinstance(value, str) and _NEEDS_QUOTE.match(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The text an export neutralised, as it was: one leading ``'`` taken off again.

    Only a quote that ``neutralise`` could have added is removed (one in front
    of quotes and a formula character), so ``'tis`` stays as it is.
    """
    if _QUOTED.match(text):
        return text[1:]
    return text


def neutralised(values: Iterable) -> list:
    """A row of an export, every cell through ``neutralise``."""
    return [neutralise(value) for value in values]


def xlsx_row(sheet, values: Iterable) -> list:
    """A row for a write-only openpyxl ``sheet``: neutralised, and text typed as text.

    openpyxl makes any ``str`` that starts with ``=`` a formula cell (and
    ``#N/A`` an error cell); the neutralised text no longer starts with ``=``,
    and the explicit string type keeps every text a plain string whatever
    openpyxl would have guessed. Control characters an XLSX cannot hold (a
    stray vertical tab pasted into a name) are left out rather than failing
    the whole download.
    """
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in neutralised(values):
        if isinstance(value, str):
            value = NOT_IN_XLSX.sub("", value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def in_language(language: str, chunks: Iterable) -> Iterator:
    """``chunks`` made one at a time with ``language`` active (a streamed response's
    content is made after the view, and whatever language it ran in, have returned)."""
    chunks, end = iter(chunks), object()
    while True:
        with translation.override(language):
            chunk = next(chunks, end)
        if chunk is end:
            return
        yield chunk


class AdminExportMixin:
    """Wagtail's spreadsheet downloads (``SpreadsheetExportMixin``: the admin reports, a
    snippet listing's ``list_export``) as the project writes them.

    - Every cell through ``neutralise``: Wagtail keeps XLSX text from becoming a formula
      but writes CSV cells as they are.
    - The CSV marked as UTF-8 for Excel (``write_csv_response``).
    - The CSV in the editor's language: Wagtail streams it, row by row as the response is
      sent, after the admin's language (``cms.core.middleware.AdminLanguageMiddleware``)
      has been switched back, so a Czech editor's CSV had English headings and values
      while the XLSX, written within the view, was Czech.
    """

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))

    def stream_csv(self, queryset):
        return in_language(translation.get_language(), super().stream_csv(queryset))

    def write_csv_response(self, queryset):
        """UTF-8 said twice, as the project's own exports do (``cms.clusters.exporting``):
        in the header, and with a byte order mark for Excel, which opened Wagtail's CSV as
        the legacy encoding (``NĂˇzev`` for ``Název``)."""
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        response.streaming_content = chain(["\ufeff"], response.streaming_content)
        return response
