"""Validation of the visitor search parameters (shared shape with the API)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cms.search.models import SearchDocument
from cms.search.text import without_control_characters


class SearchForm(forms.Form):
    # No max_length of its own: ``clean_q`` names the one limit (the 2,000 Django checked
    # first told a 5,000-character query "at most 2000", then 1,995 "at most 300").
    q = forms.CharField(required=False, strip=True)
    country = forms.CharField(required=False, max_length=10)
    sector = forms.CharField(required=False, max_length=50)
    type = forms.ChoiceField(required=False, choices=[("", "")] + list(SearchDocument.Kind.choices))
    date_from = forms.DateField(required=False)
    date_to = forms.DateField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, data=None, **kwargs):
        """What the visitor sent, control characters as spaces and without surrounding
        whitespace, before anything reads it.

        The page shows each value back (its title, the box, the filters kept), so it must
        show what is searched: NUL and the other control characters mean nothing in a
        search, no database stores NUL and HTML cannot hold them (the page's title and box
        carried them raw); a query of spaces is no query (it was titled "Search:  " and
        kept from search engines).
        """
        if data is not None:
            data = {name: without_control_characters(data.get(name, "")) for name in data}
        super().__init__(data, **kwargs)

    def clean_country(self):
        """A country's code in any case (``cz`` as ``CZ``), as the API takes it."""
        return self.cleaned_data["country"].upper()

    def clean_q(self):
        value = self.cleaned_data["q"]
        if len(value) > settings.SEARCH_MAX_QUERY_CHARS:
            raise forms.ValidationError(
                _("Please use a shorter query (at most %(limit)s characters)."),
                params={"limit": settings.SEARCH_MAX_QUERY_CHARS},
            )
        return value
