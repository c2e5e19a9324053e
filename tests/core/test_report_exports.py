"""Wagtail's admin reports download no live formula (issue 10: exports neutralise formulas).

A page title is typed by any editor; the site history, aging pages, locked
pages and workflow reports write it into their CSV downloads. Wagtail keeps
XLSX text from becoming formulas but writes CSV cells as they are, so a title
like ``=HYPERLINK(...)`` would run on the computer of whoever opens the file.
"""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import strip_tags
from openpyxl import load_workbook

from cms.clusters.models import ClusterProfile
from cms.core.spreadsheets import FORMULA_PREFIXES
from tests.factories import country_user, lock_in_moderation, news_page

FORMULA = '=HYPERLINK("http://evil.example","x")'
REPORTS = ["site-history", "aging-pages", "locked", "workflow", "workflow_tasks"]
CLUSTER_LISTING = "/admin/snippets/clusters/clusterprofile/"


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
    return export_url(client, user, f"/admin/reports/{report}/", export_format)


def export_url(client, user, url: str, export_format: str) -> bytes:
    client.force_login(user)
    response = client.get(f"{url}?export={export_format}")
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("report", REPORTS)
def test_report_csv_quotes_formula_text(client, formula_page, report):
    content = export(client, formula_page, report, "csv")
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8, for Excel
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
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


#: Every admin download that streams a CSV: the reports and the cluster profiles' listing.
DOWNLOADS = [*(f"/admin/reports/{report}/" for report in REPORTS), CLUSTER_LISTING]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [["" if cell.value is None else str(cell.value) for cell in row] for row in sheet]


@pytest.mark.parametrize("url", DOWNLOADS)
def test_csv_downloads_are_in_the_editors_language_as_xlsx_ones(client, formula_page, country, url):
    """The CSV is written as it is sent, after the admin's language has been switched back:
    a Czech editor's came with English headings and values, while the XLSX was Czech."""
    ClusterProfile.objects.create(name_cs="Klastr Morava", slug="morava", country=country("CZ"))
    czech = country_user("CZ", "moderators")
    headings = csv_rows(export_url(client, czech, url, "csv"))[0]
    assert headings == xlsx_rows(export_url(client, czech, url, "xlsx"))[0]
    assert headings != csv_rows(export_url(client, formula_page, url, "csv"))[0]  # English


@pytest.mark.parametrize(
    ("report", "named"),
    [
        ("workflow", ["Zpracování", "Požadováno (kým)"]),
        ("workflow_tasks", ["Úkol", "Spuštěno v", "Dokončeno v", "Dokončeno (kým)"]),
    ],
)
def test_workflow_reports_name_their_columns_as_the_report_does(
    client, formula_page, report, named
):
    """Wagtail names these columns from a list, not a queryset, and so fell back to the
    attributes' names ("requested_by", "finished_at") in both formats."""
    czech = country_user("CZ", "moderators")
    for export_format, rows in (("xlsx", xlsx_rows), ("csv", csv_rows)):
        headings = rows(export(client, czech, report, export_format))[0]
        assert set(named) <= set(headings), (export_format, headings)
        assert not [heading for heading in headings if "_" in heading], headings


def test_pages_no_editor_published_are_shown_as_published_by_the_system(client, db):
    """``sync_sites`` and the demo loader publish without a user: the aging pages report
    showed a Czech moderator ``None`` as who published them."""
    moderator = country_user("CZ", "moderators")
    client.force_login(moderator)
    response = client.get("/admin/reports/aging-pages/", HTTP_ACCEPT_LANGUAGE="cs")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Systém" in page
    cells = [strip_tags(cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)]
    assert cells
    assert ["None"] not in cells
    download = export(client, moderator, "aging-pages", "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(download)))
    assert "None" not in {cell for row in rows[1:] for cell in row}
