"""The cluster spreadsheet's format: its columns, its limits, and how its cells spell values.

One row per cluster, translated columns such as ``name_cs`` or ``description_de``
(:data:`COLUMNS`). ``cms.clusters.reading`` reads an uploaded CSV or XLSX file of it
(the CSV's encodings and separators: ``cms.clusters.csv_reading``) within the limits
here (``MAX_BYTES``, ``MAX_ROWS``, ``MAX_CELL_CHARS``), raising ``ImportFileError``;
``cms.clusters.validation`` and ``cms.clusters.importing`` validate and apply the rows
read; ``cms.clusters.exporting`` writes the same format.

Every one of those modules imports this one and none of them is imported here: the
format is what they share.
"""

from __future__ import annotations

import re
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from cms.clusters.models import FOUNDED_EARLIEST
from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES

TRANSLATED = ("name", "region", "city", "description")
PLAIN = ("website", "email", "phone")
#: Whole-number columns and their (lowest, highest) values; ``None``: this year, as the
#: model's validator (``founded=2100`` was imported, then refused by the next admin save).
NUMBERS = {"members": (0, 10_000_000), "founded": (FOUNDED_EARLIEST, None)}
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
SEPARATORS = (",", ";", "\t")


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


def too_large(filename: str) -> ImportFileError:
    return ImportFileError(
        _("%(file)s: larger than %(megabytes)s MB")
        % {"file": filename, "megabytes": MAX_BYTES // (1024 * 1024)}
    )


def longer_than(limit: int) -> str:
    return _("longer than %(limit)s characters") % {"limit": limit}


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


#: Where rich text ends a block (a paragraph, a heading, a list item) or breaks a line.
BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote)>", re.IGNORECASE)
LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def plain_text(html: str) -> str:
    """A rich text cell as the sheet holds it: text, no markup, its paragraphs apart by an
    empty line and its line breaks kept (``paragraphs`` makes them again on import)."""
    text = LINE_BREAK.sub("\n", BLOCK_END.sub("\n\n", html or ""))
    lines = [line.strip() for line in unescape(strip_tags(text)).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def paragraphs(text: str) -> str:
    """A description cell as rich text: a paragraph for each block of lines an empty line
    ends, a line break for each other line break."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "")]
    return "".join(
        "<p>{}</p>".format("<br/>".join(escape(line.strip()) for line in block.split("\n")))
        for block in blocks
        if block
    )


#: Rich text a description cell cannot hold: an import of a changed cell drops it.
FORMATTING = re.compile(r"<(a|b|strong|i|em|ul|ol|h[1-6]|blockquote)\b", re.IGNORECASE)


def loses_formatting(html: str) -> bool:
    """Whether ``html`` has more than paragraphs and line breaks (links, bold, lists...)."""
    return bool(FORMATTING.search(html or ""))
