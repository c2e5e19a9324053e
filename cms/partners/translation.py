from modeltranslation.translator import TranslationOptions, register

from cms.partners.models import ContactPerson, PartnerOrganisation


@register(PartnerOrganisation)
class PartnerOrganisationTR(TranslationOptions):
    fields = ("name", "city", "description")


@register(ContactPerson)
class ContactPersonTR(TranslationOptions):
    # Names of people are not translated; their role is.
    fields = ("role",)
