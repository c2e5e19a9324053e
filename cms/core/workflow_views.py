"""Wagtail's workflow action view, warning of languages approval will not publish.

Apart from ``cms.core.publication`` because Wagtail's admin views load models
on import, and that module is imported while models load.
"""

from __future__ import annotations

from django.utils.translation import pgettext
from wagtail.admin import messages
from wagtail.admin.views.pages.workflow import CollectWorkflowActionDataView, WorkflowActionView

from cms.core.publication import not_published_messages

#: The workflow action that publishes (the country's only task is an approval).
APPROVE = "approve"


class CommentLabelMixin:
    """A workflow action's modal with its comment box labelled in the moderator's language.

    Wagtail's form (``TaskStateCommentForm``) labels it once, when first imported, in
    whatever language was active then (English at start-up), for everyone.
    """

    def render_modal_form(self, request, form):
        if "comment" in form.fields:
            form.fields["comment"].label = pgettext("a moderator's note", "Comment")
        return super().render_modal_form(request, form)


class CommentLabelCollectWorkflowActionDataView(CommentLabelMixin, CollectWorkflowActionDataView):
    """The edit view's "Approve with comment" modal (``CommentLabelMixin``)."""


class WarningWorkflowActionView(CommentLabelMixin, WorkflowActionView):
    """Wagtail's workflow action view (the dashboard's "Approve" and "Approve with
    comment"), naming the site languages the approved revision will not be published in:
    in the modal before approving, and as messages after; its comment box labelled in the
    moderator's language (``CommentLabelMixin``).
    """

    template_name = "core/admin/workflow_action_modal.html"

    def not_published(self) -> list[str]:
        if self.action_name != APPROVE:
            return []
        page = self.task_state.revision.as_object()  # the revision under review
        return not_published_messages(page) if hasattr(page, "real_languages") else []

    def get_context_data(self, **kwargs):
        return super().get_context_data(not_published=self.not_published(), **kwargs)

    def post(self, request, *args, **kwargs):
        warnings = self.not_published()
        response = super().post(request, *args, **kwargs)
        approved = self.task_state.__class__.objects.filter(
            pk=self.task_state.pk, status=self.task_state.STATUS_APPROVED
        ).exists()
        if approved:
            for text in warnings:
                messages.warning(request, text)
        return response
