"""Admin registration of what editors steer search with: synonyms and promoted results.

Both live under one "Search" menu, for the users who keep at least one
language's lists (``cms.search.permissions``: network administrators, and
each country's moderators for its own languages).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList, PageChooserPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms.search.documents import searched_page_labels
from cms.search.editing import LanguageListForm, LanguageListViewSet, PromotionForm
from cms.search.models import Promotion, SynonymGroup
from cms.search.permissions import LanguagePermissionPolicy

# Before the viewsets: Wagtail 8 looks policies up in its registry, not on the viewset.
register_permission_policy(SynonymGroup, LanguagePermissionPolicy(SynonymGroup))
register_permission_policy(Promotion, LanguagePermissionPolicy(Promotion))

#: The page types that have search documents, so can be promoted.
PROMOTABLE_PAGE_TYPES = searched_page_labels()


class SynonymGroupViewSet(LanguageListViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = _("Synonyms")
    list_display = ["__str__", "language", "updated_at"]
    ordering = ["language", "pk"]
    edit_handler = ObjectList(
        [FieldPanel("language"), FieldPanel("terms")], base_form_class=LanguageListForm
    )


class PromotionViewSet(LanguageListViewSet):
    model = Promotion
    icon = "pick"
    menu_label = _("Promoted results")
    list_display = ["query", "language", "target", "sort_order"]
    ordering = ["language", "query_key", "sort_order", "pk"]
    edit_handler = ObjectList(
        [
            FieldPanel("language"),
            FieldPanel("query"),
            PageChooserPanel("page", PROMOTABLE_PAGE_TYPES),
            FieldPanel("cluster"),
            FieldPanel("description"),
            FieldPanel("sort_order"),
        ],
        base_form_class=PromotionForm,
    )


class SearchViewSetGroup(SnippetViewSetGroup):
    items = (SynonymGroupViewSet, PromotionViewSet)
    menu_label = _("Search")
    menu_icon = "search"
    menu_order = 850


register_snippet(SearchViewSetGroup)
