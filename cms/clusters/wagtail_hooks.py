"""Admin registration of cluster profiles: each country edits only its own."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms.clusters.models import ClusterProfile
from cms.core.permissions import CountryPermissionPolicy
from cms.core.viewsets import CountrySnippetViewSet

# Before the viewset: Wagtail 8 looks policies up in its registry, not on the viewset.
register_permission_policy(ClusterProfile, CountryPermissionPolicy(ClusterProfile))


class ClusterProfileViewSet(CountrySnippetViewSet):
    model = ClusterProfile
    icon = "site"
    list_display = ["name", "country", "city", "updated_at"]
    list_filter = ["country", "sectors"]
    list_export = ["slug", "name", "country", "region", "city", "website", "members", "founded"]


register_snippet(ClusterProfileViewSet)
