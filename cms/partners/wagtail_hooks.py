"""Admin registration of partner organisations and contact people."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.partners.models import ContactPerson, PartnerOrganisation


class PartnerOrganisationViewSet(SnippetViewSet):
    model = PartnerOrganisation
    icon = "group"
    list_display = ["name", "country", "is_lead_partner"]
    list_filter = ["country", "is_lead_partner"]
    search_fields = ["name"]


class ContactPersonViewSet(SnippetViewSet):
    model = ContactPerson
    icon = "user"
    list_display = ["name", "role", "organisation", "country"]
    list_filter = ["country"]


register_snippet(PartnerOrganisationViewSet)
register_snippet(ContactPersonViewSet)
