"""Partner organisations and the people to contact there."""

from ninja import Router

from cms.api import selectors
from cms.api.params import ContactParams, PartnerParams
from cms.api.resources import register
from cms.projections.representations import representations

router = Router(tags=["partners"])

register(
    router,
    "partners",
    item="partner",
    parameters=PartnerParams,
    select=selectors.partners,
    representation=representations().partner,
    listed="The project partners: one national partner per country, and the lead partner.",
    id_name="partner_id",
)
register(
    router,
    "contacts",
    item="contact",
    parameters=ContactParams,
    select=selectors.contacts,
    representation=representations().contact,
    listed="Contact people of the partner organisations.",
    id_name="contact_id",
)
