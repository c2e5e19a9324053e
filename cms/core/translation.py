from modeltranslation.translator import TranslationOptions, register

from cms.core.models import Country, CustomImage, Sector


@register(Country)
class CountryTR(TranslationOptions):
    fields = ("name",)


@register(Sector)
class SectorTR(TranslationOptions):
    fields = ("name", "description")


@register(CustomImage)
class CustomImageTR(TranslationOptions):
    fields = ("alt_text",)
