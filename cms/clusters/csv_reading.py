"""Reading a CSV file of the cluster spreadsheet as spreadsheet programs write it.

A CSV is read as spreadsheet programs write it: the separator (comma,
semicolon as Excel writes in much of Europe, or tab) is told by the header,
whose names are known; the encoding is UTF-8, with or without a BOM, else
Windows-1250, which older Czech, Polish and Slovak Excel versions write, or
Windows-1252, which older German and Italian ones write (``legacy_encoding``), or
ISO-8859-2, which Linux tools and LibreOffice may write (``is_latin2``).

Kept apart from ``cms.clusters.reading`` (which checks the header and cells of either
format) because telling the encoding and the separator from the bytes is a craft of
its own, and CSV's alone; it streams the rows under the same byte budget.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from cms.clusters.spreadsheet import (
    COLUMNS,
    MAX_BYTES,
    MAX_CELL_CHARS,
    SEPARATORS,
    CellError,
    ImportFileError,
    longer_than,
    too_large,
)

SNIFF_BYTES = 4096
LEGACY_ENCODING = "cp1250"  # Windows-1250: older Excel in Czech, Polish, Slovak, Slovene
WESTERN_ENCODING = "cp1252"  # Windows-1252: older Excel in German and Italian
LATIN2_ENCODING = "iso-8859-2"  # Linux tools and LibreOffice in Czech, Polish, Slovak


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
        io.BufferedReader(CountedBytes(head, stream, filename)),
        encoding=encoding,
        errors="surrogateescape",  # kept to be found in their cell (``check_decoded``)
        newline="",
    )
    lines = RecordLines(text)
    number = 0
    try:
        for row in csv.reader(lines, delimiter=delimiter, strict=True):
            number += 1
            lines.current.clear()
            yield check_decoded(number, row)
    except csv.Error as error:
        raw = "".join(lines.current)
        column = field_over_limit(raw, delimiter, csv.field_size_limit())
        if column is None:
            raise ImportFileError(
                _("%(file)s: row %(row)s: not valid CSV (%(error)s)")
                % {"file": filename, "row": number + 1, "error": error}
            ) from error
        raise CellError(number + 1, column, longer_than(MAX_CELL_CHARS)) from error


#: What ``surrogateescape`` makes of a byte the encoding has no character for.
UNDECODED = re.compile("[\udc80-\udcff]")


def check_decoded(number: int, row: list[str]) -> list[str]:
    """The row, unless a cell holds bytes its encoding could not read: then a ``CellError``
    naming it. A decoding error names no row: the text is decoded 8 KB at a time, and the
    message named the row being read when that block was, often the first."""
    for index, cell in enumerate(row):
        if UNDECODED.search(cell):
            raise CellError(
                number,
                index,
                _(
                    "the text is in none of the known encodings (UTF-8, Windows-1250, "
                    "Windows-1252); save the file as “CSV UTF-8” or as XLSX"
                ),
            )
    return row


def detect_encoding(head: bytes) -> str:
    """``utf-8-sig`` (UTF-8, a BOM or not) when the start of the file is UTF-8, else
    Windows-1250 or Windows-1252 (``legacy_encoding``).

    Text with accents in a legacy encoding is almost never valid UTF-8, so the
    first 4 KB decide; a file whose first 4 KB are plain ASCII is read as UTF-8
    (an accent further down in a legacy encoding then stops the import with a
    message naming the row). A multi-byte character cut at the end of ``head``
    is fine. A NUL byte means UTF-16 or no text at all, never a legacy encoding.
    """
    if b"\x00" in head or head.startswith(codecs.BOM_UTF8):
        # The decoding or the NUL check then says what is wrong. A file that starts with
        # UTF-8's byte order mark says it is UTF-8: read as Windows-1250 its first column
        # was "unknown column ď»żslug".
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return LATIN2_ENCODING if is_latin2(head) else legacy_encoding(head)
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


#: Bytes that are letters in ISO-8859-2 and signs in Windows-1250 no text puts before a small
#: letter: Ą Ś Ź ą ś (ˇ ¦ ¬ ± ¶ there). (Š and Ž are © and ®: "©firma" is not evidence.)
LATIN2_LETTERS = frozenset(b"\xa1\xa6\xac\xb1\xb6")
#: ť in ISO-8859-2, » in Windows-1250: a letter between two letters.
LATIN2_T = 0xBB
#: š in ISO-8859-2 (ą in Windows-1250, ¹ in Windows-1252) beside ř (the same in both; ø in
#: Windows-1252): Czech written in ISO-8859-2, whose š Windows-1250 keeps at 0x9A. Not ž
#: (ľ in Windows-1250: Slovak "Poľana" beside Czech "Třinec") nor ě, ů (Italian ì, ù).
LATIN2_S = 0xB9
CZECH_R = 0xF8
#: Bytes ISO-8859-2 leaves to control characters, which no text holds.
C1_CONTROLS = range(0x80, 0xA0)


def is_small_letter(byte: int | None) -> bool:
    return byte is not None and (
        0x61 <= byte <= 0x7A or byte >= 0xDF or byte in b"\xb1\xb3\xb5\xb6\xb9\xbb\xbc\xbe\xbf"
    )


def is_latin2(head: bytes) -> bool:
    """Whether ``head``, not UTF-8, is ISO-8859-2 (Linux tools, LibreOffice's "Central
    European (ISO-8859-2)") rather than Windows-1250: read as Windows-1250 its ś, ą, Š, Ž
    were ¶, ±, ©, ® and its Czech š and ž were ą and ľ, garbled without a word.

    Windows-1250 writes š, ž, ť, ś, ź at 0x80-0x9F, where ISO-8859-2 has no letter, so a
    byte there decides for Windows-1250; without one, only what no Windows text holds
    counts for ISO-8859-2 (a sign before a small letter, Czech š beside ř), and a file
    without it reads as Windows-1250 or 1252, as before: a real Windows file misread
    would be worse than the rarer ISO-8859-2 file left as it was.
    """
    if any(byte in C1_CONTROLS for byte in head):
        return False
    for index, byte in enumerate(head):
        before = head[index - 1] if index else None
        after = head[index + 1] if index + 1 < len(head) else None
        if byte in LATIN2_LETTERS and is_small_letter(after):
            return True
        if byte == LATIN2_T and is_small_letter(before) and is_small_letter(after):
            return True
    return LATIN2_S in head and CZECH_R in head


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
