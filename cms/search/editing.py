"""Admin forms and views for the synonyms and promoted results of each language.

Every view (the chooser's and the bulk delete's too, ``cms.core.viewsets``)
looks rows up among the user's languages only (``cms.search.permissions``), so
another language's row is a plain 404; the forms offer only those languages,
and a promoted result only the user's own country's pages and clusters (the
chooser shows no other; the form refuses any other id on submit).
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from wagtail.snippets.views import snippets as snippet_views

from cms.core.forms import ConcurrentEditsModelForm, CountryScopedFormMixin, EditFormBoundField
from cms.core.languages import LANGUAGES
from cms.core.permissions import is_network_admin, reachable_pages
from cms.core.viewsets import (
    ConcurrentEditsViewMixin,
    EditorLanguageBreadcrumbs,
    VisibleSnippetChooserViewSet,
)
from cms.search.permissions import list_languages


def editable(request, model):
    """The rows of ``model`` in the requesting user's languages."""
    return model.objects.filter(language__in=list_languages(request.user))


class LanguageListForm(ConcurrentEditsModelForm):
    """Offers (and accepts) only the languages the user keeps, their first one preselected.

    Two moderators editing the same row at once keep each other's changes
    (``ConcurrentEditsModelForm``; the row locked by ``EditView``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if user is None or "language" not in self.fields:
            return
        own = list_languages(user)
        self.fields["language"].choices = [(code, name) for code, name in LANGUAGES if code in own]
        if not self.instance.pk and own and not self.is_bound:
            self.initial.setdefault("language", own[0])


class PromotionForm(CountryScopedFormMixin, LanguageListForm):
    """The cluster is one of the user's countries' (``CountryScopedFormMixin``); so is the
    page, unless the user is a network administrator."""

    # The mixin's own (it comes first) would drop the "take their value" box.
    bound_field_class = EditFormBoundField

    def clean_page(self):
        page = self.cleaned_data.get("page")
        user = getattr(self, "for_user", None)
        if page is None or user is None or is_network_admin(user):
            return page
        if page.pk == self.initial.get("page"):
            return page  # what the row already held stays allowed
        if not reachable_pages(user).filter(pk=page.pk).exists():
            # Re-rendered without it: the page chooser would show the refused page's title.
            self.show_saved_choice("page")
            raise ValidationError(_("Choose a page of your own country's site."))
        return page


# Object views: one lookup each, among the user's languages' rows.


class EditView(ConcurrentEditsViewMixin, snippet_views.EditView):
    """Among the user's languages' rows; saved with the row locked while the form keeps
    what someone else saved meanwhile (``ConcurrentEditsViewMixin``)."""

    def get_queryset(self):
        return editable(self.request, self.model)


class DeleteView(snippet_views.DeleteView):
    def get_queryset(self):
        return editable(self.request, self.model)


class CopyView(snippet_views.CopyView):
    def get_object(self, queryset=None):
        pk = unquote(str(self.kwargs[self.pk_url_kwarg]))
        return get_object_or_404(editable(self.request, self.model), pk=pk)


class InspectView(snippet_views.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(editable(self.request, self.model), pk=unquote(str(self.pk)))


class UsageView(snippet_views.UsageView):
    def get_base_object_queryset(self):
        return editable(self.request, self.model)


class HistoryView(snippet_views.HistoryView):
    def get_base_object_queryset(self):
        return editable(self.request, self.model)


class LanguageListViewSet(EditorLanguageBreadcrumbs, snippet_views.SnippetViewSet):
    """A snippet viewset whose every view sees only the user's languages' rows."""

    edit_view_class = EditView
    delete_view_class = DeleteView
    copy_view_class = CopyView
    inspect_view_class = InspectView
    usage_view_class = UsageView
    history_view_class = HistoryView
    # Wagtail's snippet chooser lists (and its "chosen" steps name) every language's rows.
    chooser_viewset_class = VisibleSnippetChooserViewSet
    list_filter = ["language"]

    def get_queryset(self, request):
        return editable(request, self.model)
