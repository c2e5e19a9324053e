"""Admin views for importing and exporting cluster directories as spreadsheets.

Two steps, so nothing is written by surprise: uploading shows a per-row
preview (create / update / unchanged / the errors, naming row and column);
the editor then confirms. The upload waits in the database between the two
steps under a random token (``cms.clusters.uploads``), so the confirmation
works whichever app server answers it, and only for the uploader. A file that
cannot be read (too large, too many rows, a cell too long or with a NUL byte)
is a form error naming the row and column. Editors can only import and export
their own countries' clusters; network administrators, every country's.

A confirmation that cannot go ahead (rows with errors, and the editor did not
tick "skip them") keeps the upload and shows the preview again with the
message, so the editor can tick the box instead of uploading again.

The confirmation writes exactly the changes the editor saw, or nothing. It
works the preview out again (the clusters locked, so nobody saves them before
it writes) and compares it with the one shown (``PendingImport.previewed``).
When someone saved one of the clusters in between, the file would put their
edit back without the editor having seen it: nothing is written, and the new
preview is shown with the clusters and columns that changed, to confirm again.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from cms.clusters.confirmation import changed_since, changed_since_message, fingerprints
from cms.clusters.exporting import export_rows, write_csv, write_xlsx
from cms.clusters.importing import (
    ImportPreview,
    apply_import,
    preview_import,
    unconfirmed_errors,
)
from cms.clusters.models import ClusterProfile
from cms.clusters.reading import read_table
from cms.clusters.spreadsheet import ImportFileError
from cms.clusters.uploads import claim_upload, keep_upload
from cms.core.permissions import countries_for_user, is_network_admin


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        help_text=gettext_lazy("One row per cluster; the slug column is the stable key."),
    )


def allowed_countries(user) -> set[str] | None:
    if is_network_admin(user):
        return None
    return set(countries_for_user(user).values_list("code", flat=True))


def check_permission(user) -> None:
    if not (
        user.has_perm("clusters.add_clusterprofile")
        and user.has_perm("clusters.change_clusterprofile")
    ):
        raise PermissionDenied


def import_view(request):
    """Upload → preview; confirm → write."""
    check_permission(request.user)
    allowed = allowed_countries(request.user)
    if request.method == "POST" and "token" in request.POST:
        return confirm(request, allowed)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "preview": None, "token": None}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Refused by its size before any parsing; otherwise read as a stream.
            preview = preview_import(
                read_table(upload, upload.name, size=upload.size), allowed_countries=allowed
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            upload.seek(0)
            token = keep_upload(
                user=request.user,
                filename=upload.name,
                content=upload.read(),
                previewed=fingerprints(preview),
            )
            context.update(preview_context(preview, token=token, filename=upload.name))
    return render(request, "clusters/admin/import.html", context)


#: The session's last tokens imported, so that a repeated confirmation is told apart.
IMPORTED = "cluster_imports_done"


def preview_context(preview: ImportPreview, *, token: str, filename: str) -> dict:
    return {"preview": preview, "token": token, "counts": preview.counts(), "filename": filename}


@transaction.atomic
def confirm(request, allowed):
    """Import the previewed upload, validated again against today's data, if it still
    makes the changes the editor saw (see the module's docstring)."""
    pending = claim_upload(user=request.user, token=request.POST["token"])
    if pending is None and request.POST["token"] in request.session.get(IMPORTED, ()):
        # A second click, or Back and again: said so, not "expired" (which asks for the file).
        messages.info(request, _("This file has been imported already; nothing was done again."))
        return redirect("wagtailsnippets_clusters_clusterprofile:list")
    if pending is None:
        messages.error(request, _("The upload has expired; please upload the file again."))
        return redirect("cluster_import")
    skip_invalid = request.POST.get("skip_invalid") == "1"
    try:
        # bytes(): PostgreSQL hands a BinaryField back as a memoryview.
        rows = read_table(bytes(pending.content), pending.filename)
        preview = preview_import(rows, allowed_countries=allowed, lock=True)
        changed = changed_since(pending.previewed, preview)
        if changed or (preview.invalid and not skip_invalid):
            # Nothing written; the upload stays for the next try, and the preview shown
            # now is the one the next try must find (see the module's docstring).
            if changed:
                messages.error(request, changed_since_message(changed))
            else:
                messages.error(request, unconfirmed_errors(len(preview.invalid)))
            pending.previewed = fingerprints(preview)
            pending.save(update_fields=["previewed"])
            context = preview_context(preview, token=pending.token, filename=pending.filename)
            return render(request, "clusters/admin/import.html", context)
        counts = apply_import(preview, confirm_skipping_invalid=skip_invalid)
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("cluster_import")
    pending.delete()
    request.session[IMPORTED] = [*request.session.get(IMPORTED, [])[-9:], pending.token]
    messages.success(
        request,
        _(
            "Imported: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged, %(skipped)s skipped."
        )
        % counts,
    )
    return redirect("wagtailsnippets_clusters_clusterprofile:list")


def export_view(request):
    """The user's clusters as XLSX (default) or CSV, in the import format."""
    check_permission(request.user)
    clusters = ClusterProfile.objects.all()
    allowed = allowed_countries(request.user)
    if allowed is not None:
        clusters = clusters.filter(country__code__in=allowed)
    if request.GET.get("format") == "csv":
        body, content_type, suffix = (
            write_csv(export_rows(clusters)),
            "text/csv; charset=utf-8",
            "csv",
        )
    else:
        body = write_xlsx(export_rows(clusters))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        suffix = "xlsx"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="clusters.{suffix}"'
    return response
