"""The cluster listing's own download (Wagtail's ``list_export``) writes no live formula."""

import csv
import io

from openpyxl import load_workbook

from cms.clusters.models import ClusterProfile
from tests.factories import country_user

FORMULA = '=HYPERLINK("http://evil.example","x")'


def listing_export(client, export_format: str) -> bytes:
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    for language in ("en", "cs"):  # the Czech editor's admin is in Czech
        setattr(cluster, f"name_{language}", FORMULA)
        setattr(cluster, f"city_{language}", "+420 Brno")
    cluster.save()
    client.force_login(country_user("CZ"))
    response = client.get(f"/admin/snippets/clusters/clusterprofile/?export={export_format}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_listing_csv_quotes_formula_text(client, db):
    rows = list(csv.reader(io.StringIO(listing_export(client, "csv").decode("utf-8-sig"))))
    cells = {cell for row in rows[1:] for cell in row}
    assert "'" + FORMULA in cells and "'+420 Brno" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_the_listing_xlsx_writes_formula_text_as_quoted_text(client, db):
    sheet = load_workbook(io.BytesIO(listing_export(client, "xlsx"))).worksheets[0]
    (cell,) = [c for row in sheet.iter_rows() for c in row if c.value == "'" + FORMULA]
    assert cell.data_type == "s"
