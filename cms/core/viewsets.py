"""Snippet admin for objects that belong to one country.

Wagtail's snippet views check *model* permissions ("may this user edit
cluster profiles at all?") and then look objects up among all rows. For
country-owned snippets that is not enough: a Czech editor must not list,
open, choose, copy or bulk-delete an Italian profile. ``CountrySnippetViewSet``
swaps in views that look objects up only among the user's countries'
objects (see ``CountryPermissionPolicy``), so another country's object is a
plain 404 and its data never reaches the response.

Register the model's policy before its viewset, at the top of the app's
``wagtail_hooks.py``::

    register_permission_policy(ClusterProfile, CountryPermissionPolicy(ClusterProfile))

The views are those of ``VisibleSnippetViewSet``, which serves any snippet: its
objects are looked up among those the model's registered permission policy lets
the user see (``visible_to``). The webhooks use it (network administrators'
only), the search lists its chooser, and the bulk delete below replaces
Wagtail's for every snippet model, so a webhook or another language's synonyms
and promoted results are a 404 to whoever may not see them.

Images and documents keep Wagtail's own views, which already ask its
collection permission policy (their edit views with the locked save of
``ConcurrentEditsViewMixin``, at Wagtail's addresses). Two routes do not: the admin API's
``images``/``documents`` endpoints list every collection's objects, and the
bulk actions look the selected ids up among all rows (and name the ones the
user may not act on). Their replacements below see only ``visible_media``.

Every snippet viewset here also speaks the language of the editor who opens it
(``EditorLanguageBreadcrumbs``, ``EditorLanguageSnippetChooser``; the chooser
viewsets' own texts: ``cms.core.wagtail_texts``): Wagtail fixes some of its
snippet texts in whatever language is active when it builds them, once per process.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.pages import edit as page_edit
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views import documents as document_views
from wagtail.documents.views.bulk_actions import add_tags as document_add_tags
from wagtail.documents.views.bulk_actions import add_to_collection as document_add_to_collection
from wagtail.documents.views.bulk_actions import delete as document_delete
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views import images as image_views
from wagtail.images.views.bulk_actions import add_tags as image_add_tags
from wagtail.images.views.bulk_actions import add_to_collection as image_add_to_collection
from wagtail.images.views.bulk_actions import delete as image_delete
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.widgets import AdminSnippetChooser

from cms.core.forms import CountryScopedModelForm
from cms.core.page_saves import LockedPageSave
from cms.core.permissions import VISIBLE_ACTIONS, visible_media
from cms.core.translation_admin import TranslationsColumn, translation_filterset
from cms.core.usage import CountsManyToManyUses


def visible_to(request, model):
    """The objects of ``model`` the requesting user may list, open and choose: those its
    permission policy grants any of ``VISIBLE_ACTIONS`` on (for a ``CountryPermissionPolicy``,
    its ``visible_instances``; for a policy that grants the user nothing, none)."""
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(request.user, VISIBLE_ACTIONS)


def all_visible(request, model, pks) -> list:
    """The visible objects with these primary keys; 404 unless every one of them is visible."""
    return all_of(visible_to(request, model), pks)


def all_of(queryset, pks) -> list:
    """The objects of ``queryset`` with these primary keys; 404 unless every one is there.

    So an id of another country's object refuses the whole request with a
    plain 404 that names nothing, instead of acting on the rest.
    """
    wanted = {str(pk) for pk in pks}
    try:
        objects = list(queryset.filter(pk__in=wanted))
    except (ValueError, ValidationError) as error:  # a malformed id
        raise Http404 from error
    if not objects or len(objects) != len(wanted):
        raise Http404
    return objects


# Object views: one lookup each, among the objects the user may see.


class ConcurrentEditsViewMixin:
    """Mixin for an admin edit view whose form keeps others' saves
    (``ConcurrentEditsFormMixin``): the object is re-read with its row locked while the
    form compares and saves, and a save refused for a conflict offers the way back to
    the saved version. Wagtail's generic edit views (snippets, images, documents) alike;
    a form without the mixin saves as before, under the same lock.
    """

    def post(self, request, *args, **kwargs):
        """Compare and save in one transaction, with the object's row locked.

        The form keeps what others saved since it was opened
        (``ConcurrentEditsFormMixin``); for that its object must be the row as
        it is now, and nobody may save in between. ``select_for_update`` locks
        the row where the database can (PostgreSQL); on SQLite the transaction
        itself takes the write lock at BEGIN (``transaction_mode="IMMEDIATE"``
        in the settings).
        """
        with transaction.atomic():
            self.object = self.get_object(self.get_queryset().select_for_update())
            return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if getattr(form, "conflicts", None) and not self.expects_json_response:
            # The refusal's message, with a way back to the saved version.
            messages.validation_error(
                self.request,
                self.produced_error_message,
                form,
                buttons=[discard_button(self.get_edit_url())],
            )
            self.produced_error_message = None
        return super().form_invalid(form)


class VisibleEditView(ConcurrentEditsViewMixin, snippet_views.EditView):
    """A snippet's edit view among the objects the user may see (``visible_to``); two
    people saving at once keep each other's changes where the form has the mixin (the
    country-owned snippets' ``CountryScopedModelForm``, webhooks' ``WebhookForm``)."""

    def get_queryset(self):
        return visible_to(self.request, self.model)


class ConcurrentEditView(ConcurrentEditsViewMixin, snippet_views.EditView):
    """Wagtail's snippet edit view with the row locked while saving, for a snippet
    every user of its viewset may edit (sectors)."""


class ConcurrentEditsImageEditView(ConcurrentEditsViewMixin, image_views.EditView):
    """Wagtail's image edit view, the row locked while ``ConcurrentEditsImageForm``
    compares and saves. Served at Wagtail's own address (``register_admin_urls`` in
    ``cms.core.wagtail_hooks``, before Wagtail's)."""


class ConcurrentEditsDocumentEditView(ConcurrentEditsViewMixin, document_views.EditView):
    """Wagtail's document edit view, the row locked while ``ConcurrentEditsDocumentForm``
    compares and saves, at Wagtail's own address as the image one."""


def discard_button(edit_url: str):
    """The way out of a save refused for a conflict (``ConcurrentEditsFormMixin``) other than
    saving again: the edit view opened afresh, showing the saved version."""
    return messages.button(edit_url, _("Discard my changes and reload"))


class ConcurrentEditsPageEditView(LockedPageSave, page_edit.EditView):
    """Wagtail's page edit view, whose save refused for a conflict offers, beside saving
    again, the way back to the saved version, as the country snippets' edit view does.

    Wagtail's own concurrent editing support (its editing sessions) tells the editor in
    the browser that someone else saved a newer version, with a button to reload it,
    and asks before a save overwrites it; the form (``CountryScopedPageForm``) then keeps
    what the other person changed, and refuses only the fields both changed, comparing
    with the latest revision read with the page's row locked (``LockedPageSave``).

    The refused form comes back without autosave: saving it again keeps the editor's
    values, and Wagtail's autosave posted it again within a second of the refusal, so
    the other editor's text was overwritten before this one had chosen (found in a real
    browser, ``tests/browser/test_two_editors.py``). The editor's next save is theirs.
    """

    def form_invalid(self, form):
        conflict = bool(getattr(form, "conflicts", None))
        if conflict:
            self.autosave_enabled = False
        response = super().form_invalid(form)  # Wagtail's "could not be saved" and the errors
        if conflict and not self.expects_json_response:
            # Shown with Wagtail's message: the response is a TemplateResponse, rendered
            # (and the messages read) once this view has returned.
            messages.warning(
                self.request,
                _("To take the saved version instead, discard your changes."),
                buttons=[discard_button(self.get_edit_url())],
            )
        return response


class VisibleDeleteView(CountsManyToManyUses, snippet_views.DeleteView):
    def get_queryset(self):
        return visible_to(self.request, self.model)


class VisibleCopyView(snippet_views.CopyView):
    def get_object(self, queryset=None):
        pk = unquote(str(self.kwargs[self.pk_url_kwarg]))
        return get_object_or_404(visible_to(self.request, self.model), pk=pk)


class VisibleInspectView(snippet_views.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(visible_to(self.request, self.model), pk=unquote(str(self.pk)))


class VisibleUsageView(snippet_views.UsageView):
    def get_base_object_queryset(self):
        return visible_to(self.request, self.model)


class VisibleHistoryView(snippet_views.HistoryView):
    def get_base_object_queryset(self):
        return visible_to(self.request, self.model)


# Chooser: the modal lists, and the "chosen" steps return, only visible objects.
# Wagtail's snippet chooser asks no permission at all, so every snippet viewset
# whose objects not every editor may see needs it (``chooser_viewset_class``).


class VisibleChooseView(chooser_views.ChooseView):
    def get_object_list(self):
        return visible_to(self.request, self.model_class)


class VisibleChooseResultsView(chooser_views.ChooseResultsView):
    def get_object_list(self):
        return visible_to(self.request, self.model_class)


class VisibleChosenView(chooser_views.SnippetChosenView):
    def get_object(self, pk):
        return all_visible(self.request, self.model_class, [pk])[0]


class VisibleChosenMultipleView(chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return all_visible(self.request, self.model_class, pks)


class ChooserCreateView(chooser_views.SnippetCreateView):
    """The chooser has no "create" tab for these snippets; the URL exists regardless."""

    def dispatch(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


# The editor's language in Wagtail's snippet texts. The texts below were English for every
# editor (tests/test_admin_languages.py): Wagtail turns them into strings when it registers
# the viewsets or builds the forms, once per process, in the language active then.


class EditorLanguageBreadcrumbs:
    """Wagtail's snippet breadcrumbs ("Home", "Snippets"), translated when they are shown.

    ``SnippetViewSet.breadcrumbs_items`` calls gettext at registration, so every editor
    read them in the language of whichever request started the process. Here they are
    Wagtail's own msgids (translation deactivated while it names them), made lazy.
    """

    @property
    def breadcrumbs_items(self):
        with translation.override(None):
            items = super().breadcrumbs_items
        return [{**item, "label": gettext_lazy(str(item["label"]))} for item in items]


def _chooser_text(message: str, model) -> str:
    return _(message) % {"object": model._meta.verbose_name}


#: One of Wagtail's snippet chooser texts ("Choose another %(object)s", its msgid, so its
#: catalogue translates it), formatted when shown.
chooser_text = lazy(_chooser_text, str)


class EditorLanguageSnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser, its buttons in the language of the editor who sees them.

    Wagtail formats "Choose another %(object)s" with the model's name when the widget is
    made, which is when the form class is built: once per process, so a Czech editor read
    "Choose another contact person" on every cluster profile.
    """

    TEXTS = {
        "choose_one_text": "Choose %(object)s",
        "choose_another_text": "Choose another %(object)s",
        "link_to_chosen_text": "Edit this %(object)s",
    }

    def __init__(self, model=None, **kwargs):
        super().__init__(model, **kwargs)
        for attribute, message in self.TEXTS.items():
            setattr(self, attribute, chooser_text(message, self.model))


class VisibleSnippetChooserViewSet(chooser_views.SnippetChooserViewSet):
    base_widget_class = EditorLanguageSnippetChooser
    choose_view_class = VisibleChooseView
    choose_results_view_class = VisibleChooseResultsView
    chosen_view_class = VisibleChosenView
    chosen_multiple_view_class = VisibleChosenMultipleView
    create_view_class = ChooserCreateView


class VisibleSnippetViewSet(EditorLanguageBreadcrumbs, snippet_views.SnippetViewSet):
    """A snippet viewset whose every view sees only the objects the user may see
    (``visible_to``). Any other object's id is a 404, as for an id that does not
    exist: Wagtail's views look the object up before asking the permission, so
    "permission denied" would tell that it exists."""

    edit_view_class = VisibleEditView
    delete_view_class = VisibleDeleteView
    copy_view_class = VisibleCopyView
    inspect_view_class = VisibleInspectView
    usage_view_class = VisibleUsageView
    history_view_class = VisibleHistoryView
    chooser_viewset_class = VisibleSnippetChooserViewSet

    def get_queryset(self, request):
        return visible_to(request, self.model)


class CountrySnippetViewSet(VisibleSnippetViewSet):
    """A snippet viewset whose every view sees only the user's countries' objects.

    The model must have a ``CountryPermissionPolicy`` registered. Forms use
    ``CountryScopedModelForm``, so the country (and any other country-owned
    object) can only be chosen among the user's own, and two people saving at once
    keep each other's changes (with ``VisibleEditView``'s locked save).
    """

    def get_index_view_kwargs(self, **kwargs):
        """Every listing gets the "Translations" column and the "missing in …" filter."""
        kwargs = super().get_index_view_kwargs(**kwargs)
        kwargs["list_display"] = [*kwargs["list_display"], TranslationsColumn()]
        kwargs["filterset_class"] = translation_filterset(self.model, self.list_filter)
        return kwargs

    def get_edit_handler(self):
        # Read the panels lazily: wagtail-modeltranslation replaces them at start-up.
        panels = ObjectList(self.model.panels, base_form_class=CountryScopedModelForm)
        return panels.bind_to_model(self.model)


class CountrySnippetIndexView(snippet_views.ModelIndexView):
    """The snippets index ("Snippets" in the menu), counting what the user can see.

    Wagtail counts every row of each snippet model, so a Czech editor read
    23 cluster profiles and found 6 in the listing. Each type's count here is
    its listing's: the viewset's ``get_queryset`` (the user's countries' rows
    for a ``CountrySnippetViewSet``), else every row as before. Served at the
    index's own address (``register_admin_urls`` in ``cms.core.wagtail_hooks``).
    """

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        for snippet_type in self.snippet_types:
            queryset = snippet_type["model"].snippet_viewset.get_queryset(request)
            if queryset is not None:
                snippet_type["count"] = queryset.count()


class VisibleDeleteBulkAction(DeleteBulkAction):
    """Bulk delete of any snippet, among the objects the user may see (``visible_to``).

    Wagtail's own action asks no model permission and lists the selected
    objects the user may not delete by name: another country's profile, a
    network administrator's webhook with its address, another language's
    synonyms. Here an id the user may not see is a 404 instead, as for an id
    that does not exist. It is registered after Wagtail's (``order=1``) so it
    replaces it for every snippet model; Wagtail has no other snippet bulk action.
    """

    def get_all_objects_in_listing_query(self, parent_id):
        return visible_to(self.request, self.model).values_list("pk", flat=True)

    def get_queryset(self, model, object_ids):
        return all_visible(self.request, model, object_ids)


# Images and documents: the routes Wagtail does not scope by collection.


class VisibleMediaBulkAction:
    """Mixin for Wagtail's image and document bulk actions: the selected ids must all be
    visible to the user (their countries' collections, see ``visible_media``), or the
    confirmation page and the action are a 404. Wagtail's own lookup takes every row and
    lists by title the ones the user may not act on, another country's included.
    """

    def get_queryset(self, model, object_ids):
        return all_of(visible_media(model, self.request.user), object_ids)


class ImageAddTagsBulkAction(VisibleMediaBulkAction, image_add_tags.AddTagsBulkAction):
    pass


class ImageAddToCollectionBulkAction(
    VisibleMediaBulkAction, image_add_to_collection.AddToCollectionBulkAction
):
    pass


class ImageDeleteBulkAction(VisibleMediaBulkAction, image_delete.DeleteBulkAction):
    pass


class DocumentAddTagsBulkAction(VisibleMediaBulkAction, document_add_tags.AddTagsBulkAction):
    pass


class DocumentAddToCollectionBulkAction(
    VisibleMediaBulkAction, document_add_to_collection.AddToCollectionBulkAction
):
    pass


class DocumentDeleteBulkAction(VisibleMediaBulkAction, document_delete.DeleteBulkAction):
    pass


MEDIA_BULK_ACTIONS = (
    ImageAddTagsBulkAction,
    ImageAddToCollectionBulkAction,
    ImageDeleteBulkAction,
    DocumentAddTagsBulkAction,
    DocumentAddToCollectionBulkAction,
    DocumentDeleteBulkAction,
)


class VisibleMediaAPIViewSet:
    """Mixin for the admin API's image and document endpoints (listing, ``?search=``,
    detail, ``find``): only what the user's collections hold. Wagtail's endpoints hide
    only collections with a view restriction, so they list every country's files.
    """

    def get_queryset(self):
        # ``&`` keeps Wagtail's ordering and restricted-collection filter; the policy's
        # conditions are on collection and uploader, filter fields of every search backend.
        return super().get_queryset() & visible_media(self.model, self.request.user)


class CountryImagesAdminAPIViewSet(VisibleMediaAPIViewSet, ImagesAdminAPIViewSet):
    pass


class CountryDocumentsAdminAPIViewSet(VisibleMediaAPIViewSet, DocumentsAdminAPIViewSet):
    pass
