"""Admin registration of cluster profiles: each country edits only its own."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView

from cms.clusters import views
from cms.clusters.models import ClusterProfile
from cms.core.permissions import CountryPermissionPolicy
from cms.core.spreadsheets import AdminExportMixin
from cms.core.viewsets import CountrySnippetViewSet

# Before the viewset: Wagtail 8 looks policies up in its registry, not on the viewset.
register_permission_policy(ClusterProfile, CountryPermissionPolicy(ClusterProfile))


class ClusterProfileIndexView(AdminExportMixin, IndexView):
    """The listing; its CSV/XLSX download (``list_export``) writes no cell a spreadsheet runs,
    and the CSV is in the editor's language (``AdminExportMixin``).

    Wagtail keeps XLSX text from becoming formulas but writes CSV cells as
    they are; a cluster named ``=HYPERLINK(...)`` gets the same leading quote
    as in the import format's export (``cms.core.spreadsheets``).
    """


class ClusterProfileViewSet(CountrySnippetViewSet):
    model = ClusterProfile
    index_view_class = ClusterProfileIndexView
    icon = "site"
    list_display = ["name", "country", "city", "updated_at"]
    list_filter = ["country", "sectors"]
    list_export = ["slug", "name", "country", "region", "city", "website", "members", "founded"]


register_snippet(ClusterProfileViewSet)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("clusters/import/", views.import_view, name="cluster_import"),
        path("clusters/export/", views.export_view, name="cluster_export"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("clusters.add_clusterprofile") and request.user.has_perm(
            "clusters.change_clusterprofile"
        )


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import clusters"),
        reverse("cluster_import"),
        icon_name="upload",
        order=310,
    )
