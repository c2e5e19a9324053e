from modeltranslation.translator import TranslationOptions, register

from cms.home.models import CountryHomePage, StandardPage


@register(CountryHomePage)
class CountryHomePageTR(TranslationOptions):
    fields = ("intro",)


@register(StandardPage)
class StandardPageTR(TranslationOptions):
    fields = ("lead", "body")
