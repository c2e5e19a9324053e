"""Import and export of cluster directories as CSV or XLSX spreadsheets.

National partners keep their cluster lists in spreadsheets: one row per
cluster, translated columns such as ``name_cs`` or ``description_de``. An
import is two steps. ``preview_import`` validates every row and says what
would happen (create, update, unchanged) or what is wrong, naming the row and
the column; nothing is written. ``apply_import`` then writes, and only when
the preview has no errors or the user has confirmed to take the valid rows.
The ``slug`` column is the stable key: re-importing the same file updates in
place and, when nothing changed, writes nothing.

Snippets have no drafts, so a partner imports what they mean to publish: the
optional ``ready_languages`` column (``cs en`` or ``cs,en``) says which
translations visitors may see, and without it every language that is
complete after the import is marked ready. Otherwise imported translations
would stay hidden behind the fallback until someone ticked each profile's
boxes (see ``cms.core.translation_status``).

An upload is read as a stream with limits (``MAX_BYTES``, ``MAX_ROWS``,
``MAX_CELL_CHARS``; NUL bytes refused), so a huge or hostile file is turned
away early with a message naming the row and column, never read whole. Exports
neutralise text that a spreadsheet would run as a formula, and the import
takes that quote off again (``cms.core.spreadsheets``): export → import
changes nothing.

A CSV is read as spreadsheet programs write it: the separator (comma,
semicolon as Excel writes in much of Europe, or tab) is told by the header,
whose names are known; the encoding is UTF-8, with or without a BOM, else
Windows-1250, which older Czech, Polish and Slovak Excel versions write, or
Windows-1252, which older German and Italian ones write (``legacy_encoding``).

Every message is in the editor's language and names the valid values (the
sectors, the countries the editor may import), and a sector may be named in
any of the network's languages ("Potravinářství" is ``food``): that is what a
partner types.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from html import unescape
from pathlib import PurePath
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator, validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from cms.clusters.models import ClusterProfile
from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.models import Country, Sector
from cms.core.publication import language_label
from cms.core.spreadsheets import NOT_IN_XLSX, neutralised, restore, xlsx_row
from cms.core.translation_status import LanguageRule, is_filled, required_fields
from cms.search.indexing import backends, sync_objects

logger = logging.getLogger(__name__)

TRANSLATED = ("name", "region", "city", "description")
PLAIN = ("website", "email", "phone")
NUMBERS = {"members": (0, 10_000_000), "founded": (1800, 2100)}
READY = "ready_languages"
COLUMNS = (
    ["slug", "country", "sectors"]
    + [build_localized_fieldname(name, code) for name in TRANSLATED for code in LANGUAGE_CODES]
    + list(NUMBERS)
    + list(PLAIN)
    + [READY]
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

#: What each action means to the editor (the keys stay English: tests, counts, CSS).
ACTION_LABELS = {
    "create": pgettext_lazy("import action", "create"),
    "update": pgettext_lazy("import action", "update"),
    "unchanged": pgettext_lazy("import action", "unchanged"),
    "error": pgettext_lazy("import action", "error"),
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, size, header, one bad cell)."""


class CellError(ImportFileError):
    """One cell stops the reading.

    ``row`` is the spreadsheet row (the header is row 1), ``column`` 0-based;
    ``read_table`` names the column from the header.
    """

    def __init__(self, row: int, column: int, problem: str):
        super().__init__(problem)
        self.row, self.column, self.problem = row, column, problem


@dataclass
class RowResult:
    number: int  # spreadsheet row number, the header being row 1
    slug: str
    action: str = ""  # "create", "update", "unchanged" or "error"
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    values: dict = field(default_factory=dict)
    sectors: list[str] = field(default_factory=list)
    #: For an update: (column, old, new) of each changed column, as the spreadsheet shows it.
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    current_name: str = ""  # the existing cluster's name, for an update

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def name(self) -> str:
        """The row's name in the active language, else English, else the existing cluster's."""
        language = get_language() or COMMON_LANGUAGE
        for code in (language.split("-")[0], COMMON_LANGUAGE):
            if code in LANGUAGE_CODES and self.values.get(build_localized_fieldname("name", code)):
                return self.values[build_localized_fieldname("name", code)]
        return self.current_name

    @property
    def published_languages(self) -> list[str]:
        """The languages visitors will read this cluster in after the import."""
        return [COMMON_LANGUAGE, *self.values.get(READY, [])]


@dataclass
class ImportPreview:
    rows: list[RowResult]
    ready_column: bool = False  # the file says which languages are ready

    @property
    def valid(self) -> list[RowResult]:
        return [row for row in self.rows if row.ok]

    @property
    def invalid(self) -> list[RowResult]:
        return [row for row in self.rows if not row.ok]

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


def read_table(
    source: bytes | BinaryIO, filename: str, *, size: int | None = None
) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dicts keyed by the (lower-cased) header.

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
        return table_of(rows, filename)


def too_large(filename: str) -> ImportFileError:
    return ImportFileError(
        _("%(file)s: larger than %(megabytes)s MB")
        % {"file": filename, "megabytes": MAX_BYTES // (1024 * 1024)}
    )


def table_of(rows: Iterator[Sequence], filename: str) -> list[dict[str, str]]:
    """Check the header, then every row and cell while the rows stream in."""
    header: list[str] = []
    try:
        first = next(rows, None)
        if first is None:
            raise ImportFileError(_("%(file)s: no header row") % {"file": filename})
        check_cells(1, first)
        header = checked_header(first, filename)
        return [record(number, row, header, filename) for number, row in enumerate(rows, start=2)]
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


def checked_header(first: Sequence, filename: str) -> list[str]:
    """The column names (lower-cased; "" for an empty header cell), all known, none missing."""
    header = [str(cell or "").strip().lower() for cell in first]
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        message = ngettext(
            "%(file)s: unknown column %(columns)s",
            "%(file)s: unknown columns %(columns)s",
            len(unknown),
        ) % {"file": filename, "columns": ", ".join(unknown)}
        raise ImportFileError(message + separator_hint(unknown))
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
    """Spreadsheet row ``number`` as a dict by column name; past ``MAX_ROWS`` reading stops."""
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


def preview_import(
    rows: list[dict[str, str]], *, allowed_countries: set[str] | None = None
) -> ImportPreview:
    """Validate every row and work out what applying it would do. Writes nothing.

    ``allowed_countries``: country codes the importing editor may write (None: all).
    """
    countries = {country.code: country for country in Country.objects.all()}
    sector_slugs = sector_aliases()
    existing = {
        cluster.slug: cluster
        for cluster in ClusterProfile.objects.filter(
            slug__in=[row.get("slug", "") for row in rows]
        ).prefetch_related("sectors")
    }
    # Short CSV lines lack trailing cells, so ask every row whether the header had the column.
    ready_column = any(READY in row for row in rows)
    results, seen = [], {}
    for number, row in enumerate(rows, start=2):
        result = validate_row(number, row, countries, sector_slugs, allowed_countries)
        validate_ready(result, row.get(READY, "") if ready_column else None)
        if result.slug in seen:
            result.errors.append(
                ("slug", _("also used in row %(row)s") % {"row": seen[result.slug]})
            )
        elif result.slug:
            seen[result.slug] = number
        current = existing.get(result.slug)
        if result.ok and current is not None and allowed_countries is not None:
            if current.country.code not in allowed_countries:
                result.errors.append(("slug", _("belongs to a cluster of another country")))
        if not result.ok:
            result.action = "error"
        elif current is None:
            result.action = "create"
        else:
            result.changes = changes(current, result)
            result.current_name = str(current)
            result.action = "update" if result.changes else "unchanged"
        results.append(result)
    return ImportPreview(rows=results, ready_column=ready_column)


def sector_aliases() -> dict[str, str]:
    """Every way a cell may name a sector, case-folded, → its slug.

    The slug, and the sector's name in each of the network's languages: a
    partner types "Potravinářství" or "Lebensmittel" as readily as ``food``.
    """
    aliases = {}
    for sector in Sector.objects.all():
        names = [build_localized_fieldname("name", code) for code in LANGUAGE_CODES]
        for name in filter(None, (getattr(sector, column, "") for column in names)):
            aliases.setdefault(name.strip().casefold(), sector.slug)
        aliases[sector.slug.casefold()] = sector.slug  # a slug always wins over a name
    return aliases


def one_of(values) -> str:
    return ", ".join(values)


def validate_row(number, row, countries, sector_slugs, allowed_countries) -> RowResult:
    """Check one row: each error names its column, and the valid values where there is a list.

    ``sector_slugs`` maps each accepted spelling of a sector to its slug (``sector_aliases``).
    """
    result = RowResult(number=number, slug=row.get("slug", ""))
    errors = result.errors
    try:
        validate_slug(result.slug)
    except ValidationError:
        errors.append(
            (
                "slug",
                _("“%(value)s” is not a valid key (letters, digits, - and _)")
                % {"value": result.slug},
            )
        )
    code = row.get("country", "").upper()
    importable = sorted(
        country_code
        for country_code, country in countries.items()
        if not country.is_hub and (allowed_countries is None or country_code in allowed_countries)
    )
    if code not in countries or countries[code].is_hub:
        errors.append(
            (
                "country",
                _("unknown country “%(value)s”; use one of: %(valid)s")
                % {"value": row.get("country", ""), "valid": one_of(importable)},
            )
        )
    elif allowed_countries is not None and code not in allowed_countries:
        errors.append(
            (
                "country",
                _("you may not import clusters of %(code)s; use one of: %(valid)s")
                % {"code": code, "valid": one_of(importable)},
            )
        )
    else:
        result.values["country"] = countries[code]
    errors.extend(name_errors(row, result.values.get("country")))
    for name in TRANSLATED:
        for language in LANGUAGE_CODES:
            column = build_localized_fieldname(name, language)
            value = row.get(column, "")
            limit = (
                0 if name == "description" else ClusterProfile._meta.get_field(column).max_length
            )
            if limit and len(value) > limit:
                errors.append((column, longer_than(limit)))
            result.values[column] = value  # descriptions: plain text, see changes()/apply
    sectors = set()
    for name in row.get("sectors", "").replace(",", ";").split(";"):
        if not name.strip():
            continue
        slug = sector_slugs.get(name.strip().casefold())
        if slug is None:
            valid = one_of(sorted(set(sector_slugs.values())))
            errors.append(
                (
                    "sectors",
                    _("unknown sector “%(value)s”; use one of: %(valid)s")
                    % {"value": name.strip(), "valid": valid},
                )
            )
        else:
            sectors.add(slug)
    result.sectors = sorted(sectors)
    for column, (low, high) in NUMBERS.items():
        value = row.get(column, "")
        if not value:
            result.values[column] = None
            continue
        try:
            number_value = int(value)
        except ValueError:
            errors.append((column, _("“%(value)s” is not a whole number") % {"value": value}))
            continue
        if not low <= number_value <= high:
            errors.append(
                (column, _("must be between %(low)s and %(high)s") % {"low": low, "high": high})
            )
        result.values[column] = number_value
    for column, validator, problem in (
        (
            "website",
            URLValidator(schemes=["http", "https"]),
            _("“%(value)s” is not a valid web address (https://…)"),
        ),
        ("email", EmailValidator(), _("“%(value)s” is not a valid email address")),
    ):
        value = row.get(column, "")
        if value:
            try:
                validator(value)
            except ValidationError:
                errors.append((column, problem % {"value": value}))
        result.values[column] = value
    result.values["phone"] = row.get("phone", "")[:50]
    return result


def name_errors(row, country) -> list[tuple[str, str]]:
    """The row's name, as the edit form asks for it (``LanguageRule``): in the main language
    of the country's site, or (files written before that rule) in English; and in every
    language the network requires at publication, since an import publishes.
    """
    rule = LanguageRule.for_country(country)
    main = build_localized_fieldname("name", rule.default)
    english = build_localized_fieldname("name", COMMON_LANGUAGE)
    errors = []
    if not row.get(main) and not row.get(english):
        errors.append(
            (
                main,
                _("the name is required in this site's main language (%(language)s) or in English")
                % {"language": language_label(rule.default)},
            )
        )
    for code in rule.required_at_publication:
        column = build_localized_fieldname("name", code)
        if not row.get(column):
            errors.append(
                (
                    column,
                    _(
                        "Required: the network asks for every item in this language too "
                        "(%(language)s)."
                    )
                    % {"language": language_label(code)},
                )
            )
    return errors


def complete_in(result: RowResult, language: str) -> bool:
    """Is the row's cluster complete in ``language`` once imported (``status == COMPLETE``)?

    The row sets every translated column (a missing column blanks it), so its
    values alone decide.
    """
    return all(
        is_filled(result.values.get(build_localized_fieldname(name, language)))
        for name in required_fields(ClusterProfile)
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


def validate_ready(result: RowResult, cell: str | None) -> None:
    """Set the row's ready languages: the cell's, or (``cell`` None: no column) the complete ones.

    English, the common language, is always ready; naming it is allowed and
    changes nothing. A language named ready must be complete, as in the edit
    form: visitors would otherwise see a half-translated profile.
    """
    if cell is None:
        result.values[READY] = [
            code for code in LANGUAGE_CODES if code != COMMON_LANGUAGE and complete_in(result, code)
        ]
        return
    codes = parse_ready(cell)
    for code in codes:
        if code not in LANGUAGE_CODES:
            result.errors.append(
                (
                    READY,
                    _('unknown language "%(code)s"; use one of: %(valid)s')
                    % {"code": code, "valid": one_of(LANGUAGE_CODES)},
                )
            )
        elif code != COMMON_LANGUAGE and not complete_in(result, code):
            required = ", ".join(
                build_localized_fieldname(name, code) for name in required_fields(ClusterProfile)
            )
            result.errors.append(
                (
                    READY,
                    _("%(code)s is marked ready but %(columns)s is empty")
                    % {"code": code, "columns": required},
                )
            )
    result.values[READY] = normal_ready(codes)


def current_value(cluster: ClusterProfile, name: str):
    """A field as the spreadsheet sees it: descriptions (rich text) as plain text."""
    value = getattr(cluster, name, None)  # None for a new cluster's country
    if name == READY:
        return normal_ready(value)
    return _plain(value) if name.startswith("description_") else value


def changes(cluster: ClusterProfile, row: RowResult) -> list[tuple[str, str, str]]:
    """(column, old, new) for each column the row would change, as the spreadsheet shows them.

    Empty when re-importing would write nothing (the row is "unchanged").
    """
    found = []
    for name, value in row.values.items():
        old = current_value(cluster, name)
        if old != value:
            found.append((name, shown(old), shown(value)))
    old_sectors = sorted(sector.slug for sector in cluster.sectors.all())
    if old_sectors != row.sectors:
        found.append(("sectors", ", ".join(old_sectors), ", ".join(row.sectors)))
    return found


def shown(value) -> str:
    """A value as a spreadsheet cell shows it: a country by its code, a list joined."""
    if value is None:
        return ""
    if isinstance(value, Country):
        return value.code
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    return str(value)


def assign_row(cluster: ClusterProfile, row: RowResult) -> None:
    """Set the row's values; a description is only replaced when its text changed,
    so formatting added in the admin survives a round trip through a spreadsheet."""
    for name, value in row.values.items():
        if current_value(cluster, name) == value:
            continue
        if name.startswith("description_"):
            value = f"<p>{escape(value)}</p>" if value else ""
        setattr(cluster, name, value)


@transaction.atomic
def apply_import(
    preview: ImportPreview, *, confirm_skipping_invalid: bool = False
) -> dict[str, int]:
    """Write the valid rows. With any invalid row, writes nothing unless confirmed.

    Writes in bulk (thousands of rows in seconds), then indexes the touched
    clusters for search in one batch: ``bulk_create`` sends no ``post_save``,
    so nothing is indexed one row at a time.
    """
    if preview.invalid and not confirm_skipping_invalid:
        raise ImportFileError(unconfirmed_errors(len(preview.invalid)))
    sectors = {sector.slug: sector.pk for sector in Sector.objects.all()}
    rows = [row for row in preview.valid if row.action != "unchanged"]
    existing = {c.slug: c for c in ClusterProfile.objects.filter(slug__in=[r.slug for r in rows])}
    created, updated, fields = [], [], set()
    for row in rows:
        cluster = existing.get(row.slug)
        if cluster is None:
            cluster = ClusterProfile(slug=row.slug)
            assign_row(cluster, row)
            created.append(cluster)
        else:
            before = {name: getattr(cluster, name) for name in row.values}
            assign_row(cluster, row)
            fields |= {name for name in row.values if getattr(cluster, name) != before[name]}
            updated.append(cluster)
    now = timezone.now()
    for cluster in created + updated:
        cluster.updated_at = now
    ClusterProfile.objects.bulk_create(created, batch_size=500)
    if updated:
        update_fields = sorted(
            {"country_id" if name == "country" else name for name in fields} | {"updated_at"}
        )
        ClusterProfile.objects.bulk_update(updated, update_fields, batch_size=500)
    by_slug = {row.slug: row for row in rows}
    Through = ClusterProfile.sectors.through
    touched = created + updated
    Through.objects.filter(clusterprofile_id__in=[c.pk for c in updated]).delete()
    Through.objects.bulk_create(
        [
            Through(clusterprofile_id=cluster.pk, sector_id=sectors[slug])
            for cluster in touched
            for slug in by_slug[cluster.slug].sectors
        ],
        batch_size=1000,
    )
    reindex(touched)
    return {
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(preview.valid) - len(rows),
        "skipped": len(preview.invalid),
    }


def unconfirmed_errors(count: int) -> str:
    return ngettext(
        "%(count)s row has errors; nothing was written. "
        "Fix it, or confirm to import only the valid rows.",
        "%(count)s rows have errors; nothing was written. "
        "Fix them, or confirm to import only the valid rows.",
        count,
    ) % {"count": count}


def reindex(clusters: list[ClusterProfile]) -> None:
    """Index imported clusters in every search backend (admin search and visitor search)."""
    if not clusters:
        return
    fresh = list(
        ClusterProfile.objects.filter(pk__in=[c.pk for c in clusters])
        .select_related("country")
        .prefetch_related("sectors")
    )
    for _name, backend, is_database in backends():
        try:
            backend.add_bulk(ClusterProfile, fresh)
        except Exception:  # noqa: BLE001 - an engine outage must not lose the import
            if is_database:
                raise
            logger.exception("Admin search index of imported clusters failed; rebuild later")
    sync_objects(fresh)


def export_rows(queryset) -> list[list]:
    """The header and one row per cluster, in the import format."""
    rows = [list(COLUMNS)]
    for cluster in queryset.select_related("country").prefetch_related("sectors").order_by("slug"):
        row = []
        for column in COLUMNS:
            if column == "country":
                row.append(cluster.country.code)
            elif column == "sectors":
                row.append(";".join(sorted(sector.slug for sector in cluster.sectors.all())))
            elif column.startswith("description_"):
                row.append(_plain(getattr(cluster, column)))
            elif column == READY:
                row.append(" ".join(normal_ready(cluster.ready_languages)))
            else:
                value = getattr(cluster, column)
                row.append("" if value is None else value)
        rows.append(row)
    return rows


def _plain(html: str) -> str:
    return unescape(strip_tags(html or "")).strip()


def write_csv(rows: list[list]) -> bytes:
    """The rows as UTF-8 CSV (with a BOM, so Excel reads the accents), no cell a formula."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(neutralised(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(rows: list[list]) -> bytes:
    """The rows as an XLSX workbook of one sheet, no cell a formula."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("clusters")
    for row in rows:
        sheet.append(xlsx_row(sheet, row))  # text stays text, never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
