"""Wagtail's admin reports, with spreadsheet downloads that run no formula.

The site history, aging pages, locked pages and workflow reports download
page titles, which any editor types. Wagtail keeps XLSX text from becoming
formulas but writes CSV cells as they are, so a title like ``=HYPERLINK(...)``
would run on the computer of whoever opens the CSV. These are Wagtail's own
report views with every exported cell through ``cms.core.spreadsheets.neutralise``
(OWASP's leading quote), as the project's own exports do.

Wagtail has no setting to swap a report's view, so ``cms/urls.py`` routes the
reports' addresses here before the admin's own URLs; their names (and so every
link to them) stay Wagtail's. The views are wrapped as the admin wraps its own:
admin access required, never cached. ``tests/core/test_report_exports.py``
fails if Wagtail moves a report, since its download would then be Wagtail's again.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cms.core.spreadsheets import neutralise


class NeutralisedExportMixin:
    """Every cell of a ``SpreadsheetExportMixin`` download through ``neutralise``."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))


def neutralised(view_class):
    return type(view_class.__name__, (NeutralisedExportMixin, view_class), {})


#: Wagtail's report paths under /admin/reports/ (wagtail/admin/urls/reports.py) and views.
REPORTS = {
    "locked/": neutralised(LockedPagesView),
    "workflow/": neutralised(WorkflowView),
    "workflow_tasks/": neutralised(WorkflowTasksView),
    "site-history/": neutralised(LogEntriesView),
    "aging-pages/": neutralised(AgingPagesView),
}

urlpatterns = decorate_urlpatterns(
    decorate_urlpatterns(
        [
            pattern
            for route, view in REPORTS.items()
            for pattern in (
                path(route, view.as_view()),
                path(f"{route}results/", view.as_view(results_only=True)),
            )
        ],
        require_admin_access,
    ),
    never_cache,
)
