"""XLSX cells the import cannot read as they look: a formula without its result, and the
cells a merged range hides. Each read as empty and, confirmed, emptied the stored value
(the preview said "→ (empty)" without a reason); each is now refused, naming the cell."""

import io

import pytest
from openpyxl import Workbook

from cms.clusters.reading import read_table
from cms.clusters.spreadsheet import ImportFileError

HEADER = ["slug", "country", "name_en", "city_en", "members"]


def xlsx(*rows, merge: str | None = None, sheets_before: int = 0) -> bytes:
    """An XLSX written by a script (as openpyxl writes it: formulas without results)."""
    workbook = Workbook()
    sheet = workbook.active
    for number in range(sheets_before):  # the first sheet need not be sheet1.xml
        workbook.create_sheet(f"Notes {number}", 0)
    sheet = workbook.worksheets[sheets_before]
    workbook.move_sheet(sheet, offset=-sheets_before)
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ROWS = [
    ["usti-food", "CZ", "Usti Food", "Usti", 19],
    ["brno-bio", "CZ", "Brno Bio", "Brno", 12],
    ["plzen-auto", "CZ", "Pilsen Auto", "Plzen", 40],
]


def test_a_plain_file_reads(db):
    table = read_table(xlsx(*ROWS, sheets_before=2), "clusters.xlsx")
    assert [row["city_en"] for row in table] == ["Usti", "Brno", "Plzen"]


def test_a_formula_without_its_result_is_refused_naming_the_cell(db):
    rows = [ROWS[0], [*ROWS[1][:4], "=10+5"], ROWS[2]]
    with pytest.raises(ImportFileError, match="row 3, column members: holds the formula =10\\+5"):
        read_table(xlsx(*rows), "clusters.xlsx")


@pytest.mark.parametrize("sheets_before", [0, 2])
def test_merged_cells_below_the_header_are_refused_naming_them(db, sheets_before):
    content = xlsx(*ROWS, merge="D2:D4", sheets_before=sheets_before)
    with pytest.raises(
        ImportFileError, match="row 2, column city_en: is part of the merged cells D2:D4"
    ):
        read_table(content, "clusters.xlsx")
