"""Admin registration of the shared taxonomy, the admin-wide country scoping, the
visitors' refusal of documents used only by what they cannot see, and page links in rich
text in the language their reader lands on."""

from django.urls import path, re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.core.dashboard import country_named
from cms.core.document_privacy import refuse_hidden_documents
from cms.core.forms import ConcurrentEditsModelForm
from cms.core.image_operations import SizedFillOperation
from cms.core.models import Sector
from cms.core.page_copy import copy_page
from cms.core.page_moves import (
    refuse_a_bulk_move_wagtail_cannot_save,
    refuse_a_move_wagtail_cannot_save,
    warn_of_an_incomplete_move,
)
from cms.core.page_reverts import CurrentRevertView
from cms.core.permissions import countries_for_user, reachable_pages_filter
from cms.core.publication import not_published_messages
from cms.core.rich_text_links import LanguagePageLinkHandler
from cms.core.translation_admin import (
    ExplorerPageViewSet,
    add_column_to_explorer,
    translation_page_listings,
)
from cms.core.translation_copy import copy_translation_content
from cms.core.translation_report import translation_report_view
from cms.core.usage import CountingDeleteView
from cms.core.views import method_not_allowed
from cms.core.viewsets import (
    MEDIA_BULK_ACTIONS,
    ConcurrentEditsDocumentEditView,
    ConcurrentEditsImageEditView,
    ConcurrentEditsPageEditView,
    ConcurrentEditView,
    CountryDocumentsAdminAPIViewSet,
    CountryImagesAdminAPIViewSet,
    CountrySnippetIndexView,
    EditorLanguageBreadcrumbs,
    VisibleDeleteBulkAction,
)
from cms.core.workflow_views import (
    CommentLabelCollectWorkflowActionDataView,
    PublishableBulkAction,
    WarningWorkflowActionView,
)


class SectorViewSet(EditorLanguageBreadcrumbs, SnippetViewSet):
    """Sectors keep Wagtail's model permissions: only network administrators may change them.

    Their names are translated by several people at once: the form keeps what someone else
    saved meanwhile (``ConcurrentEditsModelForm``), compared under the row's lock
    (``ConcurrentEditView``).
    """

    model = Sector
    icon = "tag"
    list_display = ["name", "slug"]
    list_export = ["name", "slug"]  # Wagtail writes one empty line per row without it
    ordering = ["sort_order"]
    edit_view_class = ConcurrentEditView
    delete_view_class = CountingDeleteView

    def get_edit_handler(self):
        # Read the panels lazily: wagtail-modeltranslation replaces them at start-up.
        panels = ObjectList(self.model.panels, base_form_class=ConcurrentEditsModelForm)
        return panels.bind_to_model(self.model)


register_snippet(SectorViewSet)

# After Wagtail's own bulk actions (order 0), so these replace them for their models.
hooks.register("register_bulk_action", VisibleDeleteBulkAction, order=1)
hooks.register("register_bulk_action", PublishableBulkAction, order=1)
for media_bulk_action in MEDIA_BULK_ACTIONS:
    hooks.register("register_bulk_action", media_bulk_action, order=1)


@hooks.register("before_serve_page", order=-1)
def pages_are_read(page, request, serve_args, serve_kwargs):
    """Another method than GET or HEAD gets the 405 page in the visitor's language, with
    ``Allow: GET, HEAD`` (OPTIONS too): before Wagtail's own check (order 0), whose 405 is
    an empty English one (``BasePage.allowed_http_methods`` says which methods)."""
    if request.method not in page.allowed_http_method_names():
        return method_not_allowed(request)
    return None


# Before Wagtail's collection check (order 0): a document used only by drafts or restricted
# pages is a 404, not a password form that confirms it exists (cms.core.document_privacy).
hooks.register("before_serve_document", refuse_hidden_documents, order=-1)


# Before wagtail-modeltranslation's (order 0), which would answer the copy view with a form
# requiring English (cms.core.page_copy).
hooks.register("before_copy_page", copy_page, order=-1)
hooks.register("before_move_page", refuse_a_move_wagtail_cannot_save, order=-1)
hooks.register("before_move_page", warn_of_an_incomplete_move)
hooks.register("before_bulk_action", refuse_a_bulk_move_wagtail_cannot_save)


@hooks.register("register_image_operations", order=1)
def refuse_empty_fills():
    """After Wagtail's own operations (order 0), so ``fill`` is ours."""
    return [("fill", SizedFillOperation)]


@hooks.register("register_rich_text_features", order=1)
def page_links_in_their_readers_language(features):
    """After Wagtail's own (order 0), whose page link handler this one replaces."""
    features.register_link_type(LanguagePageLinkHandler)


@hooks.register("construct_admin_api", order=1)
def media_admin_api_by_collection(router):
    """After Wagtail's (order 0): the admin API's images and documents, scoped by collection."""
    router.register_endpoint("images", CountryImagesAdminAPIViewSet)
    router.register_endpoint("documents", CountryDocumentsAdminAPIViewSet)


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


@hooks.register("construct_homepage_summary_items", order=1)
def summary_items_named_by_country(request, summary_items):
    """After Wagtail's own (order 0): "11 pages created in Česká republika", not the
    site's English ``site_name``."""
    summary_items[:] = [country_named(item) for item in summary_items]


@hooks.register("register_admin_urls", order=-1)
def snippet_index_counting_what_the_user_sees():
    """Before Wagtail's snippet URLs (order 0), so this view answers the index's address."""
    return [path("snippets/", CountrySnippetIndexView.as_view(), name="snippet_index")]


@hooks.register("register_admin_urls", order=-1)
def media_edit_views_keeping_others_saves():
    """Before Wagtail's (order 0): its image and document edit views with the row locked
    while the form compares (``ConcurrentEditsViewMixin``), at Wagtail's own addresses,
    so its links (``wagtailimages:edit``, ``wagtaildocs:edit``) lead to them."""
    return [
        path(
            "images/<int:image_id>/",
            ConcurrentEditsImageEditView.as_view(),
            name="image_edit_keeping_others_saves",
        ),
        path(
            "documents/edit/<int:document_id>/",
            ConcurrentEditsDocumentEditView.as_view(),
            name="document_edit_keeping_others_saves",
        ),
    ]


@hooks.register("register_admin_urls", order=-1)
def streamfield_copy_between_languages():
    """Before wagtail-modeltranslation's (order 0), at its address: the copy button's view
    with its request checked (``cms.core.translation_copy``)."""
    return [
        re_path(  # its pattern, as written there
            r"pages/(?P<page_id>\d+)/edit/copy_translation_content/$",
            copy_translation_content,
            name="copy_translation_content",
        )
    ]


@hooks.register("register_admin_urls")
def translation_report_urls():
    return [path("translation-status/", translation_report_view, name="translation_status")]


class TranslationReportMenuItem(MenuItem):
    def is_shown(self, request):
        return countries_for_user(request.user).exists()


@hooks.register("register_admin_menu_item")
def translation_report_menu_item():
    return TranslationReportMenuItem(
        _("Translation status"), reverse("translation_status"), icon_name="globe", order=900
    )


@hooks.register("register_admin_viewset")
def translation_page_listing_viewsets():
    """Flat listings of news, events and standard pages with the "Translations" column."""
    return translation_page_listings()


@hooks.register("register_admin_viewset", order=1)
def explorer_page_viewset():
    """After Wagtail's default page viewset (order 0), so this one replaces it for ``Page``."""
    return ModeratedExplorerPageViewSet()


class ModeratedExplorerPageViewSet(ExplorerPageViewSet):
    """The explorer's page views, whose workflow action (the dashboard's "Approve") warns
    of site languages that will not be published, as the edit view does, whose edit
    view offers a way out of a save refused for a conflict, and whose revert refuses to
    replace a version saved after it was opened. Registered for ``Page``, so
    every page type is edited through these."""

    edit_view_class = ConcurrentEditsPageEditView
    revisions_revert_view_class = CurrentRevertView
    workflow_action_view_class = WarningWorkflowActionView
    collect_workflow_action_data_view_class = CommentLabelCollectWorkflowActionDataView


add_column_to_explorer()


#: The buttons of the edit and create views that send a page towards visitors.
TOWARDS_VISITORS = ("action-submit", "action-publish", "action-workflow-action")


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_of_languages_not_published(request, page):
    """After submitting, publishing or approving: name the site languages that will not go
    out, and what their visitors get instead (a forgotten tick must not publish English
    silently on a national site). Saving a draft says nothing: it publishes nothing."""
    if request.method != "POST" or not any(request.POST.get(name) for name in TOWARDS_VISITORS):
        return
    for text in not_published_messages(page):
        messages.warning(request, text)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def warn_of_snippet_languages_not_published(request, instance):
    """The same after saving a country's snippet (a cluster profile, a partner, a contact):
    without drafts, every save is a publication (nothing for other snippets)."""
    for text in not_published_messages(instance):
        messages.warning(request, text)
