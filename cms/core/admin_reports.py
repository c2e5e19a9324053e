"""Wagtail's admin reports, with spreadsheet downloads that run no formula.

The site history, aging pages, locked pages and workflow reports download
page titles, which any editor types. Wagtail keeps XLSX text from becoming
formulas but writes CSV cells as they are, so a title like ``=HYPERLINK(...)``
would run on the computer of whoever opens the CSV. These are Wagtail's own
report views with every exported cell through ``cms.core.spreadsheets.neutralise``
(OWASP's leading quote), as the project's own exports do, and the CSV in the editor's
language (``cms.core.spreadsheets.AdminExportMixin``).

Four of them also show a country's users only its own: the site history lists
the entries of snippets they may see (``visible_log_entries``; Wagtail asks only
for a permission on the model), and its "User", the workflow report's "Requested
by" and the locked pages' "Locked by" filters offer the people of the rows the
report lists them, not every country's editors; the workflow reports' "Workflow"
and "Task" filters offer the workflows and tasks of those rows, not every country's.

Wagtail has no setting to swap a report's view, so ``cms/urls.py`` routes the
reports' addresses here before the admin's own URLs; their names (and so every
link to them) stay Wagtail's. The views are wrapped as the admin wraps its own:
admin access required, never cached. ``tests/core/test_report_exports.py``
fails if Wagtail moves a report, since its download would then be Wagtail's again.
"""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import FilteredModelChoiceFilter
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
)
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet, LockedPagesView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import (
    APIToken,
    ModelLogEntry,
    Page,
    PageLogEntry,
    Task,
    TaskState,
    Workflow,
)
from wagtail.permissions import page_permission_policy, policy_registry
from wagtail.snippets.models import get_snippet_models
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cms.core.permissions import VISIBLE_ACTIONS, is_network_admin, users_among
from cms.core.spreadsheets import AdminExportMixin
from cms.users.api_tokens import manageable_tokens


def neutralised(view_class):
    """The report's view, downloading as the project's downloads do (``AdminExportMixin``)."""
    return type(view_class.__name__, (AdminExportMixin, view_class), {})


def visible_log_entries(entries, user):
    """``entries`` (of any log model) narrowed to those of objects ``user`` may see.

    Wagtail shows a snippet's log entries to anyone with some permission on its
    model, so a Czech editor read the Italian profiles' titles, actions and
    editors. Here a snippet's entry stays only if its object is one its permission
    policy lets the user see (``VISIBLE_ACTIONS``: their countries' profiles,
    partners and contacts, their languages' search lists), an API token's if it is
    one the user may manage (their own). The entries of a
    deleted snippet go with it: nothing left tells whose it was, as Wagtail does
    for deleted pages. Page entries are Wagtail's (pages the user may explore);
    network administrators see every entry.
    """
    if entries.model is not ModelLogEntry or is_network_admin(user):
        return entries
    visible = {
        model: policy_registry.get_by_type(model).instances_user_has_any_permission_for(
            user, VISIBLE_ACTIONS
        )
        for model in get_snippet_models()
    }
    visible[APIToken] = manageable_tokens(user)  # one's own (``cms.users.api_tokens``)
    types = ContentType.objects.get_for_models(*visible, for_concrete_models=False)
    shown = ~Q(content_type__in=types.values())
    for model, content_type in types.items():
        # ``object_id`` is text, whatever the model's key: compare it as text.
        ids = visible[model].annotate(text_pk=Cast("pk", CharField())).values("text_pk")
        shown |= Q(content_type=content_type, object_id__in=ids)
    return entries.filter(shown)


class VisibleSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The "User" filter offers the authors of the entries the user may see.

    Wagtail's lists whoever wrote any page entry, every country's editors.
    """

    def get_users_queryset(self):
        user = self.request.user
        ids = set()
        for log_model in log_action_registry.get_log_entry_models():
            entries = log_model.objects.viewable_by_user(user)
            ids |= visible_log_entries(entries, user).get_user_ids()
        return users_among(ids)


class VisibleLogEntriesView(LogEntriesView):
    """The site history with only the entries of objects the user may see."""

    filterset_class = VisibleSiteHistoryFilterSet

    def filter_queryset(self, queryset):
        # Called once per log model with its entries (``LogEntriesView.get_filtered_queryset``).
        return visible_log_entries(super().filter_queryset(queryset), self.request.user)

    def decorate_paginated_queryset(self, queryset):
        """An entry of a page that still exists names the page as the explorer does, in the
        reader's language. Wagtail keeps the title the entry was written with, in the
        language of whoever acted: a Czech editor read a moderator's draft of "Místní info
        den" as "Local info day", the moderator's admin being in English."""
        entries = super().decorate_paginated_queryset(queryset)
        page_ids = {entry.page_id for entry in entries if isinstance(entry, PageLogEntry)}
        pages = Page.objects.filter(pk__in=page_ids).specific() if page_ids else []
        titles = {page.pk: page.get_admin_display_title() for page in pages}
        for entry in entries:
            if isinstance(entry, PageLogEntry) and titles.get(entry.page_id):
                entry.label = titles[entry.page_id]
        return entries


def listed_rows(view_class, request):
    """The rows a report lists the user: its own ``get_queryset``'s."""
    report = view_class()
    report.setup(request)
    return report.get_queryset().order_by()


def requesters_of_listed_workflows(request):
    """Who started the workflows the report lists the user (Wagtail offers everyone who
    started one, in any country)."""
    return users_among(listed_rows(WorkflowView, request).values("requested_by"))


def workflows_of_listed_states(request):
    """The workflows of the rows the workflow report lists the user (Wagtail offers every
    country's: "Moderation – Österreich" to a Czech editor)."""
    return Workflow.objects.filter(pk__in=listed_rows(WorkflowView, request).values("workflow"))


def workflows_of_listed_tasks(request):
    rows = listed_rows(WorkflowTasksView, request)
    return Workflow.objects.filter(pk__in=rows.values("workflow_state__workflow"))


def tasks_of_listed_tasks(request):
    return Task.objects.filter(pk__in=listed_rows(WorkflowTasksView, request).values("task"))


class VisibleWorkflowReportFilterSet(WorkflowReportFilterSet):
    requested_by = django_filters.ModelChoiceFilter(
        field_name="requested_by", queryset=requesters_of_listed_workflows
    )
    workflow = django_filters.ModelChoiceFilter(
        field_name="workflow", queryset=workflows_of_listed_states, label=_("Workflow")
    )


class VisibleWorkflowTasksReportFilterSet(WorkflowTasksReportFilterSet):
    """Its workflow and task filters offer those of the rows it lists the user."""

    workflow = django_filters.ModelChoiceFilter(
        field_name="workflow_state__workflow",
        queryset=workflows_of_listed_tasks,
        label=WorkflowTasksReportFilterSet.base_filters["workflow"].label,
    )
    task = FilteredModelChoiceFilter(
        queryset=tasks_of_listed_tasks, filter_field="id_workflow", filter_accessor="workflows"
    )


class VisibleWorkflowView(WorkflowView):
    filterset_class = VisibleWorkflowReportFilterSet
    # Wagtail names a download's columns from the queryset's model; this report's rows are
    # a list, so columns without a heading here were named "workflow", "requested_by".
    export_headings = {
        **WorkflowView.export_headings,
        "workflow": _("Workflow"),
        "requested_by": _("Requested by"),
    }


class WorkflowTasksReportView(WorkflowTasksView):
    """Wagtail's, with every column of its download named as the report names it."""

    filterset_class = VisibleWorkflowTasksReportFilterSet

    export_headings = {
        **WorkflowTasksView.export_headings,
        "task": _("Task"),
        "started_at": _("Started at"),
        "finished_at": _("Completed at"),
        # Not a column of the report: the model field's name ("finished by").
        "finished_by": capfirst(TaskState._meta.get_field("finished_by").verbose_name),
    }


def lockers_of_listed_pages(request):
    """Who locked the pages the report lists the user: those they may change or locked
    themselves, as ``LockedPagesView.get_queryset`` (Wagtail offers whoever locked any page)."""
    user = request.user
    pages = page_permission_policy.instances_user_has_permission_for(user, "change")
    pages = (pages | Page.objects.filter(locked_by=user)).filter(locked=True)
    return users_among(pages.order_by().values("locked_by"))


class VisibleLockedPagesReportFilterSet(LockedPagesReportFilterSet):
    locked_by = django_filters.ModelChoiceFilter(
        label=LockedPagesReportFilterSet.base_filters["locked_by"].label,
        empty_label=LockedPagesReportFilterSet.base_filters["locked_by"].extra["empty_label"],
        field_name="locked_by",
        queryset=lockers_of_listed_pages,
    )


class VisibleLockedPagesView(LockedPagesView):
    filterset_class = VisibleLockedPagesReportFilterSet


class AgingPagesReportView(AgingPagesView):
    """Pages no editor published (``sync_sites`` and the demo loader publish without a
    user) are shown as published by the system: Wagtail showed ``None``."""

    def add_last_publisher_name_to_page(self, username_mapping, page):
        super().add_last_publisher_name_to_page(username_mapping, page)
        if not page.last_published_by_user:
            page.last_published_by_user = gettext("System")


#: Wagtail's report paths under /admin/reports/ (wagtail/admin/urls/reports.py) and views.
REPORTS = {
    "locked/": neutralised(VisibleLockedPagesView),
    "workflow/": neutralised(VisibleWorkflowView),
    "workflow_tasks/": neutralised(WorkflowTasksReportView),
    "site-history/": neutralised(VisibleLogEntriesView),
    "aging-pages/": neutralised(AgingPagesReportView),
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
