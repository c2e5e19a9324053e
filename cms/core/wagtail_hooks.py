"""Admin registration of the shared taxonomy, and the admin-wide country scoping."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.core.models import Sector
from cms.core.permissions import reachable_pages_filter
from cms.core.viewsets import CountryDeleteBulkAction


class SectorViewSet(SnippetViewSet):
    """Sectors keep Wagtail's model permissions: only network administrators may change them."""

    model = Sector
    icon = "tag"
    menu_label = "Sectors"
    list_display = ["name", "slug"]
    ordering = ["sort_order"]


register_snippet(SectorViewSet)

# After Wagtail's own snippet delete action (order 0), so this one replaces it.
hooks.register("register_bulk_action", CountryDeleteBulkAction, order=1)


@hooks.register("construct_page_chooser_queryset")
def only_reachable_pages(pages, request):
    """Wagtail's page chooser browses and searches every tree; show only the user's country."""
    condition = reachable_pages_filter(request.user)
    return pages if condition is None else pages.filter(condition)


@hooks.register("construct_reports_menu")
def hide_network_wide_reports(request, menu_items):
    """Hide the page types report: it names the last edited page of every country."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]
