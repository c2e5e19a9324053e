"""Admin form bases that offer an editor only their own country's objects.

Every choice of a country-owned object in an admin form (the country of a
cluster profile, the contact of a news item, the related clusters, the
organisation of a contact person) is narrowed to what the editing user may
see, so other countries' objects are neither listed nor accepted on submit:
the narrowed queryset *is* the server-side validation. Values the object
already holds stay valid, so editing a page that a network administrator
linked to another country's cluster never silently drops that link.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model, Q
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from cms.core.models import Country
from cms.core.permissions import choosable_instances


def _pks(value) -> list:
    """Primary keys from a form's initial value: a pk, an object, or a list of either."""
    if value is None or value == "":
        return []
    if isinstance(value, Model):
        return [value.pk]
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        # A list, a queryset, or modelcluster's in-memory FakeQuerySet.
        return [pk for item in value for pk in _pks(item)]
    return [value]


class CountryScopedFormMixin:
    """Narrow every model-choice field to the objects ``for_user`` may choose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if user is None:  # a form built outside an admin request: nothing to narrow for
            return
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            allowed = choosable_instances(queryset.model, user)
            if allowed is None:
                continue
            current = _pks(self.initial.get(name))
            field.queryset = queryset.filter(Q(pk__in=allowed.values("pk")) | Q(pk__in=current))
            if queryset.model is Country and field.required and field.queryset.count() == 1:
                # A single-country editor never has to pick their own country.
                field.empty_label = None


class CountryScopedModelForm(CountryScopedFormMixin, WagtailAdminModelForm):
    """Base form of the country-owned snippets (see ``CountrySnippetViewSet``)."""


class CountryScopedPageForm(CountryScopedFormMixin, WagtailAdminPageForm):
    """Base form of every page type (``BasePage.base_form_class``)."""
