"""Admin registration of partner organisations and contact people, per country."""

from modeltranslation.utils import build_localized_fieldname
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms.core.languages import LANGUAGE_CODES
from cms.core.permissions import CountryPermissionPolicy
from cms.core.viewsets import CountrySnippetViewSet
from cms.partners.models import ContactPerson, PartnerOrganisation

# Before the viewsets: Wagtail 8 looks policies up in its registry, not on the viewset.
register_permission_policy(PartnerOrganisation, CountryPermissionPolicy(PartnerOrganisation))
register_permission_policy(ContactPerson, CountryPermissionPolicy(ContactPerson))


class PartnerOrganisationViewSet(CountrySnippetViewSet):
    model = PartnerOrganisation
    icon = "group"
    list_display = ["name", "country", "is_lead_partner"]
    list_filter = ["country", "is_lead_partner"]
    # The listing's CSV/XLSX download (Wagtail writes one empty line per row without it).
    list_export = ["name", "short_name", "slug", "country", "city", "website", "is_lead_partner"]
    # The listing's search box filters in the database, over every language's name and
    # city: an editor types the name as they know it, in any language. (Wagtail's search
    # backend restricted to ``fields`` is no option here: SQLite's full-text index has
    # no per-field column, so ``?q=`` answered 500 "no such column: name"; and a
    # network's few dozen partners need no index.)
    search_backend_name = None
    search_fields = [
        "short_name",
        *(
            build_localized_fieldname(field, code)
            for field in ("name", "city")
            for code in LANGUAGE_CODES
        ),
    ]


class ContactPersonViewSet(CountrySnippetViewSet):
    model = ContactPerson
    icon = "user"
    list_display = ["name", "role", "organisation", "country"]
    list_filter = ["country"]
    list_export = ["name", "role", "organisation", "country", "email", "phone", "slug"]


register_snippet(PartnerOrganisationViewSet)
register_snippet(ContactPersonViewSet)
