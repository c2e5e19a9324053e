"""Reverting a page to an earlier version never replaces, unseen, a version saved meanwhile.

Wagtail's revert view is the edit view on an old revision (``CurrentRevertView``); the
page viewset of ``cms.core.wagtail_hooks`` serves it.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.pages.revisions import RevisionsRevertView

from cms.core.page_saves import LockedPageSave


class RevertRefusedWhenOutdated(RevisionsRevertView):
    """Wagtail's "Revert to this version", refused when someone saved a newer version after
    the editor opened the old one.

    The revert form is the old version: saving it replaces the page's latest revision,
    whatever that is now. Opened before another editor saved a draft, it replaced that
    draft without a word (left only in the history). The form says which revision was the
    latest when it was opened (Wagtail's ``loaded_revision_id``); a newer one sends the
    editor back to the history's comparison, told who saved it and when.
    """

    def post(self, request, *args, **kwargs):
        opened = request.POST.get("loaded_revision_id")
        latest = self.latest_revision
        if opened and latest is not None and opened != str(latest.pk):
            who = latest.user.get_full_name() or latest.user.get_username() if latest.user else ""
            messages.error(
                request,
                _(
                    "Not reverted: %(who)s saved a newer version of this page at %(when)s, "
                    "after you opened this earlier one, and reverting now would replace it. "
                    "Look at the newer version in the history, then revert again if you "
                    "still want to."
                )
                % {
                    "who": who or _("someone"),
                    "when": formats.date_format(
                        timezone.localtime(latest.created_at), "DATETIME_FORMAT"
                    ),
                },
            )
            return redirect("wagtailadmin_pages:history", self.page.pk)
        return super().post(request, *args, **kwargs)


class CurrentRevertView(LockedPageSave, RevertRefusedWhenOutdated):
    """The revert view, its check made against the latest revision read with the page's row
    locked (``LockedPageSave`` first): a save arriving with the revert is seen by it."""
