"""Export of cluster directories as CSV or XLSX, in the format the import reads.

Exports neutralise text that a spreadsheet would run as a formula, and the import
takes that quote off again (``cms.core.spreadsheets``): export → import changes nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC

from cms.clusters.spreadsheet import COLUMNS, READY, UPDATED, normal_ready, plain_text
from cms.core.spreadsheets import neutralised, xlsx_row


def export_rows(queryset) -> list[list]:
    """The header and one row per cluster, in the import format."""
    rows = [list(COLUMNS)]
    for cluster in queryset.select_related("country").prefetch_related("sectors").order_by("slug"):
        cells = export_cells(cluster)
        rows.append([cells[column] for column in COLUMNS])
    return rows


def export_cells(cluster) -> dict:
    """One cluster's cells by column, as the export writes them (before neutralising).

    The import reads a column a file lacks from here: the stored value, as it
    would be in the file (``cms.clusters.importing.stored_cells``).
    """
    cells = {}
    for column in COLUMNS:
        if column == "country":
            cells[column] = cluster.country.code
        elif column == "sectors":
            cells[column] = ";".join(sorted(sector.slug for sector in cluster.sectors.all()))
        elif column.startswith("description_"):
            cells[column] = plain_text(getattr(cluster, column))
        elif column == READY:
            cells[column] = " ".join(normal_ready(cluster.ready_languages))
        elif column == UPDATED:
            cells[column] = export_time(cluster.updated_at)
        else:
            value = getattr(cluster, column)
            cells[column] = "" if value is None else value
    return cells


def export_time(value) -> str:
    """A save time as text in UTC to the second (``2026-01-31T12:00:00Z``): text, so that an
    XLSX keeps it as written, in a form no spreadsheet reads as a local date."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
