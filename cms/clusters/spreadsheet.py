"""The cluster spreadsheet: its columns, and how an uploaded CSV or XLSX file of it is read.

One row per cluster, translated columns such as ``name_cs`` or ``description_de``
(:data:`COLUMNS`). ``cms.clusters.importing`` validates and applies the rows read
here; ``cms.clusters.exporting`` writes the same format.

An upload is read as a stream with limits (``MAX_BYTES``, ``MAX_ROWS``,
``MAX_CELL_CHARS``; NUL bytes refused), so a huge or hostile file is turned
away early with a message naming the row and column, never read whole.

A CSV is read as spreadsheet programs write it: the separator (comma,
semicolon as Excel writes in much of Europe, or tab) is told by the header,
whose names are known; the encoding is UTF-8, with or without a BOM, else
Windows-1250, which older Czech, Polish and Slovak Excel versions write, or
Windows-1252, which older German and Italian ones write (``legacy_encoding``).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import closing
from html import unescape
from pathlib import PurePath
from typing import BinaryIO

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.spreadsheets import NOT_IN_XLSX, restore

TRANSLATED = ("name", "region", "city", "description")
PLAIN = ("website", "email", "phone")
NUMBERS = {"members": (0, 10_000_000), "founded": (1800, 2100)}
READY = "ready_languages"
#: When the cluster was last saved, as the export found it: never written by an import, only
#: compared, so that the preview can say which updates would undo an edit saved since the
#: export (``cms.clusters.validation.exported_time``). Optional: older files lack it.
UPDATED = "updated_at"
COLUMNS = (
    ["slug", "country", "sectors"]
    + [build_localized_fieldname(name, code) for name in TRANSLATED for code in LANGUAGE_CODES]
    + list(NUMBERS)
    + list(PLAIN)
    + [READY, UPDATED]
)
MAX_ROWS = 20_000
# 2,000 profiles in all seven languages (``bench_import``) are 5.7 MB of CSV, 1 MB of XLSX.
MAX_BYTES = 10 * 1024 * 1024
MAX_CELL_CHARS = 32_767  # what Excel keeps in one cell
MAX_XLSX_EXPANDED = 10 * MAX_BYTES  # an XLSX is a zip: its parts unpacked
SNIFF_BYTES = 4096
SEPARATORS = (",", ";", "\t")
LEGACY_ENCODING = "cp1250"  # Windows-1250: older Excel in Czech, Polish, Slovak, Slovene
WESTERN_ENCODING = "cp1252"  # Windows-1252: older Excel in German and Italian


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, size, header, one bad cell)."""


class Table(list):
    """The rows ``read_table`` read (dicts by column name), with the header's ``columns``.

    A file need not have every column: the import leaves what a column it lacks
    would hold alone on an existing cluster (``cms.clusters.importing``), so it
    needs to know which columns the file has, not only which cells a row has.
    """

    def __init__(self, rows=(), columns: Sequence[str] = ()):
        super().__init__(rows)
        self.columns = list(columns)


class CellError(ImportFileError):
    """One cell stops the reading.

    ``row`` is the spreadsheet row (the header is row 1), ``column`` 0-based;
    ``read_table`` names the column from the header.
    """

    def __init__(self, row: int, column: int, problem: str):
        super().__init__(problem)
        self.row, self.column, self.problem = row, column, problem


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


def too_large(filename: str) -> ImportFileError:
    return ImportFileError(
        _("%(file)s: larger than %(megabytes)s MB")
        % {"file": filename, "megabytes": MAX_BYTES // (1024 * 1024)}
    )


def table_of(rows: Iterator[Sequence], filename: str, *, fill: bool = False) -> Table:
    """Check the header, then every row and cell while the rows stream in.

    ``fill``: a row shorter than the header has empty cells at its end (XLSX, where
    a row may stop at its last filled cell). Otherwise (CSV) the row lacks those
    columns, and the import refuses it (``cms.clusters.validation.missing_cells``).
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
                record(number, filled(row, len(header)) if fill else row, header, filename)
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
    return {name: cell_text(value) for name, value in zip(header, row, strict=False) if name}


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


def longer_than(limit: int) -> str:
    return _("longer than %(limit)s characters") % {"limit": limit}


def column_name(header: list[str], index: int) -> str:
    """The header's name for a column, else its spreadsheet letter (A, B, …, AA)."""
    from openpyxl.utils import get_column_letter

    if index < len(header) and header[index]:
        return header[index]
    return get_column_letter(index + 1)


def cell_text(value) -> str:
    """A cell as the import compares it: text, without the quote an export adds in front
    of a formula character (``cms.core.spreadsheets.restore``), trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return restore(str(value)).strip()


class CountedBytes(io.RawIOBase):
    """A binary file read through a byte budget: ``head`` (bytes already read) first,
    then the rest of ``stream``; reading past ``MAX_BYTES`` is an ``ImportFileError``,
    whatever size the file claimed."""

    def __init__(self, head: bytes, stream, filename: str):
        self.head, self.stream, self.filename, self.count = head, stream, filename, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        wanted = len(buffer)
        if self.head:
            chunk, self.head = self.head[:wanted], self.head[wanted:]
        else:
            chunk = self.stream.read(wanted) or b""
        self.count += len(chunk)
        if self.count > MAX_BYTES:
            raise too_large(self.filename)
        buffer[: len(chunk)] = chunk
        return len(chunk)


class RecordLines:
    """The lines of a text file for ``csv.reader``, keeping those of the record being
    read, so that an error can be placed in its column (``field_over_limit``)."""

    def __init__(self, text):
        self.text, self.current = text, []

    def __iter__(self):
        for line in self.text:
            self.current.append(line)
            yield line


def csv_rows(stream, filename: str) -> Iterator[list[str]]:
    """Rows of a CSV file, decoded and parsed a few kilobytes at a time.

    The encoding and the separator are told from the first 4 KB
    (``detect_encoding``, ``detect_separator``); the quote is always ``"``, as
    every spreadsheet program writes it (a guessed ``'`` would misread
    neutralised cells).
    """
    head = stream.read(SNIFF_BYTES) or b""
    encoding = detect_encoding(head)
    delimiter = detect_separator(head.decode(encoding, errors="ignore"))
    text = io.TextIOWrapper(
        io.BufferedReader(CountedBytes(head, stream, filename)), encoding=encoding, newline=""
    )
    lines = RecordLines(text)
    number = 0
    try:
        for row in csv.reader(lines, delimiter=delimiter):
            number += 1
            lines.current.clear()
            yield row
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "%(file)s: row %(row)s: the text is in none of the known encodings "
                "(UTF-8, Windows-1250, Windows-1252); save the file as “CSV UTF-8” or as XLSX"
            )
            % {"file": filename, "row": number + 1}
        ) from error
    except csv.Error as error:
        raw = "".join(lines.current)
        column = field_over_limit(raw, delimiter, csv.field_size_limit())
        if column is None:
            raise ImportFileError(
                _("%(file)s: row %(row)s: not valid CSV (%(error)s)")
                % {"file": filename, "row": number + 1, "error": error}
            ) from error
        raise CellError(number + 1, column, longer_than(MAX_CELL_CHARS)) from error


def detect_encoding(head: bytes) -> str:
    """``utf-8-sig`` (UTF-8, a BOM or not) when the start of the file is UTF-8, else
    Windows-1250 or Windows-1252 (``legacy_encoding``).

    Text with accents in a legacy encoding is almost never valid UTF-8, so the
    first 4 KB decide; a file whose first 4 KB are plain ASCII is read as UTF-8
    (an accent further down in a legacy encoding then stops the import with a
    message naming the row). A multi-byte character cut at the end of ``head``
    is fine. A NUL byte means UTF-16 or no text at all, never a legacy encoding.
    """
    if b"\x00" in head:
        return "utf-8-sig"  # the decoding or the NUL check then says what is wrong
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return legacy_encoding(head)
    return "utf-8-sig"


#: Bytes that are a letter of Czech, Polish, Slovak or Slovene in Windows-1250 and no
#: letter of German or Italian in Windows-1252 (ł, ś, ż, ą, ę, ř, ľ, ď... there; ³, œ, ¿,
#: ¹, ê, ø, ¾, ï... here), or that Windows-1252 leaves undefined (ť, Ť, Ź).
SLAVIC_BYTES = frozenset(
    b"\x8c\x8d\x8f\x9c\x9d\x9f\xa3\xa5\xaf\xb3\xb9\xbc\xbe\xbf\xc5\xc6\xca\xcf\xd1\xd8"
    b"\xe5\xe6\xea\xef\xf1\xf8"
)
#: Bytes Windows-1250 leaves undefined (ƒ, ˆ, ˜ in Windows-1252).
WESTERN_BYTES = frozenset(b"\x83\x88\x98")
#: Bytes that are a letter in both: à/ŕ, è/č, ì/ě, ò/ň, ù/ů and their capitals.
AMBIGUOUS_BYTES = frozenset(b"\xc0\xc8\xcc\xd2\xd9\xe0\xe8\xec\xf2\xf9")
#: À/Ŕ, à/ŕ: Slovak ŕ is rare, Italian à (città, attività) is everywhere.
ITALIAN_A = frozenset(b"\xc0\xe0")
#: È/Č, è/č: a word of its own or at a word's end is Italian ("è", "caffè").
ITALIAN_AT_END = frozenset(b"\xc8\xe8")


def legacy_encoding(head: bytes) -> str:
    """Windows-1250 (Czech, Polish, Slovak, Slovene Excel) or Windows-1252 (German, Italian).

    German text is the same in both (ä, ö, ü, ß, é sit at the same bytes, and
    so do š and ž), so only the bytes where they differ vote: a letter only
    the Slavic languages have (ł, ř, ľ, ď, ś...) for Windows-1250; for the
    five letters both have (à/ŕ, è/č, ì/ě, ò/ň, ù/ů), the place in the word:
    Czech č, ě, ň, ů stand inside words (město, Plzeňský), Italian à and è at
    their end (città, è). A tie (no such letter) is Windows-1250, as before.
    """
    slavic = western = 0
    for index, byte in enumerate(head):
        if byte < 0x80:
            continue
        if byte in SLAVIC_BYTES:
            slavic += 2
        elif byte in WESTERN_BYTES:
            western += 2
        elif byte in AMBIGUOUS_BYTES:
            following = head[index + 1 : index + 2]
            inside_word = bool(following) and (following.isalpha() or following[0] >= 0x80)
            if byte in ITALIAN_A:
                western += 1
            elif inside_word:
                slavic += 1
            elif byte in ITALIAN_AT_END:
                western += 1
    return WESTERN_ENCODING if western > slavic else LEGACY_ENCODING


def detect_separator(text: str) -> str:
    """The separator that splits the header row into the most known column names.

    The header's names are known (``COLUMNS``), so they tell the separator
    better than a guess from the data, whose descriptions are full of commas.
    Without any known name, Python's sniffer guesses from the whole text.
    """
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    known = {
        separator: sum(
            part.strip().strip('"').lower() in COLUMNS for part in first_line.split(separator)
        )
        for separator in SEPARATORS
    }
    best = max(SEPARATORS, key=lambda separator: known[separator])  # first wins a tie
    if known[best]:
        return best
    try:
        return csv.Sniffer().sniff(text, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        return ","


def field_over_limit(raw: str, delimiter: str, limit: int) -> int | None:
    """The 0-based column of the first field of a raw CSV record longer than ``limit``.

    Python's ``csv`` stops at such a field without saying which one; this
    walks the record's text (``"`` quotes, doubled inside a quoted field) to
    name it in the error.
    """
    column, length, quoted = 0, 0, False
    for char in raw:
        if char == '"':
            quoted = not quoted  # a doubled quote toggles twice: right for counting
            continue
        if char == delimiter and not quoted:
            column, length = column + 1, 0
            continue
        length += 1
        if length > limit:
            return column
    return None


def xlsx_rows(stream, filename: str) -> Iterator[tuple]:
    """Rows of the first sheet of an XLSX file, parsed lazily (openpyxl read-only mode)."""
    from openpyxl import load_workbook

    check_expanded_size(stream, filename)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise unreadable_xlsx(filename, error) from error
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except Exception as error:  # noqa: BLE001 - a broken sheet deep inside the zip
        raise unreadable_xlsx(filename, error) from error
    finally:
        workbook.close()


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
    return ImportFileError(
        _("%(file)s: not a readable XLSX file (%(error)s)") % {"file": filename, "error": error}
    )


def parse_ready(cell: str) -> list[str]:
    """``"cs en"``, ``"cs,en"`` or ``"cs; en"`` → ``["cs", "en"]`` (lower-cased, in order)."""
    return [code for code in cell.lower().replace(",", " ").replace(";", " ").split() if code]


def normal_ready(codes) -> list[str]:
    """Ready languages as stored: no duplicates, no common language, in site order.

    One spelling for one meaning, so an unchanged row compares equal and a
    re-import writes nothing whatever order the cell or the form used.
    """
    wanted = set(codes or ())
    return [code for code in LANGUAGE_CODES if code in wanted and code != COMMON_LANGUAGE]


def plain_text(html: str) -> str:
    """A rich text cell as the sheet holds it: text, no markup."""
    return unescape(strip_tags(html or "")).strip()
