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

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from cms.core.models import Country
from cms.core.permissions import choosable_instances, references_in, unchoosable_references


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
        self.scoped_fields = []
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
            self.scoped_fields.append(name)
            current = _pks(self.initial.get(name))
            field.queryset = queryset.filter(Q(pk__in=allowed.values("pk")) | Q(pk__in=current))
            if queryset.model is Country and field.required and field.queryset.count() == 1:
                # A single-country editor never has to pick their own country.
                field.empty_label = None

    def clean(self):
        """Objects embedded in StreamField and rich text (image blocks, document links)
        follow the same rule as the form's choice fields: the user's own country's only,
        or what the object already held. The error names the kind and id, never the title.
        """
        cleaned_data = super().clean()
        user = getattr(self, "for_user", None)
        if user is None:
            return cleaned_data
        for name in self.scoped_fields:
            if self.has_error(name):
                self.show_saved_choice(name)
        for name, model_field in self.embedding_fields():
            if name not in cleaned_data:
                continue
            kept = references_in(model_field, model_field.value_from_object(self.instance))
            refused = unchoosable_references(model_field, cleaned_data[name], user, kept=kept)
            if refused:
                self.add_error(name, embedding_error(refused))
                # Re-render the field from its saved value, not from the submission: the
                # widget would look the refused objects up and show their titles and URLs.
                # (A disabled field's value is its initial one; StreamField's widget
                # renders no "disabled" attribute, so it stays editable.)
                self.fields[name].disabled = True
        return cleaned_data

    def show_saved_choice(self, name) -> None:
        """Put the saved choice of ``name`` back in the form's data, for the re-rendering.

        A chooser widget looks the submitted id up and shows that object's title
        and preview; for an object the user may not choose, that is what must
        not be shown. The field's error stays.
        """
        if not hasattr(self.data, "setlist"):
            return
        self.data = self.data.copy()  # request.POST is immutable
        self.data.setlist(self.add_prefix(name), [str(pk) for pk in _pks(self.initial.get(name))])

    def embedding_fields(self):
        """The form's model fields that can embed other objects (StreamField, rich text)."""
        for name in self.fields:
            try:
                model_field = self.instance._meta.get_field(name)  # Django's public Meta API
            except FieldDoesNotExist:
                continue
            if hasattr(model_field, "extract_references"):
                yield name, model_field


def embedding_error(refused) -> ValidationError:
    """ "You cannot use image 12 here", naming kind and id only (no other country's title)."""
    items = ", ".join(f"{model._meta.verbose_name} {pk}" for model, pk in refused)
    return ValidationError(
        _("Not available to you (another country's or missing): %(items)s.") % {"items": items}
    )


class CountryScopedModelForm(CountryScopedFormMixin, WagtailAdminModelForm):
    """Base form of the country-owned snippets (see ``CountrySnippetViewSet``)."""


class CountryScopedPageForm(CountryScopedFormMixin, WagtailAdminPageForm):
    """Base form of every page type (``BasePage.base_form_class``)."""
