"""Reading an uploaded cluster spreadsheet (CSV or XLSX) into rows, with limits.

An upload is read as a stream with limits (``MAX_BYTES``, ``MAX_ROWS``,
``MAX_CELL_CHARS``; NUL bytes refused), so a huge or hostile file is turned
away early with a message naming the row and column, never read whole.

``read_table`` is the one entry: it checks the header and every cell, whatever the
format; the CSV's own decoding (encodings, separators) is ``cms.clusters.csv_reading``,
the XLSX's is here. The columns and limits it checks against are the spreadsheet's
format (``cms.clusters.spreadsheet``); ``cms.clusters.validation`` then checks what
each row holds.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import closing
from pathlib import PurePath
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.utils import build_localized_fieldname

from cms.clusters.csv_reading import csv_rows
from cms.clusters.spreadsheet import (
    COLUMNS,
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_ROWS,
    SEPARATORS,
    CellError,
    ImportFileError,
    longer_than,
    too_large,
)
from cms.core.languages import LANGUAGE_CODES
from cms.core.spreadsheets import NOT_IN_XLSX, restore

MAX_XLSX_EXPANDED = 10 * MAX_BYTES  # an XLSX is a zip: its parts unpacked


class Table(list):
    """The rows ``read_table`` read (dicts by column name), with the header's ``columns``.

    A file need not have every column: the import leaves what a column it lacks
    would hold alone on an existing cluster (``cms.clusters.importing``), so it
    needs to know which columns the file has, not only which cells a row has.
    """

    def __init__(self, rows=(), columns: Sequence[str] = ()):
        super().__init__(rows)
        self.columns = list(columns)


def read_table(source: bytes | BinaryIO, filename: str, *, size: int | None = None) -> Table:
    """Rows of a CSV or XLSX file as dicts keyed by the (lower-cased) header (``Table``).

    ``source`` is the file's bytes or a binary file object (an upload, an open
    file), read as a stream: a file larger than ``MAX_BYTES`` is refused by its
    size before any parsing (``size``, else the file's own size when it can
    tell), and reading stops at the first row past ``MAX_ROWS``, the first cell
    longer than ``MAX_CELL_CHARS`` or holding a NUL byte, or the first byte past
    ``MAX_BYTES`` when the size was unknown, so a huge file costs little. Every
    problem is an ``ImportFileError`` naming the file, and for a cell the row
    and the column.
    """
    if isinstance(source, bytes):
        source, size = io.BytesIO(source), len(source)
    if size is None:
        size = known_size(source)
    if size is not None and size > MAX_BYTES:
        raise too_large(filename)
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        rows = csv_rows(source, filename)
    elif suffix == ".xlsx":
        rows = xlsx_rows(source, filename)
    else:
        raise ImportFileError(
            _("%(file)s: unsupported file type %(suffix)s; use .csv or .xlsx")
            % {"file": filename, "suffix": suffix or _("(none)")}
        )
    with closing(rows):  # a stop half-way closes the XLSX at once, not when collected
        # An XLSX row may stop at its last filled cell: the cells after it are empty.
        return table_of(rows, filename, fill=suffix == ".xlsx")


def table_of(rows: Iterator[Sequence], filename: str, *, fill: bool = False) -> Table:
    """Check the header, then every row and cell while the rows stream in.

    ``fill``: a row shorter than the header has empty cells at its end (XLSX, where
    a row may stop at its last filled cell). Otherwise (CSV) the row lacks those
    columns, and the import refuses it (``cms.clusters.validation.missing_cells``),
    as it does a value past the header's last column (``longer_than_header``).
    """
    header: list[str] = []
    try:
        first = next(rows, None)
        if first is None:
            raise ImportFileError(_("%(file)s: no header row") % {"file": filename})
        check_cells(1, first)
        header = checked_header(first, filename)
        return Table(
            (
                record(
                    number,
                    filled(row, len(header)) if fill else longer_than_header(number, row, header),
                    header,
                    filename,
                )
                for number, row in enumerate(rows, start=2)
            ),
            columns=[name for name in header if name],
        )
    except CellError as error:
        raise ImportFileError(
            _("%(file)s: row %(row)s, column %(column)s: %(problem)s")
            % {
                "file": filename,
                "row": error.row,
                "column": column_name(header, error.column),
                "problem": error.problem,
            }
        ) from error


def filled(row: Sequence, length: int) -> Sequence:
    """``row`` with empty cells up to ``length``."""
    return row if len(row) >= length else [*row, *[None] * (length - len(row))]


def checked_header(first: Sequence, filename: str) -> list[str]:
    """The column names (lower-cased; "" for an empty header cell), all known, none twice,
    none missing.

    A column twice would have one copy's cells silently win over the other's.
    """
    header = [str(cell or "").strip().lower() for cell in first]
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        message = ngettext(
            "%(file)s: unknown column %(columns)s",
            "%(file)s: unknown columns %(columns)s",
            len(unknown),
        ) % {"file": filename, "columns": ", ".join(unknown)}
        raise ImportFileError(message + separator_hint(unknown))
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise ImportFileError(
            ngettext(
                "%(file)s: column %(columns)s appears more than once; keep one",
                "%(file)s: columns %(columns)s appear more than once; keep one of each",
                len(repeated),
            )
            % {"file": filename, "columns": ", ".join(repeated)}
        )
    names = [build_localized_fieldname("name", code) for code in LANGUAGE_CODES]
    # A name in any language will do as a column: each row needs its site's (name_errors).
    for required, present in (
        ("slug", "slug" in header),
        ("country", "country" in header),
        (" / ".join(names), any(name in header for name in names)),
    ):
        if not present:
            raise ImportFileError(
                _("%(file)s: missing column %(column)s") % {"file": filename, "column": required}
            )
    return header


def separator_hint(unknown: list[str]) -> str:
    """A hint when an unknown column is really several known ones run together.

    A CSV split at the wrong separator, or pasted into one spreadsheet column,
    arrives as one column named ``slug;country;…``: the editor needs to know
    it is the separator, not the names.
    """
    for name in unknown:
        for separator in SEPARATORS:
            parts = [part.strip() for part in name.split(separator)]
            if len(parts) > 1 and sum(part in COLUMNS for part in parts) >= 2:
                shown = _("tab") if separator == "\t" else separator
                return " " + _(
                    "(the columns look separated by “%(separator)s” inside one column: "
                    "upload the CSV file itself, or split the column into columns, "
                    "in Excel with Data → Text to Columns)"
                ) % {"separator": shown}
    return ""


def record(number: int, row: Sequence, header: list[str], filename: str) -> dict[str, str]:
    """Spreadsheet row ``number`` as a dict by column name; past ``MAX_ROWS`` reading stops.

    A row shorter than the header has no key for the columns it lacks.
    """
    if number - 1 > MAX_ROWS:
        raise ImportFileError(
            _("%(file)s: more than %(rows)s rows") % {"file": filename, "rows": MAX_ROWS}
        )
    check_cells(number, row)
    unnamed_within_table(number, row, header)
    return {name: cell_text(value) for name, value in zip(header, row, strict=False) if name}


def unnamed_within_table(number: int, row: Sequence, header: list[str]) -> None:
    """Refuse a value under an empty header cell between named columns: a header cell
    cleared by mistake (``name_cs``) dropped the whole column's text without a word.
    Past the last named column, notes beside an XLSX table stay allowed."""
    named = [index for index, name in enumerate(header) if name]
    for index in range(named[-1] if named else 0):
        if not header[index] and index < len(row) and cell_text(row[index]):
            raise CellError(
                number,
                index,
                _("a value in a column whose header cell is empty; name the column or empty it"),
            )


def longer_than_header(number: int, row: Sequence, header: list[str]) -> Sequence:
    """A CSV row, refused when it has a value past the header's last column.

    It was dropped without a word, and it mostly means a text holding the separator
    without quotes (``Acme, Inc.``), which also moved every later cell of the row
    into the next column. Empty cells there are fine (spreadsheet programs write
    them), and so are an XLSX's notes beside the table, whose cells stay in place.
    """
    for index in range(len(header), len(row)):
        if cell_text(row[index]):
            raise CellError(
                number,
                index,
                _(
                    "a value in a column the header row does not name; if a text holds "
                    "the separator, put it in quotes, else name the column or empty it"
                ),
            )
    return row


def known_size(stream) -> int | None:
    """The file's size in bytes without reading it, or None when it cannot tell."""
    size = getattr(stream, "size", None)  # Django's File and UploadedFile
    if isinstance(size, int):
        return size
    if getattr(stream, "seekable", lambda: False)():
        position = stream.tell()
        size = stream.seek(0, io.SEEK_END)
        stream.seek(position)
        return size
    return None


def check_cells(number: int, row: Sequence) -> None:
    """Refuse control characters and oversized texts.

    A NUL byte cannot be stored (PostgreSQL refuses it) and mostly means the
    file is not text at all; the other control characters (tab, line feed
    and carriage return aside) could not be exported to XLSX again; a text
    longer than Excel holds is no cluster data and would only cost memory.
    """
    for index, value in enumerate(row):
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise CellError(number, index, _("contains a NUL byte (is the file really text?)"))
        if control := NOT_IN_XLSX.search(value):
            raise CellError(
                number,
                index,
                _("contains the control character %(code)s") % {"code": f"U+{ord(control[0]):04X}"},
            )
        if len(value) > MAX_CELL_CHARS:
            raise CellError(number, index, longer_than(MAX_CELL_CHARS))


def column_name(header: list[str], index: int) -> str:
    """The header's name for a column, else its spreadsheet letter (A, B, …, AA)."""
    from openpyxl.utils import get_column_letter

    if index < len(header) and header[index]:
        return header[index]
    return get_column_letter(index + 1)


def cell_text(value) -> str:
    """A cell as the import compares it: text, without the quote an export adds in front
    of a formula character (``cms.core.spreadsheets.restore``), trimmed, its line breaks
    ``\n`` (a CSV written on Windows has ``\r\n`` inside a cell)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return restore(str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()


def xlsx_rows(stream, filename: str) -> Iterator[tuple]:
    """Rows of the first sheet of an XLSX file, parsed lazily (openpyxl read-only mode).

    A cell's value is what the file stores as its result. A formula stored without one (a
    file written by a script, never opened in a spreadsheet program) and the cells a
    merged range hides (its value is in its first cell only) would read as empty and
    empty the stored values: each is refused in a column the header names, naming the
    cell (``unreadable_cells``).
    """
    from openpyxl import load_workbook

    check_expanded_size(stream, filename)
    formulas, merges = unreadable_cells(stream, filename)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise unreadable_xlsx(filename, error) from error
    try:
        named: set[int] = set()  # the columns the header names: the others are not read
        hidden = None
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            if number == 1:
                named = {index for index, cell in enumerate(row) if str(cell or "").strip()}
                hidden = first_hidden_cell(merges, named)
            elif hidden is not None:  # once the header is read, so the column is named
                raise CellError(*hidden)
            for column in formulas.get(number, ()):
                if column in named:
                    raise CellError(number, column, str(NO_RESULT))
            yield row
    except CellError:
        raise
    except Exception as error:  # noqa: BLE001 - a broken sheet deep inside the zip
        raise unreadable_xlsx(filename, error) from error
    finally:
        workbook.close()


#: The XML namespaces of a workbook's parts read here (ECMA-376), and the relationship
#: type of a worksheet (a workbook's first sheet may be a chart sheet, which has no rows).
SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
WORKSHEET_TYPE = "/worksheet"
#: A formula (``<f>``, with any prefix) or a merged range somewhere in the sheet's XML.
FORMULA_OR_MERGE = re.compile(rb"<(?:\w+:)?(?:f|mergeCell)[\s>/]")


def first_worksheet(archive: zipfile.ZipFile) -> str:
    """The path in the archive of the workbook's first worksheet, as openpyxl reads it:
    the first ``<sheet>`` whose relationship is a worksheet, its target relative to
    ``xl/`` (``worksheets/sheet1.xml``, ``./…``, ``../xl/…``) or to the package (``/xl/…``)."""
    from defusedxml.ElementTree import fromstring

    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter(
            f"{PACKAGE_NS}Relationship"
        )
        if rel.get("Type", "").endswith(WORKSHEET_TYPE)
    }
    for sheet in fromstring(archive.read("xl/workbook.xml")).iter(f"{SPREADSHEET_NS}sheet"):
        target = targets.get(sheet.get(f"{RELATIONSHIP_NS}id"))
        if target:
            if target.startswith("/"):
                return posixpath.normpath(target).lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    raise KeyError("no worksheet")


#: Merged ranges a sheet may have: a cluster sheet has none (each is refused), and a file
#: with more is refused before looking at each.
MAX_MERGES = 1000

#: A merged range: first row, first column, last row, last column (1-based), its reference.
Merge = tuple[int, int, int, int, str]


def unreadable_cells(stream, filename: str) -> tuple[dict[int, list[int]], list[Merge]]:
    """What of the first worksheet would read as empty though it is not: the formulas with
    no stored result, by row (``{row: [column]}``, 0-based columns), and the merged ranges.

    - A formula with no stored result (``without_result``: written by a script). One
      whose result is empty text (``=IF(…;"";…)``) is read.
    - A merged range keeps its value in its first cell only (``first_hidden_cell``).
      openpyxl's read-only mode does not read merged ranges.

    Read from the sheet's XML with defusedxml, only when it holds a formula or a merged
    range at all.
    """
    from defusedxml.ElementTree import iterparse
    from openpyxl.utils.cell import column_index_from_string as column_index
    from openpyxl.utils.cell import coordinate_from_string, range_boundaries

    formulas: dict[int, list[int]] = {}
    merges: list[Merge] = []
    try:
        with zipfile.ZipFile(stream) as archive:
            sheet_xml = archive.read(first_worksheet(archive))  # its size checked already
        if FORMULA_OR_MERGE.search(sheet_xml):
            for _event, element in iterparse(io.BytesIO(sheet_xml)):
                if element.tag == f"{SPREADSHEET_NS}c":
                    if without_result(element) and element.get("r"):  # placed by reference
                        letters, row = coordinate_from_string(element.get("r"))
                        formulas.setdefault(row, []).append(column_index(letters) - 1)
                    element.clear()  # (its children read: cleared with it, not before)
                elif element.tag == f"{SPREADSHEET_NS}mergeCell":
                    ref = element.get("ref", "")
                    if ":" in ref:
                        merges.append((*range_boundaries(ref), ref))
                    if len(merges) > MAX_MERGES:
                        raise ImportFileError(too_many_merges(filename))
                elif element.tag == f"{SPREADSHEET_NS}row":
                    element.clear()
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, ParseError) as error:
        raise unreadable_xlsx(filename, error) from error
    finally:
        stream.seek(0)
    return formulas, [(r1, c1, r2, c2, ref) for c1, r1, c2, r2, ref in merges]


def first_hidden_cell(merges: list[Merge], named: set[int]) -> tuple[int, int, str] | None:
    """The first cell below the header, in a column the header names (``named``, 0-based),
    that a merged range hides, as ``(row, column, problem)``; None when there is none."""
    hidden = []
    for first_row, first_column, last_row, last_column, ref in merges:
        columns = sorted(c for c in range(first_column - 1, last_column) if c in named)
        for row in range(max(first_row, 2), min(last_row, first_row + 1, MAX_ROWS + 1) + 1):
            shown = [c for c in columns if (row, c) != (first_row, first_column - 1)]
            if shown:
                hidden.append((row, shown[0], merged_problem(ref)))
                break
    return min(hidden, default=None)


def too_many_merges(filename: str) -> str:
    return _("%(file)s: more than %(merges)s merged cell ranges; unmerge them") % {
        "file": filename,
        "merges": MAX_MERGES,
    }


def without_result(cell) -> bool:
    """Whether a ``<c>`` holds a formula but no result: no ``<v>``, or an empty one that is
    not text (openpyxl writes ``<f>10+5</f><v></v>``; Excel stores a formula whose result
    is empty text as ``t="str"`` with ``<v></v>``)."""
    formula = cell.find(f"{SPREADSHEET_NS}f")
    if formula is None:
        return False
    value = cell.find(f"{SPREADSHEET_NS}v")
    return value is None or (not (value.text or "") and cell.get("t") != "str")


NO_RESULT = gettext_lazy(
    "holds a formula without its result: open the file in a spreadsheet program and save "
    "it (which stores the results), or type the value"
)


def merged_problem(ref: str) -> str:
    return _(
        "is part of the merged cells %(cells)s: a merged range keeps its value in its "
        "first cell only, and the others would import as empty; unmerge them and fill "
        "each row"
    ) % {"cells": ref}


def check_expanded_size(stream, filename: str) -> None:
    """Refuse an XLSX whose parts unpack to more than ``MAX_XLSX_EXPANDED`` bytes.

    An XLSX is a zip archive: a small upload could unpack to gigabytes, and
    openpyxl reads the shared strings whole. Python's zip reader never
    unpacks more than a part's declared size, so the directory can be trusted.
    """
    try:
        with zipfile.ZipFile(stream) as archive:  # a passed-in file is left open
            expanded = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise unreadable_xlsx(filename, error) from error
    finally:
        stream.seek(0)
    if expanded > MAX_XLSX_EXPANDED:
        raise ImportFileError(
            _("%(file)s: unpacks to more than %(megabytes)s MB")
            % {"file": filename, "megabytes": MAX_XLSX_EXPANDED // (1024 * 1024)}
        )


def unreadable_xlsx(filename: str, error: Exception) -> ImportFileError:
    """The refusal of a file that is no XLSX the import can read, saying what to do.

    Without the reader's own words (``error``, kept as the refusal's cause): "File is not
    a zip file" is English, and names a detail of the format rather than the remedy.
    """
    return ImportFileError(
        _(
            "%(file)s: not a readable XLSX file. Save it from your spreadsheet program as an "
            "Excel workbook (.xlsx) or as CSV and upload it again."
        )
        % {"file": filename}
    )
