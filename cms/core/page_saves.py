"""A page's edit and revert views save against the page as it is, with its row locked.

Wagtail's page edit view reads the page's latest revision when the request arrives
(``dispatch``), outside any transaction, and the form compares the editor's values
with it (``CountryScopedPageForm`` keeps what others changed since the editor opened
the page). Two saves arriving together both read the same revision, and the second
wrote over the first: one translator's change was gone and both were told "saved"
(three times in four tries; autosave, every half second, makes it likely). The
snippet, image and document edit views lock their row while comparing and saving
(``cms.core.viewsets.ConcurrentEditsViewMixin``); this does the same for pages.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page

#: What Wagtail's edit view works out once from the latest revision (``cached_property``).
FROM_THE_LATEST_REVISION = ("is_out_of_date", "latest_revision_created_at")


class LockedPageSave:
    """For a subclass of Wagtail's page ``EditView``: ``post`` in one transaction, the page's
    row locked, the latest revision read again inside it.

    ``select_for_update`` locks the row where the database can (PostgreSQL); on SQLite
    the transaction takes the write lock at BEGIN (``transaction_mode="IMMEDIATE"``).
    A save that waited so sees the one before it: the form keeps its changes, a field
    both changed is refused as a conflict, and an autosave of an older version is
    refused (Wagtail's ``is_out_of_date``).
    """

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            # Loaded anew, not refreshed: a refresh keeps Wagtail's cached ``specific``, which
            # ``get_latest_revision_as_object`` returns for a page without a draft, so a
            # publish landing meanwhile went unseen and was written over.
            self.real_page_record = (
                Page.objects.select_for_update()
                .prefetch_workflow_states()
                .get(pk=self.real_page_record.pk)
            )
            self.latest_revision = self.real_page_record.get_latest_revision()
            for name in FROM_THE_LATEST_REVISION:
                self.__dict__.pop(name, None)
            self.page = self.get_object()
            return super().post(request, *args, **kwargs)
