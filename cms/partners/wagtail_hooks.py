"""Admin registration of partner organisations and contact people, per country."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

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
    search_fields = ["name"]


class ContactPersonViewSet(CountrySnippetViewSet):
    model = ContactPerson
    icon = "user"
    list_display = ["name", "role", "organisation", "country"]
    list_filter = ["country"]


register_snippet(PartnerOrganisationViewSet)
register_snippet(ContactPersonViewSet)
