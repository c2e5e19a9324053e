"""Wagtail's admin reports download no live formula (issue 10: exports neutralise formulas).

A page title is typed by any editor; the site history, aging pages, locked
pages and workflow reports write it into their CSV downloads. Wagtail keeps
XLSX text from becoming formulas but writes CSV cells as they are, so a title
like ``=HYPERLINK(...)`` would run on the computer of whoever opens the file.
"""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from cms.core.spreadsheets import FORMULA_PREFIXES
from tests.factories import country_user, lock_in_moderation, news_page

FORMULA = '=HYPERLINK("http://evil.example","x")'
REPORTS = ["site-history", "aging-pages", "locked", "workflow", "workflow_tasks"]


@pytest.fixture
def formula_page(country):
    """A published page titled with a formula, then locked and in moderation."""
    superuser = get_user_model().objects.create_superuser("report-exporter", password="pw")
    page = news_page(country("CZ"), title={"en": FORMULA, "cs": FORMULA})
    revision = page.save_revision(user=superuser, log_action=True)
    revision.publish(user=superuser)
    lock_in_moderation(page, superuser)
    return superuser


def export(client, user, report: str, export_format: str) -> bytes:
    client.force_login(user)
    response = client.get(f"/admin/reports/{report}/?export={export_format}")
    assert response.status_code == 200, report
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("report", REPORTS)
def test_report_csv_quotes_formula_text(client, formula_page, report):
    rows = list(csv.reader(io.StringIO(export(client, formula_page, report, "csv").decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULA in cells, (report, rows[:3])
    assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)], report


@pytest.mark.parametrize("report", REPORTS)
def test_report_xlsx_writes_formula_text_as_text(client, formula_page, report):
    sheet = load_workbook(io.BytesIO(export(client, formula_page, report, "xlsx"))).worksheets[0]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert all(cell.data_type != "f" for cell in cells), report
    assert any(cell.value == "'" + FORMULA for cell in cells), report


@pytest.mark.parametrize("report", REPORTS)
def test_reports_keep_wagtails_access_rules_and_pages(client, country, report):
    assert client.get(f"/admin/reports/{report}/")["Location"].startswith("/admin/login/")
    client.force_login(country_user("CZ", "moderators"))
    for url in (f"/admin/reports/{report}/", f"/admin/reports/{report}/results/"):
        assert client.get(url).status_code == 200, url
