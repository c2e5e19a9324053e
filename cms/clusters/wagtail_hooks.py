"""Admin registration of cluster profiles."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.clusters.models import ClusterProfile


class ClusterProfileViewSet(SnippetViewSet):
    model = ClusterProfile
    icon = "site"
    list_display = ["name", "country", "city", "updated_at"]
    list_filter = ["country", "sectors"]
    list_export = ["slug", "name", "country", "region", "city", "website", "members", "founded"]


register_snippet(ClusterProfileViewSet)
