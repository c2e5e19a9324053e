"""XLSX cells the import cannot read as they look: a formula without its result, and the
cells a merged range hides. Each read as empty and, confirmed, emptied the stored value
(the preview said "→ (empty)" without a reason); each is now refused, naming the cell."""

import io
import zipfile

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
    with pytest.raises(ImportFileError, match="row 3, column members: holds a formula without"):
        read_table(xlsx(*rows), "clusters.xlsx")


def with_sheet_xml(content: bytes, change) -> bytes:
    """``content`` with its worksheets' and workbook's XML passed through ``change``."""
    packed, changed = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(changed, "w") as target:
        for part in source.infolist():
            target.writestr(part, change(part.filename, source.read(part)))
    return changed.getvalue()


def test_a_formula_whose_result_is_empty_text_reads(db):
    """What Excel and LibreOffice store for ``=IF(…;"";…)``: the result is there, empty."""
    content = with_sheet_xml(
        xlsx(*ROWS),
        lambda name, data: data.replace(
            b'<c r="D3" t="inlineStr"><is><t>Brno</t></is></c>',
            b'<c r="D3" t="str"><f>IF(1=1,"","x")</f><v></v></c>',
        ),
    )
    assert b"<v></v>" in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert [row.get("city_en") for row in read_table(content, "clusters.xlsx")] == [
        "Usti",
        "",
        "Plzen",
    ]


def test_a_sheet_named_by_a_relative_target_reads_and_is_checked(db):
    """``./worksheets/sheet1.xml`` in the workbook's relationships: openpyxl reads it."""

    def relative(name, data):
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b'Target="/xl/worksheets/', b'Target="./worksheets/')
        return data

    content = with_sheet_xml(xlsx(*ROWS, merge="D2:D4"), relative)
    assert b"./worksheets/" in zipfile.ZipFile(io.BytesIO(content)).read(
        "xl/_rels/workbook.xml.rels"
    )
    with pytest.raises(ImportFileError, match="is part of the merged cells D2:D4"):
        read_table(content, "clusters.xlsx")


def test_a_merged_range_in_a_column_without_a_header_is_not_read(db):
    """Notes beside the table: the import reads no column the header does not name."""
    assert len(read_table(xlsx(*ROWS, merge="G2:G4"), "clusters.xlsx")) == 3


@pytest.mark.parametrize("sheets_before", [0, 2])
def test_merged_cells_below_the_header_are_refused_naming_them(db, sheets_before):
    content = xlsx(*ROWS, merge="D2:D4", sheets_before=sheets_before)
    with pytest.raises(
        ImportFileError, match="row 3, column city_en: is part of the merged cells D2:D4"
    ):
        read_table(content, "clusters.xlsx")


def test_a_sheet_of_many_merged_ranges_is_refused_without_walking_them(db):
    """A hostile file could merge a thousand ranges of a million cells each."""
    huge = b"".join(b'<mergeCell ref="A%d:XFD1048576"/>' % row for row in range(2, 1004))

    def merged(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return data.replace(
                b"</sheetData>", b"</sheetData><mergeCells>" + huge + b"</mergeCells>"
            )
        return data

    content = with_sheet_xml(xlsx(*ROWS), merged)
    with pytest.raises(ImportFileError, match="more than 1000 merged cell ranges"):
        read_table(content, "clusters.xlsx")
    one = with_sheet_xml(
        xlsx(*ROWS),
        lambda name, data: (
            data.replace(
                b"</sheetData>",
                b'</sheetData><mergeCells><mergeCell ref="B2:XFD1048576"/></mergeCells>',
            )
            if name == "xl/worksheets/sheet1.xml"
            else data
        ),
    )
    with pytest.raises(ImportFileError, match="row 2, column name_en: is part of the merged"):
        read_table(one, "clusters.xlsx")
