"""Wagtail's admin views that publish a revision without the edit form: the workflow action
view (approving), warning of languages approval will not publish and refusing what the form
would, and the explorer's bulk "Publish".

Apart from ``cms.core.publication`` because Wagtail's admin views load models
on import, and that module is imported while models load.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.admin import messages
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.workflow import CollectWorkflowActionDataView, WorkflowActionView

from cms.core.publication import language_notices, publication_refusals
from cms.core.translation_status import registered_fields

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

    Approving publishes the page's latest revision (Wagtail's
    ``publish_workflow_state``), without the edit form: one the form would refuse to
    publish (``publication_refusals``: a submission may do without the languages the
    network requires at publication) is not approved, nor one that is not the revision
    under review (``newer_than_submitted``). The modal says why instead of offering the
    button, and a POST sends the moderator to the edit view with the reasons, to look
    at the page as it is and approve it there.
    """

    template_name = "core/admin/workflow_action_modal.html"

    @cached_property
    def reviewed(self):
        """The revision under review, as a page (built once per request)."""
        return self.task_state.revision.as_object()

    def notices(self) -> tuple[list[str], list[str]]:
        if self.action_name != APPROVE:
            return [], []
        return language_notices(self.reviewed)

    def refusals(self) -> list[str]:
        if self.action_name != APPROVE:
            return []
        if self.task_state.workflow_state.is_at_final_task:  # approving it publishes
            newer = newer_than_submitted(self.object, self.task_state.revision)
            if newer:
                return [newer]
        return publication_refusals(self.reviewed)

    def get_context_data(self, **kwargs):
        not_published, falling_back = self.notices()
        return super().get_context_data(
            not_published=not_published,
            falling_back=falling_back,
            refused=self.refusals(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        refusals = self.refusals()
        if refusals:
            return self.refuse(request, refusals)
        warnings = [text for notices in self.notices() for text in notices]
        response = super().post(request, *args, **kwargs)
        approved = self.task_state.__class__.objects.filter(
            pk=self.task_state.pk, status=self.task_state.STATUS_APPROVED
        ).exists()
        if approved:
            for text in warnings:
                messages.warning(request, text)
        return response

    def refuse(self, request, refusals: list[str]):
        """Not approved: back to the edit view, with the reasons (a modal follows the
        redirect it is given)."""
        lead = _(
            "Not approved: approving publishes the page, and it cannot be published as it stands."
        )
        messages.error(request, " ".join([lead, *refusals]))
        edit_url = reverse("wagtailadmin_pages:edit", args=(self.object.pk,))
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return self.render_modal_json(request, {"step": "success", "redirect": edit_url})
        return redirect(edit_url)


def newer_than_submitted(page, submitted) -> str:
    """Why approving would publish something nobody reviewed: a version saved after the one
    submitted (a moderator's draft, an autosave while reading it); empty when there is none.

    Approval publishes the latest revision, so the dashboard's "Approve", reviewed on the
    submitted one, published the newer draft unseen, past the form's checks (which ran on
    the submitted one). In the edit view the moderator sees, and approves, the latest.
    """
    latest = page.get_latest_revision()
    if latest is None or latest.pk == submitted.pk or same_content(latest, submitted):
        return ""
    who = latest.user.get_full_name() or latest.user.get_username() if latest.user else ""
    return _(
        "%(who)s saved a newer version at %(when)s, after this one was submitted, and "
        "approving would publish that version unreviewed. Look at it in the edit view and "
        "approve it there."
    ) % {
        "who": who or _("someone"),
        "when": formats.date_format(timezone.localtime(latest.created_at), "DATETIME_FORMAT"),
    }


#: What Wagtail writes into every revision about the page's state, not its content; and the
#: comments, which are not published.
BOOKKEEPING = frozenset(
    {
        "draft_title",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "latest_revision",
        "latest_revision_created_at",
        "live",
        "live_revision",
        "expired",
        "locked",
        "locked_at",
        "locked_by",
        "comments",
    }
)


def same_content(one, other) -> bool:
    """Whether two revisions hold the same page (a save that changed nothing, a comment).

    Besides Wagtail's bookkeeping, the untranslated originals of translated fields
    (``title``, ``slug``, ``url_path``...) are left out: modeltranslation fills them with
    the language active when the revision was saved; ``title_cs`` and the like hold the
    content."""
    ignored = BOOKKEEPING | set(registered_fields(one.content_object.specific_class))

    def content(revision) -> dict:
        return {key: value for key, value in revision.content.items() if key not in ignored}

    return content(one) == content(other)


def refusals_of_latest(page) -> list[str]:
    """Why the edit form would refuse to publish ``page``'s latest revision (empty: it would
    publish it; ``cms.core.publication.publication_refusals``)."""
    revision = page.get_latest_revision()
    return publication_refusals(revision.as_object() if revision else page.specific)


class PublishableBulkAction(PublishBulkAction):
    """Wagtail's bulk "Publish" in the page explorer, except pages the edit form would refuse
    to publish: it published each page's latest revision, draft descendants included, past
    every rule of the form, so a draft saved with every language unticked went live with an
    empty title, and a Slovak draft without its Slovak lead went live in English. Such a
    page is listed apart, with the form's reasons, and a draft descendant of that kind is
    left a draft. Registered after Wagtail's (``order=1``) so it replaces it."""

    template_name = "core/admin/confirm_bulk_publish.html"

    def check_perm(self, page):
        return super().check_perm(page) and not refusals_of_latest(page)

    def get_context_data(self, **kwargs):
        """Pages the user may publish but the form would not, apart, with its reasons."""
        context = super().get_context_data(**kwargs)
        refused, no_access = [], []
        for entry in context["items_with_no_access"]:
            page = entry["item"]
            if page.permissions_for_user(self.request.user).can_publish():
                refused.append({**entry, "reasons": refusals_of_latest(page)})
            else:
                no_access.append(entry)
        context["items_with_no_access"], context["items_refused"] = no_access, refused
        for entry in context["items"]:
            # What the edit view and the approve modal say before publishing: the site's
            # languages that will not go out, and fields borrowed from another language.
            revision = entry["item"].get_latest_revision()
            latest = revision.as_object() if revision else entry["item"].specific
            entry["not_published"], entry["falling_back"] = language_notices(latest)
        return context

    @classmethod
    def execute_action(cls, objects, include_descendants=False, user=None, **kwargs):
        parents, children = super().execute_action(objects, user=user, **kwargs)
        if include_descendants:
            for page in objects:
                for descendant in page.get_descendants().not_live().specific().iterator():
                    if user is not None and not descendant.permissions_for_user(user).can_publish():
                        continue
                    if not refusals_of_latest(descendant):
                        revision = descendant.get_latest_revision() or descendant.save_revision(
                            user=user
                        )
                        revision.publish(user=user)
                        children += 1
        return parents, children
