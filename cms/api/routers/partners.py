"""Partner organisations and the people to contact there."""

from django.http import HttpRequest
from ninja import Query, Router

from cms.api import selectors
from cms.api.http import read
from cms.api.params import (
    ContactDetailParams,
    ContactParams,
    ObjectId,
    PartnerDetailParams,
    PartnerParams,
)
from cms.api.responses import detail, listing, read_context
from cms.api.schemas import contacts, partners
from cms.projections.representations import representations

router = Router(tags=["partners"])
OUTPUT = {"by_alias": True, "exclude_unset": True}


@read(router, "/partners/", response=partners.listing, url_name="partners_list", **OUTPUT)
def list_partners(request: HttpRequest, params: Query[PartnerParams]):
    """The project partners: one national partner per country, and the lead partner."""
    context = read_context(request, params)
    return listing(context, params, selectors.partners(context, params))


@read(
    router,
    "/partners/{partner_id}/",
    response=partners.detail,
    url_name="partners_detail",
    **OUTPUT,
)
def get_partner(
    request: HttpRequest,
    partner_id: ObjectId,
    params: Query[PartnerDetailParams],
):
    context = read_context(request, params)
    return detail(context, params, representations().partner, partner_id)


@read(router, "/contacts/", response=contacts.listing, url_name="contacts_list", **OUTPUT)
def list_contacts(request: HttpRequest, params: Query[ContactParams]):
    """Contact people of the partner organisations."""
    context = read_context(request, params)
    return listing(context, params, selectors.contacts(context, params))


@read(
    router,
    "/contacts/{contact_id}/",
    response=contacts.detail,
    url_name="contacts_detail",
    **OUTPUT,
)
def get_contact(
    request: HttpRequest,
    contact_id: ObjectId,
    params: Query[ContactDetailParams],
):
    context = read_context(request, params)
    return detail(context, params, representations().contact, contact_id)
