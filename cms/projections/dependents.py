"""Which served items show something of a changed object, so must be rendered again.

Two sources, both explicit: the relations the served models declare (a news
item's contact, sectors and related clusters, a cluster's logo, a contact's
organisation: every foreign key and many-to-many field to the changed
object's model), and Wagtail's ``ReferenceIndex`` for what rich text and
StreamField content refer to (a linked page, an embedded image). A page also
locates its descendants (their URLs begin with its own) and a country's site
locates everything on it.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from wagtail.models import Page, ReferenceIndex

from cms.projections.registry import served_types


def related_fields(model: type[Model]) -> list[tuple[type[Model], str]]:
    """(served model, field name) for every relation of a served model to ``model``."""
    found = []
    for served in served_types():
        for field in served._meta.get_fields():
            if not (field.many_to_one or field.many_to_many) or field.auto_created:
                continue
            target = field.related_model
            if isinstance(target, type) and issubclass(model, target) and target is not Page:
                found.append((served, field.name))
    return found


def dependents_of(obj: Model) -> dict[str, set[int]]:
    """Model label -> ids of the served items that show something of ``obj``."""
    return dependents_of_all([obj])


def dependents_of_all(objects: list[Model]) -> dict[str, set[int]]:
    """The same for many objects of one model at once (a bulk write): a fixed number of
    queries, however many there are."""
    if not objects:
        return {}
    model, pks = type(objects[0]), [obj.pk for obj in objects]
    found: dict[str, set[int]] = defaultdict(set)
    for served, name in related_fields(model):
        ids = served.objects.filter(**{f"{name}__in": pks}).values_list("pk", flat=True)
        found[served._meta.label].update(ids)
    for label, ids in referring(objects).items():
        found[label].update(ids)
    found.get(model._meta.label, set()).difference_update(pks)
    return {label: ids for label, ids in found.items() if ids}


def referring(objects: list[Model]) -> dict[str, set[int]]:
    """Served items whose content refers to any of ``objects`` (rich text links, embedded
    images)."""
    found: dict[str, set[int]] = defaultdict(set)
    references = ReferenceIndex.get_references_to_in_bulk(objects)
    page_type = ContentType.objects.get_for_model(Page)
    page_ids, models = set(), {model._meta.label: model for model in served_types()}
    for content_type_id, object_id in references.values_list("base_content_type", "object_id"):
        if content_type_id == page_type.pk:
            page_ids.add(int(object_id))
            continue
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and model._meta.label in models:
            found[model._meta.label].add(int(object_id))
    for label, ids in pages_by_type(page_ids).items():
        found[label].update(ids)
    return found


def pages_by_type(ids: set[int]) -> dict[str, set[int]]:
    """The served page types of pages ``ids`` (pages of other types left out)."""
    labels = {model._meta.label for model in served_types() if issubclass(model, Page)}
    found: dict[str, set[int]] = defaultdict(set)
    if not ids:
        return found
    for pk, app_label, model in Page.objects.filter(pk__in=ids).values_list(
        "pk", "content_type__app_label", "content_type__model"
    ):
        page_model = ContentType(app_label=app_label, model=model).model_class()
        if page_model is not None and page_model._meta.label in labels:
            found[page_model._meta.label].add(pk)
    return found


def descendants_of(page: Page) -> dict[str, set[int]]:
    """Served pages below ``page`` (their URLs begin with its URL)."""
    found = on_site(page.path)
    for ids in found.values():
        ids.discard(page.pk)
    return {label: ids for label, ids in found.items() if ids}


def on_site(root_path: str) -> dict[str, set[int]]:
    """Every served page at or under the tree path ``root_path`` (a site's root, a page)."""
    ids = set(Page.objects.filter(path__startswith=root_path).values_list("pk", flat=True))
    return pages_by_type(ids)
