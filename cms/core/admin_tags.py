"""The admin's tag suggestions, limited to the tags of what the user may see.

Taggit's tags are one table for the whole network (news, events, images and
documents of every country share it). Wagtail suggests from all of it: the tag
field's autocomplete (``/admin/tag-autocomplete/``) answers every tag that
starts with what was typed, and the image and document listings' "Tag" filter
and the image chooser's "popular tags" offer the ten most used tags of all
images or documents. So a Czech editor read the tags a Slovak editor had put on
Slovak images, documents and draft pages (found by ``tests/core/test_admin_sweep.py``).

Here a tag is suggested only if it is on something the user may see: an image
or document of their collections (``visible_media``), a page of their country's
tree (``reachable_pages``), or a page visitors already see (``shown_to_visitors``:
its tags are public, and so the network keeps one shared vocabulary). Network
administrators and superusers get every tag, as before.

Wagtail has no setting for these views, so ``cms/urls.py`` routes their addresses
here before the admin's own URLs (as for ``cms.core.admin_reports``); the URL
names, and so every link to them, stay Wagtail's.
"""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from taggit.managers import TaggableManager
from taggit.models import Tag
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT
from wagtail.admin.views.tags import autocomplete as wagtail_autocomplete
from wagtail.documents.views.documents import DocumentsFilterSet
from wagtail.documents.views.documents import IndexView as DocumentsIndexView
from wagtail.images import get_image_model
from wagtail.images.views.chooser import ImageChooserViewSet, ImageChooseView
from wagtail.images.views.images import ImagesFilterSet
from wagtail.images.views.images import IndexView as ImagesIndexView
from wagtail.models import Page
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cms.core.permissions import is_media_model, is_network_admin, reachable_pages, visible_media
from cms.core.visibility import shown_to_visitors

#: How many tags the listings' "Tag" filter and the image chooser offer (Wagtail's number).
POPULAR_TAGS = 10


def tagged_objects_visible_to(model, user):
    """The objects of a tagged ``model`` whose tags ``user`` may see, or None for none."""
    if is_media_model(model):
        return visible_media(model, user)
    if issubclass(model, Page):
        return model.objects.filter(
            Q(pk__in=reachable_pages(user).values("pk"))
            | Q(pk__in=shown_to_visitors(Page.objects.all()).values("pk"))
        )
    return None  # a tagged model of no country's: none of its tags are suggested


def taggable_fields():
    """``(model, tag field name)`` of every concrete model with a ``TaggableManager``."""
    for model in apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, TaggableManager):
                yield model, field.name


def visible_tags(user, models=None):
    """The tags on objects ``user`` may see (of ``models``, else of every tagged model)."""
    if is_network_admin(user):
        return Tag.objects.all()
    condition = Q(pk__in=[])
    for model, name in taggable_fields():
        if models is not None and model not in models:
            continue
        objects = tagged_objects_visible_to(model, user)
        if objects is not None:
            condition |= Q(pk__in=objects.values(name))
    return Tag.objects.filter(condition)


def popular_visible_tags(model, user) -> list:
    """Wagtail's ``popular_tags_for_model`` (the most used tags of ``model``), counting only
    the objects ``user`` may see."""
    objects = model.objects.all() if is_network_admin(user) else None
    if objects is None:
        objects = tagged_objects_visible_to(model, user)
    if objects is None:
        return []
    name = next(name for tagged, name in taggable_fields() if tagged is model)
    counts = Counter(pk for pk in objects.values_list(name, flat=True) if pk is not None)
    top = [pk for pk, _count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    tags = Tag.objects.in_bulk(top[:POPULAR_TAGS])
    return [tags[pk] for pk in top[:POPULAR_TAGS]]


def autocomplete(request, app_name=None, model_name=None):
    """Wagtail's tag autocomplete over ``visible_tags``; a custom tag model (none here)
    keeps Wagtail's own answer."""
    if app_name and model_name and (app_name, model_name) != ("taggit", "tag"):
        return wagtail_autocomplete(request, app_name, model_name)
    term = request.GET.get("term")
    if not term:
        return JsonResponse([], safe=False)
    tags = (
        visible_tags(request.user)
        .filter(name__istartswith=term)
        .order_by("name")
        .values_list("name", flat=True)[:TAGS_AUTOCOMPLETE_LIMIT]
    )
    return JsonResponse(list(tags), safe=False)


class VisiblePopularTagsMixin:
    """For Wagtail's media filter sets: the "Tag" filter offers the popular tags of the
    objects the user may see."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if "tag" not in self.filters:
            return
        tags = [tag.name for tag in popular_visible_tags(self._meta.model, request.user)]
        if tags:
            self.filters["tag"].extra["choices"] = [(name, name) for name in tags]
        else:
            del self.filters["tag"]


class VisibleImagesFilterSet(VisiblePopularTagsMixin, ImagesFilterSet):
    pass


class VisibleDocumentsFilterSet(VisiblePopularTagsMixin, DocumentsFilterSet):
    pass


class VisibleTagsImagesIndexView(ImagesIndexView):
    filterset_class = VisibleImagesFilterSet


class VisibleTagsDocumentsIndexView(DocumentsIndexView):
    filterset_class = VisibleDocumentsFilterSet


class VisibleTagsImageChooseView(ImageChooseView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["popular_tags"] = popular_visible_tags(self.model, self.request.user)
        return context


class VisibleTagsImageChooserViewSet(ImageChooserViewSet):
    choose_view_class = VisibleTagsImageChooseView


#: Built as Wagtail builds its own (``wagtail.images.views.chooser.viewset``), for its
#: "choose" view only; the other chooser views stay Wagtail's.
image_chooser = VisibleTagsImageChooserViewSet(
    "wagtailimages_chooser", model=get_image_model(), url_prefix="images/chooser"
)

#: Routed by ``cms/urls.py`` at ``admin/``, before Wagtail's admin URLs.
urlpatterns = decorate_urlpatterns(
    decorate_urlpatterns(
        [
            path("tag-autocomplete/", autocomplete),
            path("tag-autocomplete/<slug:app_name>/<slug:model_name>/", autocomplete),
            path("images/", VisibleTagsImagesIndexView.as_view()),
            path("images/results/", VisibleTagsImagesIndexView.as_view(results_only=True)),
            path("images/chooser/", image_chooser.choose_view),
            path("documents/", VisibleTagsDocumentsIndexView.as_view()),
            path("documents/results/", VisibleTagsDocumentsIndexView.as_view(results_only=True)),
        ],
        never_cache,
    ),
    require_admin_access,
)
