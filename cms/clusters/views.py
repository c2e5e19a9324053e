"""Admin views for importing and exporting cluster directories as spreadsheets.

Two steps, so nothing is written by surprise: uploading shows a per-row
preview (create / update / unchanged / the errors, naming row and column);
the editor then confirms. The upload is kept in the cache between the two
steps under a random token. Editors can only import and export their own
countries' clusters; network administrators, every country's.
"""

from __future__ import annotations

import secrets

from django import forms
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from cms.clusters.importing import (
    MAX_BYTES,
    ImportFileError,
    apply_import,
    export_rows,
    preview_import,
    read_table,
    write_csv,
    write_xlsx,
)
from cms.clusters.models import ClusterProfile
from cms.core.permissions import countries_for_user, is_network_admin

UPLOAD_TTL = 30 * 60


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
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            content = upload.read()
            try:
                preview = preview_import(
                    read_table(content, upload.name), allowed_countries=allowed
                )
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                token = secrets.token_urlsafe(16)
                cache.set(
                    f"cluster-import:{request.user.pk}:{token}", (upload.name, content), UPLOAD_TTL
                )
                context.update(
                    preview=preview, token=token, counts=preview.counts(), filename=upload.name
                )
    return render(request, "clusters/admin/import.html", context)


def confirm(request, allowed):
    key = f"cluster-import:{request.user.pk}:{request.POST['token']}"
    stored = cache.get(key)
    if stored is None:
        messages.error(request, _("The upload has expired; please upload the file again."))
        return redirect("cluster_import")
    name, content = stored
    preview = preview_import(read_table(content, name), allowed_countries=allowed)
    try:
        counts = apply_import(
            preview, confirm_skipping_invalid=request.POST.get("skip_invalid") == "1"
        )
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("cluster_import")
    cache.delete(key)
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
