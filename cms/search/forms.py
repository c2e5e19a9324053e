"""Validation of the visitor search parameters (shared shape with the API)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cms.search.models import SearchDocument


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=2000, strip=True)
    country = forms.CharField(required=False, max_length=10)
    sector = forms.CharField(required=False, max_length=50)
    type = forms.ChoiceField(required=False, choices=[("", "")] + list(SearchDocument.Kind.choices))
    date_from = forms.DateField(required=False)
    date_to = forms.DateField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def clean_q(self):
        value = self.cleaned_data["q"]
        if len(value) > settings.SEARCH_MAX_QUERY_CHARS:
            raise forms.ValidationError(
                _("Please use a shorter query (at most %(limit)s characters)."),
                params={"limit": settings.SEARCH_MAX_QUERY_CHARS},
            )
        return value
